#include "assessment/grading.h"

#include "assessment/question_json.h"
#include "core/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace hocvu::assessment {

namespace {

// ---- text normalisation -------------------------------------------------------------------

std::string normalise(std::string_view s, const TextMatching& rules) {
  return rules.ignore_diacritics ? fold_for_search(s) : fold_case(s);
}

// One piece of an accepted text between wildcards, normalised, keeping whether a word boundary
// (white space, or a separator when folding) sat at either end: "bảo *" must not match "bảox".
std::string normalise_piece(const std::string& piece, const TextMatching& rules, bool first, bool last) {
  std::string core = normalise(piece, rules);
  if (core.empty()) {
    // Only separators (or nothing): a required space between two wildcards, else nothing.
    return !first && !last && normalise("x" + piece + "x", rules) == "x x" ? " " : "";
  }
  std::string out;
  if (!first && normalise("x" + piece, rules).starts_with("x ")) out.push_back(' ');
  out += core;
  if (!last && normalise(piece + "x", rules).ends_with(" x")) out.push_back(' ');
  return out;
}

// Splits an accepted text at unescaped '*'; "\*" is a literal star.
std::vector<std::string> split_wildcards(std::string_view accepted) {
  std::vector<std::string> pieces(1);
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    char c = accepted[i];
    if (c == '\\' && i + 1 < accepted.size() && accepted[i + 1] == '*') {
      pieces.back().push_back('*');
      ++i;
    } else if (c == '*') {
      pieces.emplace_back();
    } else {
      pieces.back().push_back(c);
    }
  }
  return pieces;
}

// Glob match of `text` against literal `pieces` separated by "any run" wildcards.
bool glob_match(std::string_view text, const std::vector<std::string>& pieces) {
  if (pieces.size() == 1) return text == pieces[0];
  const std::string& head = pieces.front();
  const std::string& tail = pieces.back();
  if (text.size() < head.size() + tail.size() || !text.starts_with(head) || !text.ends_with(tail)) return false;
  std::string_view middle = text.substr(head.size(), text.size() - head.size() - tail.size());
  for (std::size_t k = 1; k + 1 < pieces.size(); ++k) {
    // Greedy leftmost match of each middle piece is optimal when every gap is a wildcard.
    std::size_t at = middle.find(pieces[k]);
    if (at == std::string_view::npos) return false;
    middle.remove_prefix(at + pieces[k].size());
  }
  return true;
}

// ---- grading helpers ---------------------------------------------------------------------

double round7(double x) { return std::round(x * 1e7) / 1e7; }

bool blank(std::string_view s) { return fold_case(s).empty(); }

void add_feedback(Grade& g, const std::string& text) {
  if (!text.empty()) g.feedback.push_back(text);
}

// The best matching accepted text's fraction (clamped to [0, 1]) and the entry, or 0 / nullptr.
std::pair<double, const Accepted*> best_accepted(std::string_view given, const std::vector<Accepted>& list,
                                                 const TextMatching& rules) {
  double best = 0;
  const Accepted* found = nullptr;
  for (const auto& a : list) {
    if (!std::isfinite(a.fraction) || !text_matches(given, a.text, rules)) continue;
    double f = std::clamp(a.fraction, 0.0, 1.0);
    if (!found || f > best) best = f, found = &a;
  }
  return {best, found};
}

// Whether `given` lies within the answer's tolerance, both ends included. The slack absorbs the
// rounding of decimal values ("3.14 ± 0.01" must accept 3.15) and nothing a learner could type.
bool within(double given, const NumericAnswer& n) {
  if (!std::isfinite(given) || !std::isfinite(n.value) || !std::isfinite(n.tolerance)) return false;
  double tolerance = std::max(n.tolerance, 0.0);
  double slack = 1e-9 * std::max({1.0, std::fabs(n.value), tolerance});
  return given >= n.value - tolerance - slack && given <= n.value + tolerance + slack;
}

