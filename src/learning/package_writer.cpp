// Writing course packages (docs/course-packages.md): the manifest with YAML::Emitter, so that any
// string is quoted as YAML needs, and the zip with libzip, in memory.
#include "learning/package.h"

#include <yaml-cpp/yaml.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <stdexcept>

namespace hocvu::learning {

namespace {

constexpr const char* kDescriptionFile = "lessons/description.md";

bool is_key(std::string_view s) {
  return !s.empty() && s.size() <= 40 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// Where each Markdown body goes: the description, and one file per text block (its body) or video
// block with a transcript, in the order the blocks come. Keys normally make the name; a key that
// could not be part of a file name (content not from the reader) falls back to its position, and
// the rare clash ("a-b" + "c" against "a" + "b-c") gets a number.
struct Layout {
  std::string description;               // "" when the course has none
  std::vector<std::string> block_files;  // one per block in course order, "" for none
};

bool has_markdown_file(const Block& block) {
  return block.kind == BlockKind::text || (block.kind == BlockKind::video && !block.markdown.empty());
}

Layout layout_of(const CourseContent& course) {
  Layout layout;
  std::set<std::string> used{course.cover};
  for (const Section& section : course.sections)
    for (const Lesson& lesson : section.lessons)
      for (const Block& block : lesson.blocks) used.insert({block.media, block.captions});
  if (!course.description.empty()) layout.description = kDescriptionFile;
  used.insert(kDescriptionFile);
  std::size_t s = 0;
  for (const Section& section : course.sections) {
    ++s;
    std::size_t l = 0;
    for (const Lesson& lesson : section.lessons) {
      ++l;
      std::string lesson_name = is_key(lesson.key) ? lesson.key : "s" + std::to_string(s) + "-l" + std::to_string(l);
      std::size_t b = 0;
      for (const Block& block : lesson.blocks) {
        ++b;
        std::string name;
        if (has_markdown_file(block)) {
          std::string stem = "lessons/" + lesson_name + "-" + (is_key(block.key) ? block.key : "b" + std::to_string(b));
          name = stem + ".md";
          for (int n = 2; used.contains(name); ++n) name = stem + "-" + std::to_string(n) + ".md";
          used.insert(name);
        }
        layout.block_files.push_back(std::move(name));
      }
    }
  }
  return layout;
}

// Strings that a YAML reader might take for something else (null, a boolean, a number, in YAML 1.1
// or 1.2) are double-quoted: yaml-cpp's emitter leaves "true" or "4.2" plain.
bool looks_like_non_string(std::string_view s) {
  if (s.empty()) return true;
  if (std::string_view("0123456789+-.").find(s.front()) != std::string_view::npos) return true;
  std::string lower(s);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  static const std::set<std::string> kWords{"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"};
  return kWords.contains(lower);
}

// A literal block (|) reads best for multi-line Markdown, but yaml-cpp writes no indentation
// indicator, so the first line must not start with a space, and a literal cannot escape anything.
bool literal_safe(std::string_view s) {
  if (s.find('\n') == std::string_view::npos || s.front() == ' ' || s.front() == '\t' || s.front() == '\n') return false;
  if (s.find("\xC2\x85") != std::string_view::npos || s.find("\xE2\x80\xA8") != std::string_view::npos ||
      s.find("\xE2\x80\xA9") != std::string_view::npos || s.find("\xEF\xBB\xBF") != std::string_view::npos)
    return false;  // line breaks or a BOM to YAML 1.1 readers
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7F;
  });
}

void emit_string(YAML::Emitter& out, const std::string& s) {
  if (looks_like_non_string(s)) out << YAML::DoubleQuoted << s;
  else if (literal_safe(s)) out << YAML::Literal << s;
  else out << s;  // plain when safe, double-quoted with escapes otherwise
}

void emit_field(YAML::Emitter& out, const char* key, const std::string& value) {
  out << YAML::Key << key << YAML::Value;
  emit_string(out, value);
}

void emit_optional(YAML::Emitter& out, const char* key, const std::string& value) {
  if (!value.empty()) emit_field(out, key, value);
}

void emit_block(YAML::Emitter& out, const Block& block, const std::string& markdown_file) {
  out << YAML::BeginMap;
  emit_field(out, "key", block.key);
  emit_field(out, "kind", kind_name(block.kind));
  emit_optional(out, "title", block.title);
  switch (block.kind) {
    case BlockKind::text: emit_field(out, "file", markdown_file); break;
    case BlockKind::video:
      emit_field(out, "file", block.media);
      out << YAML::Key << "duration_seconds" << YAML::Value << block.duration_seconds;
      emit_optional(out, "captions", block.captions);
      emit_optional(out, "transcript", markdown_file);
      break;
    case BlockKind::image:
      emit_field(out, "file", block.media);
      emit_field(out, "alt", block.alt);
      emit_optional(out, "caption", block.markdown);
      break;
    case BlockKind::document: emit_field(out, "file", block.media); break;
    case BlockKind::link: emit_field(out, "url", block.url); break;
    case BlockKind::question: {
      EmbeddedQuestion question = block.question.value_or(EmbeddedQuestion{});
      emit_field(out, "prompt", question.prompt);
      out << YAML::Key << "options" << YAML::Value << YAML::BeginSeq;
      for (const std::string& option : question.options) emit_string(out, option);
      out << YAML::EndSeq;
      out << YAML::Key << "answer" << YAML::Value << question.answer;
      emit_optional(out, "explanation", question.explanation);
      break;
    }
  }
  if (!block.required) out << YAML::Key << "required" << YAML::Value << false;
  out << YAML::EndMap;
}

void emit_sections(YAML::Emitter& out, const CourseContent& course, const Layout& layout) {
  std::size_t next_file = 0;
  out << YAML::Key << "sections" << YAML::Value << YAML::BeginSeq;
  for (const Section& section : course.sections) {
    out << YAML::BeginMap;
    emit_field(out, "key", section.key);
    emit_field(out, "title", section.title);
    out << YAML::Key << "lessons" << YAML::Value << YAML::BeginSeq;
    for (const Lesson& lesson : section.lessons) {
      out << YAML::BeginMap;
      emit_field(out, "key", lesson.key);
      emit_field(out, "title", lesson.title);
      out << YAML::Key << "blocks" << YAML::Value << YAML::BeginSeq;
      for (const Block& block : lesson.blocks) emit_block(out, block, layout.block_files[next_file++]);
      out << YAML::EndSeq << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

std::string manifest(const CourseContent& course, const Layout& layout) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  emit_field(out, "format", "hocvu-course/1");
  emit_field(out, "slug", course.slug);
  emit_field(out, "title", course.title);
  emit_field(out, "summary", course.summary);
  emit_optional(out, "description", layout.description);
  emit_field(out, "language", course.language);
  emit_optional(out, "provider", course.provider);
  out << YAML::Key << "target_groups" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const std::string& group : course.target_groups) emit_string(out, group);
  out << YAML::EndSeq;
  out << YAML::Key << "competencies" << YAML::Value << YAML::BeginSeq;
  for (const CompetencyTarget& target : course.competencies) {
    // Codes look like numbers ("4.2"): quoted, or another YAML reader would see 4.2 the float.
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "code" << YAML::Value << YAML::DoubleQuoted << target.code
        << YAML::Key << "level" << YAML::Value << target.level << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "duration_minutes" << YAML::Value << course.duration_minutes;
  emit_optional(out, "cover", course.cover);
  emit_field(out, "unlock", course.unlock == Unlock::sequential ? "sequential" : "free");
  emit_sections(out, course, layout);
  out << YAML::EndMap;
  if (!out.good()) throw std::runtime_error("course.yaml: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

// The same checks as the reader's: a media path written into the zip must not escape wherever the
// zip is unpacked.
bool safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  if (std::any_of(path.begin(), path.end(), [](char c) { return c == '\\' || static_cast<unsigned char>(c) < 0x20; }))
    return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (start == 0 && segment.size() == 2 && segment[1] == ':') return false;
    start = end + 1;
  }
  return true;
}

// Media formats that are compressed already: deflating them again costs time and saves nothing.
bool store_uncompressed(std::string_view path) {
  static constexpr std::array<std::string_view, 10> kCompressed{".mp4", ".webm", ".png", ".jpg", ".jpeg", ".webp",
                                                                ".docx", ".xlsx", ".pptx", ".odt"};
  return std::any_of(kCompressed.begin(), kCompressed.end(), [&](std::string_view ext) { return path.ends_with(ext); });
}

// A zip archive built in memory. Added data must outlive finish().
class ZipWriter {
 public:
  ZipWriter() {
    zip_error_t error;
    zip_error_init(&error);
    buffer_ = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_ = buffer_ ? zip_open_from_source(buffer_, ZIP_TRUNCATE, &error) : nullptr;
    zip_error_fini(&error);
    if (zip_ == nullptr) {
      if (buffer_) zip_source_free(buffer_);
      throw std::runtime_error("zip: cannot create an archive in memory");
    }
    zip_source_keep(buffer_);  // kept past zip_close, which writes the archive into it
  }
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;
  ~ZipWriter() {
    if (zip_) zip_discard(zip_);
    zip_source_free(buffer_);
  }

  void add(const std::string& name, std::string_view data) {
    zip_source_t* source = zip_source_buffer(zip_, data.data(), data.size(), 0);
    zip_int64_t index = source ? zip_file_add(zip_, name.c_str(), source, ZIP_FL_ENC_UTF_8) : -1;
    if (index < 0) {
      if (source) zip_source_free(source);
      throw std::invalid_argument("zip: cannot add '" + name + "': " + zip_strerror(zip_));
    }
    auto entry = static_cast<zip_uint64_t>(index);
    // A fixed time, so that exporting the same course twice gives the same bytes.
    zip_file_set_mtime(zip_, entry, kFixedTime, 0);
    if (store_uncompressed(name)) zip_set_file_compression(zip_, entry, ZIP_CM_STORE, 0);
  }

  std::string finish() {
    if (zip_close(zip_) != 0) throw std::runtime_error(std::string("zip: ") + zip_strerror(zip_));
    zip_ = nullptr;
    std::string bytes;
    if (zip_source_open(buffer_) != 0) throw std::runtime_error("zip: cannot read the archive back");
    zip_source_seek(buffer_, 0, SEEK_END);
    bytes.resize(static_cast<std::size_t>(zip_source_tell(buffer_)));
    zip_source_seek(buffer_, 0, SEEK_SET);
    zip_int64_t n = zip_source_read(buffer_, bytes.data(), bytes.size());
    zip_source_close(buffer_);
    if (n != static_cast<zip_int64_t>(bytes.size())) throw std::runtime_error("zip: cannot read the archive back");
    return bytes;
  }

 private:
  static constexpr time_t kFixedTime = 946728000;  // 2000-01-01 12:00 UTC: a valid DOS date anywhere
  zip_source_t* buffer_ = nullptr;
  zip_t* zip_ = nullptr;
};

// Each Markdown body with the line end a text file should finish with.
std::string markdown_file(const std::string& body) { return body.empty() ? body : body + "\n"; }

}  // namespace

std::string write_manifest_yaml(const CourseContent& course) { return manifest(course, layout_of(course)); }

std::string write_package_zip(const Package& package) {
  const CourseContent& course = package.course;
  Layout layout = layout_of(course);
  std::deque<std::string> texts;  // a deque: adding never moves what zip sources point into
  ZipWriter zip;
  zip.add("course.yaml", texts.emplace_back(manifest(course, layout)));
  if (!layout.description.empty()) zip.add(layout.description, texts.emplace_back(markdown_file(course.description)));
  std::size_t next_file = 0;
  for (const Section& section : course.sections)
    for (const Lesson& lesson : section.lessons)
      for (const Block& block : lesson.blocks)
        if (const std::string& name = layout.block_files[next_file++]; !name.empty())
          zip.add(name, texts.emplace_back(markdown_file(block.markdown)));
  for (const PackageFile& file : package.media) {
    if (!safe_relative_path(file.path)) throw std::invalid_argument("unsafe media path in package: " + file.path);
    zip.add(file.path, file.bytes);
  }
  return zip.finish();
}

}  // namespace hocvu::learning
