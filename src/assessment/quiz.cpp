#include "assessment/quiz.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

namespace hocvu::assessment {
namespace {

template <typename E, std::size_t N>
std::optional<E> from_name(std::string_view s, const std::pair<E, const char*> (&names)[N]) {
  for (const auto& [e, n] : names)
    if (s == n) return e;
  return std::nullopt;
}
template <typename E, std::size_t N>
const char* to_name(E e, const std::pair<E, const char*> (&names)[N]) {
  for (const auto& [v, n] : names)
    if (v == e) return n;
  return names[0].second;
}

constexpr std::pair<QuizKind, const char*> kKinds[] = {
    {QuizKind::section, "section"}, {QuizKind::final_exam, "final_exam"}, {QuizKind::placement, "placement"}};
constexpr std::pair<ScoreRule, const char*> kRules[] = {{ScoreRule::highest, "highest"}, {ScoreRule::last, "last"}};
constexpr std::pair<ReviewLevel, const char*> kReviews[] = {
    {ReviewLevel::score, "score"}, {ReviewLevel::answers, "answers"}, {ReviewLevel::correct, "correct"}};
constexpr std::pair<ReviewWhen, const char*> kWhens[] = {{ReviewWhen::immediately, "immediately"},
                                                         {ReviewWhen::after_close, "after_close"}};

bool in_category(const std::string& category, const std::string& wanted) {
  if (wanted.empty()) return true;
  return category == wanted || (category.size() > wanted.size() && category.compare(0, wanted.size(), wanted) == 0 &&
                                category[wanted.size()] == '/');
}

bool matches(const Question& q, const DrawRule& r) {
  if (!in_category(q.category, r.category)) return false;
  if (!r.tag.empty() && std::find(q.tags.begin(), q.tags.end(), r.tag) == q.tags.end()) return false;
  if (!r.competency.empty() &&
      std::find(q.competencies.begin(), q.competencies.end(), r.competency) == q.competencies.end())
    return false;
  return r.difficulty == 0 || q.difficulty == r.difficulty;
}

std::string describe(const DrawRule& r) {
  std::string out;
  auto add = [&out](const std::string& label, const std::string& v) {
    if (v.empty()) return;
    if (!out.empty()) out += ", ";
    out += label + " " + v;
  };
  add("danh mục", r.category);
  add("thẻ", r.tag);
  add("năng lực", r.competency);
  add("độ khó", r.difficulty ? std::to_string(r.difficulty) : "");
  return out.empty() ? "toàn bộ ngân hàng" : out;
}

// The order in which a question's parts are shown, before shuffling.
std::vector<std::string> natural_order(const Question& q) {
  std::vector<std::string> order;
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice:
      for (const auto& o : q.options) order.push_back(o.id);
      break;
    case QuestionType::matching: {
      std::set<std::string> seen;  // each answer text once, distractors included
      for (const auto& p : q.pairs)
        if (seen.insert(p.answer).second) order.push_back(p.answer);
      break;
    }
    case QuestionType::ordering:
      for (const auto& i : q.items) order.push_back(i.id);
      break;
    default:
      break;
  }
  return order;
}

}  // namespace

const char* kind_name(QuizKind k) { return to_name(k, kKinds); }
std::optional<QuizKind> quiz_kind_from_name(std::string_view s) { return from_name(s, kKinds); }
const char* score_rule_name(ScoreRule r) { return to_name(r, kRules); }
std::optional<ScoreRule> score_rule_from_name(std::string_view s) { return from_name(s, kRules); }
const char* review_name(ReviewLevel r) { return to_name(r, kReviews); }
std::optional<ReviewLevel> review_from_name(std::string_view s) { return from_name(s, kReviews); }
const char* review_when_name(ReviewWhen w) { return to_name(w, kWhens); }
std::optional<ReviewWhen> review_when_from_name(std::string_view s) { return from_name(s, kWhens); }

