#include "assessment/question_json.h"

#include "core/json.h"
#include "core/time.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <functional>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

namespace hocvu::assessment {
namespace json = boost::json;
namespace {

std::optional<double> number(const json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
double num(const json::object& o, std::string_view key, double fallback) {
  auto* v = o.if_contains(key);
  auto n = v ? number(*v) : std::nullopt;
  return n ? *n : fallback;
}
// A whole number within the range of an int, checked (core/json.h): 2.5 or 1e300 leave `error`
// set, and the caller answers 422; quiz_problems then judges the value itself.
int whole(const json::object& o, std::string_view key, int fallback, std::string& error) {
  auto n = json_integer(o, key, fallback, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  if (!n) {
    if (error.empty()) error = n.status().message();
    return fallback;
  }
  return static_cast<int>(*n);
}
bool flag(const json::object& o, std::string_view key, bool fallback) {
  auto* v = o.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}
const json::array* list(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}
std::vector<std::string> strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* a = list(o, key))
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}
json::array to_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::value time_json(std::int64_t ms) {
  if (!ms) return nullptr;
  return json::value(format_utc(SystemTime(std::chrono::milliseconds(ms))));
}
bool read_time(const json::object& o, std::string_view key, std::int64_t& out, std::string& error) {
  auto* v = o.if_contains(key);
  out = 0;
  if (!v || v->is_null()) return true;
  auto t = v->is_string() ? parse_utc(v->get_string()) : std::nullopt;
  // parse_utc lets timegm carry fields out of range ("2026-02-30" is 2 March): only a real date
  // and time, written the way time_json writes it, is read.
  if (t && format_utc(*t) != v->get_string()) t = std::nullopt;
  if (!t) {
    error = std::string("\"") + std::string(key) + "\" phải là thời điểm dạng 2026-12-01T02:00:00.000Z.";
    return false;
  }
  out = std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
  return true;
}

json::array accepted_json(const std::vector<Accepted>& list) {
  json::array a;
  for (const auto& x : list) a.emplace_back(json::object{{"text", x.text}, {"fraction", x.fraction}, {"feedback", x.feedback}});
  return a;
}
std::vector<Accepted> read_accepted(const json::array* a) {
  std::vector<Accepted> out;
  if (a)
    for (const auto& v : *a)
      if (v.is_object()) out.push_back({str(v.get_object(), "text"), num(v.get_object(), "fraction", 1), str(v.get_object(), "feedback")});
  return out;
}

const Option* find_option(const Question& q, std::string_view id) {
  for (const auto& o : q.options)
    if (o.id == id) return &o;
  return nullptr;
}

}  // namespace

json::object question_to_json(const Question& q) {
  json::object o{{"id", q.id}, {"type", type_name(q.type)}, {"name", q.name}, {"text", q.text},
                 {"general_feedback", q.general_feedback}, {"mark", q.mark}, {"category", q.category},
                 {"tags", to_array(q.tags)}, {"difficulty", q.difficulty}, {"competencies", to_array(q.competencies)}};
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice: {
      json::array a;
      for (const auto& x : q.options)
        a.emplace_back(json::object{{"id", x.id}, {"text", x.text}, {"fraction", x.fraction}, {"feedback", x.feedback}});
      o["options"] = std::move(a);
      break;
    }
    case QuestionType::true_false:
      o["truth"] = q.truth;
      o["true_feedback"] = q.true_feedback;
      o["false_feedback"] = q.false_feedback;
      break;
    case QuestionType::short_answer:
      o["accepted"] = accepted_json(q.accepted);
      o["ignore_diacritics"] = q.matching.ignore_diacritics;
      break;
    case QuestionType::numerical: {
      json::array a;
      for (const auto& x : q.numeric)
        a.emplace_back(json::object{{"value", x.value}, {"tolerance", x.tolerance}, {"fraction", x.fraction}, {"feedback", x.feedback}});
      o["numeric"] = std::move(a);
      break;
    }
    case QuestionType::matching: {
      json::array a;
      for (const auto& x : q.pairs) a.emplace_back(json::object{{"id", x.id}, {"prompt", x.prompt}, {"answer", x.answer}});
      o["pairs"] = std::move(a);
      break;
    }
    case QuestionType::ordering: {
      json::array a;
      for (const auto& x : q.items) a.emplace_back(json::object{{"id", x.id}, {"text", x.text}});
      o["items"] = std::move(a);
      break;
    }
    case QuestionType::fill_blanks: {
      json::array a;
      for (const auto& b : q.blanks) a.emplace_back(json::object{{"accepted", accepted_json(b.accepted)}});
      o["blanks"] = std::move(a);
      o["ignore_diacritics"] = q.matching.ignore_diacritics;
      break;
    }
  }
  return o;
}

