#include "assessment/gift.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hocvu::assessment {
namespace {

// A readable dump of a question, for failure messages.
std::string dump(const Question& q) {
  std::ostringstream out;
  out << "{id=" << q.id << " type=" << static_cast<int>(q.type) << " name='" << q.name << "' text='" << q.text
      << "' gf='" << q.general_feedback << "' cat='" << q.category << "' truth=" << q.truth << " tfb='"
      << q.true_feedback << "' ffb='" << q.false_feedback << "'";
  for (const Option& o : q.options) out << " opt(" << o.id << ",'" << o.text << "'," << o.fraction << ",'" << o.feedback << "')";
  for (const Accepted& a : q.accepted) out << " acc('" << a.text << "'," << a.fraction << ",'" << a.feedback << "')";
  for (const NumericAnswer& n : q.numeric)
    out << " num(" << n.value << "±" << n.tolerance << "," << n.fraction << ",'" << n.feedback << "')";
  for (const Pair& p : q.pairs) out << " pair(" << p.id << ",'" << p.prompt << "','" << p.answer << "')";
  for (const Blank& b : q.blanks) {
    out << " blank[";
    for (const Accepted& a : b.accepted) out << "('" << a.text << "'," << a.fraction << ",'" << a.feedback << "')";
    out << "]";
  }
  return out.str() + "}";
}

std::string dump(const GiftImport& r) {
  std::string out;
  for (const Question& q : r.questions) out += "  " + dump(q) + "\n";
  for (const GiftError& e : r.errors) out += "  error " + std::to_string(e.line) + ": " + e.message + "\n";
  for (int line : r.skipped_lines) out += "  skipped " + std::to_string(line) + "\n";
  return out;
}

Question make(QuestionType type, std::string text) {
  Question q;
  q.id = "q1";
  q.type = type;
  q.text = std::move(text);
  return q;
}

// ---- each construct, with the question expected -------------------------------------------

struct ParseCase {
  const char* name;
  std::string gift;
  Question expected;
};

std::vector<ParseCase> parse_cases() {
  std::vector<ParseCase> cases;
  {
    Question q = make(QuestionType::single_choice, "Thủ đô của Việt Nam?");
    q.options = {{"a", "Hà Nội", 1, ""}, {"b", "Huế", 0, "Cố đô."}, {"c", "Sài Gòn", 0, ""}};
    cases.push_back({"single_choice", "Thủ đô của Việt Nam? {=Hà Nội ~Huế#Cố đô. ~Sài Gòn}", q});
  }
  {
    Question q = make(QuestionType::single_choice, "Chọn:");
    q.name = "Tiêu đề";
    q.options = {{"a", "x", 0, ""}, {"b", "y", 1, "đúng"}, {"c", "z", 0.5, ""}};
    cases.push_back({"title_multiline_partial", "::Tiêu đề:: Chọn: {\n  ~x\n  =y#đúng\n  ~%50%z\n}", q});
  }
  {
    Question q = make(QuestionType::multiple_choice, "Chọn các số chẵn");
    q.options = {{"a", "2", 0.5, ""}, {"b", "4", 0.5, "tốt"}, {"c", "3", -1, ""}};
    cases.push_back({"weighted_multiple", "Chọn các số chẵn {~%50%2 ~%50%4#tốt ~%-100%3}", q});
  }
  {
    Question q = make(QuestionType::multiple_choice, "Hai đúng");
    q.options = {{"a", "a", 1, ""}, {"b", "b", 1, ""}, {"c", "c", 0, ""}};
    cases.push_back({"two_equals_is_multiple", "Hai đúng {=a =b ~c}", q});
  }
  {
    Question q = make(QuestionType::true_false, "Trời xanh.");
    q.truth = true;
    cases.push_back({"true_short", "Trời xanh. {T}", q});
  }
  {
    Question q = make(QuestionType::true_false, "Trời xanh.");
    q.truth = false;
    cases.push_back({"false_word", "Trời xanh. {FALSE}", q});
  }
  {
    // {T#shown when answered wrongly#shown when answered rightly}
    Question q = make(QuestionType::true_false, "Mặt trời mọc ở đằng đông.");
    q.truth = true;
    q.false_feedback = "Sai rồi.";
    q.true_feedback = "Đúng!";
    cases.push_back({"true_feedback", "Mặt trời mọc ở đằng đông. {TRUE#Sai rồi.#Đúng!}", q});
  }
  {
    Question q = make(QuestionType::true_false, "2 > 3");
    q.truth = false;
    q.true_feedback = "Không.";
    q.false_feedback = "Chuẩn.";
    cases.push_back({"false_feedback", "2 > 3 {F#Không.#Chuẩn.}", q});
  }
  {
    Question q = make(QuestionType::short_answer, "Viết tắt của xác thực hai lớp?");
    q.accepted = {{"2FA", 1, ""}, {"MFA", 0.5, "Gần đúng."}};
    cases.push_back({"short_answer", "Viết tắt của xác thực hai lớp? {=2FA =%50%MFA#Gần đúng.}", q});
  }
  {
    Question q = make(QuestionType::matching, "Ghép:");
    q.pairs = {{"a", "mèo", "cat"}, {"b", "chó", "dog"}, {"c", "", "bird"}};
    cases.push_back({"matching", "Ghép: {=mèo -> cat =chó -> dog = -> bird}", q});
  }
  {
    Question q = make(QuestionType::numerical, "Số pi?");
    q.numeric = {{3.14, 0.01, 1, ""}};
    cases.push_back({"numerical_tolerance", "Số pi? {#3.14:0.01}", q});
  }
  {
    Question q = make(QuestionType::numerical, "Từ 1 đến 5");
    q.numeric = {{3, 2, 1, "ok"}};
    cases.push_back({"numerical_range", "Từ 1 đến 5 {#1..5#ok}", q});
  }
  {
    Question q = make(QuestionType::numerical, "Âm");
    q.numeric = {{-2.5, 0, 1, ""}};
    cases.push_back({"numerical_exact", "Âm {#-2.5}", q});
  }
  {
    Question q = make(QuestionType::numerical, "Số pi?");
    q.numeric = {{3, 0, 1, ""}, {3.1, 0.1, 0.5, "gần"}};
    cases.push_back({"numerical_multiple", "Số pi? {# =%100%3:0 =%50%3.1:0.1#gần}", q});
  }
  {
    Question q = make(QuestionType::fill_blanks, "Thủ đô là {1} từ năm 1010.");
    q.blanks = {{{{"Thăng Long", 1, ""}, {"Hà Nội", 0.5, ""}}}};
    cases.push_back({"missing_word_short", "Thủ đô là {=Thăng Long =%50%Hà Nội} từ năm 1010.", q});
  }
  {
    Question q = make(QuestionType::fill_blanks, "Mèo có {1} chân.");
    q.blanks = {{{{"bốn", 1, "Đúng"}}}};
    cases.push_back({"missing_word_choice", "Mèo có {=bốn#Đúng ~ba ~hai} chân.", q});
  }
  {
    Question q = make(QuestionType::single_choice, "Câu");
    q.general_feedback = "Xem lại bài 2.";
    q.options = {{"a", "x", 1, ""}, {"b", "y", 0, ""}};
    cases.push_back({"general_feedback", "Câu {=x ~y ####Xem lại bài 2.}", q});
  }
  {
    Question q = make(QuestionType::true_false, "Đúng?");
    q.general_feedback = "Chung.";
    cases.push_back({"general_feedback_true_false", "Đúng? {T####Chung.}", q});
  }
  {
    Question q = make(QuestionType::single_choice, "a~b = c#d {e} f:g \\ h");
    q.name = "x::y";
    q.options = {{"a", "=1", 1, "#ok"}, {"b", "~2 {3}", 0, ""}};
    cases.push_back({"escapes",
                     "::x\\:\\:y::a\\~b \\= c\\#d \\{e\\} f\\:g \\\\ h {=\\=1#\\#ok ~\\~2 \\{3\\}}", q});
  }
  {
    Question q = make(QuestionType::true_false, "Dòng một\nDòng hai");
    cases.push_back({"newline_escape", "Dòng một\\nDòng hai {T}", q});
  }
  {
    Question q = make(QuestionType::true_false, "Dòng một\nDòng hai");
    cases.push_back({"question_on_two_lines", "Dòng một\nDòng hai\n{T}", q});
  }
  for (const char* marker : {"[markdown]", "[plain]", "[html]", "[moodle]"}) {
    Question q = make(QuestionType::true_false, std::string(marker) == "[html]" ? "<b>Đậm</b>" : "**Đậm**");
    q.name = "T";
    cases.push_back({marker, std::string("::T::") + marker + q.text + " {T}", q});
  }
  {
    Question q = make(QuestionType::short_answer, "");
    q.accepted = {{"x", 1, ""}};
    cases.push_back({"no_text", "{=x}", q});
  }
  {
    Question q = make(QuestionType::true_false, "Có Wi-Fi; an toàn.");
    cases.push_back({"text_after_true_false", "Có Wi-Fi; {T} an toàn.", q});
  }
  {
    Question q = make(QuestionType::short_answer, "Hỏi");
    q.accepted = {{"x", 1, ""}};
    cases.push_back({"crlf_comments_bom", "\xEF\xBB\xBF// chú thích\r\n// nữa\r\nHỏi {\r\n// giữa\r\n=x\r\n}\r\n", q});
  }
  {
    Question q = make(QuestionType::single_choice, "Xem http://a.vn/x");
    q.options = {{"a", "x", 1, ""}, {"b", "y", 0, ""}};
    cases.push_back({"double_slash_inside_line", "Xem http\\://a.vn/x {=x ~y}", q});
  }
  return cases;
}

TEST(GiftParse, EachConstruct) {
  for (const ParseCase& c : parse_cases()) {
    SCOPED_TRACE(c.name);
    GiftImport r = parse_gift(c.gift);
    ASSERT_TRUE(r.errors.empty()) << dump(r);
    ASSERT_TRUE(r.skipped_lines.empty()) << dump(r);
    ASSERT_EQ(r.questions.size(), 1u) << dump(r);
    EXPECT_EQ(r.questions[0], c.expected) << "got      " << dump(r.questions[0]) << "\nexpected " << dump(c.expected);
  }
}

TEST(GiftParse, SeveralQuestionsIdsAndCategories) {
  GiftImport r = parse_gift(
      "// đầu\n"
      "Một {T}\n"
      "\n\n"
      "$CATEGORY: $course$/top/An toàn/Lừa đảo\n"
      "\n"
      "Hai {F}\n"
      "   \t\n"
      "Ba {=x ~y}\n"
      "\n"
      "$CATEGORY: Khác\n"
      "Bốn {#1}\n");
  ASSERT_TRUE(r.errors.empty()) << dump(r);
  ASSERT_EQ(r.questions.size(), 4u);
  EXPECT_EQ(r.questions[0].id, "q1");
  EXPECT_EQ(r.questions[3].id, "q4");
  EXPECT_EQ(r.questions[0].category, "");
  EXPECT_EQ(r.questions[1].category, "An toàn/Lừa đảo");
  EXPECT_EQ(r.questions[2].category, "An toàn/Lừa đảo");
  EXPECT_EQ(r.questions[3].category, "Khác");
  EXPECT_EQ(r.questions[3].text, "Bốn");
}

TEST(GiftParse, EssayAndDescriptionAreSkipped) {
  GiftImport r = parse_gift("Viết một đoạn văn. {}\n\nChỉ là mô tả.\n\nCâu {T}\n\nTiểu luận {####gợi ý}\n");
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.skipped_lines, (std::vector<int>{1, 3, 7}));
  ASSERT_EQ(r.questions.size(), 1u);
  EXPECT_EQ(r.questions[0].id, "q1");
}

