// The body of POST /api/v1/progress: progress events sent by lesson players and pages.
#pragma once

#include "learning/service.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::learning {

// Reads {"events": [...]} (or a bare list) of at most 100 events, each {"lesson_id", "block",
// "kind"} and by kind "from" and "to" (video, seconds) or "answer" (the option's index).
// Anything else sets `problem` (Vietnamese, for a 422) and returns nullopt.
std::optional<std::vector<ProgressEvent>> events_from_json(std::string_view body, std::string& problem);

}  // namespace hocvu::learning
