#include "web/i18n.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <fstream>
#include <sstream>

namespace hocvu::web {

Result<Catalogs> Catalogs::load(const std::string& dir) {
  Catalogs c;
  for (std::string lang : {"vi", "en"}) {
    std::string path = dir + "/" + lang + ".json";
    std::ifstream in(path);
    if (!in) return Error(ErrorCode::invalid_argument, "cannot read message catalog " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    auto v = boost::json::parse(ss.str(), ec);
    if (ec || !v.is_object()) return Error(ErrorCode::invalid_argument, path + ": not a JSON object: " + ec.message());
    auto& texts = c.texts_[lang];
    for (auto& [k, val] : v.as_object()) {
      if (!val.is_string()) return Error(ErrorCode::invalid_argument, path + ": value of '" + std::string(k) + "' is not a string");
      texts.emplace(std::string(k), std::string(val.as_string()));
    }
    c.languages_.push_back(lang);
  }
  const auto& vi = c.texts_["vi"];
  const auto& en = c.texts_["en"];
  for (auto& [k, _] : vi)
    if (!en.contains(k)) return Error(ErrorCode::invalid_argument, "en.json lacks key '" + k + "'");
  for (auto& [k, _] : en)
    if (!vi.contains(k)) return Error(ErrorCode::invalid_argument, "vi.json lacks key '" + k + "'");
  // Templates reach texts as a tree ({{t.a.b}}): "a.b" cannot be both a text and the parent of
  // "a.b.c". The map is sorted, so a parent comes right before its first child.
  std::string previous;
  for (auto& [k, _] : vi) {
    if (!previous.empty() && k.size() > previous.size() && k.starts_with(previous) && k[previous.size()] == '.')
      return Error(ErrorCode::invalid_argument, "catalog key '" + previous + "' is both a text and the parent of '" + k + "'");
    previous = k;
  }
  return c;
}

bool Catalogs::supports(std::string_view lang) const { return texts_.find(lang) != texts_.end(); }

const std::map<std::string, std::string, std::less<>>& Catalogs::all(std::string_view lang) const {
  auto it = texts_.find(lang);
  if (it == texts_.end()) it = texts_.find(kDefaultLang);
  return it->second;
}

const std::string& Catalogs::get(std::string_view lang, std::string_view key) const {
  const auto& texts = all(lang);
  if (auto it = texts.find(key); it != texts.end()) return it->second;
  const auto& vi = all(kDefaultLang);
  if (auto it = vi.find(key); it != vi.end()) return it->second;
  thread_local std::string missing;
  missing = std::string(key);
  return missing;
}

std::string choose_language(const Catalogs& catalogs, std::string_view query_lang, std::string_view cookie_lang,
                            std::string_view accept_language) {
  if (catalogs.supports(query_lang)) return std::string(query_lang);
  if (catalogs.supports(cookie_lang)) return std::string(cookie_lang);
  // Accept-Language: "en-US,en;q=0.9,vi;q=0.8"
  std::string best;
  double best_q = 0.0;
  std::string_view rest = accept_language;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    double q = 1.0;
    if (auto semi = item.find(';'); semi != std::string_view::npos) {
      auto params = item.substr(semi + 1);
      item = item.substr(0, semi);
      if (auto qpos = params.find("q="); qpos != std::string_view::npos) {
        auto qs = params.substr(qpos + 2);
        double parsed = 0;
        auto [p, ec] = std::from_chars(qs.data(), qs.data() + qs.size(), parsed);
        q = ec == std::errc{} ? parsed : 0.0;
      }
    }
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    std::string primary(item.substr(0, item.find('-')));
    for (auto& ch : primary) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (q > best_q && catalogs.supports(primary)) { best = primary; best_q = q; }
  }
  return best.empty() ? std::string(kDefaultLang) : best;
}

}  // namespace hocvu::web
