#include "assessment/revision.h"

#include <gtest/gtest.h>

#include <memory>

namespace hocvu::assessment {
namespace {

std::shared_ptr<const Question> q(const std::string& category, double mark = 1) {
  auto out = std::make_shared<Question>();
  out->category = category;
  out->mark = mark;
  return out;
}

TEST(Revision, TopicsWithLostMarksWorstFirst) {
  const std::vector<std::shared_ptr<const Question>> drawn = {q("Lừa đảo"), q("Lừa đảo"), q("Mật khẩu"), q("Lừa đảo"), q("Mật khẩu", 2), q("")};
  // Lừa đảo: 2 of 3 missed; Mật khẩu: 1 of 2 (a half mark is not full marks); the uncategorised one right.
  const std::vector<double> grades = {0, 1, 1, 0, 1, 1};
  auto topics = revision_topics(drawn, grades);
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].topic, "Lừa đảo");
  EXPECT_EQ(topics[0].missed, 2);
  EXPECT_EQ(topics[0].asked, 3);
  EXPECT_EQ(topics[1].topic, "Mật khẩu");
  EXPECT_EQ(topics[1].missed, 1);
  EXPECT_EQ(topics[1].asked, 2);
}

TEST(Revision, AllRightMeansNothingToReviseAndMissingGradesCountAsMissed) {
  EXPECT_TRUE(revision_topics({q("A"), q("B")}, {1, 1}).empty());
  auto topics = revision_topics({q("A"), q("B")}, {1});  // the second was never graded
  ASSERT_EQ(topics.size(), 1u);
  EXPECT_EQ(topics[0].topic, "B");
}

TEST(Revision, EqualMissesTheLargerShareFirst) {
  auto topics = revision_topics({q("Rộng"), q("Rộng"), q("Rộng"), q("Hẹp")}, {0, 1, 1, 0});
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].topic, "Hẹp");  // 1 of 1 before 1 of 3
}

}  // namespace
}  // namespace hocvu::assessment
