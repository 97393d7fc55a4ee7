#include "assessment/grading.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace hocvu::assessment {
namespace {

// ---- question builders -------------------------------------------------------------------

Question single() {
  Question q{.id = "q1", .type = QuestionType::single_choice, .general_feedback = "Xem bài 2.", .mark = 2};
  q.options = {{"a", "Dài, có chữ số và ký hiệu", 1, "Chính xác."},
               {"b", "Ngày sinh", 0, "Dễ đoán."},
               {"c", "Tên thú cưng kèm số", 0.5, ""},
               {"d", "123456", -0.5, ""}};
  return q;
}

// Mark 3; two right options of 50%, two wrong ones that take credit away, one neutral.
Question multiple() {
  Question q{.id = "q2", .type = QuestionType::multiple_choice, .mark = 3};
  q.options = {{"a", "Bật xác thực hai lớp", 0.5, "Đúng."},
               {"b", "Cập nhật phần mềm", 0.5, ""},
               {"c", "Bấm vào mọi đường link", -0.5, "Nguy hiểm."},
               {"d", "Cho người lạ mượn máy", -1, ""},
               {"e", "Đổi hình nền", 0, ""}};
  return q;
}

Question thirds() {
  Question q{.id = "q3", .type = QuestionType::multiple_choice, .mark = 3};
  q.options = {{"a", "A", 0.3333333, ""}, {"b", "B", 0.3333333, ""}, {"c", "C", 0.3333333, ""}, {"d", "D", -1, ""}};
  return q;
}

Question true_false() {
  Question q{.id = "q4", .type = QuestionType::true_false, .mark = 1};
  q.truth = false;
  q.true_feedback = "Sai rồi.";
  q.false_feedback = "Đúng vậy.";
  return q;
}

Question short_answer(std::vector<Accepted> accepted, bool ignore_diacritics) {
  Question q{.id = "q5", .type = QuestionType::short_answer, .mark = 1};
  q.accepted = std::move(accepted);
  q.matching.ignore_diacritics = ignore_diacritics;
  return q;
}
Question security_strict() { return short_answer({{"bảo mật", 1, "Tốt."}, {"an ninh", 0.5, "Gần đúng."}}, false); }
Question security_loose() { return short_answer({{"bảo mật", 1, "Tốt."}, {"an ninh", 0.5, "Gần đúng."}}, true); }
Question fish() { return short_answer({{"cá", 1, ""}}, false); }
Question login() { return short_answer({{"đăng nhập", 1, ""}}, false); }
Question login_loose() { return short_answer({{"đăng nhập", 1, ""}}, true); }
Question password_wild() { return short_answer({{"mật khẩu *", 1, ""}, {"*phishing*", 0.5, ""}}, false); }

Question numerical() {
  Question q{.id = "q6", .type = QuestionType::numerical, .mark = 2};
  q.numeric = {{3.14, 0.01, 1, "Đúng."}, {3, 0, 0.5, "Gần đúng."}};
  return q;
}

Question matching() {
  Question q{.id = "q7", .type = QuestionType::matching, .mark = 3};
  q.pairs = {{"p1", "Thủ đô", "Hà Nội"}, {"p2", "Sông", "Sông Hồng"}, {"p3", "Núi", "Fansipan"},
             {"x", "", "Đà Lạt"}};
  return q;
}

Question ordering() {
  Question q{.id = "q8", .type = QuestionType::ordering, .mark = 4};
  q.items = {{"a", "Mở trình duyệt"}, {"b", "Gõ địa chỉ"}, {"c", "Đăng nhập"}, {"d", "Đăng xuất"}};
  return q;
}

Question fill(bool ignore_diacritics) {
  Question q{.id = "q9", .type = QuestionType::fill_blanks, .text = "{1} là thủ đô, bên {2}.", .mark = 2};
  q.blanks = {{{{"Hà Nội", 1, ""}}}, {{{"sông Hồng", 1, ""}, {"Hồng", 0.5, "Thiếu chữ sông."}}}};
  q.matching.ignore_diacritics = ignore_diacritics;
  return q;
}
Question fill_strict() { return fill(false); }
Question fill_loose() { return fill(true); }

// ---- the grading table -------------------------------------------------------------------

struct GradeCase {
  const char* name;
  Question (*make)();
  Answer answer;
  double score;
  bool answered = true;
};

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

const GradeCase kGradeCases[] = {
    // single_choice
    {"single: right option", single, {.option_ids = {"a"}}, 2},
    {"single: wrong option", single, {.option_ids = {"b"}}, 0},
    {"single: partial option", single, {.option_ids = {"c"}}, 1},
    {"single: negative option is not below zero", single, {.option_ids = {"d"}}, 0},
    {"single: unknown id", single, {.option_ids = {"zz"}}, 0},
    {"single: two ids", single, {.option_ids = {"a", "b"}}, 0},
    {"single: right id twice is still two ids", single, {.option_ids = {"a", "a"}}, 0},
    {"single: nothing chosen", single, {}, 0, false},
    // multiple_choice
    {"multiple: both right", multiple, {.option_ids = {"a", "b"}}, 3},
    {"multiple: one of two right", multiple, {.option_ids = {"a"}}, 1.5},
    {"multiple: neutral option changes nothing", multiple, {.option_ids = {"a", "b", "e"}}, 3},
    {"multiple: a wrong option takes half away", multiple, {.option_ids = {"a", "b", "c"}}, 1.5},
    {"multiple: right and wrong cancel", multiple, {.option_ids = {"a", "c"}}, 0},
    {"multiple: only wrong ones: never negative", multiple, {.option_ids = {"c", "d"}}, 0},
    {"multiple: everything ticked", multiple, {.option_ids = {"a", "b", "c", "d", "e"}}, 0},
    {"multiple: duplicates count once", multiple, {.option_ids = {"a", "a", "a"}}, 1.5},
    {"multiple: unknown ids ignored", multiple, {.option_ids = {"a", "b", "zz"}}, 3},
    {"multiple: only unknown ids", multiple, {.option_ids = {"zz"}}, 0},
    {"multiple: nothing chosen", multiple, {}, 0, false},
    {"multiple: three thirds make the full mark", thirds, {.option_ids = {"a", "b", "c"}}, 3},
    {"multiple: one third", thirds, {.option_ids = {"a"}}, 0.9999999},
    // true_false
    {"true_false: right", true_false, {.truth = false}, 1},
    {"true_false: wrong", true_false, {.truth = true}, 0},
    {"true_false: no answer", true_false, {}, 0, false},
    // short_answer
    {"short: exact", security_strict, {.text = "bảo mật"}, 1},
    {"short: case and extra spaces", security_strict, {.text = "  Bảo   MẬT "}, 1},
    {"short: tabs and newlines are spaces", security_strict, {.text = "bảo\t\nmật"}, 1},
    {"short: no diacritics, strict", security_strict, {.text = "bao mat"}, 0},
    {"short: no diacritics, allowed", security_loose, {.text = "bao mat"}, 1},
    {"short: wrong diacritics, strict", security_strict, {.text = "bão mặt"}, 0},
    {"short: wrong diacritics, allowed", security_loose, {.text = "bão mặt"}, 1},
    {"short: punctuation counts when strict", security_strict, {.text = "bảo mật!"}, 0},
    {"short: punctuation ignored when folding", security_loose, {.text = "Bảo-mật!"}, 1},
    {"short: decomposed marks", security_strict, {.text = "ba\u0309o ma\u0323\u0302t"}, 1},
    {"short: decomposed marks in odd order", security_strict, {.text = "BA\u0309O MA\u0302\u0323T"}, 1},
    {"short: decomposed a + acute", fish, {.text = "ca\u0301"}, 1},
    {"short: decomposed a + acute, upper case", fish, {.text = "CA\u0301"}, 1},
    {"short: different word", fish, {.text = "cà"}, 0},
    {"short: upper-case Đ", login, {.text = "ĐĂNG NHẬP"}, 1},
    {"short: d for đ only when folding", login, {.text = "dăng nhập"}, 0},
    {"short: d for đ when folding", login_loose, {.text = "DANG NHAP"}, 1},
    {"short: partial answer", security_strict, {.text = "An Ninh"}, 0.5},
    {"short: wrong answer", security_strict, {.text = "mật khẩu"}, 0},
    {"short: empty", security_strict, {}, 0, false},
    {"short: white space only", security_strict, {.text = " \t "}, 0, false},
    {"short: wildcard tail", password_wild, {.text = "Mật khẩu mạnh"}, 1},
    {"short: wildcard needs its space", password_wild, {.text = "mật khẩuxyz"}, 0},
    {"short: wildcard needs something after the space", password_wild, {.text = "mật khẩu"}, 0},
    {"short: wildcards on both sides", password_wild, {.text = "email PHISHING giả mạo"}, 0.5},
    {"short: wildcards may match nothing", password_wild, {.text = "phishing"}, 0.5},
    {"short: best of several matches", password_wild, {.text = "mật khẩu phishing"}, 1},
    // numerical
    {"numerical: exact", numerical, {.number = 3.14}, 2},
    {"numerical: at value + tolerance", numerical, {.number = 3.15}, 2},
    {"numerical: at value - tolerance", numerical, {.number = 3.13}, 2},
    {"numerical: just above", numerical, {.number = 3.1501}, 0},
    {"numerical: just below", numerical, {.number = 3.1299}, 0},
    {"numerical: partial answer, zero tolerance", numerical, {.number = 3}, 1},
    {"numerical: zero tolerance is exact", numerical, {.number = 3.000001}, 0},
    {"numerical: NaN", numerical, {.number = kNaN}, 0},
    {"numerical: infinity", numerical, {.number = kInf}, 0},
    {"numerical: minus infinity", numerical, {.number = -kInf}, 0},
    {"numerical: no number", numerical, {}, 0, false},
    // matching
    {"matching: all right", matching, {.pairs = {{"p1", "Hà Nội"}, {"p2", "Sông Hồng"}, {"p3", "Fansipan"}}}, 3},
    {"matching: distractor chosen for one", matching,
     {.pairs = {{"p1", "Hà Nội"}, {"p2", "Đà Lạt"}, {"p3", "Fansipan"}}}, 2},
    {"matching: order of pairs does not matter", matching,
     {.pairs = {{"p3", "Fansipan"}, {"p1", "Hà Nội"}}}, 2},
    {"matching: decomposed answer text", matching, {.pairs = {{"p1", "Ha\u0300 No\u0302\u0323i"}}}, 1},
    {"matching: answers compared exactly", matching, {.pairs = {{"p1", "hà nội"}}}, 0},
    {"matching: distractor id and unknown ids earn nothing", matching,
     {.pairs = {{"x", "Đà Lạt"}, {"zz", "Hà Nội"}}}, 0},
    {"matching: one answer twice counts once", matching, {.pairs = {{"p1", "Hà Nội"}, {"p1", "Hà Nội"}}}, 1},
    {"matching: nothing", matching, {}, 0, false},
    {"matching: only empty texts", matching, {.pairs = {{"p1", ""}}}, 0, false},
    // ordering
    {"ordering: right order", ordering, {.order = {"a", "b", "c", "d"}}, 4},
    {"ordering: first two swapped", ordering, {.order = {"b", "a", "c", "d"}}, 2},
    {"ordering: reversed", ordering, {.order = {"d", "c", "b", "a"}}, 0},
    {"ordering: one missing at the end", ordering, {.order = {"a", "b", "c"}}, 3},
    {"ordering: one id repeated", ordering, {.order = {"a", "a", "a", "a"}}, 1},
    {"ordering: extra ids after the last item", ordering, {.order = {"a", "b", "c", "d", "e"}}, 4},
    {"ordering: unknown ids", ordering, {.order = {"w", "x", "y", "z"}}, 0},
    {"ordering: nothing", ordering, {}, 0, false},
    // fill_blanks
    {"fill: both gaps", fill_strict, {.gaps = {"Hà Nội", "sông Hồng"}}, 2},
    {"fill: both gaps, case and spaces", fill_strict, {.gaps = {" hà  nội", "SÔNG HỒNG "}}, 2},
    {"fill: first gap only", fill_strict, {.gaps = {"Hà Nội", "sông Đà"}}, 1},
    {"fill: second gap partial", fill_strict, {.gaps = {"Hà Nội", "Hồng"}}, 1.5},
    {"fill: second gap only, first blank", fill_strict, {.gaps = {"", "sông Hồng"}}, 1},
    {"fill: too few gaps", fill_strict, {.gaps = {"Hà Nội"}}, 1},
    {"fill: extra gaps ignored", fill_strict, {.gaps = {"Hà Nội", "sông Hồng", "Hà Nội"}}, 2},
    {"fill: no diacritics, strict", fill_strict, {.gaps = {"ha noi", "song hong"}}, 0},
    {"fill: no diacritics, allowed", fill_loose, {.gaps = {"ha noi", "song hong"}}, 2},
    {"fill: all gaps blank", fill_strict, {.gaps = {"", "  "}}, 0, false},
    {"fill: nothing", fill_strict, {}, 0, false},
};

TEST(Grading, Table) {
  for (const auto& c : kGradeCases) {
    Question q = c.make();
    Grade g = grade(q, c.answer);
    EXPECT_NEAR(g.score, c.score, 1e-9) << c.name;
    EXPECT_EQ(g.max, q.mark) << c.name;
    EXPECT_EQ(g.answered, c.answered) << c.name;
    EXPECT_GE(g.score, 0) << c.name;
    EXPECT_LE(g.score, g.max) << c.name;
  }
}

TEST(Grading, ScoreIsRoundedToTenMillionths) {
  Question q = matching();
  q.mark = 1;  // one prompt of three: 1/3
  Grade g = grade(q, {.pairs = {{"p1", "Hà Nội"}}});
  EXPECT_EQ(g.score, 0.3333333);
}

TEST(Grading, NegativeOrMissingMarkScoresNothing) {
  Question q = single();
  q.mark = -2;
  Grade g = grade(q, {.option_ids = {"a"}});
  EXPECT_EQ(g.score, 0);
  EXPECT_EQ(g.max, 0);
}

TEST(Grading, FeedbackOfChosenOptionsThenGeneral) {
  EXPECT_EQ(grade(single(), {.option_ids = {"a"}}).feedback, (std::vector<std::string>{"Chính xác.", "Xem bài 2."}));
  EXPECT_EQ(grade(single(), {.option_ids = {"c"}}).feedback, (std::vector<std::string>{"Xem bài 2."}));
  EXPECT_EQ(grade(single(), {}).feedback, (std::vector<std::string>{"Xem bài 2."}));
  EXPECT_EQ(grade(multiple(), {.option_ids = {"c", "a"}}).feedback, (std::vector<std::string>{"Đúng.", "Nguy hiểm."}));
  EXPECT_EQ(grade(true_false(), {.truth = true}).feedback, (std::vector<std::string>{"Sai rồi."}));
  EXPECT_EQ(grade(true_false(), {.truth = false}).feedback, (std::vector<std::string>{"Đúng vậy."}));
  EXPECT_EQ(grade(security_strict(), {.text = "AN NINH"}).feedback, (std::vector<std::string>{"Gần đúng."}));
  EXPECT_EQ(grade(numerical(), {.number = 3}).feedback, (std::vector<std::string>{"Gần đúng."}));
  EXPECT_EQ(grade(fill_strict(), {.gaps = {"Hà Nội", "Hồng"}}).feedback, (std::vector<std::string>{"Thiếu chữ sông."}));
}

// ---- text_matches ------------------------------------------------------------------------

struct MatchCase {
  const char* given;
  const char* accepted;
  bool ignore_diacritics;
  bool matches;
};

const MatchCase kMatchCases[] = {
    {"bảo mật", "bảo mật", false, true},
    {"  Bảo   MẬT ", "bảo mật", false, true},
    {"bao mat", "bảo mật", false, false},
    {"bao mat", "bảo mật", true, true},
    {"BAO   MAT", "Bảo Mật", true, true},
    {"ca\u0301", "cá", false, true},
    {"cá", "ca\u0301", false, true},
    {"ca\u0301", "ca", false, false},
    {"ca\u0301", "ca", true, true},
    {"Ơ Ư Ă Â Ê Ô Đ", "ơ ư ă â ê ô đ", false, true},
    {"ỚỪẶẨỄỘ", "ớừặẩễộ", false, true},
    {"anything", "*", false, false},
    {"", "", false, false},
    {"", "*", false, false},
    {"mật khẩu mạnh", "mật khẩu *", false, true},
    {"mật khẩu", "mật khẩu *", false, false},
    {"mat khau manh", "mật khẩu *", true, true},
    {"mat khau", "mật khẩu *", true, false},
    {"tấn công phishing qua email", "*phishing*", false, true},
    {"phishing", "*phishing*", false, true},
    {"phish", "*phishing*", false, false},
    {"abcabc", "a*c", false, true},
    {"ac", "a*c", false, true},
    {"a", "a*a", false, false},
    {"aXbYc", "a*b*c", false, true},
    {"acb", "a*b*c", false, false},
    {"a*b", "a\\*b", false, true},
    {"axb", "a\\*b", false, false},
    {"1 + 1", "1 * 1", false, true},
    {"1+1", "1 * 1", false, false},
};

TEST(Grading, TextMatchesTable) {
  for (const auto& c : kMatchCases)
    EXPECT_EQ(text_matches(c.given, c.accepted, {.ignore_diacritics = c.ignore_diacritics}), c.matches)
        << "\"" << c.given << "\" vs \"" << c.accepted << "\" ignore_diacritics=" << c.ignore_diacritics;
}

// ---- question_problems -------------------------------------------------------------------

struct ProblemCase {
  const char* name;
  Question (*make)();
  std::size_t problems;
  const char* mentions = "";  // a piece of the first message
};

const ProblemCase kProblemCases[] = {
    {"single is fine", single, 0},
    {"multiple is fine", multiple, 0},
    {"thirds are fine", thirds, 0},
    {"true_false is fine", true_false, 0},
    {"short answer is fine", security_strict, 0},
    {"wildcards are fine", password_wild, 0},
    {"numerical is fine", numerical, 0},
    {"matching is fine", matching, 0},
    {"ordering is fine", ordering, 0},
    {"fill is fine", fill_strict, 0},
    {"mark zero",
     [] {
       Question q = single();
       q.mark = 0;
       return q;
     },
     1, "Điểm tối đa"},
    {"single without right option",
     [] {
       Question q = single();
       q.options[0].fraction = 0;
       return q;
     },
     1, "trọn điểm"},
    {"single all wrong",
     [] {
       Question q = single();
       for (auto& o : q.options) o.fraction = 0;
       return q;
     },
     1, "Không có phương án đúng"},
    {"single with one option",
     [] {
       Question q = single();
       q.options.resize(1);
       return q;
     },
     1, "hai phương án"},
    {"option fraction out of range",
     [] {
       Question q = single();
       q.options[1].fraction = 1.5;
       return q;
     },
     1, "“b”"},
    {"duplicate and missing option ids",
     [] {
       Question q = multiple();
       q.options[1].id = "a";
       q.options[2].id = "";
       return q;
     },
     2, "trùng lặp"},
    {"multiple cannot reach the full mark",
     [] {
       Question q = multiple();
       q.options[1].fraction = 0;
       return q;
     },
     1, "50%"},
    {"short answer without accepted text", [] { return short_answer({}, false); }, 1, "chưa có đáp án"},
    {"short answer without full mark", [] { return short_answer({{"x", 0.5, ""}}, false); }, 1, "trọn điểm"},
    {"short answer blank or wildcard only",
     [] { return short_answer({{"bảo mật", 1, ""}, {" * ", 0.5, ""}}, false); }, 1, "rỗng"},
    {"short answer fraction out of range",
     [] { return short_answer({{"bảo mật", 1, ""}, {"an ninh", -0.5, ""}}, false); }, 1, "0..1"},
    {"numerical with negative tolerance",
     [] {
       Question q = numerical();
       q.numeric[0].tolerance = -0.01;
       return q;
     },
     1, "sai số"},
    {"numerical without answers",
     [] {
       Question q = numerical();
       q.numeric.clear();
       return q;
     },
     1, "chưa có đáp án"},
    {"matching with one prompt",
     [] {
       Question q = matching();
       q.pairs.erase(q.pairs.begin() + 1, q.pairs.begin() + 3);
       return q;
     },
     1, "hai vế trái"},
    {"matching pair without answer",
     [] {
       Question q = matching();
       q.pairs[0].answer = " ";
       return q;
     },
     1, "“p1”"},
    {"ordering with one item",
     [] {
       Question q = ordering();
       q.items.resize(1);
       return q;
     },
     1, "hai mục"},
    {"ordering duplicate ids",
     [] {
       Question q = ordering();
       q.items[3].id = "a";
       return q;
     },
     1, "trùng lặp"},
    {"fill: text has fewer gaps than blanks",
     [] {
       Question q = fill_strict();
       q.text = "{1} là thủ đô.";
       return q;
     },
     1, "{1}..{2}"},
    {"fill: gaps not numbered from 1",
     [] {
       Question q = fill_strict();
       q.text = "{1} là thủ đô, bên {3}.";
       return q;
     },
     1, "{1}..{2}"},
    {"fill: text has more gaps than blanks",
     [] {
       Question q = fill_strict();
       q.text = "{1}, {2}, {3}";
       return q;
     },
     1, "3 chỗ trống"},
    {"fill: a gap twice",
     [] {
       Question q = fill_strict();
       q.text = "{1}, {2}, {1}";
       return q;
     },
     1, "nhiều lần"},
    {"fill: a gap without accepted text",
     [] {
       Question q = fill_strict();
       q.blanks[1].accepted.clear();
       return q;
     },
     1, "{2}"},
    {"fill: no blanks",
     [] {
       Question q = fill_strict();
       q.text = "Không có chỗ trống.";
       q.blanks.clear();
       return q;
     },
     1, "chưa có chỗ trống"},
};

TEST(Grading, QuestionProblemsTable) {
  for (const auto& c : kProblemCases) {
    auto problems = question_problems(c.make());
    ASSERT_EQ(problems.size(), c.problems) << c.name << (problems.empty() ? "" : ": " + problems[0]);
    if (!problems.empty()) {
      EXPECT_NE(problems[0].find(c.mentions), std::string::npos) << c.name << ": " << problems[0];
    }
  }
}

TEST(Grading, TypeNamesRoundTrip) {
  for (auto t : {QuestionType::single_choice, QuestionType::multiple_choice, QuestionType::true_false,
                 QuestionType::short_answer, QuestionType::numerical, QuestionType::matching,
                 QuestionType::ordering, QuestionType::fill_blanks})
    EXPECT_EQ(type_from_name(type_name(t)), t) << type_name(t);
  EXPECT_STREQ(type_name(QuestionType::fill_blanks), "fill_blanks");
  EXPECT_EQ(type_from_name("essay"), std::nullopt);
  EXPECT_EQ(type_from_name("Single_Choice"), std::nullopt);
}

}  // namespace
}  // namespace hocvu::assessment
