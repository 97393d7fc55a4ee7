#include "learning/progress.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace hocvu::learning {

double VideoWatch::covered_seconds() const {
  double total = 0;
  for (const auto& i : covered) total += i.to - i.from;
  return total;
}

namespace {

// Inserts `add` into sorted, disjoint `list`, merging what touches it.
void merge_into(std::vector<Interval>& list, Interval add) {
  std::vector<Interval> out;
  out.reserve(list.size() + 1);
  bool placed = false;
  for (const auto& i : list) {
    if (i.to < add.from) {
      out.push_back(i);
    } else if (add.to < i.from) {
      if (!placed) out.push_back(add), placed = true;
      out.push_back(i);
    } else {
      add.from = std::min(add.from, i.from);
      add.to = std::max(add.to, i.to);
    }
  }
  if (!placed) out.push_back(add);
  list = std::move(out);
}

}  // namespace

HeartbeatVerdict add_heartbeat(VideoWatch& watch, Interval claimed, std::int64_t now_ms, int duration_seconds) {
  if (duration_seconds <= 0 || !std::isfinite(claimed.from) || !std::isfinite(claimed.to))
    return HeartbeatVerdict::refused;
  const double duration = duration_seconds;
  Interval i{std::clamp(claimed.from, 0.0, duration), std::clamp(claimed.to, 0.0, duration)};
  if (!(i.to > i.from)) return HeartbeatVerdict::refused;

  // How much playback the wall clock allows since the last heartbeat. The first heartbeat of a
  // video has no reference point, so it is believed up to the slack only.
  double allowed = kHeartbeatSlack;
  if (watch.last_heartbeat_ms > 0 && now_ms > watch.last_heartbeat_ms)
    allowed += kMaxPlaybackRate * static_cast<double>(now_ms - watch.last_heartbeat_ms) / 1000.0;
  allowed = std::min(allowed, kMaxHeartbeatSeconds);

  HeartbeatVerdict verdict = HeartbeatVerdict::accepted;
  if (i.to - i.from > allowed) {
    // Credit the end of the stretch the learner reports: that is where the player is now.
    i.from = i.to - allowed;
    verdict = HeartbeatVerdict::clipped;
  }
  merge_into(watch.covered, i);
  watch.last_heartbeat_ms = std::max(watch.last_heartbeat_ms, now_ms);
  return verdict;
}

bool video_complete(const VideoWatch& watch, int duration_seconds) {
  if (duration_seconds <= 0) return false;
  return watch.covered_seconds() + 1e-9 >= kRequiredVideoShare * duration_seconds;
}

std::string format_intervals(const std::vector<Interval>& intervals) {
  std::string out;
  char buf[64];
  for (const auto& i : intervals) {
    if (!out.empty()) out += ',';
    int n = std::snprintf(buf, sizeof buf, "%.3f-%.3f", i.from, i.to);
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::vector<Interval> parse_intervals(std::string_view text) {
  std::vector<Interval> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view piece = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    auto dash = piece.find('-');
    if (dash == std::string_view::npos) continue;
    Interval i;
    auto a = std::from_chars(piece.data(), piece.data() + dash, i.from);
    auto b = std::from_chars(piece.data() + dash + 1, piece.data() + piece.size(), i.to);
    if (a.ec == std::errc{} && b.ec == std::errc{} && i.to > i.from) merge_into(out, i);
  }
  return out;
}

std::vector<std::string> required_blocks(const CourseContent& course) {
  std::vector<std::string> keys;
  for (const auto& s : course.sections)
    for (const auto& l : s.lessons)
      for (const auto& b : l.blocks)
        if (b.required) keys.push_back(b.key);
  return keys;
}

int percent_complete(const CourseContent& course, const std::set<std::string, std::less<>>& done) {
  std::size_t required = 0, finished = 0;
  for (const auto& s : course.sections)
    for (const auto& l : s.lessons)
      for (const auto& b : l.blocks)
        if (b.required) {
          ++required;
          if (done.contains(b.key)) ++finished;
        }
  if (required == 0 || finished == required) return 100;
  return static_cast<int>(finished * 100 / required);  // below 100 until the last block
}

bool run_started(std::string_view starts, std::string_view today) { return starts.empty() || today >= starts; }

bool lesson_done(const Lesson& lesson, const std::set<std::string, std::less<>>& done) {
  return std::all_of(lesson.blocks.begin(), lesson.blocks.end(),
                     [&](const Block& b) { return !b.required || done.contains(b.key); });
}

std::vector<const Block*> missing_blocks(const Lesson& lesson, const std::set<std::string, std::less<>>& done) {
  std::vector<const Block*> out;
  for (const auto& b : lesson.blocks)
    if (b.required && !done.contains(b.key)) out.push_back(&b);
  return out;
}

std::vector<LessonRef> reading_order(const CourseContent& course) {
  std::vector<LessonRef> out;
  for (const auto& s : course.sections)
    for (const auto& l : s.lessons) out.push_back({&s, &l, out.size()});
  return out;
}

std::vector<bool> open_lessons(const CourseContent& course, const std::set<std::string, std::less<>>& done) {
  auto order = reading_order(course);
  std::vector<bool> open(order.size(), true);
  if (course.unlock == Unlock::free) return open;
  bool all_before_done = true;
  for (std::size_t i = 0; i < order.size(); ++i) {
    open[i] = all_before_done;
    all_before_done = all_before_done && lesson_done(*order[i].lesson, done);
  }
  return open;
}

const Lesson* next_lesson(const CourseContent& course, const std::set<std::string, std::less<>>& done) {
  auto order = reading_order(course);
  if (order.empty()) return nullptr;
  auto open = open_lessons(course, done);
  for (std::size_t i = 0; i < order.size(); ++i)
    if (open[i] && !lesson_done(*order[i].lesson, done)) return order[i].lesson;
  return order.front().lesson;
}

const Block* find_block(const CourseContent& course, std::string_view key, const Lesson** lesson) {
  for (const auto& s : course.sections)
    for (const auto& l : s.lessons)
      for (const auto& b : l.blocks)
        if (b.key == key) {
          if (lesson) *lesson = &l;
          return &b;
        }
  return nullptr;
}

bool course_complete(int percent, bool has_final_exam, const std::set<std::string, std::less<>>& done) {
  return percent == 100 && (!has_final_exam || done.contains(kFinalExamKey));
}

}  // namespace hocvu::learning
