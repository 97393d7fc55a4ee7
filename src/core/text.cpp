#include "core/text.h"

#include <algorithm>
#include <vector>

namespace hocvu {
namespace {

struct FoldEntry {
  char32_t cp;
  char base;
};
struct ComposeEntry {
  char32_t base, mark, composed;
};
#include "core/text_tables.inc"

bool decode(std::string_view s, std::vector<char32_t>& out) {
  out.clear();
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned c = *p;
    int n;
    char32_t cp;
    if (c < 0x80) { out.push_back(c); ++p; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    out.push_back(cp);
    p += n + 1;
  }
  return true;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_mark(char32_t cp) { return cp >= 0x0300 && cp < 0x0370; }
int combining_class(char32_t cp) { return is_mark(cp) ? kCombiningClass[cp - 0x0300] : 0; }

char32_t compose(char32_t base, char32_t mark) {
  auto it = std::lower_bound(std::begin(kCompose), std::end(kCompose), ComposeEntry{base, mark, 0},
                             [](const ComposeEntry& a, const ComposeEntry& b) {
                               return a.base != b.base ? a.base < b.base : a.mark < b.mark;
                             });
  return it != std::end(kCompose) && it->base == base && it->mark == mark ? it->composed : 0;
}

// Decodes one code point of `s` at `i` (advancing it); invalid bytes come back as themselves,
// flagged by `raw`, so that invalid input passes through unchanged.
char32_t next_code_point(std::string_view s, std::size_t& i, bool& raw) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  raw = false;
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    raw = true;
    return s[i++];
  }
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    unsigned char c = byte(i + static_cast<std::size_t>(k));
    if ((c >> 6) != 0x2) {
      raw = true;
      return s[i++];
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

// Lower case for the Latin letters Vietnamese (and its neighbours) use, precomposed.
char32_t latin_lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if (c >= 0x00C0 && c <= 0x00DE && c != 0x00D7) return c + 0x20;
  if ((c >= 0x0100 && c <= 0x0137) || (c >= 0x014A && c <= 0x0177)) return c % 2 == 0 ? c + 1 : c;
  if ((c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017E)) return c % 2 == 1 ? c + 1 : c;
  if (c == 0x0178) return 0x00FF;
  if (c == 0x01A0 || c == 0x01AF) return c + 1;  // Ơ, Ư
  if ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF)) return c % 2 == 0 ? c + 1 : c;
  return c;
}

bool is_white(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x00A0 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// The canonical decomposition of a letter the compose table makes: "ộ" -> "ọ" + U+0302 ->
// "o" + U+0323 + U+0302. Appends to `out`; anything else is appended as it is.
void decompose(char32_t cp, std::vector<char32_t>& out) {
  static const std::vector<ComposeEntry> by_composed = [] {
    std::vector<ComposeEntry> v(std::begin(kCompose), std::end(kCompose));
    std::sort(v.begin(), v.end(), [](const ComposeEntry& a, const ComposeEntry& b) { return a.composed < b.composed; });
    return v;
  }();
  auto it = std::lower_bound(by_composed.begin(), by_composed.end(), cp,
                             [](const ComposeEntry& e, char32_t v) { return e.composed < v; });
  if (it == by_composed.end() || it->composed != cp) {
    out.push_back(cp);
    return;
  }
  decompose(it->base, out);
  out.push_back(it->mark);
}

char fold_letter(char32_t cp) {
  auto it = std::lower_bound(std::begin(kFold), std::end(kFold), cp,
                             [](const FoldEntry& e, char32_t v) { return e.cp < v; });
  return it != std::end(kFold) && it->cp == cp ? it->base : 0;
}

// Non-ASCII characters that separate words: Latin-1 punctuation and symbols, general punctuation
// (dashes, curly quotes, ellipsis, no-break and other spaces).
bool is_separator(char32_t cp) {
  return (cp >= 0x00A0 && cp <= 0x00BF) || cp == 0x00D7 || cp == 0x00F7 || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF;
}

}  // namespace

