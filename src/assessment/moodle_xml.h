// Moodle XML (https://docs.moodle.org/en/Moodle_XML_format): the question bank export of Moodle,
// the format teachers bring along with GIFT. Reading turns a <quiz> document into Questions plus
// every error found, each with its line, so that an author can fix them all in one pass; writing
// produces Moodle XML that reads back to the same questions.
//
// What is read, by <question type="...">:
//   multichoice    <single>true</single> -> single_choice, otherwise multiple_choice; each
//                  <answer fraction="100|50|-25"> is an option (fraction / 100) with its
//                  <feedback>
//   truefalse      the <answer> "true" or "false" with fraction 100 is Question::truth; their
//                  feedbacks are true_feedback / false_feedback
//   shortanswer    each <answer> is an accepted text. <usecase>1</usecase> (case-sensitive) is
//                  not supported by HọcVụ's model: such questions are read as case-insensitive
//   numerical      each <answer> is a value with its <tolerance> (0 when absent); units ignored
//   matching       each <subquestion> is a pair: its <text> the prompt (empty: a distractor),
//                  its <answer><text> the answer
//   ordering       (the 'ordering' plugin) the <answer> items, in the order of the document
//   category       sets the category of the questions after it ("$course$/top/An toàn" gives
//                  "An toàn": a "$context$/" prefix and then a "top/" prefix are dropped)
//   description, essay, cloze, gapselect, ddwtos and every other type: valid Moodle XML that
//                  HọcVụ has no type for, left out with their lines in skipped_lines
// Common elements: <name><text> -> name, <questiontext> -> text, <generalfeedback>,
// <defaultgrade> -> mark (1 when absent), <tags><tag><text>. <shuffleanswers>, <penalty> and
// the like are ignored. Moodle XML carries no difficulty, competencies or TextMatching: read
// questions have the defaults, and writing drops them.
//
// Texts: a text whose format is "html" or "moodle_auto_format" (or absent) is reduced to plain
// text: tags removed (the content of <script> and <style> dropped entirely), <br>, </p> and other
// block ends turned into line breaks, HTML entities decoded. HTML from other systems never
// reaches learners. "markdown" and "plain_text" texts are kept as written. Typed answers
// (shortanswer, numerical, truefalse, matching answers) are plain text in Moodle and read as
// written. CDATA sections are read as text. Texts are trimmed, get "\n" line ends and go to NFC.
//
// Security: the document is parsed by libxml2 from memory without network access, without
// loading a DTD and without substituting entities; a document whose DOCTYPE declares entities
// or names an external DTD (the XXE and "billion laughs" attacks) is refused as a whole.
#pragma once

#include "assessment/question.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::assessment {

// Documents larger than this are refused as a whole.
inline constexpr std::size_t kMaxMoodleXmlBytes = 10u << 20;

// One problem found in a Moodle XML document. `message` is Vietnamese, for the author to read.
struct MoodleXmlError {
  int line = 0;         // 1-based line where the problem is (or where its <question> starts);
                        // 0 when it is about the document as a whole (too large)
  std::string message;
  friend bool operator==(const MoodleXmlError&, const MoodleXmlError&) = default;
};

struct MoodleXmlImport {
  std::vector<Question> questions;     // the valid questions, in the order of the document
  std::vector<MoodleXmlError> errors;  // at most about 100; a last one says when more were left out
  std::vector<int> skipped_lines;      // lines of the <question> elements of types HọcVụ has
                                       // no type for (essay, description, cloze, ...), left out
};

// Parses every question of `xml`. A question with an error (an answer without text, a fraction
// or tolerance that is not a number, or anything question_problems reports) is reported at its
// line and left out; the others are still read: the caller decides whether to import nothing or
// only the valid ones. XML that is not well-formed gives one error at the line of the syntax
// error and no questions; so does a DOCTYPE declaring entities or naming an external DTD, a root
// other than <quiz>, or a document larger than kMaxMoodleXmlBytes. Questions get ids "q1",
// "q2", ... in order (counting only the valid ones); options, pairs and items "a", "b", ...,
// "z", "aa", ....
// Thread-safe: documents may be parsed concurrently.
MoodleXmlImport parse_moodle_xml(std::string_view xml);

// Writes `questions` as a Moodle XML <quiz>, in order, with a category question wherever the
// category changes. Texts are written with format="markdown". Ordering is written as
// type="ordering" with its items as <answer>s in order. Questions that Moodle XML cannot carry
// here (fill_blanks, numbers that are not finite) are left out and their ids appended to
// `*unsupported` when it is given. The output is deterministic, and for questions that
// parse_moodle_xml produced, parse_moodle_xml(write_moodle_xml(qs)).questions == qs.
std::string write_moodle_xml(const std::vector<Question>& questions, std::vector<std::string>* unsupported = nullptr);

}  // namespace hocvu::assessment
