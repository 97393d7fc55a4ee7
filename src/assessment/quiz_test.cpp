#include "assessment/quiz.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace hocvu::assessment {
namespace {

// ---- a small bank ------------------------------------------------------------------------

Question choice(std::string id, QuestionType type, std::string category, std::vector<std::string> tags,
                int difficulty, std::vector<std::string> competencies) {
  Question q{.id = id, .type = type, .text = "Câu hỏi " + id, .mark = 1};
  q.options = {{"a", "Đúng", 1, ""}, {"b", "Sai", 0, ""}, {"c", "Gần đúng", 0.5, ""}, {"d", "Không biết", 0, ""},
               {"e", "Bỏ qua", 0, ""}};
  q.category = std::move(category);
  q.tags = std::move(tags);
  q.difficulty = difficulty;
  q.competencies = std::move(competencies);
  return q;
}

Question matching_q() {
  Question q{.id = "q07", .type = QuestionType::matching, .mark = 3};
  q.pairs = {{"p1", "Thủ đô", "Hà Nội"},
             {"p2", "Thành phố lớn nhất", "TP. Hồ Chí Minh"},
             {"p3", "Cố đô", "Huế"},
             {"x", "", "Đà Lạt"},
             {"y", "", "Hà Nội"}};  // a distractor repeating an answer text
  q.category = "Giao tiếp";
  q.difficulty = 2;
  q.competencies = {"2.1"};
  return q;
}

Question ordering_q(std::string id, std::size_t n) {
  Question q{.id = std::move(id), .type = QuestionType::ordering, .mark = 2};
  const char* texts[] = {"Mở trình duyệt", "Gõ địa chỉ", "Đăng nhập", "Đăng xuất", "Đóng trình duyệt"};
  for (std::size_t i = 0; i < n; ++i) q.items.push_back({std::string(1, static_cast<char>('a' + i)), texts[i]});
  q.category = "Giao tiếp/Mạng xã hội";
  q.difficulty = 3;
  q.competencies = {"2.2"};
  return q;
}

// "An toàn" holds q01, q02, q03, q04, q09 (five); "An toàn2" only q05.
// Tag "email": q01, q03, q05, q06. Competency "4.2": q01, q02, q04. Difficulty 2: q02, q03, q07, q10.
std::vector<Question> bank() {
  std::vector<Question> b;
  b.push_back(choice("q01", QuestionType::single_choice, "An toàn/Lừa đảo", {"email"}, 1, {"4.2"}));
  b.push_back(choice("q02", QuestionType::single_choice, "An toàn/Lừa đảo", {"sms"}, 2, {"4.2"}));
  b.push_back(choice("q03", QuestionType::single_choice, "An toàn/Mật khẩu", {"email", "mật khẩu"}, 2, {"4.1"}));
  b.push_back(choice("q04", QuestionType::multiple_choice, "An toàn", {}, 3, {"4.1", "4.2"}));
  b.push_back(choice("q05", QuestionType::single_choice, "An toàn2", {"email"}, 1, {"4.3"}));
  Question tf{.id = "q06", .type = QuestionType::true_false, .category = "Giao tiếp"};
  tf.tags = {"email"};
  tf.difficulty = 1;
  tf.competencies = {"2.1"};
  b.push_back(tf);
  b.push_back(matching_q());
  b.push_back(ordering_q("q08", 4));
  Question fill{.id = "q09", .type = QuestionType::fill_blanks, .text = "{1}", .category = "An toàn/Lừa đảo/SMS"};
  fill.blanks = {{{{"OTP", 1, ""}}}};
  fill.difficulty = 1;
  b.push_back(fill);
  Question num{.id = "q10", .type = QuestionType::numerical, .category = "Tính toán"};
  num.numeric = {{3.14, 0.01, 1, ""}};
  num.difficulty = 2;
  num.competencies = {"1.1"};
  b.push_back(num);
  return b;
}

const Question& by_id(const std::vector<Question>& b, const std::string& id) {
  return *std::find_if(b.begin(), b.end(), [&](const Question& q) { return q.id == id; });
}

// The rule's criteria, written out again independently of quiz.cpp.
bool satisfies(const Question& q, const DrawRule& r) {
  if (!r.category.empty() && q.category != r.category && q.category.rfind(r.category + "/", 0) != 0) return false;
  if (!r.tag.empty() && std::count(q.tags.begin(), q.tags.end(), r.tag) == 0) return false;
  if (!r.competency.empty() && std::count(q.competencies.begin(), q.competencies.end(), r.competency) == 0)
    return false;
  return r.difficulty == 0 || q.difficulty == r.difficulty;
}

std::vector<int> versions_for(const std::vector<Question>& b) {
  std::vector<int> v;
  for (std::size_t i = 0; i < b.size(); ++i) v.push_back(static_cast<int>(10 + i));
  return v;
}

// ---- names -------------------------------------------------------------------------------

TEST(Quiz, NamesRoundTrip) {
  for (auto k : {QuizKind::section, QuizKind::final_exam, QuizKind::placement})
    EXPECT_EQ(quiz_kind_from_name(kind_name(k)), k) << kind_name(k);
  for (auto r : {ScoreRule::highest, ScoreRule::last}) EXPECT_EQ(score_rule_from_name(score_rule_name(r)), r);
  for (auto r : {ReviewLevel::score, ReviewLevel::answers, ReviewLevel::correct})
    EXPECT_EQ(review_from_name(review_name(r)), r);
  for (auto w : {ReviewWhen::immediately, ReviewWhen::after_close})
    EXPECT_EQ(review_when_from_name(review_when_name(w)), w);

  EXPECT_STREQ(kind_name(QuizKind::section), "section");
  EXPECT_STREQ(kind_name(QuizKind::final_exam), "final_exam");
  EXPECT_STREQ(kind_name(QuizKind::placement), "placement");
  EXPECT_STREQ(score_rule_name(ScoreRule::highest), "highest");
  EXPECT_STREQ(score_rule_name(ScoreRule::last), "last");
  EXPECT_STREQ(review_name(ReviewLevel::score), "score");
  EXPECT_STREQ(review_name(ReviewLevel::answers), "answers");
  EXPECT_STREQ(review_name(ReviewLevel::correct), "correct");
  EXPECT_STREQ(review_when_name(ReviewWhen::immediately), "immediately");
  EXPECT_STREQ(review_when_name(ReviewWhen::after_close), "after_close");

  for (const char* bad : {"", "Section", "exam", "kiểm tra", "section "}) EXPECT_EQ(quiz_kind_from_name(bad), std::nullopt);
  for (const char* bad : {"", "best", "Highest", "first"}) EXPECT_EQ(score_rule_from_name(bad), std::nullopt);
  for (const char* bad : {"", "full", "Score", "none"}) EXPECT_EQ(review_from_name(bad), std::nullopt);
  for (const char* bad : {"", "later", "after-close", "never"}) EXPECT_EQ(review_when_from_name(bad), std::nullopt);
}

// ---- quiz_problems -----------------------------------------------------------------------

constexpr std::int64_t kOpens = 1'796'090'400'000;   // 2026-12-01T02:00:00Z
constexpr std::int64_t kCloses = 1'796'695'200'000;  // a week later

struct ProblemCase {
  const char* name;
  QuizSettings settings;
  std::size_t problems;
  const char* mentions = "";  // a piece of the first message
};

const double kNaN = std::numeric_limits<double>::quiet_NaN();

const ProblemCase kProblemCases[] = {
    {"fixed questions only", {.fixed = {"q01", "q07"}}, 0},
    {"one draw from the whole bank", {.draws = {{.count = 10}}}, 0},
    {"empty quiz", {}, 1, "chưa có câu hỏi nào"},
    {"unknown fixed id", {.fixed = {"q01", "q99"}}, 1, "\"q99\" không có trong ngân hàng"},
    {"duplicate fixed id", {.fixed = {"q01", "q02", "q01"}}, 1, "\"q01\" được chọn hai lần"},
    {"whole bank, one too many", {.draws = {{.count = 11}}}, 1, "cần 11 câu nhưng ngân hàng chỉ còn 10"},
    {"category includes its subcategories", {.draws = {{.category = "An toàn", .count = 5}}}, 0},
    {"category: not a sibling with the same prefix", {.draws = {{.category = "An toàn", .count = 6}}}, 1,
     "chỉ còn 5 câu"},
    {"category: the sibling alone", {.draws = {{.category = "An toàn2", .count = 1}}}, 0},
    {"category: a prefix that is not a whole level", {.draws = {{.category = "An toàn/Lừa", .count = 1}}}, 1,
     "chỉ còn 0 câu"},
    {"category: deeper levels count", {.draws = {{.category = "An toàn/Lừa đảo", .count = 3}}}, 0},
    {"tag filter", {.draws = {{.tag = "email", .count = 4}}}, 0},
    {"tag filter, too many", {.draws = {{.tag = "email", .count = 5}}}, 1, "thẻ email"},
    {"competency filter", {.draws = {{.competency = "4.2", .count = 3}}}, 0},
    {"competency filter, too many", {.draws = {{.competency = "4.2", .count = 4}}}, 1, "năng lực 4.2"},
    {"competency codes match exactly", {.draws = {{.competency = "4", .count = 1}}}, 1, "chỉ còn 0 câu"},
    {"difficulty filter", {.draws = {{.difficulty = 2, .count = 4}}}, 0},
    {"difficulty filter, too many", {.draws = {{.difficulty = 2, .count = 5}}}, 1, "độ khó 2"},
    {"all criteria together", {.draws = {{.category = "An toàn", .tag = "email", .competency = "4.1", .difficulty = 2}}}, 0},
    {"all criteria together, none left",
     {.draws = {{.category = "An toàn", .tag = "email", .competency = "4.2", .difficulty = 2}}}, 1,
     "danh mục An toàn, thẻ email, năng lực 4.2, độ khó 2"},
    {"difficulty above 3", {.draws = {{.difficulty = 4, .count = 1}}}, 2, "độ khó phải từ 1 đến 3"},
    {"negative difficulty", {.draws = {{.difficulty = -1, .count = 1}}}, 2, "độ khó phải từ 1 đến 3"},
    {"a fixed id takes the only match", {.fixed = {"q05"}, .draws = {{.category = "An toàn2", .count = 1}}}, 1,
     "Lượt rút 1 (danh mục An toàn2): cần 1 câu nhưng ngân hàng chỉ còn 0"},
    {"fixed ids take from a rule's pool", {.fixed = {"q01", "q03"}, .draws = {{.tag = "email", .count = 3}}}, 1,
     "chỉ còn 2 câu"},
    {"an earlier rule takes a subcategory",
     {.draws = {{.category = "An toàn/Lừa đảo", .count = 3}, {.category = "An toàn", .count = 3}}}, 1,
     "Lượt rút 2 (danh mục An toàn): cần 3 câu nhưng ngân hàng chỉ còn 2"},
    {"an earlier rule leaves enough",
     {.draws = {{.category = "An toàn/Lừa đảo", .count = 3}, {.category = "An toàn", .count = 2}}}, 0},
    // The first rule may draw q03, the only question tagged "mật khẩu": the second rule cannot
    // be sure to find one.
    {"an earlier rule may take the only match",
     {.draws = {{.category = "An toàn", .count = 1}, {.tag = "mật khẩu", .count = 1}}}, 1,
     "Lượt rút 2 (thẻ mật khẩu): cần 1 câu nhưng ngân hàng chỉ còn 0 câu phù hợp (các lượt rút trước có thể lấy mất 1 câu)."},
    {"the narrow rule first is fine",
     {.draws = {{.tag = "mật khẩu", .count = 1}, {.category = "An toàn", .count = 4}}}, 0},
    {"disjoint rules", {.draws = {{.category = "An toàn", .count = 5}, {.category = "Giao tiếp", .count = 3}}}, 0},
    {"count zero", {.draws = {{.count = 0}}}, 1, "số câu phải từ 1 đến 200"},
    {"count negative", {.draws = {{.count = -3}}}, 1, "số câu phải từ 1 đến 200"},
    {"count above 200", {.draws = {{.count = 201}}}, 1, "số câu phải từ 1 đến 200"},
    {"count 200 is in range but the bank is small", {.draws = {{.count = 200}}}, 1, "cần 200 câu"},
    {"pass mark 0", {.fixed = {"q01"}, .pass_percent = 0}, 0},
    {"pass mark 100", {.fixed = {"q01"}, .pass_percent = 100}, 0},
    {"pass mark below 0", {.fixed = {"q01"}, .pass_percent = -1}, 1, "Điểm đạt phải từ 0 đến 100%"},
    {"pass mark above 100", {.fixed = {"q01"}, .pass_percent = 100.5}, 1, "Điểm đạt"},
    {"pass mark NaN", {.fixed = {"q01"}, .pass_percent = kNaN}, 1, "Điểm đạt"},
    {"time limit 1440", {.fixed = {"q01"}, .time_limit_minutes = 1440}, 0},
    {"time limit 1441", {.fixed = {"q01"}, .time_limit_minutes = 1441}, 1, "Thời gian làm bài"},
    {"negative time limit", {.fixed = {"q01"}, .time_limit_minutes = -1}, 1, "từ 0 đến 1440 phút"},
    {"opens and closes", {.fixed = {"q01"}, .opens_at_ms = kOpens, .closes_at_ms = kCloses}, 0},
    {"closes only", {.fixed = {"q01"}, .closes_at_ms = kCloses}, 0},
    {"closes when it opens", {.fixed = {"q01"}, .opens_at_ms = kOpens, .closes_at_ms = kOpens}, 1,
     "Thời điểm đóng phải sau thời điểm mở"},
    {"closes before it opens", {.fixed = {"q01"}, .opens_at_ms = kCloses, .closes_at_ms = kOpens}, 1, "Thời điểm đóng"},
    {"review after close without closing time", {.fixed = {"q01"}, .review_when = ReviewWhen::after_close}, 1,
     "Cho xem lại sau khi đóng cần có thời điểm đóng"},
    {"review after close with closing time",
     {.fixed = {"q01"}, .closes_at_ms = kCloses, .review_when = ReviewWhen::after_close}, 0},
    {"negative max attempts", {.fixed = {"q01"}, .max_attempts = -1}, 1, "Số lần làm bài"},
    {"negative wait", {.fixed = {"q01"}, .wait_minutes = -1}, 1, "Thời gian chờ"},
    {"per page above 200", {.fixed = {"q01"}, .per_page = 201}, 1, "Số câu mỗi trang"},
    {"one message per problem",
     {.fixed = {"q99"}, .draws = {{.count = 0}}, .time_limit_minutes = -5, .pass_percent = 120,
      .review_when = ReviewWhen::after_close},
     5, "\"q99\""},
};

TEST(Quiz, ProblemsTable) {
  const auto b = bank();
  for (const auto& c : kProblemCases) {
    auto problems = quiz_problems(c.settings, b);
    std::string all;
    for (const auto& p : problems) all += "\n  " + p;
    ASSERT_EQ(problems.size(), c.problems) << c.name << all;
    if (!problems.empty()) {
      EXPECT_NE(problems[0].find(c.mentions), std::string::npos) << c.name << all;
    }
  }
}

TEST(Quiz, ProblemsAgainstAnEmptyBank) {
  auto problems = quiz_problems({.fixed = {"q01"}, .draws = {{.count = 1}}}, {});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("\"q01\""), std::string::npos);
  EXPECT_NE(problems[1].find("toàn bộ ngân hàng"), std::string::npos) << problems[1];
}

