// Reading course packages (docs/course-packages.md). Two sources, a folder and a zip in memory,
// behind one small interface; one manifest reader on top that walks course.yaml, collects every
// error with its line, and pulls in the Markdown and media files the manifest names.
#include "learning/package.h"

#include "core/text.h"

#include <yaml-cpp/yaml.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <memory>

namespace hocvu::learning {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = "course.yaml";
constexpr const char* kFormat = "hocvu-course/1";
// Enough for an author to fix a package in a few passes; a pathological manifest could otherwise
// produce millions of errors.
constexpr std::size_t kMaxErrors = 100;
constexpr std::size_t kChunk = 64u << 10;

// ---------------------------------------------------------------------------------------------
// Text helpers

// Offset of the first byte that is not acceptable text, or npos: invalid UTF-8, or a control
// character other than tab and line ends. YAML forbids them, PostgreSQL cannot store NUL, and
// yaml-cpp turns some of them into invalid UTF-8.
std::size_t bad_text_at(std::string_view s) {
  std::size_t invalid = invalid_utf8_at(s);
  for (std::size_t i = 0; i < std::min(invalid, s.size()); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
    if (c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return i;  // U+0080..U+009F (valid UTF-8 here)
  }
  return invalid;
}

// The message for a bad_text_at() problem at `at` in `text`.
std::string text_problem(std::string_view text, std::size_t at) {
  return invalid_utf8_at(text) == at ? "không phải văn bản UTF-8 hợp lệ." : "chứa ký tự điều khiển không được phép.";
}

// A scalar's text, if it is acceptable text (see bad_text_at).
std::optional<std::string> clean_scalar(const YAML::Node& node) {
  if (!node.IsScalar() || bad_text_at(node.Scalar()) != std::string_view::npos) return std::nullopt;
  return node.Scalar();
}

// Code points in valid UTF-8: what the documented lengths ("3..200 characters") count.
std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

int line_at(std::string_view text, std::size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Markdown keeps the indentation of its first line (it may be a code block): only blank lines
// and byte order marks (from Windows editors) before it and white space after the last text go.
// Repeated until nothing changes, so that trimming twice gives what trimming once gave: the
// writer relies on it for read(write(p)) == p.
std::string trim_markdown(std::string_view s) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  for (std::size_t before = s.size() + 1; before != s.size();) {
    before = s.size();
    while (s.starts_with(kBom)) s.remove_prefix(kBom.size());
    std::size_t first = s.find_first_not_of(" \t\r\n\f\v");
    if (first == std::string_view::npos) return {};
    std::size_t line_start = s.rfind('\n', first);
    if (line_start != std::string_view::npos) s.remove_prefix(line_start + 1);
  }
  return std::string(s);
}

// A value quoted for a message, shortened so that a huge value cannot flood the error list.
std::string in_quotes(std::string_view s) {
  constexpr std::size_t kMax = 60;
  if (s.size() <= kMax) return "'" + std::string(s) + "'";
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole characters
  return "'" + std::string(s.substr(0, cut)) + "…'";
}

std::string size_text(std::size_t bytes) {
  if (bytes >= (1u << 20)) return std::to_string(bytes >> 20) + " MB";
  if (bytes >= (1u << 10)) return std::to_string(bytes >> 10) + " KB";
  return std::to_string(bytes) + " byte";
}

bool matches_key_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// A path inside the package: relative, "/" separated, no "..", "." or empty segments (so that one
// file has one spelling), no backslash (a Windows separator that would name another file) and no
// control characters.
bool safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  for (char c : path)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (start == 0 && segment.size() == 2 && segment[1] == ':') return false;  // "C:"
    start = end + 1;
  }
  return true;
}

std::string lower_extension(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  std::string ext(path.substr(dot + 1));
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return ext;
}

bool valid_http_url(std::string_view url) {
  std::string lower(url.substr(0, 8));
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::size_t rest = lower.starts_with("https://") ? 8 : lower.starts_with("http://") ? 7 : 0;
  if (rest == 0 || rest >= url.size()) return false;
  if (url[rest] == '/' || url[rest] == '?' || url[rest] == '#') return false;  // no host
  return std::none_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; });
}

// ---------------------------------------------------------------------------------------------
// Errors, capped

class Errors {
 public:
  void add(std::string file, int line, std::string message) {
    if (list_.size() > kMaxErrors) return;
    if (list_.size() == kMaxErrors) {
      list_.push_back({"", 0, "Còn nhiều lỗi khác; chỉ liệt kê " + std::to_string(kMaxErrors) + " lỗi đầu tiên."});
      return;
    }
    list_.push_back({std::move(file), line, std::move(message)});
  }
  bool full() const { return list_.size() > kMaxErrors; }
  bool empty() const { return list_.empty(); }
  std::vector<PackageError> take() { return std::move(list_); }

 private:
  std::vector<PackageError> list_;
};

// ---------------------------------------------------------------------------------------------
// Sources: where the files of a package come from

// `reported`: the manifest reader has already reported the problem (the package's total size).
enum class Fetch { ok, missing, outside, too_big, unreadable, reported };