std::vector<std::string> quiz_problems(const QuizSettings& s, const std::vector<Question>& bank) {
  std::vector<std::string> problems;
  if (s.fixed.empty() && s.draws.empty()) problems.push_back("Bài kiểm tra chưa có câu hỏi nào.");
  std::set<std::string> taken;
  for (const auto& id : s.fixed) {
    auto it = std::find_if(bank.begin(), bank.end(), [&](const Question& q) { return q.id == id; });
    if (it == bank.end())
      problems.push_back("Câu hỏi \"" + id + "\" không có trong ngân hàng.");
    else if (!taken.insert(id).second)
      problems.push_back("Câu hỏi \"" + id + "\" được chọn hai lần.");
  }
  // draw() lets each rule take any `count` of what is left, at random: a rule's check assumes the
  // worst, that earlier rules took as many of its questions as they could: never too lenient, so
  // draw() never fails after it, and exact in the usual cases (pools apart, or one inside another).
  std::vector<std::set<std::string>> pools;  // earlier rules: their matches, fixed ids left out
  std::vector<int> counts;
  for (std::size_t i = 0; i < s.draws.size(); ++i) {
    const DrawRule& r = s.draws[i];
    const std::string which = "Lượt rút " + std::to_string(i + 1) + " (" + describe(r) + ")";
    if (r.count < 1 || r.count > 200) {
      problems.push_back(which + ": số câu phải từ 1 đến 200.");
      continue;
    }
    if (r.difficulty < 0 || r.difficulty > 3) problems.push_back(which + ": độ khó phải từ 1 đến 3.");
    std::set<std::string> pool;
    for (const auto& q : bank)
      if (!taken.count(q.id) && matches(q, r)) pool.insert(q.id);
    std::size_t lost = 0;          // the most that earlier rules may take from this pool
    std::set<std::string> shared;  // the questions of this pool that earlier rules may take
    for (std::size_t j = 0; j < pools.size(); ++j) {
      std::size_t common = 0;
      for (const auto& id : pools[j])
        if (pool.count(id)) {
          ++common;
          shared.insert(id);
        }
      lost += std::min<std::size_t>(common, static_cast<std::size_t>(counts[j]));
    }
    lost = std::min(lost, shared.size());
    const std::size_t found = pool.size() - lost;
    if (found < static_cast<std::size_t>(r.count)) {
      const std::string earlier = lost ? " (các lượt rút trước có thể lấy mất " + std::to_string(lost) + " câu)" : "";
      problems.push_back(which + ": cần " + std::to_string(r.count) + " câu nhưng ngân hàng chỉ còn " +
                         std::to_string(found) + " câu phù hợp" + earlier + ".");
    }
    pools.push_back(std::move(pool));
    counts.push_back(r.count);
  }
  if (!(s.pass_percent >= 0 && s.pass_percent <= 100)) problems.push_back("Điểm đạt phải từ 0 đến 100%.");
  if (s.time_limit_minutes < 0 || s.time_limit_minutes > 1440)
    problems.push_back("Thời gian làm bài phải từ 0 đến 1440 phút.");
  if (s.max_attempts < 0 || s.max_attempts > 100) problems.push_back("Số lần làm bài phải từ 0 đến 100.");
  if (s.wait_minutes < 0 || s.wait_minutes > 525600) problems.push_back("Thời gian chờ giữa hai lần không hợp lệ.");
  if (s.per_page < 0 || s.per_page > 200) problems.push_back("Số câu mỗi trang phải từ 0 đến 200.");
  if (s.opens_at_ms && s.closes_at_ms && s.closes_at_ms <= s.opens_at_ms)
    problems.push_back("Thời điểm đóng phải sau thời điểm mở.");
  if (s.review_when == ReviewWhen::after_close && s.closes_at_ms == 0)
    problems.push_back("Cho xem lại sau khi đóng cần có thời điểm đóng.");
  return problems;
}

std::optional<std::vector<DrawnQuestion>> draw(const QuizSettings& s, const std::vector<Question>& bank,
                                               const std::vector<int>& versions, std::uint64_t seed) {
  if (!quiz_problems(s, bank).empty()) return std::nullopt;
  std::mt19937_64 rng(seed);
  std::vector<std::size_t> picked;
  std::set<std::string> taken;
  for (const auto& id : s.fixed)
    for (std::size_t i = 0; i < bank.size(); ++i)
      if (bank[i].id == id) {
        picked.push_back(i);
        taken.insert(id);
        break;
      }
  for (const auto& r : s.draws) {
    std::vector<std::size_t> pool;
    for (std::size_t i = 0; i < bank.size(); ++i)
      if (!taken.count(bank[i].id) && matches(bank[i], r)) pool.push_back(i);
    // Partial Fisher-Yates: the first `count` of the pool become a uniform random sample.
    const std::size_t n = std::min<std::size_t>(pool.size(), static_cast<std::size_t>(r.count));
    for (std::size_t k = 0; k < n; ++k) {
      std::uniform_int_distribution<std::size_t> pick(k, pool.size() - 1);
      std::swap(pool[k], pool[pick(rng)]);
      picked.push_back(pool[k]);
      taken.insert(bank[pool[k]].id);
    }
    if (n < static_cast<std::size_t>(r.count)) return std::nullopt;  // cannot happen after quiz_problems
  }
  if (s.shuffle_questions) std::shuffle(picked.begin(), picked.end(), rng);
  std::vector<DrawnQuestion> out;
  out.reserve(picked.size());
  for (std::size_t i : picked) {
    const Question& q = bank[i];
    DrawnQuestion d{q.id, i < versions.size() ? versions[i] : 1, natural_order(q)};
    // Ordering items in their stored order would give the answer away: always shuffled, and
    // never left in the right order when there is another.
    if (q.type == QuestionType::ordering) {
      const auto right = d.order;
      for (int tries = 0; tries < 8 && d.order == right; ++tries) std::shuffle(d.order.begin(), d.order.end(), rng);
      if (d.order == right && d.order.size() > 1) std::rotate(d.order.begin(), d.order.begin() + 1, d.order.end());
    } else if (s.shuffle_options || q.type == QuestionType::matching) {
      std::shuffle(d.order.begin(), d.order.end(), rng);
    }
    out.push_back(std::move(d));
  }
  return out;
}

