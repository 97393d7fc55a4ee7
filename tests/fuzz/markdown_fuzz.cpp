// libFuzzer target for the Markdown renderer, which turns course authors' text into HTML that
// every learner's browser runs. Properties checked beyond "does not crash": the HTML holds no
// "<script" and no event-handler attribute ("<tag ... on...=") in any letter case, is valid
// UTF-8 whatever the input, and rendering is deterministic; the plain text is valid UTF-8 too.
#include "web/markdown.h"
#include "core/text.h"

#include <boost/url/src.hpp>

#include <cstdlib>
#include <string>

namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Whether a tag in `html` has an attribute whose name starts with "on". Text and attribute
// values never hold '<' or '"' unescaped, so a tag runs from '<' to '>' and a space outside
// quotes starts an attribute name.
bool has_event_handler(const std::string& html) {
  bool in_tag = false, in_value = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (!in_tag) {
      in_tag = c == '<';
    } else if (in_value) {
      in_value = c != '"';
    } else if (c == '"') {
      in_value = true;
    } else if (c == '>') {
      in_tag = false;
    } else if (c == ' ' && html.compare(i + 1, 2, "on") == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string html = hocvu::web::render_markdown(input);
  std::string text = hocvu::web::markdown_to_plain_text(input);
  std::string folded = lower(html);
  if (folded.find("<script") != std::string::npos) std::abort();
  if (has_event_handler(folded)) std::abort();
  if (!hocvu::valid_utf8(html) || !hocvu::valid_utf8(text)) std::abort();
  if (hocvu::web::render_markdown(input) != html) std::abort();
  return 0;
}
