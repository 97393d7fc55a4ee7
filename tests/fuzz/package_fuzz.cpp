// libFuzzer target for the course package reader, which reads untrusted uploads. The first byte
// picks what the rest is:
//   0  a zip, as uploaded;
//   1  a course.yaml, zipped beside a few Markdown and media files it may name;
//   2  an edit of a good course.yaml (two bytes of offset, one of length to replace, then the
//      replacement), so that the fuzzer starts from a valid manifest rather than having to find
//      YAML's and the format's structure by itself (seeds.sh also seeds it from tests/data).
// Properties: no crash; a package exactly when there are no errors; a package read is written
// to a zip that reads back, without error, to the same package.
#include "learning/package.h"

#include <zip.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace hocvu::learning;

const char* const kGoodManifest = R"(format: hocvu-course/1
slug: goi-fuzz
title: "Gói: thử"
summary: Tóm tắt.
description: lessons/a.md
target_groups: [citizen, worker]
competencies:
  - { code: "4.2", level: 2 }
duration_minutes: 20
cover: media/bia.svg
unlock: sequential
sections:
  - key: co-ban
    title: Cơ bản
    lessons:
      - key: bai
        title: Bài
        blocks:
          - { key: doc, kind: text, file: lessons/b.md }
          - kind: video
            file: media/a.mp4
            duration_seconds: 95
            captions: media/a.vtt
            transcript: lessons/a.md
          - { kind: image, file: media/a.png, alt: Ảnh, caption: "*chú thích*", required: false }
          - kind: text
            markdown: |
              Nội dung **viết ngay**.
          - { kind: document, file: media/a.pdf, title: PDF }
          - { kind: link, url: "https://dichvucong.gov.vn", title: Cổng }
          - kind: question
            prompt: Hỏi?
            options: [A, B, C]
            answer: 1
            explanation: Vì B.
)";

const std::vector<std::pair<std::string, std::string>> kFiles{
    {"lessons/a.md", "# Giới thiệu\n\n    mã\n"}, {"lessons/b.md", "\xEF\xBB\xBF\nBài *một*\n"},
    {"media/a.mp4", "mp4"},  {"media/a.vtt", "WEBVTT\n"}, {"media/a.png", "png"},
    {"media/a.pdf", "pdf"},  {"media/bia.svg", "<svg/>"}};

// A zip of course.yaml and kFiles, stored, built with libzip.
std::string zip_with(const std::string& manifest) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (zip == nullptr) std::abort();
  zip_source_keep(buffer);
  auto add = [&](const std::string& name, const std::string& data) {
    zip_source_t* source = zip_source_buffer(zip, data.data(), data.size(), 0);
    zip_int64_t index = zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) std::abort();
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  };
  add("course.yaml", manifest);
  for (const auto& [name, data] : kFiles) add(name, data);
  if (zip_close(zip) != 0) std::abort();
  zip_source_open(buffer);
  zip_source_seek(buffer, 0, SEEK_END);
  std::string bytes(static_cast<std::size_t>(zip_source_tell(buffer)), '\0');
  zip_source_seek(buffer, 0, SEEK_SET);
  zip_source_read(buffer, bytes.data(), bytes.size());
  zip_source_close(buffer);
  zip_source_free(buffer);
  return bytes;
}

std::string edited_manifest(std::string_view input) {
  std::string manifest = kGoodManifest;
  if (input.size() < 3) return manifest;
  std::size_t offset = (static_cast<unsigned char>(input[0]) << 8 | static_cast<unsigned char>(input[1])) % (manifest.size() + 1);
  std::size_t length = static_cast<unsigned char>(input[2]) % 32;
  manifest.replace(offset, std::min(length, manifest.size() - offset), input.substr(3));
  return manifest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string zip;
  switch (data[0] % 3) {
    case 0: zip = std::string(input); break;
    case 1: zip = zip_with(std::string(input)); break;
    default: zip = zip_with(edited_manifest(input)); break;
  }
  // Small limits, so that the limit paths are exercised and no input takes long.
  PackageLimits limits;
  limits.max_total_bytes = 1u << 20;
  limits.max_files = 50;
  limits.max_blocks = 40;
  limits.max_markdown_bytes = 64u << 10;
  limits.max_media_bytes = 256u << 10;
  limits.max_manifest_bytes = 256u << 10;
  ReadResult result = read_package_zip(zip, limits);
  if (result.package.has_value() == !result.errors.empty()) std::abort();
  for (const PackageError& error : result.errors)
    if (error.message.empty() || error.line < 0) std::abort();
  if (!result.package) return 0;

  std::string written;
  try {
    written = write_package_zip(*result.package);
  } catch (const std::exception&) {
    std::abort();  // whatever the reader accepts, the writer can write
  }
  ReadResult again = read_package_zip(written, PackageLimits{});
  if (!again.package) std::abort();
  if (!(again.package->course == result.package->course)) std::abort();
  if (!(again.package->media == result.package->media)) std::abort();
  return 0;
}
