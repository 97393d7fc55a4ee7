#include "reference/json.h"

namespace hocvu::reference {

namespace json = boost::json;

json::value to_json(const Text& t) { return json::object{{"vi", t.vi}, {"en", t.en}}; }

json::value to_json(const Framework& f) {
  json::array levels;
  for (const auto& l : f.levels)
    levels.push_back(json::object{{"level", l.level}, {"tier_code", l.tier_code}, {"tier", to_json(l.tier)}});
  json::array domains;
  for (const auto& a : f.areas) {
    json::array comps;
    for (const auto& c : a.competencies) comps.push_back(json::object{{"code", c.code}, {"name", to_json(c.name)}});
    domains.push_back(json::object{{"code", a.code}, {"name", to_json(a.name)}, {"competencies", std::move(comps)}});
  }
  return json::object{{"code", f.code},
                      {"name", to_json(f.name)},
                      {"source", to_json(f.source)},
                      {"description", to_json(f.description)},
                      {"levels", std::move(levels)},
                      {"domains", std::move(domains)}};
}

json::value to_json(const AdminUnit& u) {
  json::object o{{"code", u.code}, {"kind", u.kind}, {"name", u.name}, {"short_name", u.short_name}};
  o["parent_code"] = u.parent_code ? json::value(*u.parent_code) : json::value(nullptr);
  return o;
}

json::value to_json(const TargetGroup& g) {
  return json::object{{"code", g.code}, {"name", to_json(g.name)}, {"description", to_json(g.description)}};
}

}  // namespace hocvu::reference