std::string to_nfc(std::string_view s) {
  // Fast path: pure ASCII is already NFC.
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return std::string(s);
  std::vector<char32_t> decoded;
  if (!decode(s, decoded)) return std::string(s);
  // Canonical decomposition first, so that a mark typed after a precomposed letter ("ô" then a
  // dot below) finds its place: NFC is composition of the canonically ordered decomposition.
  std::vector<char32_t> cps;
  cps.reserve(decoded.size() + 8);
  for (char32_t c : decoded) decompose(c, cps);

  // Canonical ordering: each run of marks is stably sorted by combining class.
  for (std::size_t i = 0; i < cps.size();) {
    if (combining_class(cps[i]) == 0) { ++i; continue; }
    std::size_t j = i;
    while (j < cps.size() && combining_class(cps[j]) != 0) ++j;
    std::stable_sort(cps.begin() + static_cast<long>(i), cps.begin() + static_cast<long>(j),
                     [](char32_t a, char32_t b) { return combining_class(a) < combining_class(b); });
    i = j;
  }

  // Canonical composition (UAX #15): a mark joins the last starter unless a mark between them
  // has the same or a higher class.
  std::vector<char32_t> out;
  out.reserve(cps.size());
  long starter = -1;
  int last_class = 0;
  for (char32_t c : cps) {
    int cc = combining_class(c);
    if (starter >= 0 && cc != 0) {
      bool adjacent = static_cast<long>(out.size()) - 1 == starter;
      bool blocked = !adjacent && (last_class == 0 || last_class >= cc);
      if (!blocked) {
        if (char32_t composed = compose(out[static_cast<std::size_t>(starter)], c)) {
          out[static_cast<std::size_t>(starter)] = composed;
          continue;
        }
      }
    }
    if (cc == 0) starter = static_cast<long>(out.size());
    last_class = cc;
    out.push_back(c);
  }
  std::string result;
  result.reserve(s.size());
  for (char32_t c : out) encode(c, result);
  return result;
}

std::string fold_for_search(std::string_view s) {
  std::vector<char32_t> cps;
  std::string out;
  out.reserve(s.size());
  bool space = true;  // drops leading separators
  auto separator = [&] {
    if (!space) out.push_back(' ');
    space = true;
  };
  auto letter = [&](char c) {
    out.push_back(c);
    space = false;
  };
  if (!decode(s, cps)) return {};
  for (char32_t c : cps) {
    if (c < 0x80) {
      char a = static_cast<char>(c);
      if (a >= 'A' && a <= 'Z') letter(static_cast<char>(a + 32));
      else if ((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9')) letter(a);
      else separator();
    } else if (is_mark(c)) {
      // dropped: "a" + U+0301 folds like "á"
    } else if (char base = fold_letter(c)) {
      letter(base);
    } else if (is_separator(c)) {
      separator();
    } else {
      encode(c, out);
      space = false;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string fold_case(std::string_view s) {
  std::string nfc = to_nfc(s);
  std::string out;
  out.reserve(nfc.size());
  bool space = true;  // drops leading white space
  for (std::size_t i = 0; i < nfc.size();) {
    bool raw = false;
    char32_t c = next_code_point(nfc, i, raw);
    if (raw) {
      out.push_back(static_cast<char>(c));
      space = false;
    } else if (is_white(c)) {
      if (!space) out.push_back(' ');
      space = true;
    } else {
      encode(latin_lower(c), out);
      space = false;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(kSpace) - b + 1));
}

std::size_t invalid_utf8_at(std::string_view s) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = byte(i);
    if (c < 0x80) { ++i; continue; }
    std::size_t n = 0;                   // continuation bytes
    unsigned char low = 0x80, high = 0xBF;  // the range allowed for the first of them
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) { n = 2; low = 0xA0; }
    else if (c == 0xED) { n = 2; high = 0x9F; }
    else if (c >= 0xE1 && c <= 0xEF) n = 2;
    else if (c == 0xF0) { n = 3; low = 0x90; }
    else if (c == 0xF4) { n = 3; high = 0x8F; }
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else return i;
    if (i + n >= s.size() || byte(i + 1) < low || byte(i + 1) > high) return i;
    for (std::size_t k = 2; k <= n; ++k)
      if ((byte(i + k) & 0xC0) != 0x80) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

}  // namespace hocvu
