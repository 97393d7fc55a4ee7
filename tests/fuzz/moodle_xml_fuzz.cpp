// libFuzzer target for the Moodle XML reader and writer, which read untrusted uploads. The first
// byte picks what the rest is:
//   0  a document, as uploaded;
//   1  an edit of a good document (two bytes of offset, one of length to replace, then the
//      replacement), so that the fuzzer starts from valid Moodle XML rather than having to find
//      XML's and the format's structure by itself (seeds.sh also seeds it from tests/data).
// Properties: no crash; questions get ids q1, q2, ...; what is read is written without anything
// unsupported and reads back, without error or skipped question, to the same questions.
#include "assessment/moodle_xml.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace hocvu::assessment;

const char* const kGood = R"(<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<question type="category"><category><text>$course$/top/An toàn</text></category></question>
<question type="multichoice"><name><text>Tin nhắn</text></name>
<questiontext format="html"><text><![CDATA[<p>Bạn <b>nên</b> làm gì? &amp; &#7897;<script>x</script></p>]]></text></questiontext>
<generalfeedback format="markdown"><text>**Chú ý**</text></generalfeedback>
<defaultgrade>2</defaultgrade><single>false</single>
<answer fraction="50"><text>Xóa</text><feedback><text>Đúng</text></feedback></answer>
<answer fraction="50"><text>Chặn</text></answer>
<answer fraction="-25"><text>Bấm link</text></answer>
<tags><tag><text>lừa đảo</text></tag></tags></question>
<question type="truefalse"><questiontext><text>OTP?</text></questiontext>
<answer fraction="0"><text>true</text><feedback><text>Sai</text></feedback></answer>
<answer fraction="100"><text>false</text></answer></question>
<question type="shortanswer"><questiontext><text>Viết tắt?</text></questiontext><usecase>0</usecase>
<answer fraction="100"><text>OTP</text></answer><answer fraction="33.33333"><text>mã*</text></answer></question>
<question type="numerical"><questiontext><text>Số?</text></questiontext>
<answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer></question>
<question type="matching"><questiontext><text>Ghép</text></questiontext>
<subquestion format="html"><text>A</text><answer><text>1</text></answer></subquestion>
<subquestion><text>B</text><answer><text>2</text></answer></subquestion>
<subquestion><text></text><answer><text>3</text></answer></subquestion></question>
<question type="ordering"><questiontext><text>Xếp</text></questiontext>
<answer fraction="1"><text>Một</text></answer><answer fraction="2"><text>Hai</text></answer></question>
<question type="essay"><questiontext><text>Viết</text></questiontext></question>
</quiz>
)";

void check(const std::string& xml) {
  MoodleXmlImport first = parse_moodle_xml(xml);
  for (std::size_t i = 0; i < first.questions.size(); ++i)
    if (first.questions[i].id != "q" + std::to_string(i + 1)) std::abort();
  std::vector<std::string> unsupported;
  std::string written = write_moodle_xml(first.questions, &unsupported);
  if (!unsupported.empty()) std::abort();
  MoodleXmlImport second = parse_moodle_xml(written);
  if (!second.errors.empty() || !second.skipped_lines.empty()) std::abort();
  if (second.questions != first.questions) std::abort();
  if (write_moodle_xml(second.questions) != written) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    check(rest);
    return 0;
  }
  if (rest.size() < 3) return 0;
  std::string xml = kGood;
  std::size_t offset = (static_cast<std::uint8_t>(rest[0]) << 8 | static_cast<std::uint8_t>(rest[1])) % (xml.size() + 1);
  std::size_t length = static_cast<std::uint8_t>(rest[2]);
  xml.replace(offset, std::min(length, xml.size() - offset), rest.substr(3));
  check(xml);
  return 0;
}