// ---- draw --------------------------------------------------------------------------------

const QuizSettings kMixed{.fixed = {"q07", "q01"},
                          .draws = {{.category = "An toàn", .count = 2},
                                    {.tag = "email", .count = 1},
                                    {.difficulty = 3, .count = 1}}};

TEST(Quiz, DrawSameSeedSameDraw) {
  const auto b = bank();
  QuizSettings s = kMixed;
  s.shuffle_questions = true;
  for (std::uint64_t seed : {0ull, 1ull, 42ull, 0xdeadbeefull, ~0ull}) {
    auto one = draw(s, b, versions_for(b), seed);
    auto two = draw(s, b, versions_for(b), seed);
    ASSERT_TRUE(one) << seed;
    EXPECT_EQ(one, two) << seed;
  }
}

TEST(Quiz, DrawDifferentSeedsDiffer) {
  const auto b = bank();
  for (bool shuffle_questions : {false, true}) {
    QuizSettings s = kMixed;
    s.shuffle_questions = shuffle_questions;
    std::set<std::vector<std::string>> question_orders;
    std::size_t distinct = 0;
    std::vector<std::vector<DrawnQuestion>> seen;
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
      auto d = draw(s, b, versions_for(b), seed);
      ASSERT_TRUE(d);
      std::vector<std::string> ids;
      for (const auto& q : *d) ids.push_back(q.id);
      question_orders.insert(ids);
      if (std::find(seen.begin(), seen.end(), *d) == seen.end()) {
        seen.push_back(*d);
        ++distinct;
      }
    }
    EXPECT_GT(question_orders.size(), 10u) << "shuffle_questions=" << shuffle_questions;
    EXPECT_GT(distinct, 150u) << "shuffle_questions=" << shuffle_questions;
  }
}

