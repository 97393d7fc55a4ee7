// The assessment area's use cases over its Store: importing and editing question banks, building
// quizzes, and attempts from start to grade. The server's clock decides every time rule: callers
// pass now_ms, which is always the server's time, never the browser's.
//
// Question versions and the questions an attempt drew never change once written, so they are
// kept in memory; saving an answer on exam day is one write transaction and no read.
#pragma once

#include "assessment/store.h"
#include "core/lru_cache.h"

#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace hocvu::assessment {

using QuestionPtr = std::shared_ptr<const Question>;

// The result of importing a GIFT or Moodle XML file into a bank.
struct ImportReport {
  struct Problem {
    int line = 0;
    std::string message;
  };
  std::vector<Problem> errors;     // with their lines; nothing was imported when not empty
                                   // unless the author chose to import the valid questions only
  std::vector<int> skipped_lines;  // questions of types HọcVụ has no type for (essays, ...)
  std::vector<SavedQuestion> saved;
  bool imported = false;           // something was written
};

enum class ImportFormat { gift, moodle_xml };

// An attempt with what the learner may see of it now.
struct AttemptView {
  AttemptRecord attempt;       // with answers
  QuizRecord quiz;
  std::vector<QuestionPtr> questions;  // as drawn, in order
  bool open = true;
  ReviewLevel review = ReviewLevel::score;  // once closed
};

struct StartResult {
  std::int64_t attempt_id = 0;  // 0 when refused
  bool created = false;
  StartDecision decision;        // why it was refused
  std::optional<AttemptView> view;  // the attempt started or resumed
};

class Service {
 public:
  // grace_ms: how long after a deadline answers in flight are still accepted.
  Service(Store& store, std::int64_t grace_ms) : store_(store), grace_ms_(grace_ms) {}

  Store& store() { return store_; }
  std::int64_t grace_ms() const { return grace_ms_; }

  // Called after an attempt at a course's final exam is graded as passed (course completion).
  void on_final_exam_passed(std::function<Status(std::int64_t course_id, std::int64_t person_id)> f) {
    final_passed_ = std::move(f);
  }

  // --- banks ---
  // Parses `text`; with errors and !valid_only nothing is written. Imported questions get new
  // ids in the bank ("q" + a number after the bank's highest).
  Result<ImportReport> import(std::int64_t bank_id, ImportFormat format, std::string_view text, bool valid_only,
                              std::int64_t by, const std::string& now);
  // Creates (empty id: a new one) or changes one question after question_problems; invalid_argument
  // with the problems joined by "\n" when it has any.
  Result<SavedQuestion> save_question(std::int64_t bank_id, Question q, std::int64_t by, const std::string& now);
  Result<std::vector<StoredQuestion>> questions(std::int64_t bank_id) { return store_.questions(bank_id); }

  // --- quizzes ---
  // The problems that stop the quiz from being taken with the bank as it is now.
  Result<std::vector<std::string>> problems(const QuizRecord& quiz);

  // --- attempts ---
  // Starts or resumes the learner's attempt at quiz `quiz_id`, with one read and one write on
  // the usual path. Errors: not_found (no such quiz, or its course is not published),
  // permission_denied (not enrolled in the quiz's course), conflict (the bank cannot satisfy the
  // quiz's draws). Refusals by the quiz's rules (window, attempts, wait) come back in
  // StartResult::decision with attempt_id 0.
  Result<StartResult> start(std::int64_t quiz_id, std::int64_t person_id, std::int64_t now_ms);
  // The learner's attempt as it is now; an open attempt past its deadline and grace is closed
  // first (submitted with what was saved). not_found when absent or another person's: the owner
  // is checked before anything is closed, so nobody else's reading ends an attempt.
  Result<AttemptView> view(std::int64_t attempt_id, std::int64_t person_id, std::int64_t now_ms);
  // Saves the learner's answer. Errors: not_found (no such attempt, or another person's),
  // invalid_argument (a question not in the attempt, a malformed value; the message says which),
  // conflict (the attempt is closed, or its time is over: it is then closed).
  Result<SaveOutcome> save(std::int64_t attempt_id, std::int64_t person_id, const std::string& question,
                           const boost::json::value& value, std::int64_t now_ms);
  // Submits and grades the learner's open attempt; an attempt already closed is returned as it
  // is (submitting twice gives the same result). not_found for another person's attempt.
  Result<AttemptView> submit(std::int64_t attempt_id, std::int64_t person_id, std::int64_t now_ms);
  // Closes every open attempt of the quiz whose time is over (gradebooks call this first).
  Status close_expired(std::int64_t quiz_id, std::int64_t now_ms);
  // Regrades every closed attempt of the quiz against the current version of each question;
  // each changed grade is written with a "regraded" event. Returns how many changed.
  Result<int> regrade(std::int64_t quiz_id, std::int64_t by, std::int64_t now_ms);

  // A question at a version, from memory after the first read.
  Result<QuestionPtr> question(std::int64_t bank_id, const std::string& id, int version);

 private:
  struct AttemptMeta {
    std::int64_t quiz_id = 0, person_id = 0, bank_id = 0;
    std::vector<DrawnQuestion> drawn;
  };
  struct Pool {
    std::pair<std::int64_t, std::int64_t> stamp;
    std::vector<Question> questions;
    std::vector<int> versions;
  };
  Result<std::shared_ptr<const AttemptMeta>> meta(std::int64_t attempt_id);
  // The bank's current questions, from memory while its stamp is unchanged (`stamp`: one the
  // caller has just read; otherwise it is read here).
  Result<std::shared_ptr<const Pool>> pool(std::int64_t bank_id,
                                          std::optional<std::pair<std::int64_t, std::int64_t>> stamp = std::nullopt);
  Result<std::vector<QuestionPtr>> drawn_questions(std::int64_t bank_id, const std::vector<DrawnQuestion>& drawn);
  Closing grade_closing(const std::vector<QuestionPtr>& questions, const AttemptRecord& a, double pass_percent,
                        const std::string& ended_by);
  Status close(std::int64_t attempt_id, std::int64_t now_ms, std::int64_t by, const std::string& ended_by);

  Store& store_;
  std::int64_t grace_ms_;
  std::function<Status(std::int64_t, std::int64_t)> final_passed_;
  // Bounded, least recently used dropped first (the store has everything, so a miss costs one
  // read): enough attempts for an exam day's open ones, the questions they draw, and the current
  // questions of the banks in use.
  LruCache<std::tuple<std::int64_t, std::string, int>, QuestionPtr> questions_{200'000};
  LruCache<std::int64_t, std::shared_ptr<const AttemptMeta>> attempts_{400'000};
  LruCache<std::int64_t, std::shared_ptr<const Pool>> pools_{1'000};
};

}  // namespace hocvu::assessment
