#include "learning/package.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <map>
#include <random>

namespace hocvu::learning {
namespace {

namespace fs = std::filesystem;

const fs::path kPackages = fs::path(HOCVU_TEST_DATA_DIR) / "packages";
const std::set<std::string> kGroups{"official", "student", "worker", "citizen"};
const std::set<std::string> kCompetencies{"1.1", "4.1", "4.2", "4.3", "5.1"};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string describe(const std::vector<PackageError>& errors) {
  std::string out;
  for (const PackageError& e : errors) out += "  " + e.file + ":" + std::to_string(e.line) + ": " + e.message + "\n";
  return out;
}

// A package folder in a fresh temporary directory, removed afterwards.
class TempPackage {
 public:
  explicit TempPackage(const std::map<std::string, std::string>& files) {
    std::random_device random;
    root_ = fs::temp_directory_path() / ("hocvu-package-test-" + std::to_string(random()));
    fs::create_directories(root_ / "pkg");
    for (const auto& [path, bytes] : files) write(path, bytes);
  }
  ~TempPackage() { fs::remove_all(root_); }
  void write(const std::string& path, const std::string& bytes) {
    fs::path full = dir() / path;
    fs::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << bytes;
  }
  fs::path dir() const { return root_ / "pkg"; }
  fs::path outside() const { return root_; }  // beside the package, not in it

 private:
  fs::path root_;
};

// A minimal zip writer, independent of the code under test, that can also write what no honest
// tool would: unsafe names, duplicate names, sizes that lie.
struct ZipEntry {
  std::string name;
  std::string data;
  bool deflate = false;
  std::optional<std::uint32_t> declared_size;  // the uncompressed size written in the headers
};

void put16(std::string& out, unsigned v) { out += char(v & 0xFF), out += char((v >> 8) & 0xFF); }
void put32(std::string& out, std::uint32_t v) { put16(out, v & 0xFFFF), put16(out, v >> 16); }

std::string raw_deflate(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string make_zip(const std::vector<ZipEntry>& entries) {
  std::string out, directory;
  for (const ZipEntry& e : entries) {
    std::string stored = e.deflate ? raw_deflate(e.data) : e.data;
    auto crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
    std::uint32_t size = e.declared_size.value_or(static_cast<std::uint32_t>(e.data.size()));
    auto offset = static_cast<std::uint32_t>(out.size());
    auto common = [&](std::string& h) {
      put16(h, 20), put16(h, 0x0800), put16(h, e.deflate ? 8 : 0), put16(h, 0), put16(h, 0x2821);
      put32(h, crc), put32(h, static_cast<std::uint32_t>(stored.size())), put32(h, size);
      put16(h, static_cast<unsigned>(e.name.size())), put16(h, 0);
    };
    put32(out, 0x04034b50), common(out), out += e.name, out += stored;
    put32(directory, 0x02014b50), put16(directory, 20), common(directory);
    put16(directory, 0), put16(directory, 0), put16(directory, 0), put32(directory, 0), put32(directory, offset);
    directory += e.name;
  }
  auto directory_offset = static_cast<std::uint32_t>(out.size());
  out += directory;
  put32(out, 0x06054b50), put16(out, 0), put16(out, 0);
  put16(out, static_cast<unsigned>(entries.size())), put16(out, static_cast<unsigned>(entries.size()));
  put32(out, static_cast<std::uint32_t>(directory.size())), put32(out, directory_offset), put16(out, 0);
  return out;
}

// The good fixture's files as zip entries under `prefix`.
std::vector<ZipEntry> good_entries(const std::string& prefix = "") {
  std::vector<ZipEntry> entries;
  fs::path root = kPackages / "good";
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file())
      entries.push_back({prefix + fs::relative(entry.path(), root).generic_string(), read_file(entry.path()), true});
  return entries;
}

// --- A good package --------------------------------------------------------------------------

TEST(PackageReader, ReadsTheGoodFixture) {
  ReadResult result = read_package_directory(kPackages / "good", {}, kGroups, kCompetencies);
  ASSERT_TRUE(result.errors.empty()) << describe(result.errors);
  ASSERT_TRUE(result.package);
  const CourseContent& c = result.package->course;
  EXPECT_EQ(c.slug, "goi-thu-nghiem");
  EXPECT_EQ(c.title, "Gói thử nghiệm đủ mọi loại khối");
  EXPECT_EQ(c.summary, "Một gói nhỏ để kiểm tra việc đọc và ghi gói khóa học.");
  EXPECT_EQ(c.description, "# Giới thiệu\n\nKhóa học **thử nghiệm**.");
  EXPECT_EQ(c.provider, "HọcVụ — Kiểm thử");
  EXPECT_EQ(c.target_groups, (std::vector<std::string>{"citizen", "worker"}));
  ASSERT_EQ(c.competencies.size(), 2u);
  EXPECT_EQ(c.competencies[0], (CompetencyTarget{"4.2", 2}));
  EXPECT_EQ(c.competencies[1], (CompetencyTarget{"1.1", 1}));  // level defaults to 1
  EXPECT_EQ(c.duration_minutes, 20);
  EXPECT_EQ(c.cover, "media/bia.svg");
  EXPECT_EQ(c.unlock, Unlock::sequential);

  ASSERT_EQ(c.sections.size(), 2u);
  EXPECT_EQ(c.sections[1].key, "s2");  // default keys by position
  ASSERT_EQ(c.sections[0].lessons.size(), 2u);
  const Lesson& first = c.sections[0].lessons[0];
  ASSERT_EQ(first.blocks.size(), 3u);
  EXPECT_EQ(first.blocks[0].markdown, "Đọc kỹ trước khi bấm vào đường link lạ.");  // blank lines trimmed
  const Block& video = first.blocks[1];
  EXPECT_EQ(video.kind, BlockKind::video);
  EXPECT_EQ(video.title, "Video giới thiệu");
  EXPECT_EQ(video.media, "media/gioi-thieu.mp4");
  EXPECT_EQ(video.captions, "media/gioi-thieu.vtt");
  EXPECT_EQ(video.markdown, "Xin chào, đây là lời thoại.");
  EXPECT_EQ(video.duration_seconds, 95);
  const Block& image = first.blocks[2];
  EXPECT_EQ(image.alt, "Sơ đồ các bước");
  EXPECT_EQ(image.markdown, "Chú thích *ngắn*");
  EXPECT_FALSE(image.required);

  const Lesson& unkeyed = c.sections[0].lessons[1];
  EXPECT_EQ(unkeyed.key, "s1-l2");
  ASSERT_EQ(unkeyed.blocks.size(), 4u);
  EXPECT_EQ(unkeyed.blocks[0].key, "s1-l2-b1");
  EXPECT_EQ(unkeyed.blocks[0].markdown, "Nội dung **viết ngay** trong course.yaml.\n\n- một\n- hai");
  EXPECT_EQ(unkeyed.blocks[1].media, "media/huong-dan.pdf");
  EXPECT_EQ(unkeyed.blocks[2].url, "https://dichvucong.gov.vn");
  ASSERT_TRUE(unkeyed.blocks[3].question);
  EXPECT_EQ(unkeyed.blocks[3].question->options.size(), 3u);
  EXPECT_EQ(unkeyed.blocks[3].question->answer, 1);
  EXPECT_EQ(c.sections[1].lessons[0].blocks[0].key, "s2-l1-b1");

  // Each file once, in the order first named, though the video is named twice.
  std::vector<std::string> paths;
  for (const PackageFile& f : result.package->media) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"media/bia.svg", "media/gioi-thieu.mp4", "media/gioi-thieu.vtt",
                                              "media/so-do.png", "media/huong-dan.pdf"}));
  EXPECT_EQ(result.package->media[3].bytes, read_file(kPackages / "good/media/so-do.png"));
}

