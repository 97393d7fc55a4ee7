// GIFT (Moodle's "General Import Format Template", https://docs.moodle.org/en/GIFT_format):
// question banks as text, the format teachers already have from Moodle. Reading turns a bank into
// Questions plus every error found, each with its line, so that an author can fix them all in one
// pass; writing produces GIFT that reads back to the same questions.
//
// What is read:
//   // comment                      lines starting with "//" are ignored
//   $CATEGORY: $course$/top/a/b     sets the category of the questions after it ("a/b"; the
//                                   "$context$/" and "top/" prefixes Moodle writes are dropped)
//   ::title::[markdown]text {...}   title -> Question::name; a [markdown], [plain], [moodle] or
//                                   [html] marker is dropped and the text kept as written (HTML is
//                                   not trusted: it is stored as plain text, never rendered)
//   {=right ~wrong#feedback}        single_choice (exactly one "=")
//   {~%50%a ~%50%b ~%-100%c}        multiple_choice (no "=", or more than one "=")
//   {T} {TRUE} {F} {FALSE}          true_false; {T#if answered wrongly#if answered rightly}
//   {=a =%50%b}                     short_answer (only "=", no "~")
//   {=a -> 1 =b -> 2 = -> 3}        matching (an empty prompt is a distractor)
//   {#3.14:0.01} {#1..5} {#3}       numerical (value:tolerance, min..max, exact)
//   {#=%100%3:0 =%50%3.1:0.1}       numerical with several answers
//   text {=a ~b} more text          fill_blanks with one gap: text "text {1} more text"; the gap
//                                   accepts the answers with a positive weight
//   {... ####general feedback}      Question::general_feedback
//   \~ \= \# \{ \} \: \\ \n         escapes ("\n" is a line break); "->" cannot be escaped
// Questions are separated by blank lines. Essays ("{}") and descriptions (no braces) are valid
// GIFT that HọcVụ has no type for: their lines go to GiftImport::skipped_lines.
//
// Ordering has no GIFT syntax and is never produced. GIFT carries no mark, tags, difficulty,
// competencies or TextMatching: read questions have the defaults, and writing drops them.
#pragma once

#include "assessment/question.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::assessment {

// Texts larger than this are refused as a whole.
inline constexpr std::size_t kMaxGiftBytes = 5u << 20;

// One problem found in a GIFT text. `message` is Vietnamese, for the author to read.
struct GiftError {
  int line = 0;         // 1-based line where the problem is (or where its question starts);
                        // 0 when it is about the text as a whole (too large)
  std::string message;
  friend bool operator==(const GiftError&, const GiftError&) = default;
};

struct GiftImport {
  std::vector<Question> questions;   // the valid questions, in the order of the text
  std::vector<GiftError> errors;     // at most about 100; a last one says when more were left out
  std::vector<int> skipped_lines;    // first lines of essays and descriptions (valid GIFT that
                                     // HọcVụ has no type for), left out
};

// Parses every question of `text` (UTF-8; a leading byte order mark is skipped; CRLF line ends
// are accepted). A question with an error is reported and left out, the others are still read:
// the caller decides whether to import nothing or only the valid ones. Invalid UTF-8 and control
// characters other than tab are errors at their line; a text larger than kMaxGiftBytes gives
// one error and no questions. Questions get ids "q1", "q2", ... in order (counting only the
// valid ones); options and pairs "a", "b", ..., "z", "aa", ...; categories come from the
// $CATEGORY lines before them. Texts are trimmed, unescaped and put in NFC.
GiftImport parse_gift(std::string_view text);

// Writes `questions` as GIFT, in order, with a $CATEGORY line wherever the category changes and
// a blank line between questions. Questions that GIFT cannot carry (ordering; fill_blanks with
// other than one gap "{1}" between texts ending with text after the gap; choices with an answer
// containing "->"; weights outside -100%..100%; empty answer lists or answer texts; ...) are
// left out and their ids appended to `*unsupported` when it is given. For every question that is
// written, parse_gift gives it back equal (ids apart), when it was itself read by parse_gift.
std::string write_gift(const std::vector<Question>& questions, std::vector<std::string>* unsupported = nullptr);

}  // namespace hocvu::assessment