// The share of the mark earned (before clamping), filling `g.answered` and `g.feedback`.
double earned_share(const Question& q, const Answer& a, Grade& g) {
  switch (q.type) {
    case QuestionType::single_choice: {
      g.answered = !a.option_ids.empty();
      if (a.option_ids.size() != 1) return 0;
      for (const auto& o : q.options)
        if (o.id == a.option_ids[0]) {
          add_feedback(g, o.feedback);
          return std::isfinite(o.fraction) ? o.fraction : 0;
        }
      return 0;
    }
    case QuestionType::multiple_choice: {
      g.answered = !a.option_ids.empty();
      std::set<std::string_view> chosen(a.option_ids.begin(), a.option_ids.end());
      std::set<std::string_view> counted;  // an id that appears twice in the question counts once
      double sum = 0;
      for (const auto& o : q.options) {
        if (!chosen.contains(o.id) || !counted.insert(o.id).second) continue;
        add_feedback(g, o.feedback);
        if (std::isfinite(o.fraction)) sum += o.fraction;
      }
      return sum;
    }
    case QuestionType::true_false:
      g.answered = a.truth.has_value();
      if (!a.truth) return 0;
      add_feedback(g, *a.truth ? q.true_feedback : q.false_feedback);
      return *a.truth == q.truth ? 1 : 0;
    case QuestionType::short_answer: {
      g.answered = !blank(a.text);
      if (!g.answered) return 0;
      auto [best, found] = best_accepted(a.text, q.accepted, q.matching);
      if (found) add_feedback(g, found->feedback);
      return best;
    }
    case QuestionType::numerical: {
      g.answered = a.number.has_value();
      if (!a.number) return 0;
      double best = 0;
      const NumericAnswer* found = nullptr;
      for (const auto& n : q.numeric) {
        if (!std::isfinite(n.fraction) || !within(*a.number, n)) continue;
        double f = std::clamp(n.fraction, 0.0, 1.0);
        if (!found || f > best) best = f, found = &n;
      }
      if (found) add_feedback(g, found->feedback);
      return best;
    }
    case QuestionType::matching: {
      g.answered = std::any_of(a.pairs.begin(), a.pairs.end(), [](const auto& p) { return !p.second.empty(); });
      std::size_t prompts = 0, right = 0;
      for (const auto& p : q.pairs) {
        if (p.prompt.empty()) continue;
        ++prompts;
        auto it = std::find_if(a.pairs.begin(), a.pairs.end(), [&](const auto& x) { return x.first == p.id; });
        if (it != a.pairs.end() && !it->second.empty() && to_nfc(it->second) == to_nfc(p.answer)) ++right;
      }
      return prompts == 0 ? 0 : static_cast<double>(right) / static_cast<double>(prompts);
    }
    case QuestionType::ordering: {
      g.answered = !a.order.empty();
      if (q.items.empty()) return 0;
      std::size_t right = 0;
      for (std::size_t i = 0; i < q.items.size() && i < a.order.size(); ++i)
        if (a.order[i] == q.items[i].id) ++right;
      return static_cast<double>(right) / static_cast<double>(q.items.size());
    }
    case QuestionType::fill_blanks: {
      g.answered = std::any_of(a.gaps.begin(), a.gaps.end(), [](const auto& t) { return !blank(t); });
      if (q.blanks.empty()) return 0;
      double sum = 0;
      for (std::size_t i = 0; i < q.blanks.size() && i < a.gaps.size(); ++i) {
        if (blank(a.gaps[i])) continue;
        auto [best, found] = best_accepted(a.gaps[i], q.blanks[i].accepted, q.matching);
        if (found) add_feedback(g, found->feedback);
        sum += best;
      }
      return sum / static_cast<double>(q.blanks.size());
    }
  }
  return 0;
}

// ---- question_problems helpers -----------------------------------------------------------