TEST(Quiz, DrawFixedFirstThenRulesInOrder) {
  const auto b = bank();
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    auto d = draw(kMixed, b, versions_for(b), seed);
    ASSERT_TRUE(d) << seed;
    ASSERT_EQ(d->size(), 6u);
    EXPECT_EQ((*d)[0].id, "q07");
    EXPECT_EQ((*d)[1].id, "q01");
    // Then 2 for rule 1, 1 for rule 2, 1 for rule 3, each satisfying its rule.
    const DrawRule* rule_of[] = {&kMixed.draws[0], &kMixed.draws[0], &kMixed.draws[1], &kMixed.draws[2]};
    for (std::size_t k = 0; k < 4; ++k)
      EXPECT_TRUE(satisfies(by_id(b, (*d)[2 + k].id), *rule_of[k])) << "seed " << seed << " " << (*d)[2 + k].id;
    std::set<std::string> ids;
    for (const auto& q : *d) ids.insert(q.id);
    EXPECT_EQ(ids.size(), d->size()) << "seed " << seed << ": a question twice";
  }
}

TEST(Quiz, DrawEveryRuleOverManySeeds) {
  const auto b = bank();
  const QuizSettings settings[] = {
      {.draws = {{.count = 10}}},
      {.draws = {{.category = "An toàn/Lừa đảo", .count = 3}, {.category = "An toàn", .count = 2}}},
      {.draws = {{.tag = "mật khẩu", .count = 1}, {.category = "An toàn", .count = 4}}},
      {.draws = {{.competency = "4.2", .count = 2}, {.competency = "4.1", .count = 1}, {.difficulty = 1, .count = 2}}},
      {.fixed = {"q03"}, .draws = {{.tag = "email", .count = 3}, {.difficulty = 2, .count = 3}}},
  };
  for (std::size_t i = 0; i < std::size(settings); ++i) {
    const QuizSettings& s = settings[i];
    ASSERT_TRUE(quiz_problems(s, b).empty()) << "settings " << i;
    std::set<std::string> ever;
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
      auto d = draw(s, b, versions_for(b), seed);
      ASSERT_TRUE(d) << "settings " << i << " seed " << seed;
      std::size_t at = s.fixed.size();
      for (const auto& r : s.draws)
        for (int k = 0; k < r.count; ++k, ++at) {
          ASSERT_LT(at, d->size());
          EXPECT_TRUE(satisfies(by_id(b, (*d)[at].id), r)) << "settings " << i << " seed " << seed;
          ever.insert((*d)[at].id);
        }
      EXPECT_EQ(at, d->size());
      std::set<std::string> ids;
      for (const auto& q : *d) ids.insert(q.id);
      EXPECT_EQ(ids.size(), d->size()) << "settings " << i << " seed " << seed;
    }
    EXPECT_GT(ever.size(), 1u) << "settings " << i << ": always the same questions";
  }
}

