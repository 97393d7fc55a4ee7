#include "assessment/question_json.h"

#include "assessment/grading.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>

namespace hocvu::assessment {
namespace {
namespace json = boost::json;

// ---- question builders: every field of each type set -------------------------------------

void place(Question& q) {
  q.category = "An toàn/Mật khẩu";
  q.tags = {"mật khẩu", "cơ bản"};
  q.difficulty = 2;
  q.competencies = {"4.1", "4.2"};
}

Question single() {
  Question q{.id = "q1", .type = QuestionType::single_choice, .name = "Mật khẩu mạnh",
             .text = "Mật khẩu nào **mạnh** nhất?", .general_feedback = "Lời giải chung BÍ MẬT.", .mark = 2};
  q.options = {{"a", "Dài, có chữ số và ký hiệu", 1, "Chính xác BÍ MẬT."},
               {"b", "Ngày sinh", 0, "Dễ đoán BÍ MẬT."},
               {"c", "Tên thú cưng kèm số", 0.5, ""},
               {"d", "123456", -0.5, ""}};
  place(q);
  return q;
}

Question multiple() {
  Question q{.id = "q2", .type = QuestionType::multiple_choice, .name = "Thói quen an toàn",
             .text = "Chọn các thói quen an toàn.", .general_feedback = "Lời giải chung BÍ MẬT.", .mark = 3};
  q.options = {{"a", "Bật xác thực hai lớp", 0.5, "Đúng BÍ MẬT."},
               {"b", "Cập nhật phần mềm", 0.5, ""},
               {"c", "Bấm vào mọi đường link", -0.5, "Nguy hiểm BÍ MẬT."},
               {"d", "Cho người lạ mượn máy", -1, ""},
               {"e", "Đổi hình nền", 0, ""}};
  place(q);
  return q;
}

Question true_false() {
  Question q{.id = "q3", .type = QuestionType::true_false, .name = "Wi-Fi công cộng",
             .text = "Wi-Fi công cộng luôn an toàn.", .general_feedback = "Lời giải chung BÍ MẬT.", .mark = 1};
  q.truth = false;
  q.true_feedback = "Sai rồi BÍ MẬT.";
  q.false_feedback = "Đúng vậy BÍ MẬT.";
  place(q);
  return q;
}

Question short_answer() {
  Question q{.id = "q4", .type = QuestionType::short_answer, .name = "Từ khoá",
             .text = "Điền một từ về an toàn thông tin.", .general_feedback = "Lời giải chung BÍ MẬT.", .mark = 1.5};
  q.accepted = {{"bảo mật", 1, "Tốt BÍ MẬT."}, {"an ninh", 0.5, "Gần đúng BÍ MẬT."}};
  q.matching.ignore_diacritics = true;
  place(q);
  return q;
}

Question numerical() {
  Question q{.id = "q5", .type = QuestionType::numerical, .name = "Số pi", .text = "Số pi, hai chữ số thập phân?",
             .general_feedback = "Lời giải chung BÍ MẬT.", .mark = 2};
  q.numeric = {{3.14, 0.01, 1, "Đúng BÍ MẬT."}, {3, 0, 0.5, "Gần đúng BÍ MẬT."}};
  place(q);
  return q;
}

Question matching() {
  Question q{.id = "q6", .type = QuestionType::matching, .name = "Địa danh", .text = "Ghép các cặp.",
             .general_feedback = "Lời giải chung BÍ MẬT.", .mark = 3};
  q.pairs = {{"p1", "Thủ đô", "Hà Nội"}, {"p2", "Sông", "Sông Hồng"}, {"p3", "Núi", "Fansipan"}, {"x", "", "Đà Lạt"}};
  place(q);
  return q;
}

Question ordering() {
  Question q{.id = "q7", .type = QuestionType::ordering, .name = "Đăng nhập", .text = "Sắp xếp các bước.",
             .general_feedback = "Lời giải chung BÍ MẬT.", .mark = 4};
  q.items = {{"a", "Mở trình duyệt"}, {"b", "Gõ địa chỉ"}, {"c", "Đăng nhập"}, {"d", "Đăng xuất"}};
  place(q);
  return q;
}

Question fill() {
  Question q{.id = "q8", .type = QuestionType::fill_blanks, .name = "Thủ đô", .text = "{1} là thủ đô, bên {2}.",
             .general_feedback = "Lời giải chung BÍ MẬT.", .mark = 2};
  q.blanks = {{{{"Hà Nội", 1, ""}}}, {{{"sông Hồng", 1, ""}, {"Hồng", 0.5, "Thiếu chữ sông BÍ MẬT."}}}};
  place(q);
  return q;
}

Question fill_loose() {
  Question q = fill();
  q.matching.ignore_diacritics = true;
  return q;
}

using Maker = Question (*)();
const Maker kAllTypes[] = {single, multiple, true_false, short_answer, numerical, matching, ordering, fill, fill_loose};

std::set<std::string> keys_of(const json::object& o) {
  std::set<std::string> keys;
  for (const auto& [k, v] : o) keys.insert(std::string(k));
  return keys;
}

void all_keys(const json::value& v, std::set<std::string>& keys) {
  if (v.is_object()) {
    for (const auto& [k, x] : v.get_object()) {
      keys.insert(std::string(k));
      all_keys(x, keys);
    }
  } else if (v.is_array()) {
    for (const auto& x : v.get_array()) all_keys(x, keys);
  }
}

// ---- questions ---------------------------------------------------------------------------

TEST(QuestionJson, QuestionRoundTripEveryType) {
  for (Maker make : kAllTypes) {
    const Question q = make();
    const json::object o = question_to_json(q);
    EXPECT_EQ(o.at("type").as_string(), type_name(q.type));
    std::string error;
    auto back = question_from_json(o, error);
    ASSERT_TRUE(back) << q.id << ": " << error;
    EXPECT_EQ(*back, q) << q.id;
    // Through text too, as stored.
    auto again = question_from_json(json::parse(json::serialize(o)), error);
    ASSERT_TRUE(again) << q.id << ": " << error;
    EXPECT_EQ(*again, q) << q.id << "\n" << json::serialize(o);
  }
}

TEST(QuestionJson, QuestionDefaultsAndUnknownKeys) {
  std::string error;
  auto q = question_from_json(json::parse(R"({"type": "true_false", "truth": false, "extra": [1, 2], "id": "t"})"), error);
  ASSERT_TRUE(q) << error;
  Question want{.id = "t", .type = QuestionType::true_false};
  want.truth = false;
  EXPECT_EQ(*q, want);
  auto minimal = question_from_json(json::parse(R"({"type": "single_choice"})"), error);
  ASSERT_TRUE(minimal) << error;
  EXPECT_EQ(*minimal, Question{});
}

struct BadQuestionCase {
  const char* name;
  const char* json;
  const char* mentions;
};

const BadQuestionCase kBadQuestions[] = {
    {"unknown type", R"({"type": "essay", "text": "Viết một đoạn."})", "\"essay\""},
    {"type in capitals", R"({"type": "Single_Choice"})", "\"Single_Choice\""},
    {"no type", R"({"id": "q1", "text": "Câu hỏi"})", "Loại câu hỏi"},
    {"type not a string", R"({"type": 1})", "Loại câu hỏi"},
    {"not an object: array", R"([{"type": "single_choice"}])", "đối tượng JSON"},
    {"not an object: string", R"("single_choice")", "đối tượng JSON"},
    {"not an object: null", "null", "đối tượng JSON"},
};

TEST(QuestionJson, QuestionErrors) {
  for (const auto& c : kBadQuestions) {
    std::string error;
    EXPECT_EQ(question_from_json(json::parse(c.json), error), std::nullopt) << c.name;
    EXPECT_NE(error.find(c.mentions), std::string::npos) << c.name << ": " << error;
  }
}

// ---- settings ----------------------------------------------------------------------------

QuizSettings full_settings() {
  return {.fixed = {"q1", "q7"},
          .draws = {{.category = "An toàn/Lừa đảo", .tag = "email", .competency = "4.2", .difficulty = 2, .count = 3},
                    {.count = 1}},
          .shuffle_questions = true,
          .shuffle_options = false,
          .time_limit_minutes = 45,
          .opens_at_ms = 1'796'090'400'000,   // 2026-12-01T02:00:00.000Z
          .closes_at_ms = 1'796'695'200'123,  // 2026-12-08T02:00:00.123Z
          .max_attempts = 3,
          .wait_minutes = 15,
          .pass_percent = 62.5,
          .score_rule = ScoreRule::last,
          .review = ReviewLevel::correct,
          .review_when = ReviewWhen::after_close,
          .per_page = 5,
          .domain = "4"};
}

TEST(QuestionJson, SettingsRoundTrip) {
  const QuizSettings s = full_settings();
  const json::object o = settings_to_json(s);
  EXPECT_EQ(o.at("opens_at"), json::value("2026-12-01T02:00:00.000Z"));
  EXPECT_EQ(o.at("closes_at"), json::value("2026-12-08T02:00:00.123Z"));
  EXPECT_EQ(o.at("score_rule"), json::value("last"));
  EXPECT_EQ(o.at("review"), json::value("correct"));
  EXPECT_EQ(o.at("review_when"), json::value("after_close"));
  std::string error;
  auto back = settings_from_json(o, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, s);
  auto again = settings_from_json(json::parse(json::serialize(o)), error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(*again, s);

  const QuizSettings defaults;
  const json::object d = settings_to_json(defaults);
  EXPECT_TRUE(d.at("opens_at").is_null());
  EXPECT_TRUE(d.at("closes_at").is_null());
  EXPECT_EQ(settings_from_json(d, error), defaults);
  EXPECT_EQ(settings_from_json(json::object{}, error), defaults) << "every key may be left out";
  EXPECT_EQ(settings_from_json(json::parse(R"({"opens_at": null, "closes_at": null})"), error), defaults);
}

struct TimeCase {
  std::int64_t ms;
  const char* text;  // nullptr: null
};

const TimeCase kTimes[] = {
    {0, nullptr},
    {1, "1970-01-01T00:00:00.001Z"},
    {-1, "1969-12-31T23:59:59.999Z"},
    {999, "1970-01-01T00:00:00.999Z"},
    {1'000, "1970-01-01T00:00:01.000Z"},
    {1'796'090'400'000, "2026-12-01T02:00:00.000Z"},
    {1'796'090'400'999, "2026-12-01T02:00:00.999Z"},
    {1'709'164'800'000, "2024-02-29T00:00:00.000Z"},
    {4'102'444'799'999, "2099-12-31T23:59:59.999Z"},
};

TEST(QuestionJson, SettingsTimesTable) {
  for (const auto& c : kTimes) {
    QuizSettings s{.fixed = {"q1"}, .opens_at_ms = c.ms, .closes_at_ms = c.ms};
    json::object o = settings_to_json(s);
    if (c.text) {
      EXPECT_EQ(o.at("opens_at"), json::value(c.text)) << c.ms;
      EXPECT_EQ(o.at("closes_at"), json::value(c.text)) << c.ms;
    } else {
      EXPECT_TRUE(o.at("opens_at").is_null()) << c.ms;
    }
    std::string error;
    auto back = settings_from_json(json::parse(json::serialize(o)), error);
    ASSERT_TRUE(back) << c.ms << ": " << error;
    EXPECT_EQ(back->opens_at_ms, c.ms);
    EXPECT_EQ(back->closes_at_ms, c.ms);
  }
}

struct BadSettingsCase {
  const char* name;
  const char* json;
  const char* mentions;
};

const BadSettingsCase kBadSettings[] = {
    {"not an object", R"([1, 2])", "đối tượng JSON"},
    {"null", "null", "đối tượng JSON"},
    {"unknown score rule", R"({"score_rule": "best"})", "\"score_rule\""},
    {"score rule in capitals", R"({"score_rule": "Highest"})", "\"score_rule\""},
    {"unknown review", R"({"review": "full"})", "\"review\" phải là score, answers hoặc correct"},
    {"unknown review time", R"({"review_when": "later"})", "\"review_when\""},
    {"date only", R"({"opens_at": "2026-12-01"})", "\"opens_at\""},
    {"no milliseconds", R"({"opens_at": "2026-12-01T02:00:00Z"})", "\"opens_at\""},
    {"space instead of T", R"({"opens_at": "2026-12-01 02:00:00.000Z"})", "\"opens_at\""},
    {"time zone offset", R"({"opens_at": "2026-12-01T02:00:00.000+07:00"})", "\"opens_at\""},
    {"lower-case z", R"({"opens_at": "2026-12-01T02:00:00.000z"})", "\"opens_at\""},
    {"letters in the year", R"({"opens_at": "2O26-12-01T02:00:00.000Z"})", "\"opens_at\""},
    {"a number of ms", R"({"closes_at": 1796090400000})", "\"closes_at\""},
    {"empty text", R"({"closes_at": ""})", "\"closes_at\""},
    {"a bool", R"({"closes_at": true})", "\"closes_at\""},
    {"month 13", R"({"closes_at": "2026-13-01T00:00:00.000Z"})", "\"closes_at\""},
    {"month 0", R"({"closes_at": "2026-00-10T00:00:00.000Z"})", "\"closes_at\""},
    {"30 February", R"({"closes_at": "2026-02-30T00:00:00.000Z"})", "\"closes_at\""},
    {"29 February of a common year", R"({"closes_at": "2027-02-29T00:00:00.000Z"})", "\"closes_at\""},
    {"day 0", R"({"closes_at": "2026-12-00T00:00:00.000Z"})", "\"closes_at\""},
    {"hour 24", R"({"closes_at": "2026-12-01T24:00:00.000Z"})", "\"closes_at\""},
    {"minute 60", R"({"closes_at": "2026-12-01T02:60:00.000Z"})", "\"closes_at\""},
    {"second 61", R"({"closes_at": "2026-12-01T02:00:61.000Z"})", "\"closes_at\""},
};

TEST(QuestionJson, SettingsErrors) {
  for (const auto& c : kBadSettings) {
    std::string error;
    auto s = settings_from_json(json::parse(c.json), error);
    EXPECT_FALSE(s.has_value()) << c.name << ": read as opens " << (s ? s->opens_at_ms : 0) << ", closes "
                               << (s ? s->closes_at_ms : 0);
    EXPECT_NE(error.find(c.mentions), std::string::npos) << c.name << ": " << error;
  }
}

// Numbers out of the range of an int are read as the nearest end of it, never as garbage:
// quiz_problems then reports them.
// A number that is not a whole number within an int is refused, naming the field (core/json.h);
// it was clamped (1e300 became INT_MAX) and 2.5 truncated.
TEST(QuestionJson, SettingsHugeNumbers) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"fixed": ["q1"], "time_limit_minutes": 1e12})", "time_limit_minutes"},
      {R"({"fixed": ["q1"], "max_attempts": -1e12})", "max_attempts"},
      {R"({"fixed": ["q1"], "wait_minutes": 18446744073709551615})", "wait_minutes"},
      {R"({"fixed": ["q1"], "per_page": 4294967297})", "per_page"},
      {R"({"fixed": ["q1"], "per_page": 2.5})", "per_page"},
      {R"({"draws": [{"count": 1e300}]})", "count"},
      {R"({"draws": [{"count": 1, "difficulty": -1e300}]})", "difficulty"},
  };
  for (const auto& [text, field] : cases) {
    std::string error;
    EXPECT_FALSE(settings_from_json(json::parse(text), error)) << text;
    EXPECT_NE(error.find(std::string("\"") + field + "\" phải là một số nguyên"), std::string::npos) << text << ": " << error;
  }
  std::string error;
  auto whole = settings_from_json(json::parse(R"({"fixed": ["q1"], "max_attempts": 3.0, "per_page": 2e0})"), error);
  ASSERT_TRUE(whole) << error;
  EXPECT_EQ(whole->max_attempts, 3);
  EXPECT_EQ(whole->per_page, 2);
  EXPECT_FALSE(question_from_json(json::parse(R"({"type": "numerical", "difficulty": 1e40})"), error));
  EXPECT_NE(error.find("\"difficulty\" phải là một số nguyên"), std::string::npos) << error;
}

