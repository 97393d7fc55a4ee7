// Message catalogs: every user-facing string lives in web/i18n/<lang>.json ({"key": "text"}),
// Vietnamese first and English second. Templates read them as {{t.key}}; code as catalog.get().
#pragma once

#include "core/status.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::web {

inline constexpr std::string_view kDefaultLang = "vi";

class Catalogs {
 public:
  // Loads <dir>/vi.json and <dir>/en.json. Fails when a file is missing or malformed, or when a
  // key is in one language and not the other (a missing translation is a bug found at start-up).
  static Result<Catalogs> load(const std::string& dir);

  // The text for `key` in `lang` (falling back to Vietnamese); the key itself when unknown, so a
  // missing string is visible on the page rather than blank.
  const std::string& get(std::string_view lang, std::string_view key) const;

  const std::map<std::string, std::string, std::less<>>& all(std::string_view lang) const;
  const std::vector<std::string>& languages() const { return languages_; }
  bool supports(std::string_view lang) const;

 private:
  std::vector<std::string> languages_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> texts_;
};

// Chooses the language for a request: an explicit ?lang=, then the "lang" cookie, then the first
// supported language in Accept-Language (by q-value), then Vietnamese.
std::string choose_language(const Catalogs& catalogs, std::string_view query_lang, std::string_view cookie_lang,
                            std::string_view accept_language);

}  // namespace hocvu::web