// Whenever quiz_problems finds nothing, every seed draws: overlapping rules included.
TEST(Quiz, DrawNeverFailsWithoutProblems) {
  const auto b = bank();
  const std::vector<DrawRule> rules = {
      {.category = "An toàn", .count = 1}, {.tag = "mật khẩu", .count = 1}, {.tag = "email", .count = 2},
      {.competency = "4.2", .count = 2},   {.difficulty = 2, .count = 2},   {.category = "An toàn/Lừa đảo", .count = 1},
      {.count = 3},
  };
  int checked = 0;
  for (const auto& r1 : rules)
    for (const auto& r2 : rules)
      for (const auto& r3 : rules) {
        QuizSettings s{.draws = {r1, r2, r3}};
        const bool fine = quiz_problems(s, b).empty();
        for (std::uint64_t seed = 0; seed < 40; ++seed) {
          auto d = draw(s, b, versions_for(b), seed);
          EXPECT_EQ(d.has_value(), fine) << r1.category << r1.tag << " / " << r2.category << r2.tag << " / "
                                         << r3.category << r3.tag << " seed " << seed;
          if (!d.has_value() && fine) return;
        }
        checked += fine;
      }
  EXPECT_GT(checked, 50);
}

TEST(Quiz, DrawShuffleQuestionsMovesFixedOnes) {
  const auto b = bank();
  QuizSettings s = kMixed;
  s.shuffle_questions = true;
  bool moved = false;
  for (std::uint64_t seed = 0; seed < 50 && !moved; ++seed) moved = (*draw(s, b, versions_for(b), seed))[0].id != "q07";
  EXPECT_TRUE(moved);
}

