#include "assessment/gradebook.h"

#include "core/csv.h"

#include <gtest/gtest.h>

namespace hocvu::assessment {
namespace {

// A learner may name themself "=HYPERLINK(...)" and an author may title a quiz "-Kiểm tra": both
// reach the CSV as text a spreadsheet shows, never as a formula it runs. The platform's own
// numbers (a negative score under negative marking, the percent) stay numbers.
TEST(GradebookCsv, PeoplesTextIsNeutralisedAndScoresStayNumbers) {
  Gradebook book;
  QuizRecord quiz;
  quiz.id = 7;
  quiz.title = "-Kiểm tra";
  book.quizzes.push_back(quiz);
  GradebookLine line;
  line.person_id = 1;
  line.full_name = "=HYPERLINK(\"http://evil.example\",\"Xem\")";
  line.percent = 40;
  AttemptRecord a;
  a.id = 3;
  a.quiz_id = 7;
  a.started_ms = 1000;
  a.ended_ms = 2000;
  a.score = -1;
  a.max_score = 3;
  line.attempts[7].push_back(a);
  book.lines.push_back(line);
  GradebookLine plain;
  plain.full_name = "@Lò Văn Thi";
  book.lines.push_back(plain);

  const std::string text = gradebook_csv(book, "vi");
  EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
  auto rows = parse_csv(text);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"Họ và tên", "Tiến độ (%)", "Hoàn thành lúc", "'-Kiểm tra — số lần",
                                                         "'-Kiểm tra — điểm", "'-Kiểm tra — điểm tối đa",
                                                         "'-Kiểm tra — %", "'-Kiểm tra — đạt"}));
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"'=HYPERLINK(\"http://evil.example\",\"Xem\")", "40", "", "1", "-1",
                                                         "3", "-33.33", "chưa đạt"}));
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"'@Lò Văn Thi", "0", "", "0", "", "", "", ""}));
  // On the wire: text quoted, numbers bare.
  EXPECT_NE(text.find("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Xem\"\")\",40,\"\",1,-1,3,-33.33,\"chưa đạt\"\r\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace hocvu::assessment
