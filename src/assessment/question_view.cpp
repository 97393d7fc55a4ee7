#include "assessment/question_view.h"

#include "assessment/question_json.h"
#include "web/markdown.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace hocvu::assessment {

using web::Data;
namespace json = boost::json;

namespace {

std::string form_value(const web::Fields& form, const std::string& name) {
  for (const auto& [k, v] : form)
    if (k == name) return v;
  return {};
}

std::string trimmed(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// "3,14" (the Vietnamese decimal comma) and "3.14"; nullopt for anything else.
std::optional<double> parse_decimal(std::string s) {
  std::replace(s.begin(), s.end(), ',', '.');
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// The shortest text that reads back as the same number, so that a form posted back with a saved
// number saves the same number (2345678 stays 2345678, 0.1 stays 0.1).
std::string format_number(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The right answer as plain values (only used when the review level allows it).
Answer right(const Question& q) {
  std::string error;
  auto a = answer_from_json(q, right_answer(q), error);
  return a ? *a : Answer{};
}

}  // namespace

Data question_data(const Question& q, const DrawnQuestion& drawn, const QuestionPage& page) {
  Data d{Data::type::object};
  const std::string base = "a." + q.id;
  const bool show_answer = !page.review || *page.review != ReviewLevel::score;
  const bool show_right = page.review && *page.review == ReviewLevel::correct;
  const Answer given = page.answer && show_answer ? *page.answer : Answer{};
  const Answer correct = show_right ? right(q) : Answer{};
  d.set("number", std::to_string(page.number));
  d.set("qid", q.id);
  d.set("field", base);
  d.set("text_html", web::render_markdown(q.text));
  d.set("mark", format_number(q.mark));
  if (!page.editable) d.set("disabled", true);
  if (page.answer) d.set("answered", true);
  d.set(std::string("is_") + type_name(q.type), true);

  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice: {
      // Values are positions in this attempt's order, never the author's ids (to_learner).
      Data list{Data::type::list};
      for (std::size_t k = 0; k < drawn.order.size(); ++k) {
        auto opt = std::find_if(q.options.begin(), q.options.end(), [&](const Option& o) { return o.id == drawn.order[k]; });
        if (opt == q.options.end()) continue;
        Data o{Data::type::object};
        o.set("value", std::to_string(k + 1));
        o.set("input_id", base + "-" + std::to_string(k));
        o.set("text", opt->text);
        if (contains(given.option_ids, opt->id)) o.set("checked", true);
        if (show_right && contains(correct.option_ids, opt->id)) o.set("right", true);
        if (show_right && contains(given.option_ids, opt->id) && !opt->feedback.empty()) o.set("option_feedback", opt->feedback);
        list.push_back(o);
      }
      d.set("options", list);
      break;
    }
    case QuestionType::true_false:
      if (given.truth) d.set(*given.truth ? "true_checked" : "false_checked", true);
      if (show_right) d.set(q.truth ? "true_right" : "false_right", true);
      break;
    case QuestionType::short_answer:
      d.set("value", given.text);
      if (show_right && !correct.text.empty()) d.set("right_text", correct.text);
      break;
    case QuestionType::numerical:
      if (given.number) d.set("value", format_number(*given.number));
      if (show_right && correct.number) d.set("right_text", format_number(*correct.number));
      break;
    case QuestionType::matching: {
      Data prompts{Data::type::list};
      int i = 0;
      for (const auto& p : q.pairs) {
        if (p.prompt.empty()) continue;
        Data o{Data::type::object};
        o.set("name", base + "." + p.id);
        o.set("input_id", base + "-" + std::to_string(i++));
        o.set("text", p.prompt);
        std::string chosen;
        for (const auto& [k, v] : given.pairs)
          if (k == p.id) chosen = v;
        Data choices{Data::type::list};
        for (const auto& c : drawn.order) {
          Data ch{Data::type::object};
          ch.set("text", c);
          if (c == chosen) ch.set("selected", true);
          choices.push_back(ch);
        }
        o.set("choices", choices);
        if (show_right) o.set("right_text", p.answer);
        prompts.push_back(o);
      }
      d.set("prompts", prompts);
      break;
    }
    case QuestionType::ordering: {
      // Items in the drawn order, named by their place in it (never the author's ids, which are
      // in the right order); each with the position the learner gave it, blank until they do.
      Data items{Data::type::list};
      for (std::size_t k = 0; k < drawn.order.size(); ++k) {
        auto item = std::find_if(q.items.begin(), q.items.end(), [&](const Item& it) { return it.id == drawn.order[k]; });
        if (item == q.items.end()) continue;
        std::size_t chosen = 0;
        for (std::size_t g = 0; g < given.order.size(); ++g)
          if (given.order[g] == item->id) chosen = g + 1;
        Data o{Data::type::object};
        o.set("name", base + "." + std::to_string(k + 1));
        o.set("input_id", base + "-" + std::to_string(k));
        o.set("text", item->text);
        Data positions{Data::type::list};
        for (std::size_t n = 1; n <= q.items.size(); ++n) {
          Data p{Data::type::object};
          p.set("n", std::to_string(n));
          if (n == chosen) p.set("selected", true);
          positions.push_back(p);
        }
        o.set("positions", positions);
        if (show_right)
          for (std::size_t r = 0; r < q.items.size(); ++r)
            if (q.items[r].id == item->id) o.set("right_position", std::to_string(r + 1));
        items.push_back(o);
      }
      d.set("items", items);
      break;
    }
    case QuestionType::fill_blanks: {
      Data gaps{Data::type::list};
      for (std::size_t i = 0; i < q.blanks.size(); ++i) {
        Data g{Data::type::object};
        g.set("n", std::to_string(i + 1));
        g.set("name", base + "." + std::to_string(i + 1));
        g.set("input_id", base + "-" + std::to_string(i));
        if (i < given.gaps.size()) g.set("value", given.gaps[i]);
        if (show_right && i < correct.gaps.size()) g.set("right_text", correct.gaps[i]);
        gaps.push_back(g);
      }
      d.set("gaps", gaps);
      break;
    }
  }

  if (page.grade) {
    d.set("graded", true);
    d.set("score", format_number(page.grade->score));
    d.set("max", format_number(page.grade->max));
    if (page.grade->max > 0 && page.grade->score >= page.grade->max - 1e-9) d.set("full_marks", true);
    if (show_right && !page.grade->feedback.empty()) {
      Data fb{Data::type::list};
      for (const auto& f : page.grade->feedback) fb.push_back(Data{"text", f});
      d.set("feedback", fb);
    }
  }
  return d;
}

std::optional<json::value> answer_from_form(const Question& q, const DrawnQuestion& drawn, const web::Fields& form,
                                            std::string& error) {
  const std::string base = "a." + q.id;
  switch (q.type) {
    case QuestionType::single_choice: {
      auto v = form_value(form, base);
      if (v.empty()) return std::nullopt;
      return json::value(v);
    }
    case QuestionType::multiple_choice: {
      json::array a;
      for (const auto& [k, v] : form)
        if (k == base) a.emplace_back(v);
      if (a.empty()) return std::nullopt;
      return json::value(std::move(a));
    }
    case QuestionType::true_false: {
      auto v = form_value(form, base);
      if (v != "true" && v != "false") return std::nullopt;
      return json::value(v == "true");
    }
    case QuestionType::short_answer: {
      auto v = trimmed(form_value(form, base));
      if (v.empty()) return std::nullopt;
      return json::value(v);
    }
    case QuestionType::numerical: {
      auto v = trimmed(form_value(form, base));
      if (v.empty()) return std::nullopt;
      auto n = parse_decimal(v);
      if (!n) {
        error = "Câu " + q.id + ": \"" + v + "\" không phải là một số.";
        return std::nullopt;
      }
      return json::value(*n);
    }
    case QuestionType::matching: {
      json::object o;
      for (const auto& p : q.pairs) {
        if (p.prompt.empty()) continue;
        auto v = form_value(form, base + "." + p.id);
        if (!v.empty()) o[p.id] = v;
      }
      if (o.empty()) return std::nullopt;
      return json::value(std::move(o));
    }
    case QuestionType::ordering: {
      // Fields named by each item's place in the drawn order, holding the position chosen.
      std::vector<std::pair<int, std::string>> placed;
      std::set<int> used;
      std::size_t blank = 0;
      for (std::size_t k = 1; k <= drawn.order.size(); ++k) {
        auto v = form_value(form, base + "." + std::to_string(k));
        if (v.empty()) {
          ++blank;
          continue;
        }
        int n = 0;
        auto r = std::from_chars(v.data(), v.data() + v.size(), n);
        if (r.ec != std::errc{} || n < 1 || n > static_cast<int>(drawn.order.size()) || !used.insert(n).second) {
          error = "Mỗi vị trí chỉ được chọn cho một mục.";
          return std::nullopt;
        }
        placed.emplace_back(n, std::to_string(k));
      }
      if (blank == drawn.order.size()) return std::nullopt;  // not answered yet
      if (blank) {
        error = "Hãy chọn vị trí cho mọi mục của câu sắp xếp.";
        return std::nullopt;
      }
      std::sort(placed.begin(), placed.end());
      json::array a;
      for (const auto& [n, token] : placed) a.emplace_back(token);
      return json::value(std::move(a));
    }
    case QuestionType::fill_blanks: {
      json::array a;
      bool any = false;
      for (std::size_t i = 0; i < q.blanks.size(); ++i) {
        auto v = trimmed(form_value(form, base + "." + std::to_string(i + 1)));
        any = any || !v.empty();
        a.emplace_back(v);
      }
      if (!any) return std::nullopt;
      return json::value(std::move(a));
    }
  }
  return std::nullopt;
}

}  // namespace hocvu::assessment