TEST(Quiz, DrawCarriesVersions) {
  const auto b = bank();
  const auto versions = versions_for(b);
  QuizSettings s{.fixed = {"q10", "q02"}, .draws = {{.count = 8}}, .shuffle_questions = true};
  auto d = draw(s, b, versions, 7);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->size(), 10u);
  for (const auto& q : *d) {
    auto i = std::find_if(b.begin(), b.end(), [&](const Question& x) { return x.id == q.id; }) - b.begin();
    EXPECT_EQ(q.version, versions[i]) << q.id;
  }
}

TEST(Quiz, DrawKeepsOptionOrderWhenNotShuffling) {
  const auto b = bank();
  QuizSettings s{.fixed = {"q01", "q04"}, .shuffle_options = false};
  const std::vector<std::string> natural = {"a", "b", "c", "d", "e"};
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    auto d = draw(s, b, versions_for(b), seed);
    ASSERT_TRUE(d);
    EXPECT_EQ((*d)[0].order, natural) << seed;
    EXPECT_EQ((*d)[1].order, natural) << seed;
  }
  s.shuffle_options = true;
  bool shuffled = false;
  for (std::uint64_t seed = 0; seed < 50 && !shuffled; ++seed) {
    auto d = draw(s, b, versions_for(b), seed);
    auto sorted = (*d)[0].order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, natural) << "a permutation of the option ids";
    shuffled = (*d)[0].order != natural;
  }
  EXPECT_TRUE(shuffled);
}

TEST(Quiz, DrawOtherTypesHaveNoOrder) {
  const auto b = bank();
  auto d = draw({.fixed = {"q06", "q09", "q10"}}, b, versions_for(b), 3);
  ASSERT_TRUE(d);
  for (const auto& q : *d) EXPECT_TRUE(q.order.empty()) << q.id;
}

TEST(Quiz, DrawOrderingNeverInTheRightOrder) {
  for (std::size_t n : {2u, 3u, 4u, 5u}) {
    std::vector<Question> b = {ordering_q("o", n)};
    std::vector<std::string> right;
    for (const auto& i : b[0].items) right.push_back(i.id);
    std::set<std::vector<std::string>> orders;
    for (bool shuffle_options : {false, true})
      for (std::uint64_t seed = 0; seed < 3000; ++seed) {
        auto d = draw({.fixed = {"o"}, .shuffle_options = shuffle_options}, b, {1}, seed);
        ASSERT_TRUE(d);
        const auto& order = (*d)[0].order;
        ASSERT_NE(order, right) << n << " items, seed " << seed;
        auto sorted = order;
        std::sort(sorted.begin(), sorted.end());
        ASSERT_EQ(sorted, right) << "a permutation";
        orders.insert(order);
      }
    // Every other order turns up (n! - 1 of them; only checked where that is small).
    if (n <= 4) {
      std::size_t all = 1;
      for (std::size_t k = 2; k <= n; ++k) all *= k;
      EXPECT_EQ(orders.size(), all - 1) << n << " items";
    }
  }
}

TEST(Quiz, DrawOrderingWithOneItem) {
  std::vector<Question> b = {ordering_q("o", 1)};
  auto d = draw({.fixed = {"o"}}, b, {1}, 5);
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)[0].order, (std::vector<std::string>{"a"}));
}

TEST(Quiz, DrawMatchingChoicesEachAnswerTextOnce) {
  const auto b = bank();
  std::vector<std::string> want = {"Hà Nội", "TP. Hồ Chí Minh", "Huế", "Đà Lạt"};
  std::sort(want.begin(), want.end());
  for (bool shuffle_options : {false, true})
    for (std::uint64_t seed = 0; seed < 100; ++seed) {
      auto d = draw({.fixed = {"q07"}, .shuffle_options = shuffle_options}, b, versions_for(b), seed);
      ASSERT_TRUE(d);
      auto got = (*d)[0].order;
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, want) << seed;
    }
}

TEST(Quiz, DrawNothingWhenTheQuizHasProblems) {
  const auto b = bank();
  EXPECT_EQ(draw({}, b, versions_for(b), 1), std::nullopt);
  EXPECT_EQ(draw({.fixed = {"q99"}}, b, versions_for(b), 1), std::nullopt);
  EXPECT_EQ(draw({.draws = {{.count = 11}}}, b, versions_for(b), 1), std::nullopt);
  EXPECT_EQ(draw({.fixed = {"q01"}, .pass_percent = 150}, b, versions_for(b), 1), std::nullopt);
  EXPECT_EQ(draw({.fixed = {"q01"}, .review_when = ReviewWhen::after_close}, b, versions_for(b), 1), std::nullopt);
}

// ---- may_start ---------------------------------------------------------------------------

constexpr std::int64_t kMinute = 60'000;

PastAttempt ended(std::int64_t started, std::int64_t end, double score = 1) {
  return {.started_ms = started, .ended_ms = end, .score = score, .max_score = 2};
}
PastAttempt open_attempt(std::int64_t started) { return {.started_ms = started}; }

struct StartCase {
  const char* name;
  QuizSettings settings;
  std::vector<PastAttempt> past;
  std::int64_t now;
  StartVerdict verdict;
  std::int64_t retry_at = 0;
  std::size_t open_index = 0;
};

const QuizSettings kWindow{.opens_at_ms = kOpens, .closes_at_ms = kCloses};
const QuizSettings kTwoTries{.opens_at_ms = kOpens, .closes_at_ms = kCloses, .max_attempts = 2, .wait_minutes = 10};