TEST(PackageReader, ReadsTheStarterCourse) {
  fs::path starter = fs::path(HOCVU_TEST_DATA_DIR) / "../../content/courses/dien-thoai-thong-minh";
  ReadResult result = read_package_directory(starter, {}, kGroups, kCompetencies);
  EXPECT_TRUE(result.errors.empty()) << describe(result.errors);
}

// --- Broken manifests ------------------------------------------------------------------------

// Lines 1-8 of every case; a case's own text starts at line 9.
const std::string kHead =
    "format: hocvu-course/1\n"
    "slug: thu-nghiem\n"
    "title: Khóa thử nghiệm\n"
    "summary: Tóm tắt.\n"
    "target_groups: [citizen]\n"
    "competencies:\n"
    "  - { code: \"4.2\", level: 2 }\n"
    "duration_minutes: 30\n";
// Lines 9-13; a case's blocks start at line 14.
const std::string kOneLesson =
    "sections:\n"
    "  - title: Phần một\n"
    "    lessons:\n"
    "      - title: Bài một\n"
    "        blocks:\n";
const std::string kTextBlock = "          - kind: text\n            markdown: Chữ.\n";

struct BrokenCase {
  const char* name;
  std::string manifest;
  std::string file;  // where the error is expected
  int line;
  std::string message;  // a substring of its message
};

