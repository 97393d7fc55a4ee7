// Course media on disk: <data dir>/media/courses/<course id>/<stored name>, served at
// /media/courses/<course id>/<stored name> with Range requests. A stored name is the file's
// content digest and extension ("3f9a0c1e2b4d5a6f.mp4"), so a file never changes under a name: a
// published version keeps the exact bytes it was published with, browsers cache forever, and the
// same file uploaded twice is stored once.
#pragma once

#include "core/status.h"
#include "learning/course.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace hocvu::learning {

enum class MediaUse { video, image, document, captions };

// Checks an upload for `use`: the extension of `file_name` is one allowed for it and the first
// bytes match that type (an .mp4 must start like an MP4). invalid_argument with a Vietnamese
// message naming the allowed types otherwise.
Status check_media(MediaUse use, std::string_view file_name, std::string_view bytes);

// The use a block kind's main file has; nullopt for kinds without a file.
std::optional<MediaUse> media_use(BlockKind kind);
// The use a package path has, by extension (captions for .vtt, else by block kind).
MediaUse media_use_for_path(std::string_view path, BlockKind kind);

// Writes `bytes` under the course's media folder (atomically: a temporary file, then rename) and
// returns its stored name.
Result<std::string> store_media(const std::string& data_dir, std::int64_t course_id, std::string_view file_name,
                                std::string_view bytes);

// The same below <data dir>/media/<area>/<owner id>/ (question banks: area "banks").
Result<std::string> store_media_in(const std::string& data_dir, std::string_view area, std::int64_t owner_id,
                                   std::string_view file_name, std::string_view bytes);

// True when the course's media folder holds a regular file of this stored name.
bool media_exists(const std::string& data_dir, std::int64_t course_id, std::string_view stored_name);

// Reads a stored media file back (for export); not_found when absent.
Result<std::string> read_media(const std::string& data_dir, std::int64_t course_id, std::string_view stored_name);

}  // namespace hocvu::learning