TEST(GiftParse, ManyOptionsGetLetterIds) {
  std::string gift = "Chọn {=o0";
  for (int i = 1; i < 30; ++i) gift += " ~o" + std::to_string(i);
  GiftImport r = parse_gift(gift + "}");
  ASSERT_EQ(r.questions.size(), 1u) << dump(r);
  EXPECT_EQ(r.questions[0].options[25].id, "z");
  EXPECT_EQ(r.questions[0].options[26].id, "aa");
  EXPECT_EQ(r.questions[0].options[29].id, "ad");
}

TEST(GiftParse, DecomposedTextIsNormalised) {
  GiftImport r = parse_gift("Ba\xCC\x89o ma\xCC\xA3\xCC\x82t? {T}");  // "Bảo mật" with combining marks
  ASSERT_EQ(r.questions.size(), 1u) << dump(r);
  EXPECT_EQ(r.questions[0].text, "Bảo mật?");
}

// ---- errors, with their lines -------------------------------------------------------------

struct ErrorCase {
  const char* name;
  std::string gift;
  int line;
  std::string message_part;
};

TEST(GiftErrors, ReportedAtTheirLine) {
  const std::vector<ErrorCase> cases{
      {"unclosed_brace", "Một {T}\n\nHai {\n=a\n~b\n", 3, "Thiếu dấu }"},
      {"brace_in_block", "Câu {=a {~b}", 1, "Dấu {"},
      {"stray_close", "Câu } {T}", 1, "Dấu }"},
      {"two_blocks", "Câu {T} và {F}", 1, "một khối"},
      {"arrow_in_choice", "Câu {\n=a -> 1\n~b\n}", 3, "->"},
      {"arrow_mixed", "Câu {\n=a -> 1\n=b\n}", 3, "->"},
      {"missing_right_side", "Câu {=a -> }", 1, "bên phải"},
      {"bad_number", "Số?\n{#3,14}", 2, "Số không hợp lệ"},
      {"bad_range", "Số? {#5..1}", 1, "Khoảng"},
      {"negative_tolerance", "Số? {#5:-1}", 1, "Sai số"},
      {"nan", "Số? {#nan}", 1, "Số không hợp lệ"},
      {"missing_number", "Số? {#=%50%}", 1, "thiếu"},
      {"tilde_numerical", "Số? {#=1 ~2}", 1, "~"},
      {"empty_answer", "Câu {=}", 1, "Đáp án trống"},
      {"empty_answers", "Câu {\n~a\n~ #phản hồi\n}", 3, "Đáp án trống"},
      {"unknown_weight", "Câu {\n=a\n~%abc%b\n}", 3, "Trọng số"},
      {"weight_out_of_range", "Câu {~%150%a ~b}", 1, "Trọng số"},
      {"unclosed_weight", "Câu {~%50 a ~b}", 1, "%"},
      {"unknown_block", "Câu {có lẽ}", 1, "Không hiểu"},
      {"true_false_three_feedbacks", "Câu {T#a#b#c}", 1, "hai phản hồi"},
      {"unclosed_title", "::Tiêu đề {T}", 1, "::"},
      {"gap_without_right", "Điền {~a ~b} vào.", 1, "Chỗ trống"},
      {"invalid_utf8", "Một {T}\n\nHai \xC3\x28 {T}", 3, "UTF-8"},
      {"overlong_utf8", "Hai \xC0\xAF {T}", 1, "UTF-8"},
      {"control_char", "A {T}\n\nHai \x01 {T}", 3, "điều khiển"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    GiftImport r = parse_gift(c.gift);
    ASSERT_EQ(r.errors.size(), 1u) << dump(r);
    EXPECT_EQ(r.errors[0].line, c.line) << dump(r);
    EXPECT_NE(r.errors[0].message.find(c.message_part), std::string::npos) << r.errors[0].message;
    for (const Question& q : r.questions) EXPECT_NE(q.text, "Hai") << "the broken question is left out";
  }
}

TEST(GiftErrors, ValidQuestionsAroundAnErrorAreKept) {
  GiftImport r = parse_gift("Một {T}\n\nHai {=a -> 1 ~b}\n\nBa {F}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3);
  ASSERT_EQ(r.questions.size(), 2u);
  EXPECT_EQ(r.questions[0].text, "Một");
  EXPECT_EQ(r.questions[1].text, "Ba");
  EXPECT_EQ(r.questions[1].id, "q2");
}

TEST(GiftErrors, TooLargeAndCapped) {
  GiftImport big = parse_gift(std::string(kMaxGiftBytes + 1, 'a'));
  ASSERT_EQ(big.errors.size(), 1u);
  EXPECT_EQ(big.errors[0].line, 0);
  EXPECT_TRUE(big.questions.empty());

  std::string many;
  for (int i = 0; i < 300; ++i) many += "Câu {=}\n\n";
  GiftImport r = parse_gift(many);
  EXPECT_EQ(r.errors.size(), 101u);
  EXPECT_EQ(r.errors.back().line, 0);
}

// ---- the fixture bank ---------------------------------------------------------------------

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(GiftFixture, VietnameseBankParsesWithoutErrors) {
  std::string text = read_file(std::filesystem::path(HOCVU_TEST_DATA_DIR) / "gift" / "an-toan.gift");
  ASSERT_FALSE(text.empty());
  GiftImport r = parse_gift(text);
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_TRUE(r.skipped_lines.empty()) << dump(r);
  ASSERT_EQ(r.questions.size(), 10u) << dump(r);
  const std::vector<QuestionType> types{
      QuestionType::single_choice, QuestionType::multiple_choice, QuestionType::true_false,
      QuestionType::numerical,     QuestionType::numerical,       QuestionType::short_answer,
      QuestionType::fill_blanks,   QuestionType::matching,        QuestionType::numerical,
      QuestionType::true_false};
  for (std::size_t i = 0; i < types.size(); ++i) EXPECT_EQ(r.questions[i].type, types[i]) << dump(r.questions[i]);
  const Question& otp = r.questions[0];
  EXPECT_EQ(otp.name, "Mã OTP");
  EXPECT_EQ(otp.category, "An toàn/Lừa đảo");
  EXPECT_EQ(otp.options.size(), 3u);
  EXPECT_EQ(otp.general_feedback, "Mã OTP chỉ dùng một lần và chỉ bạn được biết.");
  EXPECT_EQ(r.questions[3].category, "An toàn/Mật khẩu");
  EXPECT_EQ(r.questions[4].numeric[0], (NumericAnswer{12, 4, 1, ""}));
  EXPECT_EQ(r.questions[6].text, "Nên lưu mật khẩu trong {1} thay vì ghi ra giấy.");
  EXPECT_EQ(r.questions[7].pairs[3].prompt, "");
  EXPECT_FALSE(r.questions[9].truth);

  // And it round-trips.
  std::vector<std::string> unsupported;
  GiftImport again = parse_gift(write_gift(r.questions, &unsupported));
  EXPECT_TRUE(unsupported.empty());
  EXPECT_TRUE(again.errors.empty()) << dump(again);
  EXPECT_EQ(again.questions, r.questions) << dump(again) << "\nvs\n" << dump(r);
}

// ---- writing and the round trip -------------------------------------------------------------

void renumber(std::vector<Question>& qs) {
  for (std::size_t i = 0; i < qs.size(); ++i) qs[i].id = "q" + std::to_string(i + 1);
}

TEST(GiftRoundTrip, EveryParsedConstructWritesBackEqual) {
  std::vector<Question> all;
  for (const ParseCase& c : parse_cases()) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> unsupported;
    std::string written = write_gift({c.expected}, &unsupported);
    EXPECT_TRUE(unsupported.empty());
    GiftImport r = parse_gift(written);
    ASSERT_TRUE(r.errors.empty()) << written << dump(r);
    ASSERT_EQ(r.questions.size(), 1u) << written;
    EXPECT_EQ(r.questions[0], c.expected) << written << "\ngot " << dump(r.questions[0]);
    all.push_back(c.expected);
  }
  // All together, with categories changing back and forth.
  for (std::size_t i = 0; i < all.size(); ++i) all[i].category = i % 3 == 0 ? "" : i % 3 == 1 ? "A/B" : "top";
  renumber(all);
  GiftImport r = parse_gift(write_gift(all));
  ASSERT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.questions, all);
}

