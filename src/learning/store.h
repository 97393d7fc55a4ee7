// What the learning area keeps, as an interface the area owns; learning/sql_store.cpp implements
// it on SQLite and PostgreSQL. Every method that changes more than one row does it in one
// transaction. Times are ISO-8601 UTC strings from core/time.h; dates are YYYY-MM-DD.
#pragma once

#include "accounts/authorization.h"
#include "core/status.h"
#include "learning/course.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hocvu::storage {
class Database;
}

namespace hocvu::learning {

// How a course runs: always open (self-paced) or in one dated run.
struct CourseSettings {
  std::string pacing = "self";  // self or dated
  std::string enrol_opens;      // dated: YYYY-MM-DD or ""
  std::string enrol_closes;
  std::string starts;
  std::string ends;
};

struct CourseRecord {
  std::int64_t id = 0;
  std::string slug;
  std::int64_t provider_id = 0;
  std::string provider_name;
  CourseContent draft;
  std::string draft_updated_at;
  int published_version = 0;  // 0: never published
  CourseSettings settings;
};

// What a published course is now: its current version number, how it runs and who provides it.
struct CurrentVersion {
  int version = 0;
  CourseSettings settings;
  std::int64_t provider_id = 0;
  std::string provider_name;
};

// A published version, immutable once written.
struct PublishedVersion {
  std::int64_t course_id = 0;
  int version = 0;
  CourseContent content;
  std::map<std::string, std::int64_t, std::less<>> lesson_ids;  // lesson key -> stable id
};

struct CatalogueQuery {
  std::string folded_terms;  // fold_for_search of what the learner typed; "" for all
  std::string group;         // a target group code, or ""
  std::string area;          // a competency domain (area) code, or ""
  std::int64_t provider = 0; // an organisation id, or 0
  int max_minutes = 0;       // 0: any duration
  std::string prefer_group;  // the signed-in learner's group: their courses first
  int page = 1;
  int per_page = 20;
};

struct CatalogueItem {
  std::int64_t id = 0;
  std::string title;
  std::string summary;
  int duration_minutes = 0;
  std::int64_t provider_id = 0;
  std::string provider_name;
  std::vector<std::string> target_groups;
  std::vector<CompetencyTarget> competencies;
};

struct CataloguePage {
  std::vector<CatalogueItem> items;
  std::int64_t total = 0;
};

struct Enrolment {
  std::int64_t id = 0;
  std::int64_t course_id = 0;
  std::int64_t person_id = 0;
  std::string source;            // self, assigned, class
  std::string deadline;          // "" when none
  std::string enrolled_at;
  int percent = 0;
  std::string completed_at;      // "" until completed
  std::string last_lesson_key;   // where the learner was last
  std::string last_block_key;
};

// A learner's enrolment with what the home page shows of its course.
struct MyCourse {
  Enrolment enrolment;
  std::string title;
  int published_version = 0;
};

// What the server has decided about one block for one enrolment.
struct BlockState {
  std::string key;
  bool done = false;
  std::string watched;               // video: intervals as learning::format_intervals
  std::int64_t last_heartbeat_ms = 0;
  std::optional<int> answer;         // question: the option chosen
  bool correct = false;
};

// The change a batch of progress events makes to an enrolment, decided by the service from the
// enrolment and its block states read in the same transaction.
struct ProgressChange {
  bool write = true;               // false: nothing is written (a dated run not begun)
  std::vector<BlockState> blocks;  // upserted by key
  int percent = 0;
  bool completed_now = false;      // sets completed_at and writes a course_completed event
  int version = 0;                 // the version the completion was computed against
  std::string last_lesson_key;
  std::string last_block_key;
};

// What update_progress reads of the course, with the enrolment, in its transaction.
struct CourseState {
  int version = 0;                  // the current published version
  std::int64_t final_quiz_id = 0;   // the final exam completion waits for; 0: none
  std::string starts;               // a dated run's first day (YYYY-MM-DD); "" when self-paced
};

// Everything the lesson page needs from storage, read in one transaction: where the lesson
// belongs, the course's current version, and the learner's enrolment with its block states.
struct LessonContext {
  std::int64_t course_id = 0;
  std::string lesson_key;
  int version = 0;                     // 0: the course is not published
  CourseSettings settings;
  std::optional<Enrolment> enrolment;  // nullopt: the learner is not enrolled
  std::vector<BlockState> states;
};

struct AuthoredCourse {
  std::int64_t id = 0;
  std::string title;
  std::string provider_name;
  int published_version = 0;
  std::string draft_updated_at;
};

// A class (cohort): an instructor's group of learners taking one course together.
struct ClassInfo {
  std::int64_t id = 0;
  std::int64_t course_id = 0;
  std::string course_title;
  std::string name;
  std::int64_t instructor_id = 0;
  std::int64_t members = 0;
};

// A member of a class with their progress, for the instructor.
struct ClassMember {
  std::int64_t person_id = 0;
  std::string full_name;
  int percent = 0;
  std::string completed_at;
  std::string last_activity_at;
};

struct Assignment {
  std::int64_t course_id = 0;
  accounts::Scope scope;       // the people of this organisation subtree or unit (national: all)
  std::string group;           // only this target group, or "" for every group
  std::string deadline;        // YYYY-MM-DD or ""
  std::int64_t assigned_by = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- authoring ---
  // Creates a course with `draft`; conflict when the slug is taken.
  virtual Result<std::int64_t> create_course(std::int64_t provider_id, const CourseContent& draft, std::int64_t by,
                                             const std::string& now) = 0;
  virtual Result<std::optional<CourseRecord>> course(std::int64_t id) = 0;
  virtual Result<std::optional<std::int64_t>> course_id_by_slug(const std::string& slug) = 0;
  virtual Status save_draft(std::int64_t id, const CourseContent& draft, const std::string& now) = 0;
  virtual Status save_settings(std::int64_t id, const CourseSettings& settings) = 0;
  // Writes the next version from `content`, makes it current, gives new lessons their ids and
  // replaces the catalogue rows and search text. Returns the new version number.
  virtual Result<int> publish(std::int64_t id, const CourseContent& content, const std::string& search_text,
                              std::int64_t by, const std::string& now) = 0;
  // Courses whose provider is one of `providers`, or every course when `all`.
  virtual Result<std::vector<AuthoredCourse>> authored_courses(const std::vector<std::int64_t>& providers, bool all) = 0;

