// The learning area's use cases over its Store: the catalogue, enrolment, lessons, progress and
// the learner's home. Published versions are read once and kept in memory (they never change),
// so a lesson needs no rebuild on the hot path: one small query for the current version number,
// then the cached structure with its Markdown already rendered.
#pragma once

#include "core/lru_cache.h"
#include "learning/progress.h"
#include "learning/store.h"

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace hocvu::learning {

// A published version ready to serve: content, lesson ids, and every Markdown field rendered to
// safe HTML, by block key.
struct Published {
  PublishedVersion version;
  std::map<std::string, std::string, std::less<>> html;      // block key -> body HTML
  std::map<std::string, std::string, std::less<>> extra_html;  // question: explanation HTML
  std::string description_html;
  std::vector<LessonRef> order;  // reading order, pointing into version.content
  std::int64_t lesson_id(std::string_view key) const {
    auto it = version.lesson_ids.find(key);
    return it == version.lesson_ids.end() ? 0 : it->second;
  }
};

// One progress event from a player or page.
struct ProgressEvent {
  std::int64_t lesson_id = 0;
  std::string block;     // the block key
  std::string kind;      // viewed, video, answer
  double from = 0, to = 0;  // video: the stretch played since the last heartbeat
  int answer = -1;          // answer: the option chosen
};

struct EventResult {
  std::string block;
  std::string verdict;  // accepted, clipped, refused, ignored (unknown block, locked lesson, not enrolled),
                        // not_started (a dated run before its first day: nothing is recorded)
  bool done = false;
  std::optional<bool> correct;  // answer: whether it was right (only after answering)
  int correct_option = -1;      // answer: the right option, after answering
};

struct ProgressResult {
  std::vector<EventResult> events;
  // Per course touched: percent done and whether it is completed.
  std::map<std::int64_t, std::pair<int, bool>> courses;
  // The first day (YYYY-MM-DD) of a dated run whose events were refused as not_started.
  std::string not_started;
};

// What a learner sees of one lesson.
struct LessonView {
  std::shared_ptr<const Published> course;
  const LessonRef* lesson = nullptr;
  Enrolment enrolment;
  std::map<std::string, BlockState, std::less<>> states;  // by block key
  std::set<std::string, std::less<>> done;
  bool open = true;
  int percent = 0;
  const LessonRef* previous = nullptr;
  const LessonRef* next = nullptr;
};

struct HomeEntry {
  MyCourse course;
  std::int64_t next_lesson_id = 0;  // where "continue" goes
  std::string next_lesson_title;
};

struct Home {
  std::vector<HomeEntry> in_progress;  // self-enrolled or class, not completed
  std::vector<HomeEntry> assigned;     // assigned by a manager, not completed, soonest deadline first
  std::vector<HomeEntry> completed;
};

class Service {
 public:
  // `cached_versions`: how many published versions are kept in memory, rendered (the least
  // recently used is dropped first; HOCVU_COURSE_CACHE_SIZE).
  static constexpr std::size_t kDefaultCachedVersions = 256;
  explicit Service(Store& store, std::size_t cached_versions = kDefaultCachedVersions)
      : store_(store), cache_(cached_versions) {}

  Store& store() { return store_; }

  // The current published version of a course; not_found when it has none.
  Result<std::shared_ptr<const Published>> published(std::int64_t course_id);
  // A given version, when the caller has read the current one already.
  Result<std::shared_ptr<const Published>> published(std::int64_t course_id, int version) { return load(course_id, version); }

  // Enrols the learner in a published course whose enrolment is open (`today` YYYY-MM-DD).
  // not_found for an unpublished course, permission_denied outside a dated run's window.
  Result<std::pair<Enrolment, bool>> enrol(std::int64_t course_id, std::int64_t person_id, const std::string& now);

  // The lesson for an enrolled learner: not_found when no such lesson is published;
  // permission_denied when the learner is not enrolled ("not enrolled") or a dated run has not
  // begun by `today` (YYYY-MM-DD; "not started").
  Result<LessonView> lesson(std::int64_t person_id, std::int64_t lesson_id, std::string_view today);

  // Applies events in order, each batch of one course in one transaction. Events for courses the
  // learner is not enrolled in, unknown blocks or locked lessons are "ignored" and change nothing;
  // events for a dated run before its first day are "not_started" and change nothing.
  Result<ProgressResult> record(std::int64_t person_id, const std::vector<ProgressEvent>& events,
                                std::int64_t now_ms, const std::string& now);

  // Makes `lesson_key` the learner's place in the course (where "continue" goes): after "I have
  // read this lesson", the next one. Nothing else changes.
  Status continue_at(std::int64_t person_id, std::int64_t course_id, const std::string& lesson_key, const std::string& now);

  // Records that the learner passed the course's final exam (the assessment area calls this after
  // grading) and completes the course when every required block is done too. Not enrolled: ok,
  // nothing changes.
  Status final_exam_passed(std::int64_t course_id, std::int64_t person_id, const std::string& now);

  Result<Home> home(std::int64_t person_id);

 private:
  Result<std::shared_ptr<const Published>> load(std::int64_t course_id, int version);
  // The course and key of a lesson id, from memory after the first look-up.
  Result<std::optional<std::pair<std::int64_t, std::string>>> locate(std::int64_t lesson_id);

  Store& store_;
  LruCache<std::pair<std::int64_t, int>, std::shared_ptr<const Published>> cache_;
  // Lesson id -> (course id, lesson key): a few dozen bytes each.
  LruCache<std::int64_t, std::pair<std::int64_t, std::string>> lessons_{100'000};
};

// Builds the serving form of a version: renders Markdown and computes the reading order.
std::shared_ptr<const Published> prepare(PublishedVersion version);

// The folded text the catalogue searches: the title on the first line, then summary,
// description and every lesson's text.
std::string search_text(const CourseContent& course);

}  // namespace hocvu::learning