const StartCase kStartCases[] = {
    {"no settings, no past", {}, {}, kOpens, StartVerdict::start},
    {"inside the window", kWindow, {}, kOpens + kMinute, StartVerdict::start},
    {"exactly at opening", kWindow, {}, kOpens, StartVerdict::start},
    {"before opening", kWindow, {}, kOpens - 1, StartVerdict::not_open_yet, kOpens},
    {"just before closing", kWindow, {}, kCloses - 1, StartVerdict::start},
    {"exactly at closing", kWindow, {}, kCloses, StartVerdict::closed},
    {"after closing", kWindow, {}, kCloses + kMinute, StartVerdict::closed},
    {"an open attempt is resumed", kTwoTries,
     {ended(kOpens, kOpens + kMinute), open_attempt(kOpens + 20 * kMinute)}, kOpens + 21 * kMinute,
     StartVerdict::resume, 0, 1},
    {"resume comes before every other rule", kTwoTries,
     {ended(kOpens, kOpens + kMinute), open_attempt(kOpens + 20 * kMinute)}, kCloses + 1, StartVerdict::resume, 0, 1},
    {"first open attempt at index 0", kWindow, {open_attempt(kOpens)}, kOpens + 1, StartVerdict::resume, 0, 0},
    {"one attempt of two used, wait over", kTwoTries, {ended(kOpens, kOpens + kMinute)}, kOpens + 30 * kMinute,
     StartVerdict::start},
    {"no attempts left", kTwoTries, {ended(kOpens, kOpens + kMinute), ended(kOpens + 20 * kMinute, kOpens + 25 * kMinute)},
     kOpens + 90 * kMinute, StartVerdict::no_attempts_left},
    {"unlimited attempts", {.wait_minutes = 10},
     {ended(1, 2), ended(3, 4), ended(5, 6), ended(7, 8), ended(9, 10)}, kOpens, StartVerdict::start},
    {"must wait", kTwoTries, {ended(kOpens, kOpens + kMinute)}, kOpens + 5 * kMinute, StartVerdict::wait,
     kOpens + 11 * kMinute},
    {"wait counts from the latest end, past in any order", {.wait_minutes = 10},
     {ended(kOpens + 20 * kMinute, kOpens + 30 * kMinute), ended(kOpens, kOpens + kMinute)}, kOpens + 35 * kMinute,
     StartVerdict::wait, kOpens + 40 * kMinute},
    {"one ms before the wait is over", kTwoTries, {ended(kOpens, kOpens + kMinute)}, kOpens + 11 * kMinute - 1,
     StartVerdict::wait, kOpens + 11 * kMinute},
    {"start exactly when the wait is over", kTwoTries, {ended(kOpens, kOpens + kMinute)}, kOpens + 11 * kMinute,
     StartVerdict::start},
    {"no wait set", {}, {ended(kOpens, kOpens + kMinute)}, kOpens + kMinute, StartVerdict::start},
    {"closed before no attempts left", kTwoTries, {ended(kOpens, kOpens + 1), ended(kOpens + 2, kOpens + 3)}, kCloses,
     StartVerdict::closed},
};

TEST(Quiz, MayStartTable) {
  for (const auto& c : kStartCases) {
    auto d = may_start(c.settings, c.past, c.now);
    EXPECT_EQ(d.verdict, c.verdict) << c.name;
    if (c.verdict == StartVerdict::wait || c.verdict == StartVerdict::not_open_yet) {
      EXPECT_EQ(d.retry_at_ms, c.retry_at) << c.name;
      // Retrying at that moment is allowed.
      EXPECT_EQ(may_start(c.settings, c.past, d.retry_at_ms).verdict, StartVerdict::start) << c.name;
    }
    if (c.verdict == StartVerdict::resume) {
      EXPECT_EQ(d.open_index, c.open_index) << c.name;
    }
  }
}

// ---- deadlines ---------------------------------------------------------------------------

struct DeadlineCase {
  const char* name;
  QuizSettings settings;
  std::int64_t started;
  std::int64_t deadline;
};

const DeadlineCase kDeadlineCases[] = {
    {"neither", {}, kOpens, 0},
    {"time limit only", {.time_limit_minutes = 45}, kOpens + 7, kOpens + 7 + 45 * kMinute},
    {"closing time only", {.closes_at_ms = kCloses}, kOpens, kCloses},
    {"limit ends first", {.time_limit_minutes = 45, .closes_at_ms = kCloses}, kOpens, kOpens + 45 * kMinute},
    {"closing comes first", {.time_limit_minutes = 45, .closes_at_ms = kCloses}, kCloses - 10 * kMinute, kCloses},
    {"both at the same moment", {.time_limit_minutes = 60, .closes_at_ms = kOpens + 60 * kMinute}, kOpens,
     kOpens + 60 * kMinute},
    {"longest limit", {.time_limit_minutes = 1440}, kOpens, kOpens + 1440 * kMinute},
};

TEST(Quiz, DeadlineTable) {
  for (const auto& c : kDeadlineCases) EXPECT_EQ(deadline_ms(c.settings, c.started), c.deadline) << c.name;
}

struct AcceptCase {
  const char* name;
  std::int64_t deadline, now, grace;
  bool accepted;
};

