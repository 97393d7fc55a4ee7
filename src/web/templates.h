// Mustache templates (kainjow) loaded from web/templates at start-up. Partials ({{> name}}, from
// web/templates/partials/) are inlined when a template is loaded, so rendering never parses.
// Templates escape every {{value}}; {{{raw}}} is used only for HTML the server built itself.
#pragma once

#include "core/status.h"

#include <kainjow/mustache.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace hocvu::web {

using Data = kainjow::mustache::data;

class Templates {
 public:
  // Loads <dir>/*.mustache and inlines <dir>/partials/*.mustache. Fails on a missing partial or
  // a template that does not parse, naming the file.
  static Result<Templates> load(const std::string& dir);

  bool has(std::string_view name) const;

  // Renders template `name` against the data layers, innermost first (a name is looked up in
  // `data`, then in each of `layers`). Safe to call from many threads at once.
  Result<std::string> render(std::string_view name, const Data& data, std::initializer_list<const Data*> layers = {}) const;

 private:
  std::map<std::string, std::shared_ptr<kainjow::mustache::mustache>, std::less<>> compiled_;
};

}  // namespace hocvu::web