std::string replace(std::string s, const std::string& from, const std::string& to) {
  return s.replace(s.find(from), from.size(), to);
}

std::vector<BrokenCase> broken_cases() {
  const std::string good = kHead + kOneLesson + kTextBlock;
  return {
      {"yaml syntax", "format: hocvu-course/1\ntitle: [không đóng\nslug: x\n", "course.yaml", 3, "Lỗi cú pháp YAML"},
      {"not a mapping", "- một\n- hai\n", "course.yaml", 1, "phải là một bảng"},
      {"invalid utf-8", kHead + "provider: \xC3\x28\n", "course.yaml", 9, "UTF-8"},
      {"control character", kHead + "provider: a\x01" "b\n", "course.yaml", 9, "ký tự điều khiển"},
      {"escaped NUL", replace(good, "title: Khóa thử nghiệm", "title: \"Khóa\\0 thử\""), "course.yaml", 3, "'title' chứa ký tự điều khiển"},
      {"escaped control in an option", kHead + kOneLesson + "          - { kind: question, prompt: P, options: [A, \"\\x01\"], answer: 0 }\n",
       "course.yaml", 14, "Mỗi đáp án"},
      {"missing title", replace(good, "title: Khóa thử nghiệm\n", ""), "course.yaml", 1, "Thiếu trường bắt buộc 'title'."},
      {"empty title", replace(good, "title: Khóa thử nghiệm", "title: \"   \""), "course.yaml", 3, "Thiếu trường bắt buộc 'title'."},
      {"short title", replace(good, "title: Khóa thử nghiệm", "title: ab"), "course.yaml", 3, "từ 3 đến 200 ký tự"},
      {"wrong format", replace(good, "hocvu-course/1", "hocvu-course/2"), "course.yaml", 1, "'hocvu-course/1'"},
      {"bad slug", replace(good, "slug: thu-nghiem", "slug: Thử Nghiệm"), "course.yaml", 2, "'slug'"},
      {"unknown field", good + "titel: x\n", "course.yaml", 16, "Trường 'titel' không được hỗ trợ"},
      {"field twice", good + "slug: lai-nua\n", "course.yaml", 16, "Trường 'slug' bị lặp lại"},
      {"no groups", replace(good, "[citizen]", "[]"), "course.yaml", 5, "'target_groups'"},
      {"unknown group", replace(good, "[citizen]", "[citizen, alien]"), "course.yaml", 5, "'alien' không có trong danh mục"},
      {"unknown competency", replace(good, "\"4.2\"", "\"9.9\""), "course.yaml", 7, "Mã năng lực '9.9' không có trong khung năng lực số."},
      {"level out of range", replace(good, "level: 2", "level: 9"), "course.yaml", 7, "'level' phải là số nguyên từ 1 đến 8"},
      {"duration zero", replace(good, "duration_minutes: 30", "duration_minutes: 0"), "course.yaml", 8, "'duration_minutes'"},
      {"duration not a number", replace(good, "duration_minutes: 30", "duration_minutes: ba mươi"), "course.yaml", 8, "'duration_minutes'"},
      {"bad language", good + "language: fr\n", "course.yaml", 16, "'language' phải là một trong: vi, en"},
      {"bad unlock", good + "unlock: sometimes\n", "course.yaml", 16, "'unlock'"},
      {"no sections", kHead + "sections: []\n", "course.yaml", 9, "'sections'"},
      {"no sections field", kHead, "course.yaml", 1, "Thiếu trường bắt buộc 'sections'."},
      {"lesson without blocks", kHead + "sections:\n  - title: P\n    lessons:\n      - title: B\n", "course.yaml", 12, "Thiếu trường bắt buộc 'blocks'."},
      {"duplicate block key", kHead + kOneLesson + "          - { key: x, kind: text, markdown: a }\n          - { key: x, kind: text, markdown: b }\n",
       "course.yaml", 15, "Khóa 'x' bị trùng với một khối khác."},
      {"duplicate lesson key", kHead + "sections:\n  - title: P\n    lessons:\n      - { key: abc, title: B, blocks: [{kind: text, markdown: a}] }\n"
                                       "      - { key: abc, title: C, blocks: [{kind: text, markdown: a}] }\n",
       "course.yaml", 13, "Khóa 'abc' bị trùng với một bài học khác."},
      {"explicit key clashing with a default", kHead + "sections:\n  - { key: s2, title: A, lessons: [{title: B, blocks: [{kind: text, markdown: a}]}] }\n"
                                                       "  - { title: C, lessons: [{title: D, blocks: [{kind: text, markdown: a}]}] }\n",
       "course.yaml", 11, "Khóa 's2' bị trùng với một phần khác."},
      {"bad key", kHead + kOneLesson + "          - { key: Bài-1, kind: text, markdown: a }\n", "course.yaml", 14, "Khóa 'Bài-1' không hợp lệ"},
      {"unknown kind", kHead + kOneLesson + "          - kind: quiz\n", "course.yaml", 14, "Loại khối 'quiz' không được hỗ trợ"},
      {"kind missing", kHead + kOneLesson + "          - markdown: a\n", "course.yaml", 14, "Thiếu trường bắt buộc 'kind'."},
      {"text with neither", kHead + kOneLesson + "          - kind: text\n", "course.yaml", 14, "cần trường 'file' hoặc 'markdown'"},
      {"text with both", kHead + kOneLesson + "          - { kind: text, markdown: a, file: lessons/a.md }\n", "course.yaml", 14, "chỉ dùng một trong hai"},
      {"field of another kind", kHead + kOneLesson + "          - { kind: text, markdown: a, url: 'https://x.vn' }\n", "course.yaml", 14, "Trường 'url' không được hỗ trợ"},
      {"missing markdown file", kHead + kOneLesson + "          - kind: text\n            file: lessons/khong-co.md\n", "course.yaml", 15,
       "Không tìm thấy tệp 'lessons/khong-co.md' trong gói."},
      {"missing media file", kHead + kOneLesson + "          - kind: video\n            file: media/x.mp4\n            duration_seconds: 10\n",
       "course.yaml", 15, "Không tìm thấy tệp 'media/x.mp4' trong gói."},
      {"video extension", kHead + kOneLesson + "          - { kind: video, file: media/a.avi, duration_seconds: 5 }\n", "course.yaml", 14, "phải có đuôi .mp4, .webm"},
      {"video duration missing", kHead + kOneLesson + "          - { kind: video, file: media/a.mp4 }\n", "course.yaml", 14, "Thiếu trường bắt buộc 'duration_seconds'."},
      {"captions extension", kHead + kOneLesson + "          - { kind: video, file: media/a.mp4, duration_seconds: 5, captions: media/a.srt }\n", "course.yaml", 14, "phải có đuôi .vtt"},
      {"image without alt", kHead + kOneLesson + "          - kind: image\n            file: media/a.png\n", "course.yaml", 14, "Thiếu trường bắt buộc 'alt'."},
      {"document without title", kHead + kOneLesson + "          - { kind: document, file: media/a.pdf }\n", "course.yaml", 14, "Thiếu trường bắt buộc 'title'."},
      {"link not http", kHead + kOneLesson + "          - { kind: link, title: T, url: 'ftp://x.vn' }\n", "course.yaml", 14, "'url'"},
      {"link relative", kHead + kOneLesson + "          - { kind: link, title: T, url: '/trang' }\n", "course.yaml", 14, "'url'"},
      {"absolute path", kHead + kOneLesson + "          - { kind: text, file: /etc/passwd.md }\n", "course.yaml", 14, "không hợp lệ"},
      {"dot-dot path", kHead + kOneLesson + "          - { kind: text, file: lessons/../../bi-mat.md }\n", "course.yaml", 14, "không hợp lệ"},
      {"backslash path", kHead + kOneLesson + "          - { kind: text, file: 'lessons\\a.md' }\n", "course.yaml", 14, "không hợp lệ"},
      {"answer out of range", kHead + kOneLesson + "          - kind: question\n            prompt: Hỏi?\n            options: [A, B, C]\n            answer: 3\n",
       "course.yaml", 17, "'answer' phải là số nguyên từ 0 đến 2"},
      {"answer negative", kHead + kOneLesson + "          - { kind: question, prompt: 'Hỏi?', options: [A, B], answer: -1 }\n", "course.yaml", 14, "'answer'"},
      {"one option", kHead + kOneLesson + "          - { kind: question, prompt: 'Hỏi?', options: [A], answer: 0 }\n", "course.yaml", 14, "từ 2 đến 8 đáp án"},
      {"empty option", kHead + kOneLesson + "          - kind: question\n            prompt: Hỏi?\n            options:\n              - A\n              - ''\n            answer: 0\n",
       "course.yaml", 18, "Mỗi đáp án"},
      {"required not boolean", kHead + kOneLesson + "          - { kind: text, markdown: a, required: yes }\n", "course.yaml", 14, "'required' phải là true hoặc false"},
  };
}

