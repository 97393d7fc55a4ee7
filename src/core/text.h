// Vietnamese text: normalisation for storage and folding for search. Learners type without
// diacritics on phones, and some keyboards send decomposed marks (a + U+0301 for "á"), so every
// name stored is normalised and every search compares folded text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hocvu {

// `s` in Unicode NFC for Latin-script text: marks are put in canonical order and composed with
// the letter before them where Unicode has a precomposed letter ("a\u0302\u0301" -> "ấ").
// Text outside the Latin letters passes through unchanged. Invalid UTF-8 is returned unchanged
// (callers validate input first).
std::string to_nfc(std::string_view s);

// Offset of the first byte of `s` that is not part of well-formed UTF-8 (Unicode table 3-7: no
// overlong forms, surrogates or code points above U+10FFFF), or npos when all of it is.
std::size_t invalid_utf8_at(std::string_view s);
inline bool valid_utf8(std::string_view s) { return invalid_utf8_at(s) == std::string_view::npos; }

// `s` without leading and trailing ASCII white space (space, tab, CR, LF, VT, FF).
std::string trim(std::string_view s);

// `s` for comparing typed answers exactly but for case and spacing: NFC, Latin letters (the
// Vietnamese ones included: "Đ", "Ơ", "Ư", "Ắ") in lower case, runs of white space to one space,
// trimmed. Marks and punctuation are kept ("Bảo  MẬT " -> "bảo mật"). Invalid UTF-8 bytes pass
// through unchanged.
std::string fold_case(std::string_view s);

// `s` folded for matching: lower case, every mark removed, "đ" to "d", anything that is not a
// letter or digit to a single space, trimmed. "Bảo  mật!" and "bao mat" both fold to "bao mat",
// whether the input was precomposed or not. Letters outside the Latin script are kept, lower-cased
// only where ASCII.
std::string fold_for_search(std::string_view s);

}  // namespace hocvu