// ---- answers -----------------------------------------------------------------------------

struct AnswerCase {
  const char* name;
  Maker make;
  std::string value;  // JSON text
  bool accepted;
  Answer want = {};
  const char* mentions = "";  // refused: a piece of the message
};

std::string quoted(const std::string& s) { return "\"" + s + "\""; }
std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

const AnswerCase kAnswerCases[] = {
    // single_choice
    {"single: an option id", single, R"("b")", true, {.option_ids = {"b"}}},
    {"single: unknown id", single, R"("z")", false, {}, "mã của một lựa chọn"},
    {"single: empty id", single, R"("")", false},
    {"single: a list", single, R"(["a"])", false},
    {"single: a number", single, "1", false},
    {"single: null", single, "null", false},
    {"single: the option text", single, R"("Ngày sinh")", false},
    // multiple_choice
    {"multiple: two ids", multiple, R"(["a", "c"])", true, {.option_ids = {"a", "c"}}},
    {"multiple: learner's order kept", multiple, R"(["e", "b", "a"])", true, {.option_ids = {"e", "b", "a"}}},
    {"multiple: none chosen", multiple, "[]", true, {}},
    {"multiple: an id twice", multiple, R"(["a", "b", "a"])", false, {}, "một lần"},
    {"multiple: unknown id", multiple, R"(["a", "z"])", false, {}, "mã lựa chọn"},
    {"multiple: a number in the list", multiple, R"(["a", 2])", false},
    {"multiple: one id, not a list", multiple, R"("a")", false, {}, "danh sách"},
    {"multiple: an object", multiple, R"({"a": true})", false},
    // true_false
    {"true_false: true", true_false, "true", true, {.truth = true}},
    {"true_false: false", true_false, "false", true, {.truth = false}},
    {"true_false: text", true_false, R"("true")", false, {}, "true (đúng) hoặc false (sai)"},
    {"true_false: a number", true_false, "1", false},
    {"true_false: null", true_false, "null", false},
    // short_answer
    {"short: text", short_answer, R"("  Bảo mật ")", true, {.text = "  Bảo mật "}},
    {"short: empty text", short_answer, R"("")", true, {}},
    {"short: exactly the longest", short_answer, quoted(std::string(kMaxTypedAnswer, 'a')), true,
     {.text = std::string(kMaxTypedAnswer, 'a')}},
    {"short: one byte too long", short_answer, quoted(std::string(kMaxTypedAnswer + 1, 'a')), false, {}, "quá dài"},
    {"short: 666 three-byte letters fit", short_answer, quoted(repeat("ả", 666)), true, {.text = repeat("ả", 666)}},
    {"short: 667 three-byte letters are too many bytes", short_answer, quoted(repeat("ả", 667)), false, {}, "quá dài"},
    {"short: a number", short_answer, "12", false, {}, "đoạn chữ"},
    {"short: a list", short_answer, R"(["bảo mật"])", false},
    {"short: null", short_answer, "null", false},
    // numerical
    {"numerical: decimal", numerical, "3.14", true, {.number = 3.14}},
    {"numerical: negative integer", numerical, "-3", true, {.number = -3}},
    {"numerical: zero", numerical, "0", true, {.number = 0}},
    {"numerical: exponent", numerical, "1.5e3", true, {.number = 1500}},
    {"numerical: large unsigned", numerical, "18446744073709551615", true, {.number = 18446744073709551615.0}},
    {"numerical: overflow to infinity", numerical, "1e400", false, {}, "một số"},
    {"numerical: overflow to minus infinity", numerical, "-1e400", false, {}, "một số"},
    {"numerical: a number as text", numerical, R"("3.14")", false, {}, "một số"},
    {"numerical: NaN as text", numerical, R"("NaN")", false},
    {"numerical: a bool", numerical, "true", false},
    {"numerical: null", numerical, "null", false},
    {"numerical: a list", numerical, "[3.14]", false},
    // matching
    {"matching: all prompts", matching, R"({"p1": "Hà Nội", "p2": "Sông Hồng", "p3": "Fansipan"})", true,
     {.pairs = {{"p1", "Hà Nội"}, {"p2", "Sông Hồng"}, {"p3", "Fansipan"}}}},
    {"matching: pairs kept sorted by prompt id", matching, R"({"p3": "Hà Nội", "p1": "Sông Hồng"})", true,
     {.pairs = {{"p1", "Sông Hồng"}, {"p3", "Hà Nội"}}}},
    {"matching: the distractor's answer text is a choice", matching, R"({"p1": "Đà Lạt"})", true,
     {.pairs = {{"p1", "Đà Lạt"}}}},
    {"matching: nothing matched yet", matching, "{}", true, {}},
    {"matching: unknown prompt id", matching, R"({"p9": "Hà Nội"})", false, {}, "\"p9\" không phải vế trái"},
    {"matching: the distractor's id is no prompt", matching, R"({"x": "Đà Lạt"})", false, {}, "\"x\""},
    {"matching: unknown answer text", matching, R"({"p1": "Sài Gòn"})", false, {}, "Vế phải ghép với \"p1\""},
    {"matching: answer text in other case", matching, R"({"p1": "hà nội"})", false},
    {"matching: answer not text", matching, R"({"p1": 1})", false},
    {"matching: a list", matching, R"(["Hà Nội"])", false, {}, "mã vế trái"},
    {"matching: null", matching, "null", false},
    // ordering
    {"ordering: a permutation", ordering, R"(["b", "a", "d", "c"])", true, {.order = {"b", "a", "d", "c"}}},
    {"ordering: the right order", ordering, R"(["a", "b", "c", "d"])", true, {.order = {"a", "b", "c", "d"}}},
    {"ordering: one missing", ordering, R"(["a", "b", "c"])", false, {}, "đúng một lần"},
    {"ordering: one twice", ordering, R"(["a", "b", "c", "c"])", false, {}, "đúng một lần"},
    {"ordering: one twice, one missing", ordering, R"(["a", "b", "c", "a"])", false},
    {"ordering: an unknown id", ordering, R"(["a", "b", "c", "z"])", false},
    {"ordering: an extra id", ordering, R"(["a", "b", "c", "d", "e"])", false},
    {"ordering: empty", ordering, "[]", false},
    {"ordering: numbers", ordering, "[0, 1, 2, 3]", false},
    {"ordering: text", ordering, R"("abcd")", false, {}, "danh sách mã mục"},
    // fill_blanks
    {"fill: one text per gap", fill, R"(["Hà Nội", "sông Hồng"])", true, {.gaps = {"Hà Nội", "sông Hồng"}}},
    {"fill: blank gaps", fill, R"(["", ""])", true, {.gaps = {"", ""}}},
    {"fill: too few", fill, R"(["Hà Nội"])", false, {}, "danh sách 2 đoạn chữ"},
    {"fill: too many", fill, R"(["Hà Nội", "sông Hồng", "x"])", false, {}, "danh sách 2 đoạn chữ"},
    {"fill: none", fill, "[]", false},
    {"fill: a number in a gap", fill, R"(["Hà Nội", 2])", false, {}, "Mỗi chỗ trống"},
    {"fill: a gap too long", fill, "[\"Hà Nội\", " + quoted(std::string(kMaxTypedAnswer + 1, 'x')) + "]", false, {},
     "quá dài"},
    {"fill: a gap exactly the longest", fill, "[\"Hà Nội\", " + quoted(std::string(kMaxTypedAnswer, 'x')) + "]", true,
     {.gaps = {"Hà Nội", std::string(kMaxTypedAnswer, 'x')}}},
    {"fill: one text", fill, R"("Hà Nội")", false},
    {"fill: an object", fill, R"({"1": "Hà Nội"})", false},
};