class Source {
 public:
  virtual ~Source() = default;
  // Reads the file at `path` (a safe relative path) into `out`, reading at most max_bytes + 1
  // bytes whatever the file claims its size is.
  virtual Fetch read(const std::string& path, std::size_t max_bytes, std::string& out) = 0;
};

bool is_within(const fs::path& root, const fs::path& p) {
  auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end() && q != p.end();
}

class DirectorySource : public Source {
 public:
  explicit DirectorySource(fs::path root) : root_(std::move(root)) {}

  Fetch read(const std::string& path, std::size_t max_bytes, std::string& out) override {
    std::error_code ec;
    // weakly_canonical resolves symlinks, so a link pointing out of the package is caught here.
    fs::path full = fs::weakly_canonical(root_ / fs::path(path), ec);
    if (ec) return Fetch::missing;
    if (!is_within(root_, full)) return Fetch::outside;
    if (!fs::is_regular_file(full, ec)) return Fetch::missing;  // also keeps FIFOs from blocking us
    auto size = fs::file_size(full, ec);
    if (ec) return Fetch::unreadable;
    if (size > max_bytes) return Fetch::too_big;
    std::ifstream in(full, std::ios::binary);
    if (!in) return Fetch::unreadable;
    out.clear();
    char buffer[kChunk];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      out.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (out.size() > max_bytes) return Fetch::too_big;  // the file grew after the size check
    }
    return in.bad() ? Fetch::unreadable : Fetch::ok;
  }

 private:
  fs::path root_;  // canonical
};

// An entry name that cannot name a file outside the package wherever it is extracted. Directory
// entries end with "/".
bool safe_entry_name(std::string_view name) {
  if (name.ends_with('/')) name.remove_suffix(1);
  return safe_relative_path(name);
}

bool ignored_entry(std::string_view name) { return name.starts_with("__MACOSX/"); }

class ZipSource : public Source {
 public:
  ZipSource(const ZipSource&) = delete;
  ZipSource& operator=(const ZipSource&) = delete;
  ~ZipSource() override { zip_discard(zip_); }

  static std::unique_ptr<ZipSource> open(std::string_view bytes, const PackageLimits& limits, Errors& errors);