StartDecision may_start(const QuizSettings& s, const std::vector<PastAttempt>& past, std::int64_t now_ms) {
  StartDecision d;
  std::int64_t last_end = 0;
  for (std::size_t i = 0; i < past.size(); ++i) {
    if (past[i].open()) {
      d.verdict = StartVerdict::resume;
      d.open_index = i;
      return d;
    }
    last_end = std::max(last_end, past[i].ended_ms);
  }
  if (s.opens_at_ms && now_ms < s.opens_at_ms) {
    d.verdict = StartVerdict::not_open_yet;
    d.retry_at_ms = s.opens_at_ms;
  } else if (s.closes_at_ms && now_ms >= s.closes_at_ms) {
    d.verdict = StartVerdict::closed;
  } else if (s.max_attempts > 0 && static_cast<int>(past.size()) >= s.max_attempts) {
    d.verdict = StartVerdict::no_attempts_left;
  } else if (s.wait_minutes > 0 && last_end && now_ms < last_end + std::int64_t{s.wait_minutes} * 60'000) {
    d.verdict = StartVerdict::wait;
    d.retry_at_ms = last_end + std::int64_t{s.wait_minutes} * 60'000;
  }
  return d;
}

std::int64_t deadline_ms(const QuizSettings& s, std::int64_t started_ms) {
  std::int64_t d = s.time_limit_minutes > 0 ? started_ms + std::int64_t{s.time_limit_minutes} * 60'000 : 0;
  if (s.closes_at_ms && (d == 0 || s.closes_at_ms < d)) d = s.closes_at_ms;
  return d;
}

bool accepts_answers(std::int64_t deadline, std::int64_t now_ms, std::int64_t grace_ms) {
  return deadline == 0 || now_ms <= deadline + std::max<std::int64_t>(0, grace_ms);
}

AttemptGrade grade_attempt(const std::vector<const Question*>& questions,
                           const std::vector<std::optional<Answer>>& answers, double pass_percent) {
  AttemptGrade g;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    Grade one = i < answers.size() && answers[i] ? grade(*questions[i], *answers[i]) : grade(*questions[i], Answer{});
    g.score += one.score;
    g.max_score += one.max;
    g.questions.push_back(std::move(one));
  }
  g.score = std::round(g.score * 1e7) / 1e7;
  g.max_score = std::round(g.max_score * 1e7) / 1e7;
  g.percent = g.max_score > 0 ? std::round(g.score / g.max_score * 100 * 1e4) / 1e4 : 0;
  g.passed = g.max_score > 0 && g.percent + 1e-9 >= pass_percent;
  return g;
}

std::optional<std::size_t> counted_attempt(const std::vector<PastAttempt>& past, ScoreRule rule) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < past.size(); ++i) {
    if (past[i].open()) continue;
    if (!best) {
      best = i;
      continue;
    }
    const PastAttempt& b = past[*best];
    if (rule == ScoreRule::last) {
      if (past[i].ended_ms > b.ended_ms) best = i;
    } else {
      const double share = past[i].max_score > 0 ? past[i].score / past[i].max_score : 0;
      const double best_share = b.max_score > 0 ? b.score / b.max_score : 0;
      if (share > best_share + 1e-12 || (std::abs(share - best_share) <= 1e-12 && past[i].ended_ms < b.ended_ms))
        best = i;
    }
  }
  return best;
}

ReviewLevel review_now(const QuizSettings& s, std::int64_t now_ms) {
  if (s.review_when == ReviewWhen::after_close && (s.closes_at_ms == 0 || now_ms < s.closes_at_ms))
    return ReviewLevel::score;
  return s.review;
}

std::map<std::string, Evidence> evidence(const std::vector<const Question*>& questions,
                                         const std::vector<Grade>& grades) {
  std::map<std::string, Evidence> out;
  for (std::size_t i = 0; i < questions.size() && i < grades.size(); ++i) {
    const Grade& g = grades[i];
    if (!g.answered) continue;
    const double share = g.max > 0 ? g.score / g.max : 0;
    for (const auto& c : questions[i]->competencies) {
      auto& e = out[c];
      e.answered += 1;
      e.credit += share;
    }
  }
  return out;
}

}  // namespace hocvu::assessment
