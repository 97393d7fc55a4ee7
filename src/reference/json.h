// JSON representations of reference data for /api/v1 (documented in web/static/openapi.json).
#pragma once

#include "reference/reference.h"

#include <boost/json/value.hpp>

namespace hocvu::reference {

boost::json::value to_json(const Text& t);  // {"vi": ..., "en": ...}
boost::json::value to_json(const Framework& f);
boost::json::value to_json(const AdminUnit& u);
boost::json::value to_json(const TargetGroup& g);

}  // namespace hocvu::reference
