// Results: a course's (or a class's) gradebook for the people entitled to it, as JSON, CSV and
// page data; the learner's competency profile (evidence from graded attempts and placement tests).
#pragma once

#include "assessment/route_support.h"

#include <boost/json/object.hpp>

#include <string>
#include <variant>
#include <vector>

namespace hocvu::assessment {

struct Gradebook {
  std::int64_t course_id = 0;
  std::string course_title;
  std::int64_t class_id = 0;     // 0: the whole course
  std::string class_name;
  std::vector<QuizRecord> quizzes;
  std::vector<GradebookLine> lines;
};

// The gradebook of course {id} (path) or of one of its classes (?class_id=): 404 for anyone not
// entitled (see routes.h); a manager sees only the learners standing in their scope. Attempts
// whose time is over are closed first, so every result is final.
std::variant<Gradebook, web::Response> load_gradebook(Context& c, const accounts::Call& call);

// The attempt that counts for `quiz` in `line` (by the quiz's score rule); nullptr when none.
const AttemptRecord* counted(const Gradebook& book, const GradebookLine& line, const QuizRecord& quiz);

// {"course_id", "class_id", "quizzes": [{"id", "kind", "title"}], "learners": [{"person_id",
// "full_name", "percent", "completed_at", "results": [{"quiz_id", "attempts", "score",
// "max_score", "percent", "passed"}]}]}
boost::json::object gradebook_json(const Gradebook& book);
// One line per learner: name, progress, completion, then per quiz attempts, score, max score,
// percent, passed; names and titles as text cells (formulas neutralised), the rest as numbers.
// UTF-8 with a byte-order mark, so that spreadsheet programs read Vietnamese correctly.
std::string gradebook_csv(const Gradebook& book, std::string_view lang);

struct CompetencyLine {
  std::string code, name, area;
  int answered = 0;
  double share = 0;  // 0..1
};
struct PlacementLine {
  std::string title, domain;
  double first = 0, latest = 0;  // percent of the first and the latest attempt
  int attempts = 0;
};
struct CompetencyProfile {
  std::vector<CompetencyLine> competencies;
  std::vector<PlacementLine> placements;
};
Result<CompetencyProfile> competency_profile(Context& c, std::int64_t person_id, std::string_view lang);
boost::json::object competency_json(const CompetencyProfile& p);

}  // namespace hocvu::assessment