std::string quoted(std::string_view s) { return "“" + std::string(s) + "”"; }

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// Ids must be present and unique within the question.
template <class T>
void check_ids(const std::vector<T>& list, const char* what, std::vector<std::string>& out) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].id.empty()) out.push_back(std::string(what) + " thứ " + std::to_string(i + 1) + " chưa có mã.");
    else if (!seen.insert(list[i].id).second) out.push_back(std::string(what) + " có mã trùng lặp: " + quoted(list[i].id) + ".");
  }
}

// A list of typed answers (short answer, a gap): at least one, texts not blank, fractions in
// 0..1, one of them worth the full mark.
void check_accepted(const std::vector<Accepted>& list, const std::string& where, std::vector<std::string>& out) {
  if (list.empty()) {
    out.push_back(where + "chưa có đáp án được chấp nhận.");
    return;
  }
  bool full = false;
  for (const auto& a : list) {
    std::string without_wildcards;
    for (char c : a.text)
      if (c != '*') without_wildcards.push_back(c);
    if (blank(without_wildcards)) out.push_back(where + "có đáp án rỗng.");
    // A learner's typed answer is refused beyond kMaxTypedAnswer: a longer answer could never be given.
    if (a.text.size() > kMaxTypedAnswer) out.push_back(where + "có đáp án dài quá 2000 ký tự, người học không gõ được.");
    if (!std::isfinite(a.fraction) || a.fraction < 0 || a.fraction > 1)
      out.push_back(where + "đáp án " + quoted(a.text) + " có tỉ lệ điểm ngoài khoảng 0..1.");
    else if (a.fraction >= 1 - 1e-9)
      full = true;
  }
  if (!full) out.push_back(where + "không có đáp án nào được trọn điểm (tỉ lệ 100%).");
}

// The gap numbers written {n} in `text`, in order of appearance.
std::vector<long> gap_numbers(std::string_view text) {
  std::vector<long> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    std::size_t j = i + 1;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9' && j - i <= 6) ++j;
    if (j > i + 1 && j < text.size() && text[j] == '}') {
      out.push_back(std::stol(std::string(text.substr(i + 1, j - i - 1))));
      i = j;
    }
  }
  return out;
}

}  // namespace

bool text_matches(std::string_view given, std::string_view accepted, const TextMatching& rules) {
  std::vector<std::string> raw = split_wildcards(accepted);
  std::vector<std::string> pieces;
  pieces.reserve(raw.size());
  bool any = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    pieces.push_back(raw.size() == 1 ? normalise(raw[i], rules)
                                     : normalise_piece(raw[i], rules, i == 0, i + 1 == raw.size()));
    any = any || !pieces.back().empty();
  }
  if (!any) return false;  // "" or "*" alone would accept anything
  return glob_match(normalise(given, rules), pieces);
}

Grade grade(const Question& q, const Answer& answer) {
  Grade g;
  g.max = std::isfinite(q.mark) && q.mark > 0 ? q.mark : 0;
  double share = earned_share(q, answer, g);
  if (!std::isfinite(share)) share = 0;
  if (share > 1 - 1e-6) share = 1;  // three options of 33.33333% make the full mark
  g.score = round7(std::clamp(share, 0.0, 1.0) * g.max);
  add_feedback(g, q.general_feedback);
  return g;
}

