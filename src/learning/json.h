// The JSON shapes of the learning API (docs/api.md, web/static/openapi.json).
#pragma once

#include "learning/service.h"

#include <boost/json/object.hpp>

namespace hocvu::learning {

boost::json::object catalogue_item_json(const CatalogueItem& item);
// A published course with its sections and lessons (ids and titles), no lesson bodies.
boost::json::object course_json(const Published& course, std::string_view provider_name, std::int64_t provider_id);
boost::json::object enrolment_json(const Enrolment& e, std::string_view title);
// A lesson for an enrolled learner: blocks with their rendered HTML, media URLs and the
// learner's state. Never the answer of a question the learner has not answered.
boost::json::object lesson_json(const LessonView& view);

// The URL of a course's stored media file.
std::string media_url(std::int64_t course_id, std::string_view stored_name);

}  // namespace hocvu::learning
