// A question as page data (the quiz_question partial), shared by the attempt page, its review
// and the author's preview; and a learner's answer read back from that partial's form fields.
// The same rule as learner_question holds: without a review level, nothing in the data says
// which answer is right.
#pragma once

#include "assessment/question.h"
#include "assessment/quiz.h"
#include "web/http.h"
#include "web/templates.h"

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace hocvu::assessment {

struct QuestionPage {
  int number = 0;
  bool editable = true;                     // inputs enabled (an open attempt, a preview)
  std::optional<Answer> answer;             // what the learner saved
  std::optional<Grade> grade;               // once closed
  std::optional<ReviewLevel> review;        // once closed: what may be shown
};

web::Data question_data(const Question& q, const DrawnQuestion& drawn, const QuestionPage& page);

// The answer to `q` from form fields named "a.<question id>[.<part>]" (see quiz_question.mustache),
// as the API's "value" in the learner's form (positions: from_learner makes it the stored form);
// nullopt when the learner left it blank. `error` is set (Vietnamese) when the fields are there
// but unusable (an ordering with a position twice or missing, a number that is not one).
std::optional<boost::json::value> answer_from_form(const Question& q, const DrawnQuestion& drawn, const web::Fields& form,
                                                   std::string& error);

}  // namespace hocvu::assessment
