#include "learning/events_json.h"

#include "core/json.h"

#include <boost/json/parse.hpp>

#include <cmath>
#include <limits>

namespace hocvu::learning {

namespace json = boost::json;

std::optional<std::vector<ProgressEvent>> events_from_json(std::string_view body, std::string& problem) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec) return problem = "Nội dung gửi lên không phải JSON hợp lệ.", std::nullopt;
  const json::array* list = v.is_array() ? &v.as_array() : nullptr;
  if (v.is_object())
    if (auto* e = v.as_object().if_contains("events"); e && e->is_array()) list = &e->as_array();
  if (!list) return problem = "Cần một danh sách sự kiện \"events\".", std::nullopt;
  if (list->size() > 100) return problem = "Tối đa 100 sự kiện mỗi lần gửi.", std::nullopt;
  std::vector<ProgressEvent> out;
  for (const auto& item : *list) {
    if (!item.is_object()) return problem = "Mỗi sự kiện phải là một đối tượng JSON.", std::nullopt;
    const auto& o = item.as_object();
    ProgressEvent e;
    auto num = [&](std::string_view k) -> std::optional<double> {
      auto* x = o.if_contains(k);
      if (!x) return std::nullopt;
      if (x->is_int64()) return static_cast<double>(x->as_int64());
      if (x->is_double() && std::isfinite(x->as_double())) return x->as_double();
      return std::nullopt;
    };
    // Ids and indexes are whole numbers as sent (json_integer), never a converted 1e300.
    auto str = [&](std::string_view k) {
      auto* x = o.if_contains(k);
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    auto lesson = json_integer(o, "lesson_id", 0, 1, std::numeric_limits<std::int64_t>::max());
    if (!lesson) return problem = lesson.status().message(), std::nullopt;
    e.lesson_id = *lesson;
    e.block = str("block");
    e.kind = str("kind");
    if (e.lesson_id <= 0 || e.block.empty() || e.block.size() > 40)
      return problem = "Mỗi sự kiện cần lesson_id và block (khóa của khối).", std::nullopt;
    if (e.kind == "video") {
      auto from = num("from"), to = num("to");
      if (!from || !to) return problem = "Sự kiện video cần from và to (giây).", std::nullopt;
      e.from = *from, e.to = *to;
    } else if (e.kind == "answer") {
      if (!o.contains("answer")) return problem = "Sự kiện answer cần answer (số thứ tự phương án, từ 0).", std::nullopt;
      auto a = json_integer(o, "answer", -1, 0, std::numeric_limits<int>::max());
      if (!a) return problem = a.status().message(), std::nullopt;
      e.answer = static_cast<int>(*a);
    } else if (e.kind != "viewed") {
      return problem = "kind phải là viewed, video hoặc answer.", std::nullopt;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace hocvu::learning
