#include "learning/events_json.h"

#include <gtest/gtest.h>

namespace hocvu::learning {
namespace {

TEST(EventsJson, ReadsEvents) {
  std::string problem;
  auto events = events_from_json(
      R"({"events":[{"lesson_id":7,"block":"doc","kind":"viewed"},{"lesson_id":7.0,"block":"v","kind":"video","from":0,"to":12.5},)"
      R"({"lesson_id":8,"block":"q","kind":"answer","answer":2}]})",
      problem);
  ASSERT_TRUE(events) << problem;
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].lesson_id, 7);
  EXPECT_EQ((*events)[1].to, 12.5);
  EXPECT_EQ((*events)[2].answer, 2);
  EXPECT_TRUE(events_from_json(R"([{"lesson_id":1,"block":"b","kind":"viewed"}])", problem));
}

// Found by learning_json_fuzz: 1e300 and -1e19 were cast to integers (undefined behaviour) and
// a fractional lesson id was cut to a whole one. Each is refused with a message now.
TEST(EventsJson, RefusesNumbersThatAreNotWholeOrInRange) {
  for (const char* body : {R"([{"lesson_id":1e300,"block":"b","kind":"viewed"}])",
                           R"([{"lesson_id":-1e300,"block":"b","kind":"viewed"}])",
                           R"([{"lesson_id":1.5,"block":"b","kind":"viewed"}])",
                           R"([{"lesson_id":18446744073709551615,"block":"b","kind":"viewed"}])",
                           R"([{"lesson_id":1,"block":"b","kind":"answer","answer":-1e19}])",
                           R"([{"lesson_id":1,"block":"b","kind":"answer","answer":4294967296}])",
                           R"([{"lesson_id":1,"block":"b","kind":"answer","answer":0.5}])"}) {
    std::string problem;
    EXPECT_FALSE(events_from_json(body, problem)) << body;
    EXPECT_FALSE(problem.empty()) << body;
  }
}

TEST(EventsJson, RefusesOtherShapes) {
  for (const char* body : {"", "{", "{}", "[1]", R"([{"block":"b","kind":"viewed"}])", R"([{"lesson_id":1,"kind":"viewed"}])",
                           R"([{"lesson_id":1,"block":"b","kind":"jump"}])", R"([{"lesson_id":1,"block":"b","kind":"video","from":1}])"}) {
    std::string problem;
    EXPECT_FALSE(events_from_json(body, problem)) << body;
    EXPECT_FALSE(problem.empty()) << body;
  }
}

}  // namespace
}  // namespace hocvu::learning
