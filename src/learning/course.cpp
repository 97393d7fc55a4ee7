#include "learning/course.h"

#include <array>
#include <utility>

namespace hocvu::learning {

namespace {
constexpr std::array<std::pair<BlockKind, const char*>, 6> kKinds{{
    {BlockKind::text, "text"},   {BlockKind::video, "video"}, {BlockKind::document, "document"},
    {BlockKind::image, "image"}, {BlockKind::link, "link"},   {BlockKind::question, "question"},
}};
}  // namespace

const char* kind_name(BlockKind kind) {
  for (const auto& [k, name] : kKinds)
    if (k == kind) return name;
  return "text";
}

std::optional<BlockKind> kind_from_name(std::string_view name) {
  for (const auto& [k, n] : kKinds)
    if (name == n) return k;
  return std::nullopt;
}

}  // namespace hocvu::learning