std::optional<Question> question_from_json(const json::value& v, std::string& error) {
  if (!v.is_object()) {
    error = "Câu hỏi phải là một đối tượng JSON.";
    return std::nullopt;
  }
  if (!json_numbers_finite(v)) {
    error = "Câu hỏi có một số quá lớn (không phải số hữu hạn).";
    return std::nullopt;
  }
  const auto& o = v.get_object();
  Question q;
  auto type = type_from_name(str(o, "type"));
  if (!type) {
    error = "Loại câu hỏi \"" + str(o, "type") +
            "\" không hợp lệ (single_choice, multiple_choice, true_false, short_answer, numerical, matching, ordering, fill_blanks).";
    return std::nullopt;
  }
  q.type = *type;
  q.id = str(o, "id");
  q.name = str(o, "name");
  q.text = str(o, "text");
  q.general_feedback = str(o, "general_feedback");
  q.mark = num(o, "mark", 1);
  q.category = str(o, "category");
  q.tags = strings(o, "tags");
  q.difficulty = whole(o, "difficulty", 0, error);
  if (!error.empty()) return std::nullopt;
  q.competencies = strings(o, "competencies");
  q.matching.ignore_diacritics = flag(o, "ignore_diacritics", false);
  if (auto* a = list(o, "options"))
    for (const auto& x : *a)
      if (x.is_object())
        q.options.push_back({str(x.get_object(), "id"), str(x.get_object(), "text"), num(x.get_object(), "fraction", 0),
                             str(x.get_object(), "feedback")});
  q.truth = flag(o, "truth", true);
  q.true_feedback = str(o, "true_feedback");
  q.false_feedback = str(o, "false_feedback");
  q.accepted = read_accepted(list(o, "accepted"));
  if (auto* a = list(o, "numeric"))
    for (const auto& x : *a)
      if (x.is_object())
        q.numeric.push_back({num(x.get_object(), "value", 0), num(x.get_object(), "tolerance", 0),
                             num(x.get_object(), "fraction", 1), str(x.get_object(), "feedback")});
  if (auto* a = list(o, "pairs"))
    for (const auto& x : *a)
      if (x.is_object()) q.pairs.push_back({str(x.get_object(), "id"), str(x.get_object(), "prompt"), str(x.get_object(), "answer")});
  if (auto* a = list(o, "items"))
    for (const auto& x : *a)
      if (x.is_object()) q.items.push_back({str(x.get_object(), "id"), str(x.get_object(), "text")});
  if (auto* a = list(o, "blanks"))
    for (const auto& x : *a)
      if (x.is_object()) q.blanks.push_back({read_accepted(list(x.get_object(), "accepted"))});
  return q;
}

json::object settings_to_json(const QuizSettings& s) {
  json::array draws;
  for (const auto& r : s.draws)
    draws.emplace_back(json::object{{"category", r.category}, {"tag", r.tag}, {"competency", r.competency},
                                    {"difficulty", r.difficulty}, {"count", r.count}});
  return json::object{{"fixed", to_array(s.fixed)},
                      {"draws", std::move(draws)},
                      {"shuffle_questions", s.shuffle_questions},
                      {"shuffle_options", s.shuffle_options},
                      {"time_limit_minutes", s.time_limit_minutes},
                      {"opens_at", time_json(s.opens_at_ms)},
                      {"closes_at", time_json(s.closes_at_ms)},
                      {"max_attempts", s.max_attempts},
                      {"wait_minutes", s.wait_minutes},
                      {"pass_percent", s.pass_percent},
                      {"score_rule", score_rule_name(s.score_rule)},
                      {"review", review_name(s.review)},
                      {"review_when", review_when_name(s.review_when)},
                      {"per_page", s.per_page},
                      {"domain", s.domain}};
}

