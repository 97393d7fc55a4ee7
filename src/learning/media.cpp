#include "learning/media.h"

#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hocvu::learning {
namespace {

std::string extension_of(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return {};
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool starts(std::string_view bytes, std::string_view magic, std::size_t at = 0) {
  return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

// Does `bytes` look like a file of extension `ext`? Text formats are checked for their header.
bool looks_like(std::string_view ext, std::string_view bytes) {
  if (ext == "mp4" || ext == "m4v") return starts(bytes, "ftyp", 4);
  if (ext == "webm") return starts(bytes, "\x1a\x45\xdf\xa3");
  if (ext == "png") return starts(bytes, "\x89PNG\r\n\x1a\n");
  if (ext == "jpg" || ext == "jpeg") return starts(bytes, "\xff\xd8\xff");
  if (ext == "webp") return starts(bytes, "RIFF") && starts(bytes, "WEBP", 8);
  if (ext == "svg") return bytes.substr(0, 1024).find("<svg") != std::string_view::npos;
  if (ext == "pdf") return starts(bytes, "%PDF-");
  if (ext == "docx" || ext == "xlsx" || ext == "pptx" || ext == "odt" || ext == "ods" || ext == "odp")
    return starts(bytes, "PK\x03\x04");
  if (ext == "vtt") return starts(bytes, "WEBVTT") || starts(bytes, "\xef\xbb\xbfWEBVTT");
  if (ext == "txt") return true;
  return false;
}

struct Allowed {
  MediaUse use;
  std::vector<std::string_view> extensions;
  const char* label;
};

const Allowed kAllowed[] = {
    {MediaUse::video, {"mp4", "m4v", "webm"}, "MP4 hoặc WebM"},
    {MediaUse::image, {"png", "jpg", "jpeg", "webp", "svg"}, "PNG, JPG, WebP hoặc SVG"},
    {MediaUse::document, {"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt"}, "PDF, DOCX, XLSX, PPTX, ODT hoặc TXT"},
    {MediaUse::captions, {"vtt"}, "WebVTT (.vtt)"},
};

}  // namespace

std::optional<MediaUse> media_use(BlockKind kind) {
  switch (kind) {
    case BlockKind::video: return MediaUse::video;
    case BlockKind::image: return MediaUse::image;
    case BlockKind::document: return MediaUse::document;
    default: return std::nullopt;
  }
}

MediaUse media_use_for_path(std::string_view path, BlockKind kind) {
  if (extension_of(path) == "vtt") return MediaUse::captions;
  return media_use(kind).value_or(MediaUse::image);
}

Status check_media(MediaUse use, std::string_view file_name, std::string_view bytes) {
  const Allowed* allowed = nullptr;
  for (const auto& a : kAllowed)
    if (a.use == use) allowed = &a;
  std::string ext = extension_of(file_name);
  if (std::find(allowed->extensions.begin(), allowed->extensions.end(), ext) == allowed->extensions.end())
    return Error(ErrorCode::invalid_argument,
                 "Tệp '" + std::string(file_name) + "' không đúng loại: chỉ nhận " + allowed->label + ".");
  if (bytes.empty()) return Error(ErrorCode::invalid_argument, "Tệp '" + std::string(file_name) + "' đang trống.");
  if (!looks_like(ext, bytes))
    return Error(ErrorCode::invalid_argument,
                 "Nội dung tệp '" + std::string(file_name) + "' không phải là tệp ." + ext + " hợp lệ.");
  return Status{};
}

Result<std::string> store_media(const std::string& data_dir, std::int64_t course_id, std::string_view file_name,
                                std::string_view bytes) {
  return store_media_in(data_dir, "courses", course_id, file_name, bytes);
}

Result<std::string> store_media_in(const std::string& data_dir, std::string_view area, std::int64_t owner_id,
                                   std::string_view file_name, std::string_view bytes) {
  unsigned char digest[8];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  std::string name = std::string(hex) + "." + extension_of(file_name);
  namespace fs = std::filesystem;
  fs::path dir = fs::path(data_dir) / "media" / std::string(area) / std::to_string(owner_id);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(ErrorCode::unavailable, "cannot create " + dir.string() + ": " + ec.message());
  fs::path target = dir / name;
  if (fs::exists(target, ec)) return name;  // same digest, same bytes
  fs::path tmp = dir / ("." + name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) return Error(ErrorCode::unavailable, "cannot write " + tmp.string());
  }
  fs::rename(tmp, target, ec);
  if (ec) return Error(ErrorCode::unavailable, "cannot rename " + tmp.string() + ": " + ec.message());
  return name;
}

bool media_exists(const std::string& data_dir, std::int64_t course_id, std::string_view stored_name) {
  if (stored_name.empty() || stored_name.find('/') != std::string_view::npos || stored_name.front() == '.') return false;
  std::error_code ec;
  auto p = std::filesystem::path(data_dir) / "media" / "courses" / std::to_string(course_id) / std::string(stored_name);
  return std::filesystem::is_regular_file(std::filesystem::symlink_status(p, ec));
}

Result<std::string> read_media(const std::string& data_dir, std::int64_t course_id, std::string_view stored_name) {
  if (stored_name.empty() || stored_name.find('/') != std::string_view::npos || stored_name.front() == '.')
    return Error(ErrorCode::not_found, "bad media name");
  namespace fs = std::filesystem;
  fs::path p = fs::path(data_dir) / "media" / "courses" / std::to_string(course_id) / std::string(stored_name);
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error(ErrorCode::not_found, "no media " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace hocvu::learning