TEST(PackageReader, ReportsEachBrokenManifestWithFileAndLine) {
  for (const BrokenCase& c : broken_cases()) {
    TempPackage package({{"course.yaml", c.manifest}});
    ReadResult result = read_package_directory(package.dir(), {}, kGroups, kCompetencies);
    EXPECT_FALSE(result.package) << c.name;
    bool found = std::any_of(result.errors.begin(), result.errors.end(), [&](const PackageError& e) {
      return e.file == c.file && e.line == c.line && e.message.find(c.message) != std::string::npos;
    });
    EXPECT_TRUE(found) << c.name << ": expected " << c.file << ":" << c.line << ": ..." << c.message << "...\ngot:\n"
                       << describe(result.errors);
  }
}

TEST(PackageReader, TheBaseOfTheBrokenCasesIsGood) {
  TempPackage package({{"course.yaml", kHead + kOneLesson + kTextBlock}});
  ReadResult result = read_package_directory(package.dir(), {}, kGroups, kCompetencies);
  EXPECT_TRUE(result.package) << describe(result.errors);
}

TEST(PackageReader, ReportsEveryErrorNotJustTheFirst) {
  std::string manifest = replace(replace(kHead, "slug: thu-nghiem", "slug: X"), "duration_minutes: 30", "duration_minutes: -1") +
                         kOneLesson + "          - kind: quiz\n";
  TempPackage package({{"course.yaml", manifest}});
  ReadResult result = read_package_directory(package.dir());
  EXPECT_EQ(result.errors.size(), 3u) << describe(result.errors);
}

