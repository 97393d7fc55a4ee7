// CourseContent as JSON: how drafts and published versions are stored, and the shape the API
// returns for authors. Lossless: from_json(to_json(c)) == c.
#pragma once

#include "core/status.h"
#include "learning/course.h"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace hocvu::learning {

std::string content_to_json(const CourseContent& course);

// Fails (invalid_argument) on text that is not a JSON object of this shape, or that holds a number
// (a duration, a level, an answer) that is not a whole number fitting an int; unknown members are
// ignored so that older servers read newer documents.
Result<CourseContent> content_from_json(std::string_view json);
// The same from a parsed object (a request body): invalid_argument, with a Vietnamese message
// naming the field, for a number that is not a whole number in range (core/json.h).
Result<CourseContent> content_from_json(const boost::json::object& o);

}  // namespace hocvu::learning