std::optional<QuizSettings> settings_from_json(const json::value& v, std::string& error) {
  if (!v.is_object()) {
    error = "Cài đặt bài kiểm tra phải là một đối tượng JSON.";
    return std::nullopt;
  }
  if (!json_numbers_finite(v)) {
    error = "Cài đặt bài kiểm tra có một số quá lớn (không phải số hữu hạn).";
    return std::nullopt;
  }
  const auto& o = v.get_object();
  QuizSettings s;
  s.fixed = strings(o, "fixed");
  if (auto* a = list(o, "draws"))
    for (const auto& x : *a) {
      if (!x.is_object()) continue;
      const auto& r = x.get_object();
      s.draws.push_back({str(r, "category"), str(r, "tag"), str(r, "competency"),
                         whole(r, "difficulty", 0, error), whole(r, "count", 1, error)});
    }
  s.shuffle_questions = flag(o, "shuffle_questions", false);
  s.shuffle_options = flag(o, "shuffle_options", true);
  s.time_limit_minutes = whole(o, "time_limit_minutes", 0, error);
  if (!read_time(o, "opens_at", s.opens_at_ms, error) || !read_time(o, "closes_at", s.closes_at_ms, error))
    return std::nullopt;
  s.max_attempts = whole(o, "max_attempts", 0, error);
  s.wait_minutes = whole(o, "wait_minutes", 0, error);
  s.pass_percent = num(o, "pass_percent", 50);
  std::string rule = str(o, "score_rule"), review = str(o, "review"), when = str(o, "review_when");
  auto r = score_rule_from_name(rule.empty() ? "highest" : rule);
  auto rv = review_from_name(review.empty() ? "answers" : review);
  auto w = review_when_from_name(when.empty() ? "immediately" : when);
  if (!r || !rv || !w) {
    error = !r ? "\"score_rule\" phải là highest hoặc last."
               : !rv ? "\"review\" phải là score, answers hoặc correct." : "\"review_when\" phải là immediately hoặc after_close.";
    return std::nullopt;
  }
  s.score_rule = *r;
  s.review = *rv;
  s.review_when = *w;
  s.per_page = whole(o, "per_page", 0, error);
  s.domain = str(o, "domain");
  if (!error.empty()) return std::nullopt;
  return s;
}