TEST(QuestionJson, AnswerFromJsonTable) {
  for (const auto& c : kAnswerCases) {
    const Question q = c.make();
    std::string error;
    auto a = answer_from_json(q, json::parse(c.value), error);
    ASSERT_EQ(a.has_value(), c.accepted) << c.name << ": " << error;
    if (a) {
      EXPECT_EQ(*a, c.want) << c.name;
    } else {
      EXPECT_FALSE(error.empty()) << c.name;
      EXPECT_NE(error.find(c.mentions), std::string::npos) << c.name << ": " << error;
    }
  }
}

TEST(QuestionJson, AnswerRoundTrip) {
  for (const auto& c : kAnswerCases) {
    if (!c.accepted) continue;
    const Question q = c.make();
    std::string error;
    const Answer a = *answer_from_json(q, json::parse(c.value), error);
    const json::value v = answer_to_json(q, a);
    auto back = answer_from_json(q, v, error);
    ASSERT_TRUE(back) << c.name << ": " << json::serialize(v) << ": " << error;
    EXPECT_EQ(*back, a) << c.name;
    auto again = answer_from_json(q, json::parse(json::serialize(v)), error);
    ASSERT_TRUE(again) << c.name << ": " << error;
    EXPECT_EQ(*again, a) << c.name;
  }
}