TEST(GiftRoundTrip, AwkwardTexts) {
  std::vector<Question> qs;
  auto add = [&](Question q) { qs.push_back(std::move(q)); };
  Question q = make(QuestionType::single_choice, "[plain] giữ nguyên");
  q.options = {{"a", "%50% không phải trọng số", 33.33333 / 100, ""}, {"b", "b", 0.7, "x\\y"}, {"c", "c", -0.1, ""}};
  add(q);
  q = make(QuestionType::short_answer, "// không phải chú thích");
  q.accepted = {{"T", 1, ""}, {"\\", 0.125, "####"}};
  add(q);
  q = make(QuestionType::true_false, "$CATEGORY: không phải danh mục");
  q.name = "Tên\nhai dòng";
  q.false_feedback = "#";
  add(q);
  q = make(QuestionType::numerical, "Lớn");
  q.numeric = {{1e300, 1e-300, 1, ""}, {-0.1, 0.30000000000000004, 0.01, ""}};
  add(q);
  q = make(QuestionType::matching, "Ghép");
  q.pairs = {{"a", "a-", ">b -> c"}, {"b", "%1%", "=~#"}};
  add(q);
  q = make(QuestionType::true_false, "\xEF\xBB\xBF" "bắt đầu bằng BOM");  // found by the fuzzer
  add(q);
  q = make(QuestionType::fill_blanks, "{1}\n");
  q.blanks = {{{{"đầu", -0.5, "fb"}}}};
  add(q);
  renumber(qs);
  std::vector<std::string> unsupported;
  std::string written = write_gift(qs, &unsupported);
  EXPECT_TRUE(unsupported.empty());
  GiftImport r = parse_gift(written);
  ASSERT_TRUE(r.errors.empty()) << written << dump(r);
  ASSERT_EQ(r.questions.size(), qs.size()) << written;
  for (std::size_t i = 0; i < qs.size(); ++i)
    EXPECT_EQ(r.questions[i], qs[i]) << written << "\ngot      " << dump(r.questions[i]) << "\nexpected " << dump(qs[i]);
}