std::optional<Answer> answer_from_json(const Question& q, const json::value& v, std::string& error) {
  Answer a;
  auto fail = [&error](std::string message) -> std::optional<Answer> {
    error = std::move(message);
    return std::nullopt;
  };
  switch (q.type) {
    case QuestionType::single_choice:
      if (!v.is_string() || !find_option(q, v.get_string())) return fail("Câu trả lời phải là mã của một lựa chọn của câu hỏi.");
      a.option_ids.emplace_back(v.get_string());
      return a;
    case QuestionType::multiple_choice: {
      if (!v.is_array()) return fail("Câu trả lời phải là danh sách mã lựa chọn.");
      std::set<std::string> seen;
      for (const auto& x : v.get_array()) {
        if (!x.is_string() || !find_option(q, x.get_string()))
          return fail("Câu trả lời chỉ được gồm mã lựa chọn của câu hỏi.");
        if (!seen.insert(std::string(x.get_string())).second) return fail("Mỗi lựa chọn chỉ được chọn một lần.");
        a.option_ids.emplace_back(x.get_string());
      }
      return a;
    }
    case QuestionType::true_false:
      if (!v.is_bool()) return fail("Câu trả lời phải là true (đúng) hoặc false (sai).");
      a.truth = v.get_bool();
      return a;
    case QuestionType::short_answer:
      if (!v.is_string()) return fail("Câu trả lời phải là một đoạn chữ.");
      if (v.get_string().size() > kMaxTypedAnswer) return fail("Câu trả lời quá dài (tối đa 2000 ký tự).");
      a.text = std::string(v.get_string());
      return a;
    case QuestionType::numerical: {
      auto n = number(v);
      if (!n || !std::isfinite(*n)) return fail("Câu trả lời phải là một số.");
      a.number = *n;
      return a;
    }
    case QuestionType::matching: {
      if (!v.is_object()) return fail("Câu trả lời phải ghép mỗi vế trái với một vế phải: {\"mã vế trái\": \"vế phải\"}.");
      std::set<std::string> answers;
      for (const auto& p : q.pairs) answers.insert(p.answer);
      for (const auto& member : v.get_object()) {
        // Not a structured binding: clang before 16 (the fuzz build) cannot capture one.
        const std::string_view k = member.key();
        const json::value& x = member.value();
        auto prompt = std::find_if(q.pairs.begin(), q.pairs.end(),
                                   [&](const Pair& p) { return p.id == k && !p.prompt.empty(); });
        if (prompt == q.pairs.end()) return fail("\"" + std::string(k) + "\" không phải vế trái của câu hỏi.");
        if (!x.is_string() || !answers.count(std::string(x.get_string())))
          return fail("Vế phải ghép với \"" + std::string(k) + "\" phải là một trong các vế phải của câu hỏi.");
        a.pairs.emplace_back(std::string(k), std::string(x.get_string()));
      }
      std::sort(a.pairs.begin(), a.pairs.end());
      return a;
    }
    case QuestionType::ordering: {
      if (!v.is_array()) return fail("Câu trả lời phải là danh sách mã mục theo thứ tự.");
      std::set<std::string> want, seen;
      for (const auto& i : q.items) want.insert(i.id);
      for (const auto& x : v.get_array()) {
        if (!x.is_string() || !want.count(std::string(x.get_string())) || !seen.insert(std::string(x.get_string())).second)
          return fail("Câu trả lời phải gồm mỗi mục của câu hỏi đúng một lần.");
        a.order.emplace_back(x.get_string());
      }
      if (seen.size() != want.size()) return fail("Câu trả lời phải gồm mỗi mục của câu hỏi đúng một lần.");
      return a;
    }
    case QuestionType::fill_blanks: {
      if (!v.is_array() || v.get_array().size() != q.blanks.size())
        return fail("Câu trả lời phải là danh sách " + std::to_string(q.blanks.size()) + " đoạn chữ, mỗi chỗ trống một đoạn.");
      for (const auto& x : v.get_array()) {
        if (!x.is_string()) return fail("Mỗi chỗ trống phải là một đoạn chữ.");
        if (x.get_string().size() > kMaxTypedAnswer) return fail("Câu trả lời quá dài (tối đa 2000 ký tự).");
        a.gaps.emplace_back(x.get_string());
      }
      return a;
    }
  }
  return fail("Loại câu hỏi không được hỗ trợ.");
}

json::value answer_to_json(const Question& q, const Answer& a) {
  switch (q.type) {
    case QuestionType::single_choice:
      return a.option_ids.empty() ? json::value(nullptr) : json::value(a.option_ids.front());
    case QuestionType::multiple_choice:
      return to_array(a.option_ids);
    case QuestionType::true_false:
      return a.truth ? json::value(*a.truth) : json::value(nullptr);
    case QuestionType::short_answer:
      return json::value(a.text);
    case QuestionType::numerical:
      return a.number ? json::value(*a.number) : json::value(nullptr);
    case QuestionType::matching: {
      json::object o;
      for (const auto& [k, x] : a.pairs) o[k] = x;
      return o;
    }
    case QuestionType::ordering:
      return to_array(a.order);
    case QuestionType::fill_blanks:
      return to_array(a.gaps);
  }
  return nullptr;
}

namespace {
bool uses_positions(QuestionType t) {
  return t == QuestionType::single_choice || t == QuestionType::multiple_choice || t == QuestionType::ordering;
}
std::string position_of(const DrawnQuestion& drawn, std::string_view id) {
  for (std::size_t i = 0; i < drawn.order.size(); ++i)
    if (drawn.order[i] == id) return std::to_string(i + 1);
  return {};
}
std::string id_at(const DrawnQuestion& drawn, std::string_view position) {
  std::size_t n = 0;
  if (position.empty() || position.size() > 4) return {};
  for (char ch : position) {
    if (ch < '0' || ch > '9') return {};
    n = n * 10 + static_cast<std::size_t>(ch - '0');
  }
  return n >= 1 && n <= drawn.order.size() ? drawn.order[n - 1] : std::string();
}
json::value translate(const Question& q, const json::value& v, const std::function<std::string(std::string_view)>& f) {
  if (!uses_positions(q.type)) return v;
  if (v.is_string()) return json::value(f(v.get_string()));
  if (!v.is_array()) return v;
  json::array out;
  for (const auto& x : v.get_array()) out.emplace_back(x.is_string() ? json::value(f(x.get_string())) : x);
  return out;
}
}  // namespace