struct AnswerJsonCase {
  const char* name;
  Maker make;
  Answer answer;
  json::value want;
};

const AnswerJsonCase kAnswerJson[] = {
    {"single", single, {.option_ids = {"c"}}, "c"},
    {"single, nothing", single, {}, nullptr},
    {"multiple", multiple, {.option_ids = {"b", "a"}}, json::array{"b", "a"}},
    {"multiple, nothing", multiple, {}, json::array{}},
    {"true_false", true_false, {.truth = false}, false},
    {"true_false, nothing", true_false, {}, nullptr},
    {"short", short_answer, {.text = "an ninh"}, "an ninh"},
    {"short, nothing", short_answer, {}, ""},
    {"numerical", numerical, {.number = 3.5}, 3.5},
    {"numerical, nothing", numerical, {}, nullptr},
    {"matching", matching, {.pairs = {{"p1", "Hà Nội"}, {"p2", "Đà Lạt"}}},
     json::object{{"p1", "Hà Nội"}, {"p2", "Đà Lạt"}}},
    {"matching, nothing", matching, {}, json::object{}},
    {"ordering", ordering, {.order = {"d", "c", "b", "a"}}, json::array{"d", "c", "b", "a"}},
    {"fill", fill, {.gaps = {"Hà Nội", ""}}, json::array{"Hà Nội", ""}},
    {"only the fields of the type", true_false, {.option_ids = {"a"}, .truth = true, .text = "x", .number = 1}, true},
};