TEST(PackageReader, CapsTheNumberOfErrors) {
  std::string manifest = kHead + kOneLesson;
  for (int i = 0; i < 300; ++i) manifest += "          - kind: quiz\n";
  TempPackage package({{"course.yaml", manifest}});
  ReadResult result = read_package_directory(package.dir());
  ASSERT_EQ(result.errors.size(), 101u);
  EXPECT_NE(result.errors.back().message.find("Còn nhiều lỗi khác"), std::string::npos);
}

TEST(PackageReader, KnownCodesAreOptional) {
  std::string manifest = replace(kHead, "[citizen]", "[anyone]") + kOneLesson + kTextBlock;
  TempPackage package({{"course.yaml", manifest}});
  EXPECT_TRUE(read_package_directory(package.dir()).package);
  EXPECT_FALSE(read_package_directory(package.dir(), {}, kGroups, kCompetencies).package);
}

TEST(PackageReader, MarkdownMustBeUtf8) {
  TempPackage package({{"course.yaml", kHead + kOneLesson + "          - { kind: text, file: lessons/a.md }\n"},
                       {"lessons/a.md", "dòng một\nhỏng \xFF ở đây\n"}});
  ReadResult result = read_package_directory(package.dir());
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].file, "lessons/a.md");
  EXPECT_EQ(result.errors[0].line, 2);
  EXPECT_NE(result.errors[0].message.find("UTF-8"), std::string::npos);
}

TEST(PackageReader, MarkdownMustHaveNoControlCharacters) {
  TempPackage package({{"course.yaml", kHead + kOneLesson + "          - { kind: text, file: lessons/a.md }\n"},
                       {"lessons/a.md", "một\nhai\nba " + std::string(1, '\0') + " bốn"}});
  ReadResult result = read_package_directory(package.dir());
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].file, "lessons/a.md");
  EXPECT_EQ(result.errors[0].line, 3);
  EXPECT_NE(result.errors[0].message.find("ký tự điều khiển"), std::string::npos);
}

TEST(PackageReader, AFileNamedTwiceIsReportedOnceWhenMissing) {
  TempPackage package({{"course.yaml", kHead + kOneLesson +
                                           "          - { kind: document, title: A, file: media/a.pdf }\n"
                                           "          - { kind: document, title: B, file: media/a.pdf }\n"}});
  ReadResult result = read_package_directory(package.dir());
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].line, 14);
}

TEST(PackageReader, DoesNotFollowSymlinksOutOfTheFolder) {
  TempPackage package({{"course.yaml", kHead + kOneLesson + "          - { kind: text, file: lessons/a.md }\n"}});
  std::ofstream(package.outside() / "secret.md") << "bí mật";
  fs::create_directories(package.dir() / "lessons");
  fs::create_symlink(package.outside() / "secret.md", package.dir() / "lessons/a.md");
  ReadResult result = read_package_directory(package.dir());
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].line, 14);
  EXPECT_NE(result.errors[0].message.find("ra ngoài gói"), std::string::npos);
}

TEST(PackageReader, FollowsSymlinksWithinTheFolder) {
  TempPackage package({{"course.yaml", kHead + kOneLesson + "          - { kind: text, file: lessons/a.md }\n"},
                       {"lessons/b.md", "Bài B"}});
  fs::create_symlink(package.dir() / "lessons/b.md", package.dir() / "lessons/a.md");
  ReadResult result = read_package_directory(package.dir());
  ASSERT_TRUE(result.package) << describe(result.errors);
  EXPECT_EQ(result.package->course.sections[0].lessons[0].blocks[0].markdown, "Bài B");
}

