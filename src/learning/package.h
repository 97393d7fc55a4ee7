// Course packages (docs/course-packages.md): a folder, or a zip of it, with a course.yaml manifest,
// Markdown files and media. Reading turns a package into a CourseContent plus the media files it
// names, or into the list of every error found, each with its file and line, so that an author can
// fix them all in one pass. Writing produces a zip that reads back to the same content.
//
// Packages come from untrusted uploads: the reader never reads outside the package (no absolute
// paths, no "..", no symlinks leading out of a folder, no unsafe zip entry names), and it stops
// reading at the limits below whatever a zip's headers claim.
#pragma once

#include "learning/course.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::learning {

// One problem found in a package. `message` is Vietnamese, for the author to read.
struct PackageError {
  std::string file;   // "course.yaml", a Markdown or media path, a zip entry name; "" for the
                      // package as a whole (not a zip, too many files, ...)
  int line = 0;       // 1-based line in `file`; 0 when the problem is not about one line
  std::string message;

  bool operator==(const PackageError&) const = default;
};

// A media file (video, image, captions, document, cover). `path` is spelled as in the manifest,
// "media/intro.mp4", and is the same string as the Block::media / captions / cover naming it.
struct PackageFile {
  std::string path;
  std::string bytes;

  bool operator==(const PackageFile&) const = default;
};

// A course with its media. Each file named by the course appears in `media` exactly once (in the
// order the manifest first names it), however often it is named.
struct Package {
  CourseContent course;
  std::vector<PackageFile> media;

  bool operator==(const Package&) const = default;
};

// The documented limits; the importer passes HOCVU_MAX_UPLOAD_BYTES as max_media_bytes.
struct PackageLimits {
  std::size_t max_total_bytes = 200u << 20;    // all files read, as unzipped
  std::size_t max_files = 2000;                // files in the package (zip entries, folder files)
  std::size_t max_blocks = 500;                // blocks in the course
  std::size_t max_markdown_bytes = 200u << 10; // each Markdown file
  std::size_t max_media_bytes = 100u << 20;    // each media file
  std::size_t max_manifest_bytes = 1u << 20;   // course.yaml (inline Markdown makes it grow)
};

// `package` is set exactly when `errors` is empty.
struct ReadResult {
  std::optional<Package> package;
  std::vector<PackageError> errors;
};

// Reads the package in folder `dir`. Every error found is reported, not just the first (up to a
// cap of 100, after which one last error says that more were left out). Codes in target_groups
// must be in `known_groups` and competency codes in `known_competencies`, each check skipped when
// its set is empty. course.yaml and the Markdown files must be UTF-8 without control characters
// other than tab and line ends. Strings are trimmed; Markdown loses leading blank lines and
// trailing space. Media files are read as bytes: only their names' extensions are checked.
ReadResult read_package_directory(const std::filesystem::path& dir, const PackageLimits& limits = {},
                                  const std::set<std::string>& known_groups = {},
                                  const std::set<std::string>& known_competencies = {});

// As read_package_directory, for a zip held in memory. The manifest may be at the zip's root or in
// one top-level folder (what zipping the folder itself gives); a "__MACOSX/" folder is ignored.
// Entry names that are absolute, contain "..", "\" or empty segments are reported as errors.
ReadResult read_package_zip(std::string_view zip_bytes, const PackageLimits& limits = {},
                            const std::set<std::string>& known_groups = {},
                            const std::set<std::string>& known_competencies = {});

// The package as a zip: course.yaml at the root, Markdown bodies as lessons/<lesson>-<block>.md
// (the description as lessons/description.md), media under their own paths. Section, lesson and
// block keys are written explicitly so that progress survives a re-import. For content the reader
// produced, read_package_zip(write_package_zip(p)) gives back p. Media paths must be safe relative
// paths (as the reader guarantees); an unsafe one throws std::invalid_argument. The output is
// deterministic: the same package always gives the same bytes.
std::string write_package_zip(const Package& package);

// The course.yaml that write_package_zip puts in the zip, naming the Markdown files it writes
// beside it (the bodies themselves are not in the manifest).
std::string write_manifest_yaml(const CourseContent& course);

}  // namespace hocvu::learning