TEST(QuestionJson, AnswerToJsonTable) {
  for (const auto& c : kAnswerJson)
    EXPECT_EQ(answer_to_json(c.make(), c.answer), c.want) << c.name << ": " << json::serialize(answer_to_json(c.make(), c.answer));
}

// ---- the learner's view ------------------------------------------------------------------

const char* const kSecretKeys[] = {"fraction", "truth", "accepted", "numeric", "feedback", "answer",
                                   "true_feedback", "false_feedback", "general_feedback", "pairs", "blanks"};

struct LearnerCase {
  Maker make;
  std::vector<std::string> order;        // as drawn
  std::set<std::string> keys;            // top-level keys
  std::vector<const char*> secrets = {};  // texts that must not appear at all
};

const LearnerCase kLearnerCases[] = {
    {single, {"c", "a", "d", "b"}, {"id", "type", "text", "mark", "options"}},
    {multiple, {"e", "d", "c", "b", "a"}, {"id", "type", "text", "mark", "options"}},
    {true_false, {}, {"id", "type", "text", "mark"}},
    {short_answer, {}, {"id", "type", "text", "mark"}, {"bảo mật", "an ninh"}},
    {numerical, {}, {"id", "type", "text", "mark"}, {"3.14", "1E-2"}},
    {matching, {"Fansipan", "Đà Lạt", "Hà Nội", "Sông Hồng"}, {"id", "type", "text", "mark", "prompts", "choices"}},
    {ordering, {"c", "a", "d", "b"}, {"id", "type", "text", "mark", "items"}},
    {fill, {}, {"id", "type", "text", "mark", "gaps"}, {"sông Hồng", "Thiếu chữ sông"}},
};

