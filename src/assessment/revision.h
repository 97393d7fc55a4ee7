// What to revise after an attempt: the topics where the learner lost marks, worst first, so that
// a failed quiz ends with a next step instead of a bare score.
#pragma once

#include "assessment/question.h"

#include <memory>
#include <string>
#include <vector>

namespace hocvu::assessment {

struct RevisionTopic {
  std::string topic;   // the question's bank category ("An toàn/Lừa đảo"); "" when it has none
  int missed = 0;      // questions of the topic without full marks
  int asked = 0;       // questions of the topic in the attempt
};

// The topics of `questions` (as drawn) in which some question scored below its mark according
// to `grades` (one per drawn question; missing grades count as nothing earned), ordered by most
// questions missed, then by share missed, then by name. Topics with nothing missed are left out.
std::vector<RevisionTopic> revision_topics(const std::vector<std::shared_ptr<const Question>>& questions,
                                           const std::vector<double>& grades);

}  // namespace hocvu::assessment
