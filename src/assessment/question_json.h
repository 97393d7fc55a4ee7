// Questions, quiz settings and answers as JSON: the stored form of a question version and of a
// quiz's settings, the author's API, and the learner's views. The learner's views are built here,
// in one place, so that what reaches a browser before review is decided once: learner_question
// carries no fraction, no truth, no accepted text, no numeric value, no right order, no feedback.
#pragma once

#include "assessment/question.h"
#include "assessment/quiz.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace hocvu::assessment {

// The whole question (an author's view and the stored body of a version).
boost::json::object question_to_json(const Question& q);
// Reads what question_to_json writes. Unknown keys are ignored; a wrong shape or a number that is
// not finite (1e309: it could not be stored as JSON) sets `error`
// (Vietnamese) and returns nullopt. Does not run question_problems.
std::optional<Question> question_from_json(const boost::json::value& v, std::string& error);

// Quiz settings. Times are ISO-8601 UTC text ("2026-12-01T02:00:00.000Z") or null.
boost::json::object settings_to_json(const QuizSettings& s);
// A number that is not finite sets `error`, as for questions.
std::optional<QuizSettings> settings_from_json(const boost::json::value& v, std::string& error);

// The longest typed answer accepted, in bytes; a longer one is refused, not cut.
inline constexpr std::size_t kMaxTypedAnswer = 2000;

// The learner's answer to `q` from the API's "value", by type:
//   single_choice  "b"                      an option id of the question
//   multiple_choice ["a", "c"]              option ids, each once (may be empty)
//   true_false     true | false
//   short_answer   "text"                   at most kMaxTypedAnswer bytes
//   numerical      12.5                     a finite number
//   matching       {"p1": "answer", ...}    prompt ids of the question -> one of its answer texts
//   ordering       ["i3", "i1", "i2"]       every item id exactly once
//   fill_blanks    ["gap 1", "gap 2"]       one text per gap
// Anything else sets `error` (Vietnamese, says what was expected) and returns nullopt.
std::optional<Answer> answer_from_json(const Question& q, const boost::json::value& v, std::string& error);
// The same value, as stored and as sent back to the learner.
boost::json::value answer_to_json(const Question& q, const Answer& a);

// What a learner sees instead of option and item ids: their position in the order drawn for the
// attempt, "1", "2", ... Ids are the author's, in the author's order ("a" is often the right
// option, and an ordering question's items are written in the right order), so they would give
// answers away. to_learner and from_learner translate an answer value between the stored form
// (ids) and the learner's (positions) for single and multiple choice and ordering; other types
// pass unchanged. A position the draw does not have becomes "", which no question accepts.
boost::json::value to_learner(const Question& q, const DrawnQuestion& drawn, const boost::json::value& stored);
boost::json::value from_learner(const Question& q, const DrawnQuestion& drawn, const boost::json::value& given);

// The question as a learner sees it while answering: {"id", "type", "text", "mark", and by type
// "options": [{"id", "text"}] in the drawn order, "prompts": [{"id", "text"}] and "choices":
// [text] (matching), "items": [{"id", "text"}] (ordering, drawn order), "gaps": n (fill_blanks)};
// option and item ids are positions (see to_learner).
// Built in `sp`'s memory (the default: the heap).
boost::json::object learner_question(const Question& q, const DrawnQuestion& drawn, boost::json::storage_ptr sp = {});

// What review adds to learner_question after submission, as `level` allows: "score",
// "max_score" and "answer" from ReviewLevel::answers; "correct" (the right answer, in the same
// shape as an answer value) and "feedback" from ReviewLevel::correct.
// At ReviewLevel::score nothing is added: which questions were right is part of the review.
// Values are in the learner's form (positions, see to_learner).
void add_review(boost::json::object& out, const Question& q, const DrawnQuestion& drawn, const std::optional<Answer>& answer,
                const Grade& g, ReviewLevel level);

// The right answer of `q`, in the shape of an answer value (for review and previews).
boost::json::value right_answer(const Question& q);

}  // namespace hocvu::assessment