TEST(QuestionJson, LearnerQuestionKeepsSecrets) {
  for (const auto& c : kLearnerCases) {
    const Question q = c.make();
    const json::object o = learner_question(q, {q.id, 4, c.order});
    const std::string text = json::serialize(o);
    EXPECT_EQ(keys_of(o), c.keys) << q.id << ": " << text;
    for (const char* key : kSecretKeys) EXPECT_EQ(text.find(quoted(key) + ":"), std::string::npos) << q.id << ": " << key;
    std::set<std::string> keys;
    all_keys(o, keys);
    for (const char* key : kSecretKeys) EXPECT_EQ(keys.count(key), 0u) << q.id << ": " << key;
    EXPECT_EQ(text.find("BÍ MẬT"), std::string::npos) << q.id << ": feedback leaked: " << text;
    for (const char* s : c.secrets) EXPECT_EQ(text.find(s), std::string::npos) << q.id << ": " << s << " in " << text;
    EXPECT_EQ(text.find("An toàn/Mật khẩu"), std::string::npos) << q.id << ": bank data";
    EXPECT_EQ(o.at("id"), json::value(q.id));
    EXPECT_EQ(o.at("type"), json::value(type_name(q.type)));
    EXPECT_EQ(o.at("text"), json::value(q.text));
    EXPECT_EQ(o.at("mark"), json::value(q.mark));
  }
}

std::vector<std::string> field(const json::value& list, const char* key) {
  std::vector<std::string> out;
  for (const auto& x : list.as_array()) {
    EXPECT_EQ(x.as_object().size(), 2u) << json::serialize(x);  // "id" and "text" only
    out.emplace_back(x.at(key).as_string());
  }
  return out;
}

