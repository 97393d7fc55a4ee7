// libFuzzer target for the JSON the assessment API reads from request bodies (and stores): an
// author's question, a quiz's settings, and a learner's answer. Everything goes through
// boost::json::parse as the routes do. The first byte picks what the rest is:
//   0  a question (POST/PUT /api/v1/banks/{id}/questions). Properties: question_problems and
//      grading never crash; what question_to_json writes reads back to the same JSON, also as
//      text; when question_problems finds nothing, the right answer shown in reviews is an
//      answer the question accepts, and it scores within [0, mark].
//   1  quiz settings (the "settings" of POST/PUT /api/v1/quizzes). Properties: quiz_problems and
//      deadline_ms never crash; settings read are written to JSON that reads back to the same
//      settings, also as text.
//   2  a learner's answer (PUT /api/v1/attempts/{id}/answers/{question}): one byte picks one of
//      kBank's questions, one byte the order its options or items were drawn in, the rest is the
//      "value" as the learner sends it (positions, not ids). Properties: an accepted answer
//      scores within [0, mark]; its stored form reads back to the same answer, also as text;
//      shown to the learner and sent back it is the same answer; learner_question and review
//      never crash.
// "Also as text" allows a double to move by an ulp or so (see near()).
#include "assessment/grading.h"
#include "assessment/question_json.h"
#include "assessment/quiz.h"

#include <boost/json.hpp>
#include <boost/json/src.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = boost::json;
using namespace hocvu::assessment;

// One question of each type, as an author sends them.
const char* const kBank = R"([
 {"id":"q1","type":"single_choice","text":"Mật khẩu nào mạnh?","mark":1,"options":[
   {"id":"a","text":"123456","fraction":0},{"id":"b","text":"Tr@ng-Ngan-2026","fraction":1,"feedback":"Đúng"},
   {"id":"c","text":"matkhau","fraction":-0.5}]},
 {"id":"q2","type":"multiple_choice","text":"Dấu hiệu lừa đảo?","mark":2,"options":[
   {"id":"a","text":"Hối thúc","fraction":0.5},{"id":"b","text":"Xin OTP","fraction":0.5},{"id":"c","text":"Cổng chính thức","fraction":-1}]},
 {"id":"q3","type":"true_false","text":"Không chia sẻ OTP.","truth":true,"true_feedback":"Đúng","false_feedback":"Sai"},
 {"id":"q4","type":"short_answer","text":"Viết tắt?","accepted":[{"text":"OTP","fraction":1},{"text":"mã*","fraction":0.5}],
   "ignore_diacritics":true},
 {"id":"q5","type":"numerical","text":"Số?","mark":1.5,"numeric":[{"value":3.14,"tolerance":0.01,"fraction":1},
   {"value":3,"tolerance":0,"fraction":0.25}]},
 {"id":"q6","type":"matching","text":"Ghép","pairs":[{"id":"p1","prompt":"VNeID","answer":"Định danh"},
   {"id":"p2","prompt":"Dịch vụ công","answer":"Nộp hồ sơ"},{"id":"p3","prompt":"","answer":"Mua sắm"}]},
 {"id":"q7","type":"ordering","text":"Xếp","items":[{"id":"i1","text":"Một"},{"id":"i2","text":"Hai"},{"id":"i3","text":"Ba"}]},
 {"id":"q8","type":"fill_blanks","text":"Mã {1} gửi qua {2}.","blanks":[{"accepted":[{"text":"OTP","fraction":1}]},
   {"accepted":[{"text":"tin nhắn","fraction":1},{"text":"SMS","fraction":1}]}]}
])";

const std::vector<Question>& bank() {
  static const std::vector<Question> questions = [] {
    std::vector<Question> out;
    const json::value all = json::parse(kBank);
    for (const auto& v : all.as_array()) {
      std::string error;
      auto q = question_from_json(v, error);
      if (!q || !question_problems(*q).empty()) std::abort();
      out.push_back(std::move(*q));
    }
    return out;
  }();
  return questions;
}

// The order a draw shows: option ids, matching's answer texts, ordering's item ids, permuted
// as `seed` says.
DrawnQuestion drawn(const Question& q, unsigned seed) {
  DrawnQuestion d{q.id, 1, {}};
  for (const auto& o : q.options) d.order.push_back(o.id);
  for (const auto& p : q.pairs) d.order.push_back(p.answer);
  for (const auto& i : q.items) d.order.push_back(i.id);
  for (std::size_t i = d.order.size(); i > 1; --i) {
    std::swap(d.order[i - 1], d.order[seed % i]);
    seed /= static_cast<unsigned>(i);
  }
  return d;
}

