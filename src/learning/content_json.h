// CourseContent as JSON: how drafts and published versions are stored, and the shape the API
// returns for authors. Lossless: from_json(to_json(c)) == c.
#pragma once

#include "core/status.h"
#include "learning/course.h"

#include <string>
#include <string_view>

namespace hocvu::learning {

std::string content_to_json(const CourseContent& course);

// Fails (invalid_argument) on text that is not a JSON object of this shape, or that holds a number
// (a duration, a level, an answer) that is not a whole number fitting an int; unknown members are
// ignored so that older servers read newer documents.
Result<CourseContent> content_from_json(std::string_view json);

}  // namespace hocvu::learning
