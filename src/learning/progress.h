// Progress rules, decided on the server: when a block counts as done, how watch-time heartbeats
// add up for a video, what percentage of a course is done, which lessons are open. Plain values
// in, plain values out; the learning service stores the results.
#pragma once

#include "learning/course.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::learning {

// A stretch of a video the learner watched, in seconds from its start.
struct Interval {
  double from = 0;
  double to = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// What the server knows of one learner watching one video: the union of the stretches it has
// accepted (sorted, disjoint) and the server time of the last accepted heartbeat.
struct VideoWatch {
  std::vector<Interval> covered;
  std::int64_t last_heartbeat_ms = 0;  // 0: none yet

  double covered_seconds() const;
};

// The player sends a heartbeat every few seconds with the stretch played since the last one.
// A heartbeat is believed only as far as wall-clock time allows: a stretch may be at most
// kMaxPlaybackRate times the server time since the previous heartbeat (plus kHeartbeatSlack
// seconds for network jitter), and never longer than kMaxHeartbeatSeconds. So a script that jumps
// to the end and reports "watched 0..600" gets credit for a few seconds, not ten minutes.
// Repeated and reordered heartbeats add nothing new: coverage is a union.
inline constexpr double kMaxPlaybackRate = 2.0;
inline constexpr double kHeartbeatSlack = 5.0;
inline constexpr double kMaxHeartbeatSeconds = 60.0;
inline constexpr double kRequiredVideoShare = 0.8;

enum class HeartbeatVerdict { accepted, clipped, refused };

// Adds `claimed` to `watch` at server time `now_ms`, for a video of `duration_seconds`.
// The stretch is clamped to [0, duration]; refused when it is empty or backwards after clamping.
// Returns clipped when only part of it was believable.
HeartbeatVerdict add_heartbeat(VideoWatch& watch, Interval claimed, std::int64_t now_ms, int duration_seconds);

// True when the covered share reaches kRequiredVideoShare of the duration.
bool video_complete(const VideoWatch& watch, int duration_seconds);

// Intervals as stored: "0-12.5,30-41". Parsing ignores malformed pieces (the text is ours).
std::string format_intervals(const std::vector<Interval>& intervals);
std::vector<Interval> parse_intervals(std::string_view text);

// The state key under which a passed final exam is kept with the blocks' states. Block keys are
// [a-z0-9-], so it can never be a block's.
inline constexpr std::string_view kFinalExamKey = "@final-exam";

// A course is complete when every required block is done (percent 100) and, when it has a final
// exam, that exam is passed (kFinalExamKey in `done`).
bool course_complete(int percent, bool has_final_exam, const std::set<std::string, std::less<>>& done);

// The keys of the blocks that count toward completion in `course` (required blocks).
std::vector<std::string> required_blocks(const CourseContent& course);

// Percentage (0..100, rounded down; 100 only when every required block is done) of the required
// blocks of `course` that are in `done`. Keys in `done` that the course no longer has are ignored,
// so a new version with blocks removed does not count them. A course with no required block is
// 100% done.
int percent_complete(const CourseContent& course, const std::set<std::string, std::less<>>& done);

// True when every required block of the lesson is done.
bool lesson_done(const Lesson& lesson, const std::set<std::string, std::less<>>& done);
// The required blocks of the lesson not yet done, in the lesson's order: what stands between the
// learner and the next lesson.
std::vector<const Block*> missing_blocks(const Lesson& lesson, const std::set<std::string, std::less<>>& done);

// Whether a course's run has begun on `today` (YYYY-MM-DD, server time, UTC): a dated run opens
// on its first day `starts`; "" (self-paced, or no first day set) is always open. Before it,
// lessons are closed and progress is refused.
bool run_started(std::string_view starts, std::string_view today);

// Whether each lesson of the course (in reading order) is open to the learner: all when the
// course unlocks freely; otherwise a lesson opens when every lesson before it is done.
std::vector<bool> open_lessons(const CourseContent& course, const std::set<std::string, std::less<>>& done);

// Lessons in reading order, with their section, for previous/next and "continue".
struct LessonRef {
  const Section* section = nullptr;
  const Lesson* lesson = nullptr;
  std::size_t index = 0;  // position in reading order
};
std::vector<LessonRef> reading_order(const CourseContent& course);

// The first open lesson with a required block not done; the first lesson when all are done;
// nullptr for a course without lessons. (The learner's own last place is kept by the enrolment.)
const Lesson* next_lesson(const CourseContent& course, const std::set<std::string, std::less<>>& done);

// The block with `key` in `course`, and the lesson holding it; nullptr when absent.
const Block* find_block(const CourseContent& course, std::string_view key, const Lesson** lesson = nullptr);

}  // namespace hocvu::learning
