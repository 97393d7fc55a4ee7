// Grading: how a learner's answer to a question becomes a score, decided on the server from the
// question as stored. Plain values in, plain values out; attempts store the results. Also the
// checks an author or importer runs so that a question is never stored in a state where it
// cannot be graded fairly.
//
// Scoring rules, by type (a "fraction" is a share of the question's mark):
//   single_choice    exactly one option id: that option's fraction; none, several or an unknown
//                    id: 0.
//   multiple_choice  the sum of the fractions of the chosen options (unknown ids ignored, an id
//                    chosen twice counts once), clamped to [0, 1]: partial credit, and wrong
//                    options with negative fractions take it away again.
//   true_false       the whole mark when the answer equals `truth`.
//   short_answer     the best fraction among the accepted texts that match (see text_matches).
//   numerical        the best fraction among the answers with value - tolerance <= given <=
//                    value + tolerance (both ends included, up to rounding error); NaN and
//                    infinities never match.
//   matching         each prompt (a pair with a non-empty prompt) counts 1/n: earned when the
//                    answer for its id is its own answer text (compared exactly after NFC).
//                    Distractors (pairs without prompt) earn nothing by themselves.
//   ordering         partial credit: the share of items placed at their right position.
//   fill_blanks      each gap counts 1/n: the best fraction among that gap's accepted texts that
//                    match what was typed in it (text_matches, with the question's rules).
// The share is clamped to [0, 1] (a share within 1e-6 of 1 counts as 1, so three options of
// 33.33333% make the full mark), times the mark, rounded to 1e-7: never negative.
#pragma once

#include "assessment/question.h"

#include <string>
#include <string_view>
#include <vector>

namespace hocvu::assessment {

struct Grade {
  double score = 0;                   // in [0, max]
  double max = 0;                     // the question's mark (0 when that is not a positive number)
  bool answered = false;              // false when the answer has nothing for the question's type
  std::vector<std::string> feedback;  // the chosen options' / matched answers' feedback, then the
                                      // question's general feedback; empty texts left out
  friend bool operator==(const Grade&, const Grade&) = default;
};

// Grades `answer` to `q`: score in [0, q.mark] (never negative overall), rounded to 1e-7.
// Only the fields of `answer` for q.type are read. An answer with nothing for the type (no option
// id, no truth, a text of white space only, no number, no pair, an empty order, every gap blank)
// scores 0 with `answered` false. Never throws for a malformed question: whatever
// question_problems would report simply earns nothing.
Grade grade(const Question& q, const Answer& answer);

// Why a stored question cannot be graded fairly (empty when it can): a mark that is not positive,
// no option or no right option, missing or duplicate ids, fractions out of range (options: -1..1;
// typed answers: 0..1), a sum of right fractions below the full mark (multiple choice), no
// accepted text, a numerical answer with negative tolerance, fewer than two prompts or items,
// a gap count that does not match {1}..{n} in the text, ... Messages are in Vietnamese, one
// per problem, in a stable order, meant to be shown to the author as they are.
std::vector<std::string> question_problems(const Question& q);

// Whether a typed text matches an accepted text under the question's rules: case and runs of
// white space ignored (both sides go through to_nfc, then Latin lower case and white space
// collapsed to one space and trimmed), or, with rules.ignore_diacritics, both go through
// fold_for_search (marks, "đ" and punctuation ignored too). A '*' in `accepted` is Moodle's
// wildcard and matches any run of characters, possibly empty; "\*" stands for a literal '*'.
// An accepted text that normalises to nothing matches nothing.
bool text_matches(std::string_view given, std::string_view accepted, const TextMatching& rules);

}  // namespace hocvu::assessment
