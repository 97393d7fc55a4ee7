#include "accounts/organisation_routes.h"

#include "accounts/authorization.h"
#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "web/app.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <variant>

namespace hocvu::accounts {
namespace {

using web::App;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

constexpr std::string_view kKinds[] = {"ministry", "department", "school", "enterprise", "committee", "other"};




json::object organisation_json(const Organisation& o) {
  return json::object{{"id", o.id}, {"name", o.name}, {"kind", o.kind},
                      {"parent_id", o.parent_id ? json::value(*o.parent_id) : json::value(nullptr)},
                      {"unit_code", o.unit_code}, {"members", o.members}};
}

struct NewOrganisation {
  std::string name, kind, unit_code;
  std::int64_t parent_id = 0;
};

// Creates an organisation after every check: the API's response (201 with the organisation).
Response create(Directory& dir, const Principal& who, const NewOrganisation& n) {
  web::FieldErrors errors;
  std::string name = to_nfc(n.name);
  if (name.empty() || name.size() > 300) errors.emplace_back("name", "Hãy nhập tên tổ chức (tối đa 300 ký tự).");
  if (std::find(std::begin(kKinds), std::end(kKinds), n.kind) == std::end(kKinds))
    errors.emplace_back("kind", "Loại tổ chức phải là ministry, department, school, enterprise, committee hoặc other.");
  auto unit_place = dir.place_of_scope(Scope{ScopeKind::unit, n.unit_code});
  if (!unit_place) return unavailable("organisations", unit_place.status());
  if (!*unit_place) errors.emplace_back("unit_code", "Không có đơn vị hành chính mang mã này.");
  std::optional<Place> parent_place;
  if (n.parent_id) {
    auto pp = dir.place_of_scope(Scope{ScopeKind::organisation, std::to_string(n.parent_id)});
    if (!pp) return unavailable("organisations", pp.status());
    if (!*pp) errors.emplace_back("parent_id", "Không có tổ chức cấp trên này.");
    else parent_place = **pp;
  }
  if (!errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", errors);
  // The new organisation stands in its unit, under its parent's chain.
  Place place = **unit_place;
  if (parent_place) place.organisation_ids = parent_place->organisation_ids;
  // The creator must manage where it stands and, when it hangs under a parent, the parent too:
  // nobody attaches an organisation under someone else's.
  if (!may(who, Action::grant_role, place, 0) || (parent_place && !may(who, Action::grant_role, *parent_place, 0)))
    return App::api_error(403, "forbidden", "Đơn vị hoặc tổ chức cấp trên nằm ngoài phạm vi quản lý của bạn.");
  Organisation o;
  o.name = name;
  o.kind = n.kind;
  if (n.parent_id) o.parent_id = n.parent_id;
  o.unit_code = n.unit_code;
  auto created = dir.create_organisation(o, format_utc(std::chrono::system_clock::now()));
  if (!created) return unavailable("organisations", created.status());
  return Response::json(201, json::serialize(organisation_json(*created)));
}

Response add_member(Directory& dir, const Principal& who, std::int64_t organisation_id, std::int64_t person_id) {
  auto org_place = dir.place_of_scope(Scope{ScopeKind::organisation, std::to_string(organisation_id)});
  if (!org_place) return unavailable("organisations", org_place.status());
  auto person_place = dir.place_of_person(person_id);
  if (!person_place) return unavailable("organisations", person_place.status());
  if (!*org_place || !*person_place || !may(who, Action::list_people, **person_place, person_id)) return Response::text(404, "");
  if (!may(who, Action::grant_role, **org_place, 0) || !may(who, Action::view_personal_data, **person_place, person_id))
    return App::api_error(403, "forbidden", "Bạn không quản lý cả tổ chức này và người này.");
  auto st = dir.add_member(organisation_id, person_id);
  if (st.code() == ErrorCode::conflict) return App::api_error(409, "conflict", "Người này đã là thành viên của tổ chức.");
  if (!st.ok()) return unavailable("organisations", st);
  Response r;
  r.status = 201;
  r.set_header("Content-Type", "application/json; charset=utf-8");
  r.body = "{\"organisation_id\":" + std::to_string(organisation_id) + ",\"person_id\":" + std::to_string(person_id) + "}";
  return r;
}


}  // namespace

void add_organisation_routes(App& app, Directory& dir) {
  auto& r = app.router();

  r.add("GET", "/api/v1/organisations", [&dir](Request&) {
    auto all = dir.organisations();
    if (!all) return unavailable("organisations", all.status());
    json::array items;
    for (const auto& o : *all) items.push_back(organisation_json(o));
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  r.add("POST", "/api/v1/organisations", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (!req.header("Content-Type").starts_with("application/json"))
      return App::api_error(415, "unsupported_media_type", "Nội dung gửi lên phải là JSON (Content-Type: application/json).");
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return App::api_error(400, "bad_request", "Nội dung gửi lên không phải một đối tượng JSON hợp lệ.");
    const auto& o = v.as_object();
    auto str = [&](std::string_view k) {
      auto* x = o.if_contains(k);
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    std::int64_t parent = 0;
    if (auto* x = o.if_contains("parent_id"); x && x->is_int64()) parent = x->as_int64();
    return create(dir, std::get<Principal>(who), NewOrganisation{str("name"), str("kind"), str("unit_code"), parent});
  });

  r.add("POST", "/api/v1/organisations/{id}/members", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    std::int64_t person = 0;
    if (!ec && v.is_object())
      if (auto* x = v.as_object().if_contains("person_id"); x && x->is_int64()) person = x->as_int64();
    if (!person) return App::api_error(422, "invalid_field", "Thiếu person_id.", {{"person_id", "Hãy cho biết người cần thêm."}});
    return add_member(dir, std::get<Principal>(who), parse_id(req.path_param("id")), person);
  });

  r.add("GET", "/organisations", [&app, &dir](Request& req) {
    auto all = dir.organisations();
    if (!all) return unavailable("organisations", all.status());
    // Depth, for indenting: a child is one deeper than its parent, which comes before it.
    std::map<std::int64_t, int> depth;
    Data list{Data::type::list};
    for (const auto& o : *all) {
      int d = o.parent_id && depth.contains(*o.parent_id) ? depth[*o.parent_id] + 1 : 0;
      depth[o.id] = d;
      Data item{Data::type::object};
      item.set("id", std::to_string(o.id));
      item.set("name", o.name);
      item.set("kind", app.text(req, "org.kind." + o.kind));
      item.set("unit_code", o.unit_code);
      item.set("members", std::to_string(o.members));
      item.set("depth", std::to_string(std::min(d, 6)));
      list.push_back(item);
    }
    Data d{Data::type::object};
    d.set("organisations", list);
    if (req.user_id) {
      auto p = load_principal(dir, req.user_id);
      if (p && may_somewhere(*p, Action::grant_role)) d.set("can_create", true);
    }
    std::string_view error = req.query_param("error");
    if (error == "forbidden" || error == "invalid") d.set("error", app.text(req, "org.error_" + std::string(error)));
    return app.page(req, "organisations", app.text(req, "org.title"), d);
  });

  r.add("POST", "/organisations", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    auto field = [&](std::string_view n) {
      for (const auto& [k, v] : *form) if (k == n) return v;
      return std::string();
    };
    Response result = create(dir, std::get<Principal>(who), NewOrganisation{field("name"), field("kind"), field("unit_code"), parse_id(field("parent_id"))});
    if (result.status >= 500) return Response::text(result.status, "");
    Response redirect;
    redirect.status = 303;
    redirect.set_header("Location", result.status == 201 ? "/organisations" : result.status == 403 ? "/organisations?error=forbidden" : "/organisations?error=invalid");
    return redirect;
  });
}

}  // namespace hocvu::accounts
