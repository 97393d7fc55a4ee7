// Quizzes and attempts as plain values: what an author sets, how questions are drawn for one
// attempt, when an attempt may start, when it is over, how it is graded and what a learner may
// see afterwards. Decided on the server from the server's clock; no HTTP, HTML or SQL here.
//
// Times are milliseconds since the Unix epoch (UTC); 0 means "not set".
#pragma once

#include "assessment/grading.h"
#include "assessment/question.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hocvu::assessment {

// A section quiz, a course's final exam (passing it is needed to complete the course) or a
// placement test for one competency domain (taken before and after a course, to measure what
// was learned). Questions embedded in lessons stay with the lesson (learning::EmbeddedQuestion).
enum class QuizKind { section, final_exam, placement };
enum class ScoreRule { highest, last };       // which submitted attempt counts
enum class ReviewLevel { score, answers, correct };  // after submitting: the score only; also
                                                     // the learner's own answers; also the right
                                                     // answers and the feedback
enum class ReviewWhen { immediately, after_close };  // when the review level applies (before
                                                     // it, the score only)

const char* kind_name(QuizKind k);                 // "section", "final_exam", "placement"
std::optional<QuizKind> quiz_kind_from_name(std::string_view s);
const char* score_rule_name(ScoreRule r);          // "highest", "last"
std::optional<ScoreRule> score_rule_from_name(std::string_view s);
const char* review_name(ReviewLevel r);            // "score", "answers", "correct"
std::optional<ReviewLevel> review_from_name(std::string_view s);
const char* review_when_name(ReviewWhen w);        // "immediately", "after_close"
std::optional<ReviewWhen> review_when_from_name(std::string_view s);

// Draw `count` questions at random among the bank's questions that match every criterion set:
// a category (the category itself or any below it: "An toàn" matches "An toàn/Lừa đảo"), a tag,
// a competency code, a difficulty (1..3). Empty criteria match everything.
struct DrawRule {
  std::string category;
  std::string tag;
  std::string competency;
  int difficulty = 0;
  int count = 1;
  friend bool operator==(const DrawRule&, const DrawRule&) = default;
};

struct QuizSettings {
  std::vector<std::string> fixed;   // question ids of the bank, always asked, in this order
  std::vector<DrawRule> draws;      // then these random draws (no question twice in an attempt)
  bool shuffle_questions = false;   // per attempt
  bool shuffle_options = true;      // per attempt (ordering items are always shuffled)
  int time_limit_minutes = 0;       // 0: no limit
  std::int64_t opens_at_ms = 0;     // 0: open now
  std::int64_t closes_at_ms = 0;    // 0: never closes
  int max_attempts = 0;             // 0: unlimited
  int wait_minutes = 0;             // between the end of one attempt and the start of the next
  double pass_percent = 50;         // 0..100
  ScoreRule score_rule = ScoreRule::highest;
  ReviewLevel review = ReviewLevel::answers;
  ReviewWhen review_when = ReviewWhen::immediately;
  int per_page = 0;                 // questions per page; 0: all on one page
  std::string domain;               // placement: the competency area code ("4")
  friend bool operator==(const QuizSettings&, const QuizSettings&) = default;
};

// Why a quiz cannot be taken as set (empty when it can), in Vietnamese, one message per problem:
// no question at all, a fixed id not in the bank, a draw rule the bank cannot satisfy (counting
// the questions that earlier rules and fixed ids took), counts out of 1..200, pass mark outside
// 0..100, a time limit outside 0..1440 minutes, closing before opening, a review "after close"
// without a closing time. `bank` is the bank's current questions. (A placement test without a
// domain is the caller's check: the settings do not know the quiz's kind.)
std::vector<std::string> quiz_problems(const QuizSettings& s, const std::vector<Question>& bank);

