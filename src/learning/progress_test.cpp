#include "learning/progress.h"

#include <gtest/gtest.h>

namespace hocvu::learning {
namespace {

// A heartbeat sequence and what the server must make of it: each step is (server time in ms,
// claimed from, claimed to); the expectation is the covered seconds and completion.
struct HeartbeatCase {
  const char* name;
  int duration;
  std::vector<std::tuple<std::int64_t, double, double>> beats;
  double covered;
  bool complete;
};

const HeartbeatCase kHeartbeatCases[] = {
    {"honest viewer, 10 s heartbeats", 60,
     {{1'000, 0, 5}, {11'000, 5, 15}, {21'000, 15, 25}, {31'000, 25, 35}, {41'000, 35, 45}, {51'000, 45, 55}},
     55, true},
    {"script jumps to the end at once", 600, {{1'000, 0, 600}}, 5, false},
    {"script claims everything twice a second apart", 600, {{1'000, 0, 600}, {2'000, 0, 600}}, 7, false},
    {"seek to the end then report the tail", 100, {{1'000, 95, 100}, {3'000, 0, 100}}, 9, false},
    {"repeated heartbeat is harmless", 30, {{1'000, 0, 5}, {1'000, 0, 5}, {1'000, 0, 5}}, 5, false},
    {"reordered heartbeats", 20,
     {{1'000, 0, 4}, {9'000, 8, 16}, {10'000, 4, 8}, {12'000, 16, 18}}, 18, true},
    {"double speed is believed", 40, {{1'000, 0, 4}, {11'000, 4, 24}, {21'000, 24, 40}}, 40, true},
    {"stretch beyond the end is clamped", 10, {{1'000, 0, 3}, {6'000, 3, 50}}, 10, true},
    {"backwards stretch refused", 10, {{1'000, 5, 2}}, 0, false},
    {"exactly 80% completes", 10, {{1'000, 0, 4}, {3'000, 4, 8}}, 8, true},
    {"re-watching the same part does not add", 100,
     {{1'000, 0, 5}, {11'000, 5, 15}, {21'000, 0, 15}, {31'000, 0, 15}}, 15, false},
};

TEST(Progress, HeartbeatTable) {
  for (const auto& c : kHeartbeatCases) {
    VideoWatch w;
    for (auto [now, from, to] : c.beats) add_heartbeat(w, {from, to}, now, c.duration);
    EXPECT_NEAR(w.covered_seconds(), c.covered, 1e-6) << c.name;
    EXPECT_EQ(video_complete(w, c.duration), c.complete) << c.name;
  }
}

TEST(Progress, VerdictSaysWhenClipped) {
  VideoWatch w;
  EXPECT_EQ(add_heartbeat(w, {0, 3}, 1'000, 60), HeartbeatVerdict::accepted);
  EXPECT_EQ(add_heartbeat(w, {3, 60}, 2'000, 60), HeartbeatVerdict::clipped);
  EXPECT_EQ(add_heartbeat(w, {9, 8}, 3'000, 60), HeartbeatVerdict::refused);
  EXPECT_EQ(add_heartbeat(w, {0, 1}, 3'000, 0), HeartbeatVerdict::refused);
}

TEST(Progress, IntervalsRoundTripAndIgnoreGarbage) {
  std::vector<Interval> list{{0, 12.5}, {30, 41}};
  EXPECT_EQ(parse_intervals(format_intervals(list)), list);
  EXPECT_EQ(parse_intervals("0-1,x,5-3,2-4,3-6"), (std::vector<Interval>{{0, 1}, {2, 6}}));
  EXPECT_TRUE(parse_intervals("").empty());
}

CourseContent three_lessons(Unlock unlock) {
  CourseContent c;
  c.unlock = unlock;
  Section s{"s1", "Phần 1", {}};
  s.lessons.push_back({"l1", "Bài 1", {{.key = "a"}, {.key = "b"}}});
  s.lessons.push_back({"l2", "Bài 2", {{.key = "c"}, {.key = "opt", .required = false}}});
  s.lessons.push_back({"l3", "Bài 3", {{.key = "d"}}});
  c.sections.push_back(s);
  return c;
}

TEST(Progress, PercentCountsRequiredBlocksOfThisVersionOnly) {
  auto c = three_lessons(Unlock::free);
  EXPECT_EQ(percent_complete(c, {}), 0);
  EXPECT_EQ(percent_complete(c, {"a"}), 25);
  EXPECT_EQ(percent_complete(c, {"a", "b", "c", "removed-in-new-version", "opt"}), 75);
  EXPECT_EQ(percent_complete(c, {"a", "b", "c", "d"}), 100);
  EXPECT_EQ(percent_complete(CourseContent{}, {}), 100);
}

TEST(Progress, SequentialUnlockOpensLessonsInOrder) {
  auto c = three_lessons(Unlock::sequential);
  EXPECT_EQ(open_lessons(c, {}), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(open_lessons(c, {"a", "b"}), (std::vector<bool>{true, true, false}));
  EXPECT_EQ(open_lessons(c, {"a", "b", "c"}), (std::vector<bool>{true, true, true}));
  EXPECT_EQ(open_lessons(three_lessons(Unlock::free), {}), (std::vector<bool>{true, true, true}));
}

TEST(Progress, NextLessonIsTheFirstUnfinishedOpenOne) {
  auto c = three_lessons(Unlock::sequential);
  EXPECT_EQ(next_lesson(c, {})->key, "l1");
  EXPECT_EQ(next_lesson(c, {"a", "b"})->key, "l2");
  EXPECT_EQ(next_lesson(c, {"a", "b", "c", "d"})->key, "l1");
  EXPECT_EQ(next_lesson(CourseContent{}, {}), nullptr);
  const Lesson* l = nullptr;
  ASSERT_NE(find_block(c, "d", &l), nullptr);
  EXPECT_EQ(l->key, "l3");
  EXPECT_EQ(find_block(c, "zz"), nullptr);
}

TEST(Progress, MissingBlocksAreTheRequiredOnesNotDoneInOrder) {
  auto c = three_lessons(Unlock::sequential);
  const Lesson& l1 = c.sections[0].lessons[0];
  const Lesson& l2 = c.sections[0].lessons[1];
  auto keys = [](const std::vector<const Block*>& blocks) {
    std::vector<std::string> out;
    for (const Block* b : blocks) out.push_back(b->key);
    return out;
  };
  EXPECT_EQ(keys(missing_blocks(l1, {})), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(keys(missing_blocks(l1, {"b"})), std::vector<std::string>{"a"});
  EXPECT_TRUE(missing_blocks(l1, {"a", "b"}).empty());
  EXPECT_EQ(keys(missing_blocks(l2, {})), std::vector<std::string>{"c"});  // "opt" is not required
}

}  // namespace
}  // namespace hocvu::learning