TEST(QuestionJson, LearnerQuestionInDrawnOrder) {
  {
    const Question q = single();
    const json::object o = learner_question(q, {q.id, 1, {"c", "a", "d", "b"}});
    // Named by their place in this attempt, never by the author's ids.
    EXPECT_EQ(field(o.at("options"), "id"), (std::vector<std::string>{"1", "2", "3", "4"}));
    EXPECT_EQ(field(o.at("options"), "text"),
              (std::vector<std::string>{"Tên thú cưng kèm số", "Dài, có chữ số và ký hiệu", "123456", "Ngày sinh"}));
  }
  {
    const Question q = multiple();
    const json::object o = learner_question(q, {q.id, 1, {"b", "e", "a", "d", "c"}});
    EXPECT_EQ(field(o.at("options"), "id"), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  }
  {
    const Question q = ordering();
    const json::object o = learner_question(q, {q.id, 1, {"d", "b", "a", "c"}});
    EXPECT_EQ(field(o.at("items"), "id"), (std::vector<std::string>{"1", "2", "3", "4"}));
    EXPECT_EQ(field(o.at("items"), "text"),
              (std::vector<std::string>{"Đăng xuất", "Gõ địa chỉ", "Mở trình duyệt", "Đăng nhập"}));
  }
  {
    const Question q = matching();
    const json::object o = learner_question(q, {q.id, 1, {"Sông Hồng", "Đà Lạt", "Fansipan", "Hà Nội"}});
    EXPECT_EQ(field(o.at("prompts"), "id"), (std::vector<std::string>{"p1", "p2", "p3"})) << "the distractor is no prompt";
    EXPECT_EQ(field(o.at("prompts"), "text"), (std::vector<std::string>{"Thủ đô", "Sông", "Núi"}));
    EXPECT_EQ(o.at("choices"), (json::array{"Sông Hồng", "Đà Lạt", "Fansipan", "Hà Nội"}));
  }
  {
    const Question q = fill();
    const json::object o = learner_question(q, {q.id, 1, {}});
    EXPECT_EQ(o.at("gaps").to_number<std::int64_t>(), 2);
  }
}

// The view from a real draw: never the right order of an ordering question.
TEST(QuestionJson, PositionsTranslateBothWaysAndOnlyForChoicesAndOrdering) {
  const Question q = multiple();
  const DrawnQuestion d{q.id, 1, {"c", "a", "e", "b", "d"}};
  EXPECT_EQ(to_learner(q, d, json::array{"a", "b"}), (json::array{"2", "4"}));
  EXPECT_EQ(from_learner(q, d, json::array{"2", "4"}), (json::array{"a", "b"}));
  // Not a position of this draw: nothing any question accepts.
  for (const char* bad : {"0", "6", "a", "", "-1", "1.5", "99999"})
    EXPECT_EQ(from_learner(q, d, json::array{bad}), (json::array{""})) << bad;
  const Question o = ordering();
  const DrawnQuestion od{o.id, 1, {"d", "b", "a", "c"}};
  EXPECT_EQ(from_learner(o, od, json::array{"3", "2", "4", "1"}), (json::array{"a", "b", "c", "d"}));
  const Question t = true_false();
  EXPECT_EQ(from_learner(t, {t.id, 1, {}}, json::value(true)), json::value(true));
  const Question m = matching();
  const json::value pairs = json::object{{"p1", "Hà Nội"}};
  EXPECT_EQ(from_learner(m, {m.id, 1, {"Hà Nội"}}, pairs), pairs);
}

TEST(QuestionJson, LearnerQuestionFromADraw) {
  const std::vector<Question> bank = {single(), ordering(), matching()};
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    auto drawn = draw({.fixed = {"q1", "q7", "q6"}}, bank, {1, 1, 1}, seed);
    ASSERT_TRUE(drawn);
    for (std::size_t i = 0; i < bank.size(); ++i) {
      const json::object o = learner_question(bank[i], (*drawn)[i]);
      const std::string text = json::serialize(o);
      for (const char* key : kSecretKeys) EXPECT_EQ(text.find(quoted(key) + ":"), std::string::npos) << key;
      if (bank[i].type == QuestionType::ordering) {
        EXPECT_NE(field(o.at("items"), "text"), (std::vector<std::string>{"Mở trình duyệt", "Gõ địa chỉ", "Đăng nhập", "Đăng xuất"}))
            << seed;
        EXPECT_EQ(field(o.at("items"), "id"), (std::vector<std::string>{"1", "2", "3", "4"})) << seed;
      }
      if (bank[i].type == QuestionType::single_choice) {
        EXPECT_EQ(field(o.at("options"), "id"), (std::vector<std::string>{"1", "2", "3", "4"})) << seed;
        // The right answer, sent back by position, is the right option whatever the shuffle.
        std::string error;
        auto answer = answer_from_json(bank[i], from_learner(bank[i], (*drawn)[i], to_learner(bank[i], (*drawn)[i], json::value("a"))), error);
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->option_ids, std::vector<std::string>{"a"});
      }
    }
  }
}

// ---- right answers and review ------------------------------------------------------------

struct RightCase {
  Maker make;
  json::value want;
};

const RightCase kRightCases[] = {
    {single, "a"},
    {multiple, json::array{"a", "b"}},
    {true_false, false},
    {short_answer, "bảo mật"},
    {numerical, 3.14},
    {matching, json::object{{"p1", "Hà Nội"}, {"p2", "Sông Hồng"}, {"p3", "Fansipan"}}},
    {ordering, json::array{"a", "b", "c", "d"}},
    {fill, json::array{"Hà Nội", "sông Hồng"}},
};

TEST(QuestionJson, RightAnswerTable) {
  for (const auto& c : kRightCases) {
    const Question q = c.make();
    const json::value v = right_answer(q);
    EXPECT_EQ(v, c.want) << q.id << ": " << json::serialize(v);
    // It is a valid answer, and it earns the whole mark.
    std::string error;
    auto a = answer_from_json(q, v, error);
    ASSERT_TRUE(a) << q.id << ": " << error;
    EXPECT_EQ(grade(q, *a).score, q.mark) << q.id;
  }
}

struct ReviewCase {
  ReviewLevel level;
  bool answered;
  std::set<std::string> added;
};

const ReviewCase kReviewCases[] = {
    {ReviewLevel::score, true, {}},   // which questions were right is part of the review
    {ReviewLevel::score, false, {}},
    {ReviewLevel::answers, true, {"score", "max_score", "answer"}},
    {ReviewLevel::answers, false, {"score", "max_score", "answer"}},
    {ReviewLevel::correct, true, {"score", "max_score", "answer", "correct", "feedback"}},
    {ReviewLevel::correct, false, {"score", "max_score", "answer", "correct", "feedback"}},
};