// One question as drawn for an attempt: its id in the bank, the version drawn (grading always
// uses that version, so editing a question later never changes a past grade), and the order in
// which its options are shown (option ids; matching: the answer texts' order; ordering: item ids).
struct DrawnQuestion {
  std::string id;
  int version = 0;
  std::vector<std::string> order;
  friend bool operator==(const DrawnQuestion&, const DrawnQuestion&) = default;
};

// Draws the questions of a new attempt from `bank` (each with its current `versions[i]`), as
// `seed` decides: fixed ids first, then each rule in turn, then shuffled when the settings say
// so; options shuffled per question when the settings say so. The same seed gives the same draw.
// Returns nullopt when quiz_problems(s, bank) is not empty.
std::optional<std::vector<DrawnQuestion>> draw(const QuizSettings& s, const std::vector<Question>& bank,
                                               const std::vector<int>& versions, std::uint64_t seed);

// What the server knows of a learner's earlier attempts at a quiz.
struct PastAttempt {
  std::int64_t started_ms = 0;
  std::int64_t ended_ms = 0;     // 0 while open
  std::int64_t deadline_ms = 0;  // 0: no deadline
  double score = 0, max_score = 0;
  bool passed = false;
  bool open() const { return ended_ms == 0; }
};

enum class StartVerdict {
  start,           // a new attempt may start now
  resume,          // an attempt is open: go back to it (a double click or a retry is harmless)
  not_open_yet,    // before opens_at
  closed,          // after closes_at
  no_attempts_left,
  wait,            // the wait after the last attempt has not passed; see retry_at_ms
};

struct StartDecision {
  StartVerdict verdict = StartVerdict::start;
  std::int64_t retry_at_ms = 0;  // wait: when a new attempt may start
  std::size_t open_index = 0;    // resume: which of `past` is open
};

// Whether the learner may start an attempt at `now_ms`, given `past` (any order). An open attempt
// whose deadline (plus `grace_ms`) has passed is not "open" any more: callers close it first.
StartDecision may_start(const QuizSettings& s, const std::vector<PastAttempt>& past, std::int64_t now_ms);

// When an attempt started at `started_ms` must end: the time limit or the quiz's closing time,
// whichever comes first; 0 when neither is set.
std::int64_t deadline_ms(const QuizSettings& s, std::int64_t started_ms);

// The stated grace after a deadline for answers already in flight on a slow network.
inline constexpr std::int64_t kDefaultGraceMs = 30'000;

// True while an answer arriving at `now_ms` still counts: no deadline, or now <= deadline + grace.
bool accepts_answers(std::int64_t deadline_ms, std::int64_t now_ms, std::int64_t grace_ms);

// An attempt's grade from its questions (as drawn, in order) and the learner's saved answers
// (nullopt: never answered).
struct AttemptGrade {
  double score = 0, max_score = 0;
  double percent = 0;      // 0..100; 0 when max_score is 0
  bool passed = false;     // percent >= pass_percent (up to rounding)
  std::vector<Grade> questions;
};
AttemptGrade grade_attempt(const std::vector<const Question*>& questions,
                           const std::vector<std::optional<Answer>>& answers, double pass_percent);

// Which of the submitted attempts counts for the quiz: the highest score (the earliest of equal
// ones) or the last one submitted; nullopt when none is submitted.
std::optional<std::size_t> counted_attempt(const std::vector<PastAttempt>& past, ScoreRule rule);

// What the learner may see of a submitted attempt at `now_ms`: the review level once its time has
// come, the score alone before.
ReviewLevel review_now(const QuizSettings& s, std::int64_t now_ms);

// Evidence of competence from one graded attempt: per competency code of the questions asked,
// how many were answered and the sum of their shares of the mark (0..1 each).
struct Evidence {
  int answered = 0;
  double credit = 0;
  friend bool operator==(const Evidence&, const Evidence&) = default;
};
std::map<std::string, Evidence> evidence(const std::vector<const Question*>& questions,
                                         const std::vector<Grade>& grades);

}  // namespace hocvu::assessment