TEST(GiftWrite, UnsupportedAreListedAndLeftOut) {
  Question ordering = make(QuestionType::ordering, "Xếp");
  ordering.id = "ord";
  ordering.items = {{"a", "1"}, {"b", "2"}};
  Question two_gaps = make(QuestionType::fill_blanks, "{1} và {2}");
  two_gaps.id = "gaps";
  two_gaps.blanks = {{{{"a", 1, ""}}}, {{{"b", 1, ""}}}};
  Question gap_at_end = make(QuestionType::fill_blanks, "Cuối {1}");
  gap_at_end.id = "end";
  gap_at_end.blanks = {{{{"a", 1, ""}}}};
  Question arrow = make(QuestionType::single_choice, "Mũi tên");
  arrow.id = "arrow";
  arrow.options = {{"a", "a -> b", 1, ""}, {"b", "c", 0, ""}};
  Question heavy = make(QuestionType::multiple_choice, "Nặng");
  heavy.id = "heavy";
  heavy.options = {{"a", "a", 2, ""}};
  Question empty = make(QuestionType::short_answer, "Rỗng");
  empty.id = "empty";
  Question ok = make(QuestionType::true_false, "Được");
  ok.id = "ok";
  ok.mark = 3;                // not carried: dropped
  ok.tags = {"an-toan"};

  std::vector<std::string> unsupported;
  std::string written = write_gift({ordering, two_gaps, ok, gap_at_end, arrow, heavy, empty}, &unsupported);
  EXPECT_EQ(unsupported, (std::vector<std::string>{"ord", "gaps", "end", "arrow", "heavy", "empty"}));
  EXPECT_EQ(written, "Được {TRUE}\n\n");
  EXPECT_EQ(write_gift({ordering}), "");  // no list asked for: still left out
}