const AcceptCase kAcceptCases[] = {
    {"no deadline", 0, kCloses * 2, 0, true},
    {"no deadline, negative grace", 0, kCloses, -5, true},
    {"before the deadline", kCloses, kCloses - 1, kDefaultGraceMs, true},
    {"at the deadline", kCloses, kCloses, kDefaultGraceMs, true},
    {"inside the grace", kCloses, kCloses + 29'999, kDefaultGraceMs, true},
    {"exactly deadline + grace", kCloses, kCloses + kDefaultGraceMs, kDefaultGraceMs, true},
    {"1 ms after deadline + grace", kCloses, kCloses + kDefaultGraceMs + 1, kDefaultGraceMs, false},
    {"no grace, at the deadline", kCloses, kCloses, 0, true},
    {"no grace, 1 ms late", kCloses, kCloses + 1, 0, false},
    {"negative grace is none, at the deadline", kCloses, kCloses, -10'000, true},
    {"negative grace is none, 1 ms late", kCloses, kCloses + 1, -10'000, false},
    {"negative grace is none, 1 ms early", kCloses, kCloses - 1, -10'000, true},
};

TEST(Quiz, AcceptsAnswersTable) {
  for (const auto& c : kAcceptCases) EXPECT_EQ(accepts_answers(c.deadline, c.now, c.grace), c.accepted) << c.name;
}

// ---- grading an attempt ------------------------------------------------------------------

Question single_q(double mark) {
  Question q{.id = "s", .type = QuestionType::single_choice, .mark = mark};
  q.options = {{"a", "Mật khẩu dài", 1, ""}, {"b", "Ngày sinh", 0, ""}, {"c", "Tên con mèo", 0.5, ""}};
  q.competencies = {"4.1", "4.2"};
  return q;
}
Question tf_q(double mark) {
  Question q{.id = "t", .type = QuestionType::true_false, .mark = mark};
  q.truth = false;
  q.competencies = {"4.2"};
  return q;
}
Question num_q(double mark) {
  Question q{.id = "n", .type = QuestionType::numerical, .mark = mark};
  q.numeric = {{100, 0, 1, ""}};
  q.competencies = {"1.1"};
  return q;
}

struct AttemptCase {
  const char* name;
  std::vector<double> marks;                // single, true/false, numerical: as many as given
  std::vector<std::optional<Answer>> answers;
  double pass_percent;
  double score, max_score, percent;
  bool passed;
};

const AttemptCase kAttemptCases[] = {
    {"all right", {2, 1, 3}, {Answer{.option_ids = {"a"}}, Answer{.truth = false}, Answer{.number = 100}}, 50, 6, 6, 100, true},
    {"sum of partial scores", {2, 1, 3}, {Answer{.option_ids = {"c"}}, Answer{.truth = false}, Answer{.number = 99}}, 50, 2, 6,
     33.3333, false},
    {"unanswered count 0 but their mark counts", {2, 1, 3}, {Answer{.option_ids = {"a"}}, std::nullopt, std::nullopt}, 50, 2,
     6, 33.3333, false},
    {"fewer answers than questions", {2, 1, 3}, {Answer{.option_ids = {"a"}}}, 0, 2, 6, 33.3333, true},
    {"no answer at all", {2, 1, 3}, {}, 0.0001, 0, 6, 0, false},
    {"nothing right, pass mark 0", {2, 1, 3}, {}, 0, 0, 6, 0, true},
    {"exactly at the pass mark", {2, 1, 1}, {Answer{.option_ids = {"a"}}, Answer{.truth = true}, std::nullopt}, 50, 2, 4, 50,
     true},
    {"just below the pass mark", {2, 1, 1}, {Answer{.option_ids = {"a"}}, Answer{.truth = true}, std::nullopt}, 50.0001, 2,
     4, 50, false},
    {"a third at a pass mark of a third", {2, 4}, {Answer{.option_ids = {"a"}}, Answer{.truth = true}}, 33.3333, 2, 6,
     33.3333, true},
    {"full marks at pass mark 100", {1, 1}, {Answer{.option_ids = {"a"}}, Answer{.truth = false}}, 100, 2, 2, 100, true},
    {"no questions: not passed", {}, {}, 0, 0, 0, 0, false},
    {"marks of 0: not passed", {0, 0}, {Answer{.option_ids = {"a"}}, Answer{.truth = false}}, 0, 0, 0, 0, false},
};

TEST(Quiz, GradeAttemptTable) {
  for (const auto& c : kAttemptCases) {
    std::vector<Question> qs;
    Question (*makers[])(double) = {single_q, tf_q, num_q};
    for (std::size_t i = 0; i < c.marks.size(); ++i) qs.push_back(makers[i](c.marks[i]));
    std::vector<const Question*> ptrs;
    for (const auto& q : qs) ptrs.push_back(&q);
    AttemptGrade g = grade_attempt(ptrs, c.answers, c.pass_percent);
    EXPECT_NEAR(g.score, c.score, 1e-9) << c.name;
    EXPECT_NEAR(g.max_score, c.max_score, 1e-9) << c.name;
    EXPECT_NEAR(g.percent, c.percent, 1e-9) << c.name;
    EXPECT_EQ(g.passed, c.passed) << c.name;
    ASSERT_EQ(g.questions.size(), qs.size()) << c.name;
    for (std::size_t i = 0; i < qs.size(); ++i) {
      const bool given = i < c.answers.size() && c.answers[i];
      EXPECT_EQ(g.questions[i], grade(qs[i], given ? *c.answers[i] : Answer{})) << c.name << " question " << i;
      if (!given) {
        EXPECT_FALSE(g.questions[i].answered) << c.name;
      }
    }
  }
}

// ---- which attempt counts ----------------------------------------------------------------

PastAttempt done(std::int64_t end, double score, double max = 10) {
  return {.started_ms = end - kMinute, .ended_ms = end, .score = score, .max_score = max};
}

struct CountedCase {
  const char* name;
  std::vector<PastAttempt> past;
  ScoreRule rule;
  std::optional<std::size_t> counted;
};

const CountedCase kCountedCases[] = {
    {"nothing", {}, ScoreRule::highest, std::nullopt},
    {"nothing, last", {}, ScoreRule::last, std::nullopt},
    {"only an open attempt", {open_attempt(kOpens)}, ScoreRule::highest, std::nullopt},
    {"only an open attempt, last", {open_attempt(kOpens)}, ScoreRule::last, std::nullopt},
    {"one submitted", {done(kOpens, 4)}, ScoreRule::highest, 0},
    {"highest", {done(kOpens, 4), done(kOpens + 10, 9), done(kOpens + 20, 6)}, ScoreRule::highest, 1},
    {"highest, ties: the earliest", {done(kOpens, 4), done(kOpens + 10, 9), done(kOpens + 20, 9)}, ScoreRule::highest, 1},
    {"highest, ties: the earliest even when listed later",
     {done(kOpens + 20, 9), done(kOpens, 2), done(kOpens + 10, 9)}, ScoreRule::highest, 2},
    {"highest ignores a better open attempt", {done(kOpens, 4), open_attempt(kOpens + 10), done(kOpens + 20, 3)},
     ScoreRule::highest, 0},
    {"highest, all zero: the earliest", {done(kOpens + 5, 0), done(kOpens, 0)}, ScoreRule::highest, 1},
    {"last", {done(kOpens, 4), done(kOpens + 10, 9), done(kOpens + 20, 6)}, ScoreRule::last, 2},
    {"last submitted, listed first", {done(kOpens + 20, 1), done(kOpens, 4), done(kOpens + 10, 9)}, ScoreRule::last, 0},
    {"last ignores an open attempt", {done(kOpens, 4), done(kOpens + 10, 9), open_attempt(kOpens + 20)}, ScoreRule::last,
     1},
};

TEST(Quiz, CountedAttemptTable) {
  for (const auto& c : kCountedCases) EXPECT_EQ(counted_attempt(c.past, c.rule), c.counted) << c.name;
}

// ---- review ------------------------------------------------------------------------------

struct ReviewCase {
  const char* name;
  QuizSettings settings;
  std::int64_t now;
  ReviewLevel level;
};

const ReviewCase kReviewCases[] = {
    {"immediately: the level", {.review = ReviewLevel::correct}, kOpens, ReviewLevel::correct},
    {"immediately, score only", {.review = ReviewLevel::score}, kOpens, ReviewLevel::score},
    {"immediately, before closing", {.closes_at_ms = kCloses, .review = ReviewLevel::answers}, kOpens,
     ReviewLevel::answers},
    {"after close: before closing", {.closes_at_ms = kCloses, .review = ReviewLevel::correct, .review_when = ReviewWhen::after_close},
     kCloses - 1, ReviewLevel::score},
    {"after close: exactly at closing",
     {.closes_at_ms = kCloses, .review = ReviewLevel::correct, .review_when = ReviewWhen::after_close}, kCloses,
     ReviewLevel::correct},
    {"after close: later", {.closes_at_ms = kCloses, .review = ReviewLevel::answers, .review_when = ReviewWhen::after_close},
     kCloses + kMinute, ReviewLevel::answers},
    {"after close without closing time: score only", {.review = ReviewLevel::correct, .review_when = ReviewWhen::after_close},
     kCloses * 2, ReviewLevel::score},
};

TEST(Quiz, ReviewNowTable) {
  for (const auto& c : kReviewCases) EXPECT_EQ(review_now(c.settings, c.now), c.level) << c.name;
}

// ---- evidence ----------------------------------------------------------------------------

TEST(Quiz, Evidence) {
  const Question s = single_q(2);  // competencies 4.1 and 4.2
  const Question t = tf_q(1);      // 4.2
  const Question n = num_q(4);     // 1.1
  Question none = tf_q(1);
  none.competencies.clear();
  Question zero = tf_q(0);
  zero.competencies = {"5.1"};
  std::vector<const Question*> qs = {&s, &t, &n, &none, &zero};
  std::vector<Grade> grades = {
      {.score = 1, .max = 2, .answered = true},   // half
      {.score = 1, .max = 1, .answered = true},   // all
      {.score = 4, .max = 4, .answered = false},  // unanswered: skipped whatever it says
      {.score = 1, .max = 1, .answered = true},   // no competency
      {.score = 0, .max = 0, .answered = true},   // no mark: answered, no credit
  };
  auto e = evidence(qs, grades);
  std::map<std::string, Evidence> want = {
      {"4.1", {.answered = 1, .credit = 0.5}},
      {"4.2", {.answered = 2, .credit = 1.5}},
      {"5.1", {.answered = 1, .credit = 0}},
  };
  EXPECT_EQ(e, want);

  // From a real grading, and with fewer grades than questions.
  AttemptGrade g = grade_attempt({&s, &t, &n}, {Answer{.option_ids = {"c"}}, Answer{.truth = false}, std::nullopt}, 50);
  EXPECT_EQ(evidence({&s, &t, &n}, g.questions),
            (std::map<std::string, Evidence>{{"4.1", {1, 0.5}}, {"4.2", {2, 1.5}}}));
  EXPECT_EQ(evidence({&s, &t, &n}, {g.questions[0]}),
            (std::map<std::string, Evidence>{{"4.1", {1, 0.5}}, {"4.2", {1, 0.5}}}));
  EXPECT_TRUE(evidence({}, {}).empty());
}

}  // namespace
}  // namespace hocvu::assessment
