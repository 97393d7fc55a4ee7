#include "learning/content_json.h"

#include <gtest/gtest.h>

namespace hocvu::learning {
namespace {

const char* const kDraft = R"({"slug":"s","title":"T","competencies":[{"code":"4.2","level":LEVEL}],"duration_minutes":MINUTES,
  "sections":[{"key":"a","title":"A","lessons":[{"key":"l","title":"L","blocks":[
  {"key":"v","kind":"video","media":"m.mp4","duration_seconds":SECONDS},
  {"key":"q","kind":"question","question":{"prompt":"?","options":["x","y"],"answer":ANSWER}}]}]}]})";

std::string draft(std::string level, std::string minutes, std::string seconds, std::string answer) {
  std::string s = kDraft;
  for (auto [key, value] : {std::pair{"LEVEL", &level}, {"MINUTES", &minutes}, {"SECONDS", &seconds}, {"ANSWER", &answer}})
    s.replace(s.find(key), std::string_view(key).size(), *value);
  return s;
}

TEST(ContentJson, ReadsWholeNumbers) {
  auto c = content_from_json(draft("2", "20", "95.0", "1"));
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(c->competencies[0].level, 2);
  EXPECT_EQ(c->duration_minutes, 20);
  EXPECT_EQ(c->sections[0].lessons[0].blocks[0].duration_seconds, 95);
  EXPECT_EQ(c->sections[0].lessons[0].blocks[1].question->answer, 1);
  auto again = content_from_json(content_to_json(*c));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *c);
}

// Found by learning_json_fuzz: 4294967301 minutes were read as 5 (wrapped), and a fractional or
// huge number as 0. A draft with such a number is refused instead.
TEST(ContentJson, RefusesNumbersThatDoNotFit) {
  EXPECT_FALSE(content_from_json(draft("2", "4294967301", "95", "1")));
  EXPECT_FALSE(content_from_json(draft("2", "20", "1e300", "1")));
  EXPECT_FALSE(content_from_json(draft("2", "20", "95", "-9223372036854775808")));
  EXPECT_FALSE(content_from_json(draft("2.5", "20", "95", "1")));
  EXPECT_FALSE(content_from_json(draft("2", "20", "18446744073709551615", "1")));
}

}  // namespace
}  // namespace hocvu::learning