  Fetch read(const std::string& path, std::size_t max_bytes, std::string& out) override {
    auto it = entries_.find(path);
    if (it == entries_.end()) return Fetch::missing;
    zip_stat_t st;
    if (zip_stat_index(zip_, it->second, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size > max_bytes)
      return Fetch::too_big;  // the header alone is enough to refuse; it is not enough to accept
    zip_file_t* file = zip_fopen_index(zip_, it->second, 0);
    if (file == nullptr) return Fetch::unreadable;  // encrypted, unknown compression, ...
    out.clear();
    Fetch result = Fetch::ok;
    char buffer[kChunk];
    for (;;) {
      zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
      if (n < 0) { result = Fetch::unreadable; break; }  // corrupt data or a CRC mismatch
      if (n == 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
      if (out.size() > max_bytes) { result = Fetch::too_big; break; }
    }
    zip_fclose(file);
    return result;
  }

 private:
  explicit ZipSource(zip_t* zip) : zip_(zip) {}
  bool index(const PackageLimits& limits, Errors& errors);

  zip_t* zip_;
  std::map<std::string, zip_uint64_t> entries_;  // path within the package -> entry index
};

std::unique_ptr<ZipSource> ZipSource::open(std::string_view bytes, const PackageLimits& limits, Errors& errors) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  zip_error_fini(&error);
  if (zip == nullptr) {
    if (source) zip_source_free(source);
    errors.add("", 0, "Tệp tải lên không phải là tệp zip hợp lệ.");
    return nullptr;
  }
  std::unique_ptr<ZipSource> result(new ZipSource(zip));
  if (!result->index(limits, errors)) return nullptr;
  return result;
}

// Checks every entry name and the declared sizes, finds the manifest (at the root or in one
// top-level folder) and indexes the entries under it by their path within the package.
bool ZipSource::index(const PackageLimits& limits, Errors& errors) {
  zip_int64_t count = zip_get_num_entries(zip_, 0);
  std::vector<std::pair<std::string, zip_uint64_t>> names;
  std::size_t files = 0;
  zip_uint64_t declared_total = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    auto index = static_cast<zip_uint64_t>(i);
    const char* raw = zip_get_name(zip_, index, ZIP_FL_ENC_GUESS);
    std::string name = raw ? raw : "";
    if (!safe_entry_name(name)) {
      errors.add(name, 0, "Tên tệp không an toàn trong tệp zip: " + in_quotes(name) + ".");
      continue;
    }
    if (name.ends_with('/')) continue;
    ++files;
    zip_stat_t st;
    if (zip_stat_index(zip_, index, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
      declared_total += std::min<zip_uint64_t>(st.size, limits.max_total_bytes + 1);  // no overflow
    if (!ignored_entry(name)) names.emplace_back(std::move(name), index);
  }
  if (files > limits.max_files) {
    errors.add("", 0, "Gói có " + std::to_string(files) + " tệp, nhiều hơn giới hạn " + std::to_string(limits.max_files) + " tệp.");
    return false;
  }
  if (declared_total > limits.max_total_bytes) {
    errors.add("", 0, "Gói lớn hơn giới hạn " + size_text(limits.max_total_bytes) + " khi giải nén.");
    return false;
  }
  // People zip either the folder's contents or the folder itself.
  std::string prefix;
  bool at_root = std::any_of(names.begin(), names.end(), [](const auto& e) { return e.first == kManifest; });
  if (!at_root) {
    std::vector<std::string> folders;
    for (const auto& [name, index] : names) {
      std::size_t slash = name.find('/');
      if (slash != std::string::npos && name.substr(slash + 1) == kManifest) folders.push_back(name.substr(0, slash + 1));
    }
    if (folders.size() != 1) {
      errors.add(kManifest, 0, "Không tìm thấy course.yaml ở gốc gói hoặc trong một thư mục duy nhất ở gốc.");
      return false;
    }
    prefix = folders.front();
  }
  for (auto& [name, index] : names) {
    if (!name.starts_with(prefix)) continue;
    std::string path = name.substr(prefix.size());
    if (!entries_.emplace(path, index).second)
      errors.add(path, 0, "Tệp " + in_quotes(path) + " xuất hiện hai lần trong tệp zip.");
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The manifest

// A field of a mapping: its value (undefined when absent) and the line to report it at (the
// value's own line, or the mapping's when the field is absent).
struct Field {
  YAML::Node node;
  int line = 0;
  bool present = false;  // there and not null: "title:" with nothing after it counts as absent
};

int line_of(const YAML::Node& node) { return node.IsDefined() ? node.Mark().line + 1 : 0; }

Field get(const YAML::Node& map, const char* key) {
  const YAML::Node& const_map = map;  // the non-const operator[] would add the key
  YAML::Node value = const_map[key];
  if (!value.IsDefined()) return {value, line_of(map), false};
  return {value, line_of(value), !value.IsNull()};
}

std::string missing(const char* key) { return std::string("Thiếu trường bắt buộc '") + key + "'."; }

struct Extensions {
  const char* list;  // for messages
  std::set<std::string> allowed;
};
const Extensions kVideo{".mp4, .webm", {"mp4", "webm"}};
const Extensions kCaptions{".vtt", {"vtt"}};
const Extensions kImage{".png, .jpg, .jpeg, .webp, .svg", {"png", "jpg", "jpeg", "webp", "svg"}};
const Extensions kDocument{".pdf, .docx, .xlsx, .pptx, .odt, .txt", {"pdf", "docx", "xlsx", "pptx", "odt", "txt"}};
const Extensions kMarkdown{".md", {"md", "markdown"}};

class ManifestReader {
 public:
  ManifestReader(Source& source, const PackageLimits& limits, const std::set<std::string>& groups,
                 const std::set<std::string>& competencies, Errors& errors)
      : source_(source), limits_(limits), known_groups_(groups), known_competencies_(competencies), errors_(errors) {}

  // The package, meaningful only when no error was added.
  Package read();

 private:
  std::optional<YAML::Node> load_manifest();
  void read_course(const YAML::Node& root);
  void read_groups(const Field& field);
  void read_competencies(const Field& field);
  void read_sections(const Field& field);
  std::optional<Lesson> read_lesson(const YAML::Node& node, const std::string& fallback_key);
  std::optional<Block> read_block(const YAML::Node& node, const std::string& fallback_key);
  void read_text(const YAML::Node& node, Block& block);
  void read_video(const YAML::Node& node, Block& block);
  void read_image(const YAML::Node& node, Block& block);
  void read_question(const YAML::Node& node, Block& block);

  void fail(int line, std::string message) { errors_.add(kManifest, line, std::move(message)); }
  void check_fields(const YAML::Node& map, std::initializer_list<std::string_view> allowed);
  bool too_many_fields(const YAML::Node& map, std::size_t allowed);
  bool too_long(const Field& field, const char* key);
  std::optional<std::string> text(const YAML::Node& map, const char* key, bool required);
  std::optional<std::string> markdown_text(const YAML::Node& map, const char* key, bool required);
  std::optional<long long> integer(const YAML::Node& map, const char* key, bool required, long long min, long long max);
  std::optional<bool> boolean(const YAML::Node& map, const char* key);
  std::optional<std::string> choice(const YAML::Node& map, const char* key, std::initializer_list<const char*> values);
  std::string item_key(const YAML::Node& map, std::string fallback, std::set<std::string>& seen, const char* other);
  std::optional<std::string> path(const YAML::Node& map, const char* key, bool required, const Extensions& exts);
  std::string media(const YAML::Node& map, const char* key, bool required, const Extensions& exts);
  std::optional<std::string> markdown_file(const YAML::Node& map, const char* key, bool required);
  Fetch fetch(const std::string& path, std::size_t per_file_limit, std::string& out);
  bool over_budget(std::size_t& counter, const YAML::Node& node, const char* what);

  Source& source_;
  const PackageLimits& limits_;
  const std::set<std::string>& known_groups_;
  const std::set<std::string>& known_competencies_;
  Errors& errors_;

  Package package_;
  std::map<std::string, bool> media_seen_;                 // path -> read successfully
  std::map<std::string, std::optional<std::string>> markdown_seen_;
  std::size_t total_bytes_ = 0;
  bool total_reported_ = false;
  std::set<std::string> section_keys_, lesson_keys_, block_keys_;
  std::size_t sections_ = 0, lessons_ = 0, blocks_ = 0;
  bool stop_ = false;  // a count limit was passed: walking on could take very long (YAML aliases)
};

Package ManifestReader::read() {
  std::optional<YAML::Node> root = load_manifest();
  if (!root) return {};
  try {
    read_course(*root);
  } catch (const YAML::Exception& e) {
    // Not expected (every access is checked first), but a bad package must never take the
    // server down.
    fail(e.mark.line + 1, "Không đọc được course.yaml: " + e.msg);
  }
  return std::move(package_);
}

std::optional<YAML::Node> ManifestReader::load_manifest() {
  std::string text;
  switch (fetch(kManifest, limits_.max_manifest_bytes, text)) {
    case Fetch::ok: break;
    case Fetch::too_big: errors_.add(kManifest, 0, "course.yaml lớn hơn giới hạn " + size_text(limits_.max_manifest_bytes) + "."); return {};
    case Fetch::unreadable:
    case Fetch::reported: errors_.add(kManifest, 0, "Không đọc được course.yaml."); return {};
    default: errors_.add(kManifest, 0, "Không tìm thấy course.yaml ở gốc gói."); return {};
  }
  if (std::size_t bad = bad_text_at(text); bad != std::string_view::npos) {
    errors_.add(kManifest, line_at(text, bad), "course.yaml " + text_problem(text, bad));
    return {};
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {  // ParserException, DeepRecursion
    errors_.add(kManifest, e.mark.line + 1, "Lỗi cú pháp YAML: " + e.msg);
    return {};
  }
  if (!root.IsMap()) {
    errors_.add(kManifest, line_of(root), "course.yaml phải là một bảng các trường (format, slug, title, ...).");
    return {};
  }
  return root;
}

void ManifestReader::read_course(const YAML::Node& root) {
  if (too_many_fields(root, 13)) return;
  check_fields(root, {"format", "slug", "title", "summary", "description", "language", "provider", "target_groups",
                      "competencies", "duration_minutes", "cover", "unlock", "sections"});
  CourseContent& course = package_.course;
  if (auto format = text(root, "format", true); format && *format != kFormat)
    fail(get(root, "format").line, std::string("Trường 'format' phải là '") + kFormat + "'.");
  if (auto slug = text(root, "slug", true)) {
    if (slug->size() < 3 || slug->size() > 80 || !matches_key_chars(*slug))
      fail(get(root, "slug").line, "Trường 'slug' chỉ gồm chữ thường không dấu, chữ số và '-', dài từ 3 đến 80 ký tự.");
    course.slug = *slug;
  }
  if (auto title = text(root, "title", true)) {
    if (std::size_t n = utf8_length(*title); n < 3 || n > 200) fail(get(root, "title").line, "Trường 'title' phải dài từ 3 đến 200 ký tự.");
    course.title = *title;
  }
  if (auto summary = text(root, "summary", true)) {
    if (utf8_length(*summary) > 500) fail(get(root, "summary").line, "Trường 'summary' dài tối đa 500 ký tự.");
    course.summary = *summary;
  }
  course.description = markdown_file(root, "description", false).value_or("");
  course.language = choice(root, "language", {"vi", "en"}).value_or("vi");
  course.provider = text(root, "provider", false).value_or("");
  read_groups(get(root, "target_groups"));
  read_competencies(get(root, "competencies"));
  course.duration_minutes = static_cast<int>(integer(root, "duration_minutes", true, 1, 6000).value_or(0));
  course.cover = media(root, "cover", false, kImage);
  course.unlock = choice(root, "unlock", {"free", "sequential"}).value_or("free") == "sequential" ? Unlock::sequential : Unlock::free;
  read_sections(get(root, "sections"));
}

void ManifestReader::read_groups(const Field& field) {
  if (!field.present) return fail(field.line, missing("target_groups"));
  if (!field.node.IsSequence() || field.node.size() == 0)
    return fail(field.line, "Trường 'target_groups' phải là một danh sách có ít nhất một nhóm đối tượng.");
  if (too_long(field, "target_groups")) return;
  for (const YAML::Node& item : field.node) {
    if (errors_.full()) return;
    std::string code = trim(clean_scalar(item).value_or(""));
    if (code.empty()) { fail(line_of(item), "Mỗi nhóm đối tượng phải là một mã, ví dụ 'citizen'."); continue; }
    auto& groups = package_.course.target_groups;
    if (std::find(groups.begin(), groups.end(), code) != groups.end())
      fail(line_of(item), "Nhóm đối tượng " + in_quotes(code) + " bị lặp lại.");
    else if (!known_groups_.empty() && !known_groups_.contains(code))
      fail(line_of(item), "Nhóm đối tượng " + in_quotes(code) + " không có trong danh mục.");
    groups.push_back(std::move(code));
  }
}

void ManifestReader::read_competencies(const Field& field) {
  if (!field.present) return fail(field.line, missing("competencies"));
  if (!field.node.IsSequence() || field.node.size() == 0)
    return fail(field.line, "Trường 'competencies' phải là một danh sách có ít nhất một năng lực.");
  if (too_long(field, "competencies")) return;
  auto& targets = package_.course.competencies;
  for (const YAML::Node& item : field.node) {
    if (errors_.full()) return;
    if (!item.IsMap()) { fail(line_of(item), "Mỗi năng lực phải có dạng { code: \"4.2\", level: 2 }."); continue; }
    if (too_many_fields(item, 2)) continue;
    check_fields(item, {"code", "level"});
    auto code = text(item, "code", true);
    auto level = integer(item, "level", false, 1, 8);
    if (!code) continue;
    if (std::any_of(targets.begin(), targets.end(), [&](const CompetencyTarget& t) { return t.code == *code; }))
      fail(get(item, "code").line, "Mã năng lực " + in_quotes(*code) + " bị lặp lại.");
    else if (!known_competencies_.empty() && !known_competencies_.contains(*code))
      fail(get(item, "code").line, "Mã năng lực " + in_quotes(*code) + " không có trong khung năng lực số.");
    targets.push_back({*code, static_cast<int>(level.value_or(1))});
  }
}

// Counts one more section, lesson or block; past max_blocks it reports once and stops the walk.
// Each lesson needs a block and each section a lesson, so any count past it is already an error.
bool ManifestReader::over_budget(std::size_t& counter, const YAML::Node& node, const char* what) {
  if (++counter <= limits_.max_blocks && !errors_.full()) return false;
  if (!errors_.full())
    fail(line_of(node), std::string("Khóa học có nhiều hơn ") + std::to_string(limits_.max_blocks) + " " + what + ".");
  stop_ = true;
  return true;
}

void ManifestReader::read_sections(const Field& field) {
  if (!field.present) return fail(field.line, missing("sections"));
  if (!field.node.IsSequence() || field.node.size() == 0)
    return fail(field.line, "Trường 'sections' phải là một danh sách có ít nhất một phần.");
  std::size_t position = 0;
  for (const YAML::Node& node : field.node) {
    if (stop_ || over_budget(sections_, node, "phần")) return;
    std::string number = "s" + std::to_string(++position);
    if (!node.IsMap()) { fail(line_of(node), "Mỗi phần phải là một bảng các trường (key, title, lessons)."); continue; }
    if (too_many_fields(node, 3)) continue;
    check_fields(node, {"key", "title", "lessons"});
    Section section;
    section.key = item_key(node, number, section_keys_, "một phần khác");
    section.title = text(node, "title", true).value_or("");
    Field lessons = get(node, "lessons");
    if (!lessons.present) fail(lessons.line, missing("lessons"));
    else if (!lessons.node.IsSequence() || lessons.node.size() == 0)
      fail(lessons.line, "Trường 'lessons' phải là một danh sách có ít nhất một bài học.");
    else {
      std::size_t lesson_position = 0;
      for (const YAML::Node& lesson_node : lessons.node) {
        if (stop_ || over_budget(lessons_, lesson_node, "bài học")) return;
        std::string fallback = number + "-l" + std::to_string(++lesson_position);
        if (auto lesson = read_lesson(lesson_node, fallback)) section.lessons.push_back(std::move(*lesson));
      }
    }
    package_.course.sections.push_back(std::move(section));
  }
}

std::optional<Lesson> ManifestReader::read_lesson(const YAML::Node& node, const std::string& fallback_key) {
  if (!node.IsMap()) { fail(line_of(node), "Mỗi bài học phải là một bảng các trường (key, title, blocks)."); return {}; }
  if (too_many_fields(node, 3)) return {};
  check_fields(node, {"key", "title", "blocks"});
  Lesson lesson;
  lesson.key = item_key(node, fallback_key, lesson_keys_, "một bài học khác");
  lesson.title = text(node, "title", true).value_or("");
  Field blocks = get(node, "blocks");
  if (!blocks.present) fail(blocks.line, missing("blocks"));
  else if (!blocks.node.IsSequence() || blocks.node.size() == 0)
    fail(blocks.line, "Trường 'blocks' phải là một danh sách có ít nhất một khối.");
  else {
    std::size_t position = 0;
    for (const YAML::Node& block_node : blocks.node) {
      if (stop_ || over_budget(blocks_, block_node, "khối")) break;
      if (auto block = read_block(block_node, fallback_key + "-b" + std::to_string(++position)))
        lesson.blocks.push_back(std::move(*block));
    }
  }
  return lesson;
}

std::optional<Block> ManifestReader::read_block(const YAML::Node& node, const std::string& fallback_key) {
  if (!node.IsMap()) { fail(line_of(node), "Mỗi khối phải là một bảng các trường (key, kind, ...)."); return {}; }
  if (too_many_fields(node, 8)) return {};  // the most a kind has: question
  Block block;
  block.key = item_key(node, fallback_key, block_keys_, "một khối khác");
  block.required = boolean(node, "required").value_or(true);
  auto kind_name = text(node, "kind", true);
  auto kind = kind_name ? kind_from_name(*kind_name) : std::nullopt;
  if (kind_name && !kind)
    fail(get(node, "kind").line, "Loại khối " + in_quotes(*kind_name) + " không được hỗ trợ (text, video, image, document, link, question).");
  // Documents and links show their title as the link text, so they cannot do without one.
  bool title_required = kind && (*kind == BlockKind::document || *kind == BlockKind::link);
  block.title = text(node, "title", title_required).value_or("");
  if (!kind) return {};
  block.kind = *kind;
  switch (block.kind) {
    case BlockKind::text: read_text(node, block); break;
    case BlockKind::video: read_video(node, block); break;
    case BlockKind::image: read_image(node, block); break;
    case BlockKind::question: read_question(node, block); break;
    case BlockKind::document:
      check_fields(node, {"key", "kind", "title", "required", "file"});
      block.media = media(node, "file", true, kDocument);
      break;
    case BlockKind::link:
      check_fields(node, {"key", "kind", "title", "required", "url"});
      if (auto url = text(node, "url", true)) {
        if (!valid_http_url(*url)) fail(get(node, "url").line, "Trường 'url' phải là một địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://.");
        block.url = *url;
      }
      break;
  }
  return block;
}

void ManifestReader::read_text(const YAML::Node& node, Block& block) {
  check_fields(node, {"key", "kind", "title", "required", "file", "markdown"});
  bool has_file = get(node, "file").present, has_inline = get(node, "markdown").present;
  if (has_file && has_inline)
    fail(line_of(node), "Khối văn bản chỉ dùng một trong hai trường 'file' hoặc 'markdown'.");
  else if (!has_file && !has_inline)
    fail(line_of(node), "Khối văn bản cần trường 'file' hoặc 'markdown'.");
  else if (has_file)
    block.markdown = markdown_file(node, "file", true).value_or("");
  else
    block.markdown = markdown_text(node, "markdown", true).value_or("");
}

void ManifestReader::read_video(const YAML::Node& node, Block& block) {
  check_fields(node, {"key", "kind", "title", "required", "file", "duration_seconds", "captions", "transcript"});
  block.media = media(node, "file", true, kVideo);
  block.duration_seconds = static_cast<int>(integer(node, "duration_seconds", true, 1, 86400).value_or(0));
  block.captions = media(node, "captions", false, kCaptions);
  block.markdown = markdown_file(node, "transcript", false).value_or("");
}

void ManifestReader::read_image(const YAML::Node& node, Block& block) {
  check_fields(node, {"key", "kind", "title", "required", "file", "alt", "caption"});
  block.media = media(node, "file", true, kImage);
  block.alt = text(node, "alt", true).value_or("");
  block.markdown = markdown_text(node, "caption", false).value_or("");
}

void ManifestReader::read_question(const YAML::Node& node, Block& block) {
  check_fields(node, {"key", "kind", "title", "required", "prompt", "options", "answer", "explanation"});
  EmbeddedQuestion question;
  question.prompt = markdown_text(node, "prompt", true).value_or("");
  question.explanation = markdown_text(node, "explanation", false).value_or("");
  Field options = get(node, "options");
  bool options_ok = false;
  if (!options.present) fail(options.line, missing("options"));
  else if (!options.node.IsSequence() || options.node.size() < 2 || options.node.size() > 8)
    fail(options.line, "Trường 'options' phải là một danh sách từ 2 đến 8 đáp án.");
  else {
    options_ok = true;
    for (const YAML::Node& option : options.node) {
      std::string value = trim(clean_scalar(option).value_or(""));
      if (value.empty()) { fail(line_of(option), "Mỗi đáp án phải là một dòng chữ không trống."); options_ok = false; }
      question.options.push_back(std::move(value));
    }
  }
  auto count = static_cast<long long>(question.options.size());
  if (auto answer = integer(node, "answer", true, 0, options_ok ? count - 1 : 7)) question.answer = static_cast<int>(*answer);
  block.question = std::move(question);
}

// Reports fields this mapping does not have (a typo would otherwise silently drop a value) and
// fields given twice (YAML parsers disagree on which one wins).
void ManifestReader::check_fields(const YAML::Node& map, std::initializer_list<std::string_view> allowed) {
  std::set<std::string> seen;
  for (const auto& entry : map) {
    if (errors_.full()) return;
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) { fail(line_of(key), "Tên trường phải là một chuỗi."); continue; }
    const std::string& name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      fail(line_of(key), "Trường " + in_quotes(name) + " không được hỗ trợ ở đây.");
    else if (!seen.insert(name).second)
      fail(line_of(key), "Trường " + in_quotes(name) + " bị lặp lại.");
  }
}

// yaml-cpp finds a field by comparing every key of the mapping, so a mapping with a huge number of
// fields (named again and again through YAML aliases) could keep a server busy for minutes. One
// with far more fields than it may have is reported and not read further.
bool ManifestReader::too_many_fields(const YAML::Node& map, std::size_t allowed) {
  if (map.size() <= 2 * allowed + 4) return false;
  fail(line_of(map), "Có quá nhiều trường ở đây (" + std::to_string(map.size()) + ").");
  return true;
}

// The lists of codes are short in any real course; a cap keeps checking them for repeats cheap.
bool ManifestReader::too_long(const Field& field, const char* key) {
  if (field.node.size() <= 100) return false;
  fail(field.line, std::string("Danh sách '") + key + "' quá dài (tối đa 100 mục).");
  return true;
}

std::optional<std::string> ManifestReader::text(const YAML::Node& map, const char* key, bool required) {
  Field field = get(map, key);
  if (!field.present) {
    if (required) fail(field.line, missing(key));
    return {};
  }
  if (!field.node.IsScalar()) {
    fail(field.line, std::string("Trường '") + key + "' phải là một chuỗi.");
    return {};
  }
  if (!clean_scalar(field.node)) {  // escapes such as "\0" in a double-quoted string
    fail(field.line, std::string("Trường '") + key + "' chứa ký tự điều khiển không được phép.");
    return {};
  }
  std::string value = trim(field.node.Scalar());
  if (value.empty()) {
    if (required) fail(field.line, missing(key));
    return {};
  }
  return value;
}

std::optional<std::string> ManifestReader::markdown_text(const YAML::Node& map, const char* key, bool required) {
  auto value = text(map, key, required);
  if (value) return trim_markdown(get(map, key).node.Scalar());
  return {};
}

std::optional<long long> ManifestReader::integer(const YAML::Node& map, const char* key, bool required, long long min,
                                                 long long max) {
  auto value = text(map, key, required);
  if (!value) return {};
  long long number = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (ec != std::errc() || end != value->data() + value->size() || number < min || number > max) {
    fail(get(map, key).line, std::string("Trường '") + key + "' phải là số nguyên từ " + std::to_string(min) + " đến " +
                                 std::to_string(max) + ".");
    return {};
  }
  return number;
}

std::optional<bool> ManifestReader::boolean(const YAML::Node& map, const char* key) {
  auto value = text(map, key, false);
  if (!value) return {};
  // The YAML 1.2 core schema's spellings: "yes"/"no" are strings there, so refuse them.
  if (*value == "true" || *value == "True" || *value == "TRUE") return true;
  if (*value == "false" || *value == "False" || *value == "FALSE") return false;
  fail(get(map, key).line, std::string("Trường '") + key + "' phải là true hoặc false.");
  return {};
}

std::optional<std::string> ManifestReader::choice(const YAML::Node& map, const char* key,
                                                  std::initializer_list<const char*> values) {
  auto value = text(map, key, false);
  if (!value) return {};
  if (std::find(values.begin(), values.end(), *value) != values.end()) return value;
  std::string list;
  for (const char* v : values) list += (list.empty() ? "" : ", ") + std::string(v);
  fail(get(map, key).line, std::string("Trường '") + key + "' phải là một trong: " + list + ".");
  return {};
}

// The item's key, or `fallback` (its position) when it has none. `other` names the kind for the
// duplicate message: "một bài học khác".
std::string ManifestReader::item_key(const YAML::Node& map, std::string fallback, std::set<std::string>& seen,
                                     const char* other) {
  Field field = get(map, "key");
  std::string key = text(map, "key", false).value_or(fallback);
  if (field.present && (key.size() > 40 || !matches_key_chars(key)))
    fail(field.line, "Khóa " + in_quotes(key) + " không hợp lệ: chỉ gồm chữ thường không dấu, chữ số và '-', tối đa 40 ký tự.");
  else if (!seen.insert(key).second)
    fail(field.line, "Khóa " + in_quotes(key) + " bị trùng với " + other + ".");
  return key;
}

std::optional<std::string> ManifestReader::path(const YAML::Node& map, const char* key, bool required,
                                                const Extensions& exts) {
  auto value = text(map, key, required);
  if (!value) return {};
  int line = get(map, key).line;
  if (!safe_relative_path(*value)) {
    fail(line, "Đường dẫn " + in_quotes(*value) + " không hợp lệ: phải là đường dẫn tương đối trong gói, dùng '/', không có '..'.");
    return {};
  }
  if (!exts.allowed.contains(lower_extension(*value))) {
    fail(line, "Tệp " + in_quotes(*value) + " phải có đuôi " + exts.list + ".");
    return {};
  }
  return value;
}

// Reads at most the smaller of the file's own limit and what is left of the package's.
Fetch ManifestReader::fetch(const std::string& path, std::size_t per_file_limit, std::string& out) {
  std::size_t left = limits_.max_total_bytes - total_bytes_;
  Fetch result = source_.read(path, std::min(per_file_limit, left), out);
  if (result == Fetch::too_big && left < per_file_limit) {
    if (!total_reported_) errors_.add("", 0, "Gói lớn hơn giới hạn " + size_text(limits_.max_total_bytes) + " khi giải nén.");
    total_reported_ = true;
    return Fetch::reported;
  }
  if (result == Fetch::ok) total_bytes_ += out.size();
  return result;
}

// A media file named by `key`: checked, read once into Package::media however often it is named.
// Returns the path as written, or "" when absent.
std::string ManifestReader::media(const YAML::Node& map, const char* key, bool required, const Extensions& exts) {
  auto file = path(map, key, required, exts);
  if (!file) return {};
  int line = get(map, key).line;
  if (auto seen = media_seen_.find(*file); seen != media_seen_.end()) return *file;
  std::string bytes;
  Fetch result = fetch(*file, limits_.max_media_bytes, bytes);
  media_seen_[*file] = result == Fetch::ok;
  switch (result) {
    case Fetch::ok: package_.media.push_back({*file, std::move(bytes)}); break;
    case Fetch::missing: fail(line, "Không tìm thấy tệp " + in_quotes(*file) + " trong gói."); break;
    case Fetch::outside: fail(line, "Tệp " + in_quotes(*file) + " trỏ ra ngoài gói."); break;
    case Fetch::too_big: errors_.add(*file, 0, "Tệp lớn hơn giới hạn " + size_text(limits_.max_media_bytes) + "."); break;
    case Fetch::unreadable: errors_.add(*file, 0, "Không đọc được tệp này trong gói."); break;
    case Fetch::reported: break;
  }
  return *file;
}

// The trimmed content of the Markdown file named by `key`, or nullopt when absent or in error.
std::optional<std::string> ManifestReader::markdown_file(const YAML::Node& map, const char* key, bool required) {
  auto file = path(map, key, required, kMarkdown);
  if (!file) return {};
  if (auto seen = markdown_seen_.find(*file); seen != markdown_seen_.end()) return seen->second;
  int line = get(map, key).line;
  std::string bytes;
  std::optional<std::string> content;
  switch (fetch(*file, limits_.max_markdown_bytes, bytes)) {
    case Fetch::ok:
      if (std::size_t bad = bad_text_at(bytes); bad != std::string_view::npos)
        errors_.add(*file, line_at(bytes, bad), "Tệp " + text_problem(bytes, bad));
      else
        content = trim_markdown(bytes);
      break;
    case Fetch::missing: fail(line, "Không tìm thấy tệp " + in_quotes(*file) + " trong gói."); break;
    case Fetch::outside: fail(line, "Tệp " + in_quotes(*file) + " trỏ ra ngoài gói."); break;
    case Fetch::too_big: errors_.add(*file, 0, "Tệp Markdown lớn hơn giới hạn " + size_text(limits_.max_markdown_bytes) + "."); break;
    case Fetch::unreadable: errors_.add(*file, 0, "Không đọc được tệp này trong gói."); break;
    case Fetch::reported: break;
  }
  markdown_seen_[*file] = content;
  return content;
}

ReadResult read_from(Source& source, const PackageLimits& limits, const std::set<std::string>& groups,
                     const std::set<std::string>& competencies, Errors& errors) {
  ManifestReader reader(source, limits, groups, competencies, errors);
  Package package = reader.read();
  ReadResult result;
  if (errors.empty()) result.package = std::move(package);
  result.errors = errors.take();
  return result;
}

// The number of files under `root`, counting at most limit + 1 (symlinked folders not followed).
std::size_t count_files(const fs::path& root, std::size_t limit) {
  std::size_t files = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end && files <= limit; it.increment(ec)) {
    std::error_code type_error;
    if (!it->is_directory(type_error)) ++files;
  }
  return files;
}

}  // namespace

ReadResult read_package_directory(const fs::path& dir, const PackageLimits& limits,
                                  const std::set<std::string>& known_groups,
                                  const std::set<std::string>& known_competencies) {
  Errors errors;
  std::error_code ec;
  fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root, ec)) {
    errors.add("", 0, "Không tìm thấy thư mục gói.");
    return {std::nullopt, errors.take()};
  }
  if (count_files(root, limits.max_files) > limits.max_files) {
    errors.add("", 0, "Gói có nhiều hơn giới hạn " + std::to_string(limits.max_files) + " tệp.");
    return {std::nullopt, errors.take()};
  }
  DirectorySource source(root);
  return read_from(source, limits, known_groups, known_competencies, errors);
}

ReadResult read_package_zip(std::string_view zip_bytes, const PackageLimits& limits,
                            const std::set<std::string>& known_groups,
                            const std::set<std::string>& known_competencies) {
  Errors errors;
  std::unique_ptr<ZipSource> source = ZipSource::open(zip_bytes, limits, errors);
  if (!source) return {std::nullopt, errors.take()};
  return read_from(*source, limits, known_groups, known_competencies, errors);
}

}  // namespace hocvu::learning
