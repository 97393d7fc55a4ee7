// Where the assessment area keeps question banks, quizzes and attempts. The domain owns this
// interface; sql_store.cpp implements it for SQLite and PostgreSQL with the same SQL.
//
// Contract shared by every write: one transaction per call; a failed call changes nothing.
// Attempt writes decide against the rows as they are inside the transaction (never a value read
// earlier), so that a double click, two browser tabs or a retry over a bad network cannot open a
// second attempt, save into a closed one, or grade one twice.
#pragma once

#include "assessment/quiz.h"
#include "core/status.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hocvu::storage { class Database; }

namespace hocvu::assessment {

struct Bank {
  std::int64_t id = 0;
  std::int64_t provider_id = 0;
  std::string provider_name;
  std::string title;
  std::int64_t questions = 0;
};

// A question as stored now: its current version.
struct StoredQuestion {
  std::int64_t row_id = 0;
  int version = 0;
  std::string updated_at;
  Question question;  // question.id is its key in the bank
};

// What saving one question did.
struct SavedQuestion {
  std::string id;
  int version = 0;
  bool created = false;  // a new key
  bool changed = false;  // created, or a body different from the current version's
};

struct QuizRecord {
  std::int64_t id = 0;
  std::int64_t bank_id = 0;
  std::int64_t course_id = 0;    // 0: none (a placement test outside any course)
  std::int64_t provider_id = 0;  // the bank's provider: who may edit the quiz
  QuizKind kind = QuizKind::section;
  std::string title;
  QuizSettings settings;
  std::string updated_at;
};

struct SavedAnswer {
  std::string value;  // JSON text, as the API's "value"
  std::int64_t saved_ms = 0;
};

struct AttemptRecord {
  std::int64_t id = 0;
  std::int64_t quiz_id = 0;
  std::int64_t person_id = 0;
  int number = 0;
  std::vector<DrawnQuestion> drawn;
  std::int64_t started_ms = 0;
  std::int64_t deadline_ms = 0;   // 0: none
  std::int64_t ended_ms = 0;      // 0: open
  std::string ended_by;           // learner, timeout
  double score = 0, max_score = 0;
  bool passed = false;
  std::vector<double> grades;     // per drawn question, once graded
  std::map<std::string, SavedAnswer, std::less<>> answers;  // by question id (when asked for)

  PastAttempt past() const { return {started_ms, ended_ms, deadline_ms, score, max_score, passed}; }
};

struct AttemptEvent {
  std::string kind;      // started, saved, submitted, timed_out, graded, regraded
  std::string question;  // saved: which question
  std::int64_t at_ms = 0;
  std::int64_t by = 0;   // 0: the server (time-out)
  std::string detail;
};

// Everything starting an attempt reads, in one read transaction: the quiz, whether its course is
// published and the learner enrolled in it, the learner's attempts, and the bank's stamp.
struct StartContext {
  std::optional<QuizRecord> quiz;      // nullopt: no such quiz
  bool course_published = true;        // false for a course quiz whose course is not published
  bool enrolled = true;                // false when the learner is not enrolled in the quiz's course
  std::vector<AttemptRecord> attempts; // the learner's, oldest first, without answers
  std::pair<std::int64_t, std::int64_t> bank_stamp;
};

// What starting an attempt writes, decided inside the transaction from the learner's attempts.
struct NewAttempt {
  std::vector<DrawnQuestion> drawn;
  std::int64_t deadline_ms = 0;
};

// How an attempt is closed: its grade and the evidence it adds.
struct Closing {
  std::string ended_by;  // learner, timeout
  double score = 0, max_score = 0;
  bool passed = false;
  std::vector<double> grades;
  std::map<std::string, Evidence> evidence;
};

enum class SaveOutcome { saved, unchanged, closed, late, no_attempt };

// One learner's line in a gradebook: their attempts at each of the course's quizzes.
struct GradebookLine {
  std::int64_t person_id = 0;
  std::string full_name;
  int percent = 0;            // course progress
  std::string completed_at;   // course completion, "" when not completed
  std::map<std::int64_t, std::vector<AttemptRecord>> attempts;  // by quiz id (no answers)
};

struct EvidenceRow {
  std::string competency;
  int answered = 0;
  double credit = 0;
};

// A placement attempt for the learner's profile.
struct PlacementResult {
  std::int64_t quiz_id = 0;
  std::string title;
  std::string domain;
  double score = 0, max_score = 0;
  std::int64_t ended_ms = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- banks and questions ---
  virtual Result<std::int64_t> create_bank(std::int64_t provider_id, const std::string& title, std::int64_t by,
                                           const std::string& now) = 0;
  virtual Result<std::optional<Bank>> bank(std::int64_t id) = 0;
  // Banks whose provider is one of `providers`, or every bank when `all`; by title.
  virtual Result<std::vector<Bank>> banks(const std::vector<std::int64_t>& providers, bool all) = 0;
  // Saves every question in one transaction: a new id is created at version 1, a changed body
  // becomes the next version, an unchanged one writes nothing. Results in the order given.
  virtual Result<std::vector<SavedQuestion>> save_questions(std::int64_t bank_id, const std::vector<Question>& questions,
                                                            std::int64_t by, const std::string& now) = 0;
  // The current version of every question of the bank, in the order they were first saved.
  virtual Result<std::vector<StoredQuestion>> questions(std::int64_t bank_id) = 0;
  // Changes whenever a question of the bank is added or changed (its count and the sum of its
  // versions: both only grow), so a cached copy of the bank can be checked with one small query.
  virtual Result<std::pair<std::int64_t, std::int64_t>> bank_stamp(std::int64_t bank_id) = 0;
  // One version of one question; nullopt when absent.
  virtual Result<std::optional<Question>> question_version(std::int64_t bank_id, const std::string& id, int version) = 0;