const Answer kSomeAnswer[] = {
    {.option_ids = {"c"}},
    {.option_ids = {"a", "c"}},
    {.truth = true},
    {.text = "An ninh"},
    {.number = 3},
    {.pairs = {{"p1", "Hà Nội"}, {"p2", "Đà Lạt"}}},
    {.order = {"b", "a", "c", "d"}},
    {.gaps = {"Hà Nội", "Hồng"}},
    {.gaps = {"ha noi", "hong"}},
};

TEST(QuestionJson, AddReviewTable) {
  static_assert(std::size(kSomeAnswer) == std::size(kAllTypes));
  for (std::size_t t = 0; t < std::size(kAllTypes); ++t) {
    const Question q = kAllTypes[t]();
    for (const auto& c : kReviewCases) {
      const std::string name = q.id + " " + review_name(c.level) + (c.answered ? " answered" : " unanswered");
      const std::optional<Answer> answer = c.answered ? std::optional<Answer>(kSomeAnswer[t]) : std::nullopt;
      const Grade g = grade(q, answer.value_or(Answer{}));
      const DrawnQuestion drawn = draw({.fixed = {q.id}}, {q}, {1}, 7)->front();
      json::object o = learner_question(q, drawn);
      const auto before = keys_of(o);
      add_review(o, q, drawn, answer, g, c.level);
      std::set<std::string> added;
      for (const auto& k : keys_of(o))
        if (!before.count(k)) added.insert(k);
      EXPECT_EQ(added, c.added) << name;
      if (c.level != ReviewLevel::score) {
        EXPECT_EQ(o.at("score"), json::value(g.score)) << name;
        EXPECT_EQ(o.at("max_score"), json::value(g.max)) << name;
      }
      if (c.added.count("answer")) {
        EXPECT_EQ(o.at("answer"), answer ? to_learner(q, drawn, answer_to_json(q, *answer)) : json::value(nullptr)) << name;
      }
      if (c.added.count("correct")) {
        EXPECT_EQ(o.at("correct"), to_learner(q, drawn, right_answer(q))) << name;
        json::array feedback;
        for (const auto& f : g.feedback) feedback.emplace_back(f);
        EXPECT_EQ(o.at("feedback"), feedback) << name;
      }
      if (c.level != ReviewLevel::correct) {
        EXPECT_EQ(json::serialize(o).find("BÍ MẬT"), std::string::npos) << name << ": feedback before its time";
      }
    }
  }
}

TEST(QuestionJson, AddReviewFeedbackOfTheAnswer) {
  const Question q = single();
  const Grade g = grade(q, {.option_ids = {"a"}});
  json::object o;
  add_review(o, q, {q.id, 1, {"c", "a", "d", "b"}}, Answer{.option_ids = {"a"}}, g, ReviewLevel::correct);
  EXPECT_EQ(o.at("feedback"), (json::array{"Chính xác BÍ MẬT.", "Lời giải chung BÍ MẬT."}));
  EXPECT_EQ(o.at("answer"), json::value("2"));   // "a" was shown second
  EXPECT_EQ(o.at("correct"), json::value("2"));
  EXPECT_EQ(o.at("score"), json::value(2.0));
  EXPECT_EQ(o.at("max_score"), json::value(2.0));
}

// Found by assessment_json_fuzz: Boost.JSON reads 1e309 as infinity and writes it as
// `Infinity`, which is not JSON. A quiz is stored even with problems, so settings with
// "pass_percent": 1e309 made a quiz whose stored settings could never be read again. Numbers
// that are not finite are refused, anywhere in the document; what is read always stores.
TEST(QuestionJson, NumbersThatAreNotFiniteAreRefused) {
  for (const char* body : {R"({"pass_percent":1e309})", R"({"draws":[{"count":-1e400}]})", R"({"x":[1e999]})"}) {
    std::string error;
    EXPECT_FALSE(settings_from_json(json::parse(body), error)) << body;
    EXPECT_FALSE(error.empty()) << body;
  }
  for (const char* body : {R"({"type":"numerical","numeric":[{"value":1e309,"tolerance":0,"fraction":1}]})",
                           R"({"type":"single_choice","mark":1e400,"options":[{"id":"a","text":"A","fraction":1}]})"}) {
    std::string error;
    EXPECT_FALSE(question_from_json(json::parse(body), error)) << body;
    EXPECT_FALSE(error.empty()) << body;
  }
  std::string error;
  auto s = settings_from_json(json::parse(R"({"pass_percent":1e308})"), error);
  ASSERT_TRUE(s) << error;
  std::error_code ec;
  json::parse(json::serialize(settings_to_json(*s)), ec);
  EXPECT_FALSE(ec);
}

// Found by assessment_json_fuzz: an accepted text longer than a learner may type (kMaxTypedAnswer)
// passed question_problems, so the question could never be answered right.
TEST(QuestionJson, AnAcceptedTextLongerThanALearnerMayTypeIsAProblem) {
  Question q;
  q.type = QuestionType::short_answer;
  q.text = "?";
  q.accepted = {{std::string(kMaxTypedAnswer + 1, 'a'), 1, ""}};
  EXPECT_FALSE(question_problems(q).empty());
  q.accepted[0].text.resize(kMaxTypedAnswer);
  EXPECT_TRUE(question_problems(q).empty()) << question_problems(q).front();
  std::string error;
  EXPECT_TRUE(answer_from_json(q, right_answer(q), error)) << error;
}

}  // namespace
}  // namespace hocvu::assessment