  // --- reading ---
  virtual Result<std::optional<PublishedVersion>> version(std::int64_t course_id, int version) = 0;
  // Whether a published version of the course (any) names the stored media file `stored_name`
  // (a block's file or captions, the cover, or a link in its text).
  virtual Result<bool> media_published(std::int64_t course_id, std::string_view stored_name) = 0;
  // The current version of a published course; nullopt when unpublished.
  virtual Result<std::optional<CurrentVersion>> current_version(std::int64_t course_id) = 0;
  // The course and key of a lesson id.
  virtual Result<std::optional<std::pair<std::int64_t, std::string>>> lesson(std::int64_t lesson_id) = 0;
  virtual Result<CataloguePage> catalogue(const CatalogueQuery& query) = 0;
  // The organisations that provide at least one published course: (id, name), by name.
  virtual Result<std::vector<std::pair<std::int64_t, std::string>>> catalogue_providers() = 0;
  // nullopt when there is no lesson with this id.
  virtual Result<std::optional<LessonContext>> lesson_context(std::int64_t lesson_id, std::int64_t person_id) = 0;

  // --- enrolment and progress ---
  // Enrols or returns the existing enrolment (second: true when created). A deadline given for an
  // existing enrolment without one is added to it.
  virtual Result<std::pair<Enrolment, bool>> enrol(std::int64_t course_id, std::int64_t person_id,
                                                   const std::string& source, const std::string& deadline,
                                                   const std::string& now) = 0;
  virtual Result<std::optional<Enrolment>> enrolment(std::int64_t course_id, std::int64_t person_id) = 0;
  virtual Result<std::vector<MyCourse>> enrolments_of(std::int64_t person_id) = 0;
  virtual Result<std::vector<BlockState>> block_states(std::int64_t enrolment_id) = 0;
  // In one write transaction: reads the learner's enrolment in the course, the course's current
  // version and the block states, asks `decide` for the change, and writes it. not_found when the
  // learner is not enrolled or the course is not published. `decide` may be called again if the
  // transaction is retried.
  using Decide = std::function<ProgressChange(const Enrolment&, const CourseState&, const std::vector<BlockState>&)>;
  virtual Status update_progress(std::int64_t course_id, std::int64_t person_id, const std::string& now, const Decide& decide) = 0;
  // Enrols everyone the assignment covers (ignoring people already enrolled, whose deadline is
  // set if they had none) and records it. Returns how many people it covers.
  virtual Result<std::int64_t> assign(const Assignment& assignment, const std::string& now) = 0;
  // How many people the assignment would cover now, without writing anything.
  virtual Result<std::int64_t> count_covered(const Assignment& assignment) = 0;

  // --- classes ---
  virtual Result<std::int64_t> create_class(std::int64_t course_id, const std::string& name, std::int64_t instructor_id,
                                            const std::string& now) = 0;
  virtual Result<std::optional<ClassInfo>> class_info(std::int64_t class_id) = 0;
  virtual Result<std::vector<ClassInfo>> classes_of(std::int64_t instructor_id) = 0;
  // Enrols the person in the class's course as a member of the class (an existing enrolment
  // joins the class). Returns true when the person was not yet in the class.
  virtual Result<bool> add_to_class(const ClassInfo& cls, std::int64_t person_id, const std::string& now) = 0;
  virtual Result<std::vector<ClassMember>> class_members(std::int64_t class_id) = 0;
};

std::unique_ptr<Store> make_sql_store(storage::Database& db);

}  // namespace hocvu::learning
