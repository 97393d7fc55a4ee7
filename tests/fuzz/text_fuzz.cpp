// libFuzzer target for Vietnamese normalisation and search folding, which will see every name
// and search query. Properties: no crash; to_nfc is idempotent on valid UTF-8 and keeps it
// valid; folded text has no upper-case ASCII, no leading, trailing or double spaces.
#include "core/text.h"

#include <boost/url/src.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string nfc = hocvu::to_nfc(input);
  std::string folded = hocvu::fold_for_search(input);
  if (hocvu::valid_utf8(input)) {
    if (!hocvu::valid_utf8(nfc)) std::abort();
    if (hocvu::to_nfc(nfc) != nfc) std::abort();
    if (!hocvu::valid_utf8(folded)) std::abort();
  }
  for (std::size_t i = 0; i < folded.size(); ++i) {
    char c = folded[i];
    if (c >= 'A' && c <= 'Z') std::abort();
    if (c == ' ' && (i == 0 || i + 1 == folded.size() || folded[i + 1] == ' ')) std::abort();
  }
  return 0;
}