TEST(PackageReader, MissingFolder) {
  ReadResult result = read_package_directory(kPackages / "khong-co");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_FALSE(result.package);
}

// --- Limits ----------------------------------------------------------------------------------

TEST(PackageLimits, TooManyBlocks) {
  std::string manifest = kHead + kOneLesson;
  for (int i = 0; i < 4; ++i) manifest += "          - { kind: text, markdown: a }\n";
  TempPackage package({{"course.yaml", manifest}});
  PackageLimits limits;
  limits.max_blocks = 3;
  ReadResult result = read_package_directory(package.dir(), limits);
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].line, 17);
  EXPECT_NE(result.errors[0].message.find("nhiều hơn 3 khối"), std::string::npos);
}

TEST(PackageLimits, HugeMappingsAndListsThroughAliasesStayCheap) {
  // One block with 20,000 fields named 400 times, and 100,000 target groups: a few hundred KB of
  // YAML that would take the reader minutes if it looked up each field in each of them.
  std::string manifest = kHead + kOneLesson + "          - &big {kind: text, markdown: a";
  for (int i = 0; i < 20000; ++i) manifest += ", f" + std::to_string(i) + ": 0";
  manifest += "}\n";
  for (int i = 0; i < 400; ++i) manifest += "          - *big\n";
  std::string groups = "target_groups: [";
  for (int i = 0; i < 100000; ++i) groups += "g" + std::to_string(i) + ",";
  manifest = replace(manifest, "target_groups: [citizen]", groups + "citizen]");
  TempPackage package({{"course.yaml", manifest}});
  PackageLimits limits;
  limits.max_manifest_bytes = 4u << 20;
  auto start = std::chrono::steady_clock::now();
  ReadResult result = read_package_directory(package.dir(), limits);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_FALSE(result.package);
  EXPECT_TRUE(std::any_of(result.errors.begin(), result.errors.end(),
                          [](const PackageError& e) { return e.message.find("quá nhiều trường") != std::string::npos; }))
      << describe(result.errors);
}

TEST(PackageLimits, MarkdownFileTooBig) {
  TempPackage package({{"course.yaml", kHead + kOneLesson + "          - { kind: text, file: lessons/a.md }\n"},
                       {"lessons/a.md", std::string(2000, 'a')}});
  PackageLimits limits;
  limits.max_markdown_bytes = 1000;
  ReadResult result = read_package_directory(package.dir(), limits);
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].file, "lessons/a.md");
  EXPECT_NE(result.errors[0].message.find("lớn hơn giới hạn"), std::string::npos);
}

TEST(PackageLimits, TooManyFilesInAFolder) {
  TempPackage package({{"course.yaml", kHead + kOneLesson + kTextBlock}, {"a", ""}, {"b/c", ""}, {"b/d", ""}});
  PackageLimits limits;
  limits.max_files = 3;
  ReadResult result = read_package_directory(package.dir(), limits);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].message.find("3 tệp"), std::string::npos);
}

std::string video_manifest(const std::string& file) {
  return kHead + kOneLesson + "          - { kind: video, file: " + file + ", duration_seconds: 5 }\n";
}

TEST(PackageLimits, AZipBombIsRefusedFromItsHeader) {
  std::string zip = make_zip({{"course.yaml", video_manifest("media/big.mp4")},
                              {"media/big.mp4", std::string(4u << 20, '\0'), true}});
  ASSERT_LT(zip.size(), 20000u);  // 4 MB of zeros deflate to a few KB
  PackageLimits limits;
  limits.max_media_bytes = 1u << 20;
  ReadResult result = read_package_zip(zip, limits);
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].file, "media/big.mp4");
  EXPECT_NE(result.errors[0].message.find("lớn hơn giới hạn 1 MB"), std::string::npos);
}

TEST(PackageLimits, AZipBombWhoseHeaderLiesIsStillRefused) {
  // The headers claim 100 bytes; reading stops once the limit is passed, whatever they claim.
  std::string zip = make_zip({{"course.yaml", video_manifest("media/big.mp4")},
                              {"media/big.mp4", std::string(4u << 20, '\0'), true, 100}});
  PackageLimits limits;
  limits.max_media_bytes = 1u << 20;
  ReadResult result = read_package_zip(zip, limits);
  EXPECT_FALSE(result.package);
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].file, "media/big.mp4");
}

