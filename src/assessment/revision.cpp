#include "assessment/revision.h"

#include <algorithm>
#include <map>

namespace hocvu::assessment {

std::vector<RevisionTopic> revision_topics(const std::vector<std::shared_ptr<const Question>>& questions,
                                           const std::vector<double>& grades) {
  std::map<std::string, RevisionTopic> by_topic;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    if (!questions[i]) continue;
    const Question& q = *questions[i];
    RevisionTopic& t = by_topic[q.category];
    t.topic = q.category;
    ++t.asked;
    const double earned = i < grades.size() ? grades[i] : 0;
    if (earned + 1e-9 < q.mark) ++t.missed;
  }
  std::vector<RevisionTopic> out;
  for (auto& [name, t] : by_topic)
    if (t.missed > 0) out.push_back(std::move(t));
  std::stable_sort(out.begin(), out.end(), [](const RevisionTopic& a, const RevisionTopic& b) {
    if (a.missed != b.missed) return a.missed > b.missed;
    // Larger share missed first: missed/asked compared without division.
    return static_cast<long>(a.missed) * b.asked > static_cast<long>(b.missed) * a.asked;
  });
  return out;
}

}  // namespace hocvu::assessment