json::value to_learner(const Question& q, const DrawnQuestion& drawn, const json::value& stored) {
  return translate(q, stored, [&](std::string_view id) { return position_of(drawn, id); });
}

json::value from_learner(const Question& q, const DrawnQuestion& drawn, const json::value& given) {
  return translate(q, given, [&](std::string_view position) { return id_at(drawn, position); });
}

json::object learner_question(const Question& q, const DrawnQuestion& drawn, json::storage_ptr sp) {
  // Everything is made in `sp`'s memory: an attempt's twenty questions are built and sent on
  // every start, so a monotonic buffer saves most of the allocations.
  json::object o({{"id", q.id}, {"type", type_name(q.type)}, {"text", q.text}, {"mark", q.mark}}, sp);
  auto pair = [&sp](std::string_view id, std::string_view text) { return json::object({{"id", id}, {"text", text}}, sp); };
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice: {
      json::array a(sp);
      a.reserve(drawn.order.size());
      for (std::size_t i = 0; i < drawn.order.size(); ++i)
        if (auto* opt = find_option(q, drawn.order[i])) a.emplace_back(pair(std::to_string(i + 1), opt->text));
      o.emplace("options", std::move(a));
      break;
    }
    case QuestionType::matching: {
      json::array prompts(sp), choices(sp);
      for (const auto& p : q.pairs)
        if (!p.prompt.empty()) prompts.emplace_back(pair(p.id, p.prompt));
      for (const auto& c : drawn.order) choices.emplace_back(c);
      o.emplace("prompts", std::move(prompts));
      o.emplace("choices", std::move(choices));
      break;
    }
    case QuestionType::ordering: {
      json::array a(sp);
      for (std::size_t k = 0; k < drawn.order.size(); ++k)
        for (const auto& i : q.items)
          if (i.id == drawn.order[k]) a.emplace_back(pair(std::to_string(k + 1), i.text));
      o.emplace("items", std::move(a));
      break;
    }
    case QuestionType::fill_blanks:
      o.emplace("gaps", q.blanks.size());
      break;
    default:
      break;
  }
  return o;
}

json::value right_answer(const Question& q) {
  Answer a;
  switch (q.type) {
    case QuestionType::single_choice: {
      const Option* best = nullptr;
      for (const auto& o : q.options)
        if (!best || o.fraction > best->fraction) best = &o;
      if (best) a.option_ids.push_back(best->id);
      break;
    }
    case QuestionType::multiple_choice:
      for (const auto& o : q.options)
        if (o.fraction > 0) a.option_ids.push_back(o.id);
      break;
    case QuestionType::true_false:
      a.truth = q.truth;
      break;
    case QuestionType::short_answer:
      for (const auto& x : q.accepted)
        if (x.fraction >= 1 - 1e-6) {
          a.text = x.text;
          break;
        }
      break;
    case QuestionType::numerical:
      for (const auto& x : q.numeric)
        if (x.fraction >= 1 - 1e-6) {
          a.number = x.value;
          break;
        }
      break;
    case QuestionType::matching:
      for (const auto& p : q.pairs)
        if (!p.prompt.empty()) a.pairs.emplace_back(p.id, p.answer);
      break;
    case QuestionType::ordering:
      for (const auto& i : q.items) a.order.push_back(i.id);
      break;
    case QuestionType::fill_blanks:
      for (const auto& b : q.blanks) {
        std::string best;
        for (const auto& x : b.accepted)
          if (x.fraction >= 1 - 1e-6) {
            best = x.text;
            break;
          }
        a.gaps.push_back(best);
      }
      break;
  }
  return answer_to_json(q, a);
}

void add_review(json::object& out, const Question& q, const DrawnQuestion& drawn, const std::optional<Answer>& answer,
                const Grade& g, ReviewLevel level) {
  if (level == ReviewLevel::score) return;
  out["score"] = g.score;
  out["max_score"] = g.max;
  out["answer"] = answer ? to_learner(q, drawn, answer_to_json(q, *answer)) : json::value(nullptr);
  if (level != ReviewLevel::correct) return;
  out["correct"] = to_learner(q, drawn, right_answer(q));
  out["feedback"] = to_array(g.feedback);
}

}  // namespace hocvu::assessment