json::value reparse(const json::value& v) { return json::parse(json::serialize(v)); }

// Equal, but for doubles within a few units in the last place: Boost.JSON 1.81 does not round
// numbers of more than about 19 significant digits correctly ("4444...4" with 45 digits reads
// 1 ulp above strtod's value), so a number written in its shortest form and read back may move
// by that much. Everything else must be exactly the same.
bool near(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number() && (a.is_double() || b.is_double())) {
    const double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::fabs(x - y) <= 1e-15 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (!near(p[i], q[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto& m : p)
      if (!q.contains(m.key()) || !near(m.value(), q.at(m.key()))) return false;
    return true;
  }
  return a == b;
}

void check_grade(const Question& q, const Answer& a) {
  Grade g = grade(q, a);
  if (!(g.score >= 0) || !(g.score <= g.max)) std::abort();
  if (q.mark > 0 && std::isfinite(q.mark) && g.max != q.mark) std::abort();
}

void question(const json::value& v) {
  std::string error;
  auto q = question_from_json(v, error);
  if (!q) {
    if (error.empty()) std::abort();
    return;
  }
  std::vector<std::string> problems = question_problems(*q);
  check_grade(*q, Answer{});
  json::object written = question_to_json(*q);
  auto again = question_from_json(written, error);
  if (!again || question_to_json(*again) != written) std::abort();
  auto from_text = question_from_json(reparse(written), error);
  if (!from_text || !near(question_to_json(*from_text), written)) std::abort();
  DrawnQuestion d = drawn(*again, 0);
  learner_question(*again, d);
  if (!problems.empty()) return;
  // A question without problems: its right answer, shown in reviews, is an answer it accepts.
  auto right = answer_from_json(*again, right_answer(*again), error);
  if (!right) std::abort();
  check_grade(*again, *right);
  json::object review = learner_question(*again, d);
  add_review(review, *again, d, right, grade(*again, *right), ReviewLevel::correct);
}

void settings(const json::value& v) {
  std::string error;
  auto s = settings_from_json(v, error);
  if (!s) {
    if (error.empty()) std::abort();
    return;
  }
  quiz_problems(*s, bank());
  deadline_ms(*s, 1'800'000'000'000);
  json::object written = settings_to_json(*s);
  auto again = settings_from_json(written, error);
  if (!again || !(*again == *s)) std::abort();
  auto from_text = settings_from_json(reparse(written), error);
  if (!from_text || !near(settings_to_json(*from_text), written)) std::abort();
}

void answer(std::string_view rest) {
  if (rest.size() < 2) return;
  const Question& q = bank()[static_cast<unsigned char>(rest[0]) % bank().size()];
  const DrawnQuestion d = drawn(q, static_cast<unsigned char>(rest[1]));
  std::error_code ec;
  json::value given = json::parse(rest.substr(2), ec);
  if (ec) return;
  std::string error;
  auto a = answer_from_json(q, from_learner(q, d, given), error);
  json::object view = learner_question(q, d);
  if (!a) {
    if (error.empty()) std::abort();
    add_review(view, q, d, std::nullopt, grade(q, Answer{}), ReviewLevel::correct);
    return;
  }
  check_grade(q, *a);
  json::value stored = answer_to_json(q, *a);
  auto again = answer_from_json(q, stored, error);
  if (!again || !(*again == *a)) std::abort();
  auto from_text = answer_from_json(q, reparse(stored), error);
  if (!from_text || !near(answer_to_json(q, *from_text), stored)) std::abort();
  // What the learner sees of their answer, sent back as it is, is the same answer.
  auto round = answer_from_json(q, from_learner(q, d, to_learner(q, d, stored)), error);
  if (!round || !(*round == *a)) std::abort();
  add_review(view, q, d, a, grade(q, *a), ReviewLevel::correct);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
    case 1: {
      std::error_code ec;
      json::value v = json::parse(rest, ec);
      if (ec) return 0;
      if (data[0] % 3 == 0) question(v);
      else settings(v);
      break;
    }
    default: answer(rest); break;
  }
  return 0;
}