  // --- quizzes ---
  // Creates a quiz; a final exam also becomes its course's final_quiz_id. conflict when the
  // course has a final exam already.
  virtual Result<std::int64_t> create_quiz(const QuizRecord& quiz, std::int64_t by, const std::string& now) = 0;
  // Replaces title and settings (kind, bank and course stay).
  virtual Status update_quiz(const QuizRecord& quiz, const std::string& now) = 0;
  virtual Result<std::optional<QuizRecord>> quiz(std::int64_t id) = 0;
  virtual Result<std::vector<QuizRecord>> course_quizzes(std::int64_t course_id) = 0;
  // Quizzes built on banks of `providers` (every quiz when `all`).
  virtual Result<std::vector<QuizRecord>> provider_quizzes(const std::vector<std::int64_t>& providers, bool all) = 0;

  // --- attempts ---
  // Whether the person has an attempt (open or closed) at a quiz of the bank: its questions, and
  // so its images, were shown to them.
  virtual Result<bool> has_attempt_on_bank(std::int64_t person_id, std::int64_t bank_id) = 0;
  // The learner's attempts at the quiz, oldest first, without answers.
  virtual Result<std::vector<AttemptRecord>> attempts_of(std::int64_t quiz_id, std::int64_t person_id) = 0;
  // Inserts the learner's attempt number `number` with a "started" event, in one short write
  // transaction (the decision was made on a StartContext read just before). The database keeps
  // the rules under races: when the learner already has an open attempt, or `number` was taken
  // by a concurrent start, nothing is written and the learner's open attempt comes back with
  // created false (id 0 when none is open: read the context again and decide anew).
  struct Started {
    AttemptRecord attempt;
    bool created = false;
  };
  virtual Result<Started> insert_attempt(std::int64_t quiz_id, std::int64_t person_id, std::int64_t now_ms, int number,
                                         const NewAttempt& fresh) = 0;
  virtual Result<StartContext> start_context(std::int64_t quiz_id, std::int64_t person_id) = 0;
  virtual Result<std::optional<AttemptRecord>> attempt(std::int64_t id, bool with_answers) = 0;
  // Saves `value` for `question` when the attempt is open and now_ms <= deadline + grace_ms;
  // a save equal to the stored one is `unchanged` and writes nothing; a changed one replaces it
  // and writes a "saved" event.
  virtual Result<SaveOutcome> save_answer(std::int64_t attempt_id, const std::string& question, const std::string& value,
                                          std::int64_t now_ms, std::int64_t grace_ms, std::int64_t by) = 0;
  // Closes an open attempt in one transaction: reads it with its answers (locked), asks `grade`,
  // writes the grade, the events (submitted or timed_out, then graded) and the evidence. Returns
  // false, changing nothing, when the attempt was already closed.
  using Grader = std::function<Closing(const AttemptRecord&)>;
  virtual Result<bool> close_attempt(std::int64_t attempt_id, std::int64_t now_ms, std::int64_t by, const Grader& grade) = 0;
  // Replaces a closed attempt's grade after a regrade (the evidence moves from the old grade to
  // the new) and writes a "regraded" event with `detail`; conflict, changing nothing, when the
  // stored grades are no longer `old_grade.grades` (a concurrent regrade came first).
  virtual Status regrade_attempt(std::int64_t attempt_id, const Closing& old_grade, const Closing& new_grade,
                                 std::int64_t now_ms, std::int64_t by, const std::string& detail) = 0;
  // Every closed attempt of the quiz, without answers (for a regrade).
  virtual Result<std::vector<AttemptRecord>> closed_attempts(std::int64_t quiz_id) = 0;
  // Open attempts of the quiz whose deadline + grace has passed (to close them).
  virtual Result<std::vector<std::int64_t>> expired_attempts(std::int64_t quiz_id, std::int64_t now_ms,
                                                             std::int64_t grace_ms) = 0;
  virtual Result<std::vector<AttemptEvent>> attempt_events(std::int64_t attempt_id) = 0;

  // --- results ---
  // The course's learners (or one class's members when class_id is set) with their attempts at
  // the course's quizzes, by name.
  virtual Result<std::vector<GradebookLine>> gradebook(std::int64_t course_id, std::int64_t class_id) = 0;
  virtual Result<std::vector<EvidenceRow>> evidence_of(std::int64_t person_id) = 0;
  virtual Result<std::vector<PlacementResult>> placements_of(std::int64_t person_id) = 0;
};

std::unique_ptr<Store> make_sql_store(storage::Database& db);

// The drawn questions as stored in attempts.drawn, and back.
std::string drawn_to_json(const std::vector<DrawnQuestion>& drawn);
std::vector<DrawnQuestion> drawn_from_json(std::string_view text);

}  // namespace hocvu::assessment