TEST(GiftWrite, FractionsThatAreNotAPercentageAreWrittenNearest) {
  Question q = make(QuestionType::multiple_choice, "Ba");
  q.options = {{"a", "x", 1.0 / 3, ""}, {"b", "y", 2.0 / 3, ""}};
  std::vector<std::string> unsupported;
  GiftImport r = parse_gift(write_gift({q}, &unsupported));
  EXPECT_TRUE(unsupported.empty());
  ASSERT_EQ(r.questions.size(), 1u) << dump(r);
  EXPECT_NEAR(r.questions[0].options[0].fraction, 1.0 / 3, 1e-15);
  EXPECT_NEAR(r.questions[0].options[1].fraction, 2.0 / 3, 1e-15);
}

TEST(GiftWrite, Layout) {
  Question q = make(QuestionType::single_choice, "Chọn");
  q.name = "Tên";
  q.category = "An toàn";
  q.general_feedback = "Chung";
  q.options = {{"a", "sai", 0, "không"}, {"b", "đúng", 1, ""}};
  EXPECT_EQ(write_gift({q}),
            "$CATEGORY: $course$/top/An toàn\n\n"
            "::Tên::Chọn {\n\t~sai#không\n\t=đúng\n\t####Chung\n}\n\n");
}

}  // namespace
}  // namespace hocvu::assessment