TEST(PackageLimits, TotalSizeDeclaredInTheZip) {
  std::string zip = make_zip({{"course.yaml", kHead + kOneLesson + kTextBlock},
                              {"media/a.bin", std::string(600u << 10, 'a'), true},
                              {"media/b.bin", std::string(600u << 10, 'b'), true}});
  PackageLimits limits;
  limits.max_total_bytes = 1u << 20;
  ReadResult result = read_package_zip(zip, limits);
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_NE(result.errors[0].message.find("Gói lớn hơn giới hạn 1 MB"), std::string::npos);
}

TEST(PackageLimits, TotalSizeActuallyRead) {
  // The headers claim small files; the bytes read are counted all the same.
  std::string manifest = kHead + kOneLesson + "          - { kind: document, title: A, file: media/a.pdf }\n"
                                              "          - { kind: document, title: B, file: media/b.pdf }\n";
  std::string zip = make_zip({{"course.yaml", manifest},
                              {"media/a.pdf", std::string(600u << 10, 'a'), true, 10},
                              {"media/b.pdf", std::string(600u << 10, 'b'), true, 10}});
  PackageLimits limits;
  limits.max_total_bytes = 1u << 20;
  ReadResult result = read_package_zip(zip, limits);
  EXPECT_FALSE(result.package);
  EXPECT_FALSE(result.errors.empty());
}

TEST(PackageLimits, TooManyFilesInAZip) {
  std::vector<ZipEntry> entries = good_entries();
  PackageLimits limits;
  limits.max_files = entries.size() - 1;
  ReadResult result = read_package_zip(make_zip(entries), limits);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].message.find("nhiều hơn giới hạn"), std::string::npos);
}

// --- Zips ------------------------------------------------------------------------------------

TEST(PackageZip, ReadsTheSameAsTheFolder) {
  ReadResult from_folder = read_package_directory(kPackages / "good");
  ReadResult from_zip = read_package_zip(make_zip(good_entries()));
  ASSERT_TRUE(from_zip.package) << describe(from_zip.errors);
  EXPECT_EQ(*from_zip.package, *from_folder.package);
}

TEST(PackageZip, AcceptsTheFolderItselfZipped) {
  std::vector<ZipEntry> entries = good_entries("goi-thu-nghiem/");
  entries.push_back({"__MACOSX/goi-thu-nghiem/._course.yaml", "apple double"});
  entries.push_back({"goi-thu-nghiem/", ""});  // a directory entry
  ReadResult result = read_package_zip(make_zip(entries));
  ASSERT_TRUE(result.package) << describe(result.errors);
  EXPECT_EQ(*result.package, *read_package_directory(kPackages / "good").package);
}

TEST(PackageZip, RefusesTwoTopLevelFolders) {
  std::vector<ZipEntry> entries = good_entries("a/");
  for (ZipEntry e : good_entries("b/")) entries.push_back(std::move(e));
  ReadResult result = read_package_zip(make_zip(entries));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].file, "course.yaml");
}

TEST(PackageZip, ReportsUnsafeEntryNames) {
  for (const char* name : {"../evil.md", "/etc/evil.md", "lessons/../../evil.md", "lessons\\evil.md", "C:/evil.md", "a//b.md"}) {
    std::vector<ZipEntry> entries = good_entries();
    entries.push_back({name, "evil"});
    ReadResult result = read_package_zip(make_zip(entries));
    EXPECT_FALSE(result.package) << name;
    ASSERT_EQ(result.errors.size(), 1u) << name << "\n" << describe(result.errors);
    EXPECT_EQ(result.errors[0].file, name);
    EXPECT_NE(result.errors[0].message.find("không an toàn"), std::string::npos);
  }
}

TEST(PackageZip, ReportsDuplicateEntries) {
  std::vector<ZipEntry> entries = good_entries();
  entries.push_back({"media/so-do.png", "another"});
  ReadResult result = read_package_zip(make_zip(entries));
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].file, "media/so-do.png");
}

TEST(PackageZip, RefusesWhatIsNotAZip) {
  for (std::string bytes : {std::string(), std::string("course.yaml"), std::string("PK\x03\x04 broken", 13)}) {
    ReadResult result = read_package_zip(bytes);
    EXPECT_FALSE(result.package);
    EXPECT_EQ(result.errors.size(), 1u) << describe(result.errors);
  }
}

TEST(PackageZip, ReportsACorruptEntry) {
  std::string zip = make_zip({{"course.yaml", kHead + kOneLesson + "          - { kind: text, file: lessons/a.md }\n"},
                              {"lessons/a.md", "Nội dung"}});  // stored, so its bytes are findable
  zip[zip.find("Nội dung")] = 'X';                               // and its CRC no longer matches
  ReadResult result = read_package_zip(zip);
  ASSERT_EQ(result.errors.size(), 1u) << describe(result.errors);
  EXPECT_EQ(result.errors[0].file, "lessons/a.md");
}

