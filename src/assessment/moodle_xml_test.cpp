#include "assessment/moodle_xml.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hocvu::assessment {
namespace {

std::string dump(const Question& q) {
  std::ostringstream out;
  out << "{id=" << q.id << " type=" << type_name(q.type) << " name='" << q.name << "' text='" << q.text << "' gf='"
      << q.general_feedback << "' mark=" << q.mark << " cat='" << q.category << "' truth=" << q.truth << " tfb='"
      << q.true_feedback << "' ffb='" << q.false_feedback << "'";
  for (const Option& o : q.options) out << " opt(" << o.id << ",'" << o.text << "'," << o.fraction << ",'" << o.feedback << "')";
  for (const Accepted& a : q.accepted) out << " acc('" << a.text << "'," << a.fraction << ",'" << a.feedback << "')";
  for (const NumericAnswer& n : q.numeric)
    out << " num(" << n.value << "±" << n.tolerance << "," << n.fraction << ",'" << n.feedback << "')";
  for (const Pair& p : q.pairs) out << " pair(" << p.id << ",'" << p.prompt << "','" << p.answer << "')";
  for (const Item& i : q.items) out << " item(" << i.id << ",'" << i.text << "')";
  for (const std::string& t : q.tags) out << " tag('" << t << "')";
  return out.str() + "}";
}

std::string dump(const MoodleXmlImport& r) {
  std::string out;
  for (const Question& q : r.questions) out += "  " + dump(q) + "\n";
  for (const MoodleXmlError& e : r.errors) out += "  error " + std::to_string(e.line) + ": " + e.message + "\n";
  for (int line : r.skipped_lines) out += "  skipped " + std::to_string(line) + "\n";
  return out;
}

std::string quiz(const std::string& body) { return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n" + body + "</quiz>\n"; }

Question make(QuestionType type, std::string name, std::string text) {
  Question q;
  q.id = "q1";
  q.type = type;
  q.name = std::move(name);
  q.text = std::move(text);
  return q;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- each type and construct, with the question expected ------------------------------------

struct ParseCase {
  const char* name;
  std::string xml;  // the <question> elements
  Question expected;
};

std::vector<ParseCase> parse_cases() {
  std::vector<ParseCase> cases;
  {
    Question q = make(QuestionType::single_choice, "Thủ đô", "Thủ đô của Việt Nam?");
    q.general_feedback = "Hà Nội từ 1010.";
    q.mark = 2;
    q.options = {{"a", "Hà Nội", 1, "Đúng."}, {"b", "Huế", 0, "Cố đô."}};
    cases.push_back({"single_choice", R"(<question type="multichoice">
<name><text>Thủ đô</text></name>
<questiontext format="html"><text>Thủ đô của Việt Nam?</text></questiontext>
<generalfeedback format="html"><text>Hà Nội từ 1010.</text></generalfeedback>
<defaultgrade>2.0000000</defaultgrade>
<single>true</single><shuffleanswers>1</shuffleanswers>
<answer fraction="100"><text>Hà Nội</text><feedback><text>Đúng.</text></feedback></answer>
<answer fraction="0"><text>Huế</text><feedback format="html"><text>Cố đô.</text></feedback></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::multiple_choice, "Số nguyên tố", "Chọn các số nguyên tố.");
    q.options = {{"a", "2", 0.5, ""}, {"b", "3", 0.5, ""}, {"c", "4", -0.25, "4 = 2 × 2"}, {"d", "1", 0, ""}};
    cases.push_back({"multiple_choice_partial_credit", R"(<question type="multichoice">
<name><text>Số nguyên tố</text></name>
<questiontext><text>Chọn các số nguyên tố.</text></questiontext>
<single>false</single>
<answer fraction="50"><text>2</text></answer>
<answer fraction="50.0000000"><text>3</text></answer>
<answer fraction="-25"><text>4</text><feedback><text>4 = 2 × 2</text></feedback></answer>
<answer><text>1</text></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::multiple_choice, "", "Ba phần bằng nhau.");
    q.options = {{"a", "x", 33.33333 / 100, ""}, {"b", "y", 33.33333 / 100, ""}, {"c", "z", 33.33334 / 100, ""}};
    cases.push_back({"thirds", R"(<question type="multichoice">
<questiontext><text>Ba phần bằng nhau.</text></questiontext><single>false</single>
<answer fraction="33.33333"><text>x</text></answer>
<answer fraction="33.33333"><text>y</text></answer>
<answer fraction="33.33334"><text>z</text></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::true_false, "Trái đất", "Trái đất quay quanh Mặt trời.");
    q.truth = true;
    q.true_feedback = "Chính xác.";
    q.false_feedback = "Có, nó quay.";
    cases.push_back({"true_false", R"(<question type="truefalse">
<name><text>Trái đất</text></name>
<questiontext format="html"><text>Trái đất quay quanh Mặt trời.</text></questiontext>
<answer fraction="100"><text>true</text><feedback><text>Chính xác.</text></feedback></answer>
<answer fraction="0"><text>false</text><feedback><text>Có, nó quay.</text></feedback></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::true_false, "", "2 > 3");
    q.truth = false;
    cases.push_back({"true_false_false", R"(<question type="truefalse">
<questiontext format="plain_text"><text>2 &gt; 3</text></questiontext>
<answer fraction="0"><text>TRUE</text></answer>
<answer fraction="100"><text> false </text></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::short_answer, "", "Viết tắt của mật khẩu dùng một lần?");
    q.accepted = {{"OTP", 1, ""}, {"mã *", 0.5, "Gần đúng."}};
    cases.push_back({"short_answer_usecase_1_read_case_insensitive", R"(<question type="shortanswer">
<questiontext><text>Viết tắt của mật khẩu dùng một lần?</text></questiontext>
<usecase>1</usecase>
<answer fraction="100" format="moodle_auto_format"><text>OTP</text></answer>
<answer fraction="50"><text>mã *</text><feedback><text>Gần đúng.</text></feedback></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::numerical, "", "Số pi?");
    q.numeric = {{3.14, 0.01, 1, ""}, {3, 0, 0.5, "Gần."}, {-1.5e3, 0.5, 0.25, ""}};
    cases.push_back({"numerical", R"(<question type="numerical">
<questiontext><text>Số pi?</text></questiontext>
<answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer>
<answer fraction="50"><text>3</text><feedback><text>Gần.</text></feedback></answer>
<answer fraction="25"><text>-1.5e3</text><tolerance> 0.5 </tolerance></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::matching, "", "Ghép thủ đô.");
    q.pairs = {{"a", "Việt Nam", "Hà Nội"}, {"b", "Lào", "Viêng Chăn"}, {"c", "", "Bangkok"}};
    cases.push_back({"matching_with_distractor", R"(<question type="matching">
<questiontext><text>Ghép thủ đô.</text></questiontext>
<subquestion format="html"><text><![CDATA[<p>Việt Nam</p>]]></text><answer><text>Hà Nội</text></answer></subquestion>
<subquestion><text>Lào</text><answer><text>Viêng Chăn</text></answer></subquestion>
<subquestion><text></text><answer><text>Bangkok</text></answer></subquestion>
</question>)", q});
  }
  {
    Question q = make(QuestionType::ordering, "", "Xếp theo thứ tự.");
    q.items = {{"a", "Một"}, {"b", "Hai"}, {"c", "Ba"}};
    cases.push_back({"ordering", R"(<question type="ordering">
<questiontext><text>Xếp theo thứ tự.</text></questiontext>
<layouttype>VERTICAL</layouttype>
<answer fraction="1"><text>Một</text></answer>
<answer fraction="2"><text>Hai</text></answer>
<answer fraction="3"><text>Ba</text></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::true_false, "", "Câu có thẻ.");
    q.category = "An toàn/Lừa đảo";
    q.tags = {"lừa đảo", "cơ bản"};
    cases.push_back({"category_and_tags", R"(<question type="category"><category><text>$course$/top/An toàn/Lừa đảo</text></category></question>
<question type="truefalse">
<questiontext><text>Câu có thẻ.</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
<tags><tag><text>lừa đảo</text></tag><tag><text>cơ bản</text></tag></tags>
</question>)", q});
  }
  {
    Question q = make(QuestionType::true_false, "", "Không có top.");
    q.category = "Chung";
    cases.push_back({"category_without_top", R"(<question type="category"><category><text>$course$/Chung</text></category></question>
<question type="truefalse">
<questiontext><text>Không có top.</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::true_false, "", "Đậm và nghiêng.\nDòng hai & <ba>");
    cases.push_back({"html_stripped_script_dropped", R"(<question type="truefalse">
<questiontext format="html"><text><![CDATA[<p><b>Đậm</b> và <i>nghiêng</i>.<script>alert("root:x")</script><br/>Dòng   hai &amp; &lt;ba&gt;</p><style>p{color:red}</style><!-- ghi chú -->]]></text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::true_false, "", "Tôi & bạn <b> ộ ộ");
    cases.push_back({"entities_decoded", R"(<question type="truefalse">
<questiontext format="markdown"><text>Tôi &amp; bạn &lt;b&gt; &#7897; &#x1ED9;</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::true_false, "", "**Markdown** <giữ nguyên>");
    cases.push_back({"cdata_markdown_kept", R"(<question type="truefalse">
<questiontext format="markdown"><text><![CDATA[  **Markdown** <giữ nguyên>  ]]></text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question>)", q});
  }
  {
    Question q = make(QuestionType::true_false, "", "ộ");  // decomposed input, NFC output
    cases.push_back({"nfc", "<question type=\"truefalse\"><questiontext><text>o\xCC\xA3\xCC\x82</text></questiontext>"
                            "<answer fraction=\"100\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer>"
                            "</question>", q});
  }
  return cases;
}

TEST(MoodleXmlParse, EachTypeAndConstruct) {
  for (const ParseCase& c : parse_cases()) {
    SCOPED_TRACE(c.name);
    MoodleXmlImport r = parse_moodle_xml(quiz(c.xml));
    ASSERT_TRUE(r.errors.empty()) << dump(r);
    ASSERT_EQ(r.questions.size(), 1u) << dump(r);
    EXPECT_EQ(r.questions[0], c.expected) << "got      " << dump(r.questions[0]) << "\nexpected " << dump(c.expected);
  }
}

TEST(MoodleXmlParse, UnsupportedTypesAreSkippedWithTheirLines) {
  MoodleXmlImport r = parse_moodle_xml(quiz(R"(<question type="essay"><questiontext><text>Viết.</text></questiontext></question>
<question type="description"><questiontext><text>Mô tả.</text></questiontext></question>
<question type="cloze"><questiontext><text>{1:SA:=a}</text></questiontext></question>
<question type="gapselect"><questiontext><text>[[1]]</text></questiontext></question>
<question type="ddwtos"><questiontext><text>[[1]]</text></questiontext></question>
<question type="truefalse"><questiontext><text>Có.</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
)"));
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.skipped_lines, (std::vector<int>{3, 4, 5, 6, 7})) << dump(r);
  ASSERT_EQ(r.questions.size(), 1u);
  EXPECT_EQ(r.questions[0].id, "q1");
}

TEST(MoodleXmlParse, IdsCountValidQuestionsAndManyOptionsGetLetters) {
  std::string answers;
  for (int i = 0; i < 28; ++i) answers += "<answer fraction=\"" + std::string(i == 0 ? "100" : "0") + "\"><text>o" + std::to_string(i) + "</text></answer>";
  MoodleXmlImport r = parse_moodle_xml(quiz(
      "<question type=\"multichoice\"><questiontext><text>Sai</text></questiontext><answer fraction=\"x\"><text>a</text></answer></question>\n"
      "<question type=\"multichoice\"><questiontext><text>Nhiều</text></questiontext>" + answers + "</question>\n"));
  ASSERT_EQ(r.questions.size(), 1u) << dump(r);
  EXPECT_EQ(r.questions[0].id, "q1");
  ASSERT_EQ(r.questions[0].options.size(), 28u);
  EXPECT_EQ(r.questions[0].options[25].id, "z");
  EXPECT_EQ(r.questions[0].options[26].id, "aa");
  EXPECT_EQ(r.errors.size(), 1u);
}

// ---- errors, with their lines ----------------------------------------------------------------

struct ErrorCase {
  const char* name;
  std::string xml;  // a whole document
  int line;
  const char* contains;  // part of the message
};

TEST(MoodleXmlErrors, ReportedAtTheirLine) {
  const ErrorCase cases[] = {
      {"malformed", "<?xml version=\"1.0\"?>\n<quiz>\n<question type=\"truefalse\">\n<name><text>a</name>\n</question>\n</quiz>\n", 4,
       "XML không hợp lệ"},
      {"answer_without_text", quiz("<question type=\"multichoice\">\n<questiontext><text>Q</text></questiontext>\n"
                                   "<answer fraction=\"100\"><text>a</text></answer>\n<answer fraction=\"0\">\n</answer>\n</question>\n"),
       6, "<text>"},
      {"unknown_fraction", quiz("<question type=\"multichoice\">\n<questiontext><text>Q</text></questiontext>\n"
                                "<answer fraction=\"một trăm\"><text>a</text></answer>\n</question>\n"),
       5, "'một trăm'"},
      {"tolerance_not_a_number", quiz("<question type=\"numerical\">\n<questiontext><text>Q</text></questiontext>\n"
                                      "<answer fraction=\"100\"><text>3</text>\n<tolerance>nhỏ</tolerance></answer>\n</question>\n"),
       6, "'nhỏ'"},
      {"numerical_answer_not_a_number", quiz("<question type=\"numerical\">\n<questiontext><text>Q</text></questiontext>\n"
                                             "<answer fraction=\"100\"><text>ba</text></answer>\n</question>\n"),
       5, "'ba'"},
      {"grade_not_a_number", quiz("<question type=\"truefalse\">\n<defaultgrade>x</defaultgrade>\n</question>\n"), 4, "'x'"},
      {"true_false_without_right", quiz("<question type=\"truefalse\">\n<questiontext><text>Q</text></questiontext>\n"
                                        "<answer fraction=\"0\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer>\n</question>\n"),
       3, "100"},
      {"no_right_option", quiz("<question type=\"multichoice\">\n<questiontext><text>Q</text></questiontext>\n"
                               "<answer fraction=\"0\"><text>a</text></answer><answer fraction=\"0\"><text>b</text></answer>\n</question>\n"),
       3, ""},
      {"root_not_quiz", "<?xml version=\"1.0\"?>\n\n<questions/>\n", 3, "<quiz>"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    MoodleXmlImport r = parse_moodle_xml(c.xml);
    EXPECT_TRUE(r.questions.empty()) << dump(r);
    ASSERT_FALSE(r.errors.empty()) << dump(r);
    EXPECT_EQ(r.errors[0].line, c.line) << dump(r);
    EXPECT_NE(r.errors[0].message.find(c.contains), std::string::npos) << dump(r);
  }
}

TEST(MoodleXmlErrors, ValidQuestionsAroundAnErrorAreKept) {
  const std::string tf = "<question type=\"truefalse\"><questiontext><text>Có.</text></questiontext>"
                         "<answer fraction=\"100\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer></question>\n";
  MoodleXmlImport r = parse_moodle_xml(quiz(tf + "<question type=\"numerical\"><answer><text>x</text></answer></question>\n" + tf));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].line, 4);
  ASSERT_EQ(r.questions.size(), 2u);
  EXPECT_EQ(r.questions[1].id, "q2");
}

TEST(MoodleXmlErrors, TooLargeAndCapped) {
  MoodleXmlImport big = parse_moodle_xml(std::string(kMaxMoodleXmlBytes + 1, ' '));
  ASSERT_EQ(big.errors.size(), 1u);
  EXPECT_EQ(big.errors[0].line, 0);

  std::string body;
  for (int i = 0; i < 150; ++i) body += "<question type=\"numerical\"><answer><text>x</text></answer></question>\n";
  MoodleXmlImport many = parse_moodle_xml(quiz(body));
  EXPECT_EQ(many.errors.size(), 101u);
  EXPECT_EQ(many.errors.back().line, 0);
}

TEST(MoodleXmlSecurity, ExternalEntitiesAreRefusedAndNeverRead) {
  const std::string attacks[] = {
      "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<quiz>\n"
      "<question type=\"truefalse\"><name><text>&x;</text></name><questiontext><text>&x;</text></questiontext>"
      "<answer fraction=\"100\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer></question>\n</quiz>\n",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [\n<!ENTITY % p SYSTEM \"file:///etc/passwd\">\n%p;\n]>\n<quiz/>\n",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz SYSTEM \"file:///etc/passwd\">\n<quiz/>\n",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!-- <quiz --><!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<quiz><question type=\"truefalse\"><questiontext><text>&x;</text></questiontext>"
      "<answer fraction=\"100\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer></question></quiz>\n",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>\n"
      "<quiz><question type=\"truefalse\"><questiontext><text>&d;&d;&d;</text></questiontext></question></quiz>\n",
  };
  for (const std::string& xml : attacks) {
    SCOPED_TRACE(xml);
    MoodleXmlImport r = parse_moodle_xml(xml);
    EXPECT_FALSE(r.errors.empty()) << dump(r);
    EXPECT_EQ(dump(r).find("root:"), std::string::npos) << dump(r);
    for (const Question& q : r.questions) EXPECT_EQ(dump(q).find("root:"), std::string::npos);
    if (!r.errors.empty()) {
      EXPECT_EQ(r.errors[0].line, 2) << dump(r);
    }
  }
}

TEST(MoodleXmlFixture, VietnameseBankParsesWithoutErrors) {
  std::string xml = read_file(std::filesystem::path(HOCVU_TEST_DATA_DIR) / "moodle" / "an-toan.xml");
  ASSERT_FALSE(xml.empty());
  MoodleXmlImport r = parse_moodle_xml(xml);
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  ASSERT_EQ(r.questions.size(), 7u) << dump(r);
  EXPECT_EQ(r.skipped_lines.size(), 1u);
  EXPECT_EQ(r.questions[0].type, QuestionType::single_choice);
  EXPECT_EQ(r.questions[0].category, "An toàn/Lừa đảo");
  EXPECT_EQ(r.questions[0].options[0].text, "Xóa tin nhắn, không bấm vào đường link");
  EXPECT_EQ(r.questions[0].tags, (std::vector<std::string>{"lừa đảo", "tin nhắn"}));
  EXPECT_EQ(r.questions[1].type, QuestionType::multiple_choice);
  EXPECT_EQ(r.questions[1].mark, 2);
  EXPECT_EQ(r.questions[2].type, QuestionType::true_false);
  EXPECT_FALSE(r.questions[2].truth);
  EXPECT_EQ(r.questions[3].category, "An toàn/Mật khẩu");
  EXPECT_EQ(r.questions[4].type, QuestionType::numerical);
  EXPECT_EQ(r.questions[5].pairs.size(), 3u);
  EXPECT_EQ(r.questions[6].items.size(), 3u);
  for (const Question& q : r.questions) EXPECT_EQ(q.text.find('<'), std::string::npos) << dump(q);

  MoodleXmlImport again = parse_moodle_xml(write_moodle_xml(r.questions));
  EXPECT_TRUE(again.errors.empty()) << dump(again);
  EXPECT_EQ(again.questions, r.questions) << dump(again);
}

// ---- round trip --------------------------------------------------------------------------------

TEST(MoodleXmlRoundTrip, EveryParsedConstructWritesBackEqual) {
  std::vector<Question> all;
  for (const ParseCase& c : parse_cases()) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> unsupported;
    std::string xml = write_moodle_xml({c.expected}, &unsupported);
    EXPECT_TRUE(unsupported.empty());
    MoodleXmlImport r = parse_moodle_xml(xml);
    ASSERT_TRUE(r.errors.empty()) << dump(r) << xml;
    ASSERT_EQ(r.questions.size(), 1u) << xml;
    EXPECT_EQ(r.questions[0], c.expected) << xml;
    Question q = c.expected;
    q.id = "q" + std::to_string(all.size() + 1);
    all.push_back(q);
  }
  MoodleXmlImport r = parse_moodle_xml(write_moodle_xml(all));
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.questions, all) << dump(r);
}

TEST(MoodleXmlRoundTrip, AwkwardTexts) {
  const char* texts[] = {"a < b && c > d", "<script>alert(1)</script>", "]]> <![CDATA[ x", "dòng một\n\ndòng ba",
                         "\"quotes\" 'and' &amp;", "tab\there", "$course$/top/x"};
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    Question q = make(QuestionType::short_answer, text, text);
    q.general_feedback = text;
    q.accepted = {{text, 1, text}};
    q.category = text;
    q.tags = {text};
    MoodleXmlImport r = parse_moodle_xml(write_moodle_xml({q}));
    ASSERT_TRUE(r.errors.empty()) << dump(r);
    ASSERT_EQ(r.questions.size(), 1u);
    EXPECT_EQ(r.questions[0], q) << dump(r.questions[0]);
  }
}

TEST(MoodleXmlWrite, UnsupportedAreListedAndLeftOut) {
  Question blanks = make(QuestionType::fill_blanks, "", "Điền {1}.");
  blanks.id = "q7";
  blanks.blanks = {{{{"x", 1, ""}}}};
  Question nan = make(QuestionType::numerical, "", "Số?");
  nan.id = "q8";
  nan.numeric = {{std::nan(""), 0, 1, ""}};
  Question ok = make(QuestionType::true_false, "", "Có.");
  std::vector<std::string> unsupported;
  std::string xml = write_moodle_xml({blanks, ok, nan}, &unsupported);
  EXPECT_EQ(unsupported, (std::vector<std::string>{"q7", "q8"}));
  MoodleXmlImport r = parse_moodle_xml(xml);
  ASSERT_EQ(r.questions.size(), 1u) << dump(r);
  EXPECT_EQ(r.questions[0], ok);
}

TEST(MoodleXmlWrite, DeterministicLayout) {
  Question q = make(QuestionType::single_choice, "Tên", "Câu & hỏi");
  q.category = "A/B";
  q.options = {{"a", "Đúng", 1, "Tốt"}, {"b", "Sai", 0, ""}};
  std::string xml = write_moodle_xml({q});
  EXPECT_EQ(xml, write_moodle_xml({q}));
  EXPECT_EQ(xml, R"(<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category>
      <text>$course$/top/A/B</text>
    </category>
  </question>
  <question type="multichoice">
    <name>
      <text>Tên</text>
    </name>
    <questiontext format="markdown">
      <text>Câu &amp; hỏi</text>
    </questiontext>
    <generalfeedback format="markdown">
      <text></text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answer fraction="100" format="markdown">
      <text>Đúng</text>
      <feedback format="markdown">
        <text>Tốt</text>
      </feedback>
    </answer>
    <answer fraction="0" format="markdown">
      <text>Sai</text>
    </answer>
  </question>
</quiz>
)");
}

}  // namespace
}  // namespace hocvu::assessment