std::vector<std::string> question_problems(const Question& q) {
  std::vector<std::string> out;
  if (!std::isfinite(q.mark) || q.mark <= 0) out.push_back("Điểm tối đa của câu hỏi phải là số dương.");
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice: {
      if (q.options.size() < 2) out.push_back("Câu hỏi lựa chọn cần ít nhất hai phương án.");
      check_ids(q.options, "Phương án", out);
      double best = -1, positive = 0;
      for (const auto& o : q.options) {
        if (!std::isfinite(o.fraction) || o.fraction < -1 || o.fraction > 1) {
          out.push_back("Phương án " + quoted(o.id) + " có tỉ lệ điểm ngoài khoảng -1..1.");
          continue;
        }
        best = std::max(best, o.fraction);
        if (o.fraction > 0) positive += o.fraction;
      }
      if (!q.options.empty() && best <= 0) {
        out.push_back("Không có phương án đúng nào.");
      } else if (q.type == QuestionType::single_choice && !q.options.empty() && best < 1 - 1e-9) {
        out.push_back("Không có phương án nào được trọn điểm (tỉ lệ 100%).");
      } else if (q.type == QuestionType::multiple_choice && !q.options.empty() && positive < 1 - 1e-3) {
        out.push_back("Tổng tỉ lệ điểm của các phương án đúng chỉ là " + number_text(positive * 100) +
                      "%: không thể đạt điểm tối đa.");
      }
      break;
    }
    case QuestionType::true_false:
      break;
    case QuestionType::short_answer:
      check_accepted(q.accepted, "Câu hỏi ", out);
      break;
    case QuestionType::numerical: {
      if (q.numeric.empty()) {
        out.push_back("Câu hỏi số chưa có đáp án.");
        break;
      }
      bool full = false;
      for (const auto& n : q.numeric) {
        std::string which = "Đáp án " + number_text(n.value);
        if (!std::isfinite(n.value)) out.push_back("Đáp án số phải là một số hữu hạn.");
        if (!std::isfinite(n.tolerance) || n.tolerance < 0)
          out.push_back(which + " có sai số cho phép âm hoặc không hợp lệ (" + number_text(n.tolerance) + ").");
        if (!std::isfinite(n.fraction) || n.fraction < 0 || n.fraction > 1)
          out.push_back(which + " có tỉ lệ điểm ngoài khoảng 0..1.");
        else if (n.fraction >= 1 - 1e-9)
          full = true;
      }
      if (!full) out.push_back("Không có đáp án số nào được trọn điểm (tỉ lệ 100%).");
      break;
    }
    case QuestionType::matching: {
      check_ids(q.pairs, "Cặp ghép", out);
      std::size_t prompts = 0;
      for (const auto& p : q.pairs) {
        if (!p.prompt.empty()) ++prompts;
        if (blank(p.answer)) out.push_back("Cặp ghép " + quoted(p.id) + " chưa có vế phải.");
      }
      if (prompts < 2) out.push_back("Câu hỏi ghép đôi cần ít nhất hai vế trái.");
      break;
    }
    case QuestionType::ordering:
      if (q.items.size() < 2) out.push_back("Câu hỏi sắp xếp cần ít nhất hai mục.");
      check_ids(q.items, "Mục", out);
      break;
    case QuestionType::fill_blanks: {
      std::vector<long> gaps = gap_numbers(q.text);
      std::vector<long> sorted = gaps;
      std::sort(sorted.begin(), sorted.end());
      bool duplicate = std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
      sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
      bool exact = sorted.size() == q.blanks.size();
      for (std::size_t i = 0; exact && i < sorted.size(); ++i) exact = sorted[i] == static_cast<long>(i + 1);
      if (q.blanks.empty()) out.push_back("Câu hỏi điền khuyết chưa có chỗ trống nào.");
      else if (!exact)
        out.push_back("Đề bài có " + std::to_string(sorted.size()) + " chỗ trống nhưng có " +
                      std::to_string(q.blanks.size()) + " danh sách đáp án; các chỗ trống phải là {1}..{" +
                      std::to_string(q.blanks.size()) + "}.");
      if (duplicate) out.push_back("Một chỗ trống xuất hiện nhiều lần trong đề bài.");
      for (std::size_t i = 0; i < q.blanks.size(); ++i)
        check_accepted(q.blanks[i].accepted, "Chỗ trống {" + std::to_string(i + 1) + "} ", out);
      break;
    }
  }
  return out;
}

}  // namespace hocvu::assessment