// --- Writing ---------------------------------------------------------------------------------

TEST(PackageWriter, RoundTripsTheGoodFixture) {
  Package original = *read_package_directory(kPackages / "good").package;
  std::string zip = write_package_zip(original);
  ReadResult again = read_package_zip(zip, {}, kGroups, kCompetencies);
  ASSERT_TRUE(again.package) << describe(again.errors) << write_manifest_yaml(original.course);
  EXPECT_EQ(again.package->course, original.course);
  EXPECT_EQ(again.package->media, original.media);
  EXPECT_EQ(write_package_zip(original), zip) << "the same package gives the same bytes";
}

TEST(PackageWriter, WritesEveryKeyExplicitly) {
  Package original = *read_package_directory(kPackages / "good").package;
  std::string yaml = write_manifest_yaml(original.course);
  EXPECT_NE(yaml.find("key: s1-l2-b1"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("file: lessons/nhan-dien-doc.md"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("transcript: lessons/nhan-dien-xem.md"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("description: lessons/description.md"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("code: \"4.2\""), std::string::npos) << yaml;
}

// Strings YAML likes to misread, and Markdown whose indentation matters.
Package tricky_package() {
  Package p;
  CourseContent& c = p.course;
  c.slug = "abc";
  c.title = "true";
  c.summary = "4.2";
  c.description = "    mã lệnh thụt lề\n\nđoạn: hai # không phải chú thích";
  c.language = "en";
  c.provider = "- không phải danh sách";
  c.target_groups = {"null", "worker"};
  c.competencies = {{"1.10", 8}};
  c.duration_minutes = 6000;
  Block text{.key = "a", .markdown = "Dòng một\n  dòng hai thụt lề\n\n```\ncode\n```"};
  Block question{.key = "b", .kind = BlockKind::question, .title = "'nháy đơn'", .required = false};
  question.question = EmbeddedQuestion{"Câu hỏi: *nhiều dòng*\n\n> trích dẫn", {"yes", "no", "~", "\"ngoặc kép\""}, 3,
                                       "  bắt đầu bằng dấu cách\nrồi xuống dòng"};
  Block image{.key = "c", .kind = BlockKind::image, .markdown = "#không phải tiêu đề", .media = "media/ảnh có dấu cách.png",
              .alt = "@ký tự đặc biệt: {}[]"};
  Block video{.key = "d", .kind = BlockKind::video, .media = "media/v.webm", .captions = "media/v.vtt",
              .duration_seconds = 86400};
  Block link{.key = "e", .kind = BlockKind::link, .title = "Liên kết", .url = "https://example.vn/a?b=c#d"};
  c.sections = {{"s", "Phần \"một\"", {{"l", "Bài: một", {text, question, image, video, link}}}}};
  p.media = {{"media/ảnh có dấu cách.png", std::string("\x89PNG\0\xFF", 6)}, {"media/v.webm", "webm"}, {"media/v.vtt", "WEBVTT\n"}};
  return p;
}

TEST(PackageWriter, RoundTripsStringsYamlCouldMisread) {
  Package original = tricky_package();
  ReadResult again = read_package_zip(write_package_zip(original));
  ASSERT_TRUE(again.package) << describe(again.errors) << write_manifest_yaml(original.course);
  EXPECT_EQ(again.package->course, original.course) << write_manifest_yaml(original.course);
  EXPECT_EQ(again.package->media, original.media);
}

TEST(PackageWriter, AvoidsMarkdownFileNameClashes) {
  Package p = tricky_package();
  Lesson& lesson = p.course.sections[0].lessons[0];
  lesson.key = "a-b";
  lesson.blocks[0].key = "x";
  Lesson other{"a", "Bài khác", {Block{.key = "b-x", .markdown = "khác"}}};
  p.course.sections[0].lessons.push_back(other);  // "a-b" + "x" and "a" + "b-x" make the same name
  ReadResult again = read_package_zip(write_package_zip(p));
  ASSERT_TRUE(again.package) << describe(again.errors);
  EXPECT_EQ(again.package->course, p.course);
}

TEST(PackageWriter, RefusesUnsafeMediaPaths) {
  Package p = tricky_package();
  p.media.push_back({"../evil.png", "x"});
  EXPECT_THROW(write_package_zip(p), std::invalid_argument);
}

}  // namespace
}  // namespace hocvu::learning
