#include "learning/editing.h"

#include <algorithm>
#include <random>

namespace hocvu::learning {

namespace {

bool key_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool has_key(const CourseContent& c, std::string_view key) {
  for (const auto& s : c.sections) {
    if (s.key == key) return true;
    for (const auto& l : s.lessons) {
      if (l.key == key) return true;
      for (const auto& b : l.blocks)
        if (b.key == key) return true;
    }
  }
  return false;
}

template <typename T>
Status move_in(std::vector<T>& list, std::string_view key, int direction, bool& found) {
  auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return x.key == key; });
  if (it == list.end()) return Status{};
  found = true;
  auto i = static_cast<long>(it - list.begin());
  long j = i + (direction < 0 ? -1 : 1);
  if (j < 0 || j >= static_cast<long>(list.size())) return Status{};  // already first or last
  std::swap(list[static_cast<std::size_t>(i)], list[static_cast<std::size_t>(j)]);
  return Status{};
}

template <typename T>
bool erase_key(std::vector<T>& list, std::string_view key) {
  auto before = list.size();
  std::erase_if(list, [&](const T& x) { return x.key == key; });
  return list.size() != before;
}

Status bad(std::string message) { return Error(ErrorCode::invalid_argument, std::move(message)); }

bool http_url(std::string_view u) {
  return (u.starts_with("https://") && u.size() > 8) || (u.starts_with("http://") && u.size() > 7);
}

}  // namespace

bool valid_key(std::string_view key) { return !key.empty() && key.size() <= 40 && key_chars(key); }
bool valid_slug(std::string_view slug) { return slug.size() >= 3 && slug.size() <= 80 && key_chars(slug); }

std::string new_key(const CourseContent& course, std::string_view prefix) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (;;) {
    std::string key(prefix);
    key += '-';
    for (int i = 0; i < 6; ++i) key += alphabet[rng() % alphabet.size()];
    if (!has_key(course, key)) return key;
  }
}

Result<std::string> add_section(CourseContent& course, const std::string& title) {
  if (title.empty()) return bad("Hãy nhập tên phần.");
  Section s{new_key(course, "s"), title, {}};
  course.sections.push_back(s);
  return s.key;
}

Result<std::string> add_lesson(CourseContent& course, std::string_view section_key, const std::string& title) {
  if (title.empty()) return bad("Hãy nhập tên bài học.");
  for (auto& s : course.sections)
    if (s.key == section_key) {
      Lesson l{new_key(course, "l"), title, {}};
      s.lessons.push_back(l);
      return l.key;
    }
  return Error(ErrorCode::not_found, "no such section");
}

Result<std::string> add_block(CourseContent& course, std::string_view lesson_key, BlockKind kind) {
  for (auto& s : course.sections)
    for (auto& l : s.lessons)
      if (l.key == lesson_key) {
        Block b;
        b.key = new_key(course, "b");
        b.kind = kind;
        if (kind == BlockKind::question) b.question = EmbeddedQuestion{"", {"", ""}, 0, ""};
        l.blocks.push_back(b);
        return b.key;
      }
  return Error(ErrorCode::not_found, "no such lesson");
}

Status rename(CourseContent& course, std::string_view key, const std::string& title) {
  if (title.empty()) return bad("Hãy nhập tên.");
  for (auto& s : course.sections) {
    if (s.key == key) return s.title = title, Status{};
    for (auto& l : s.lessons)
      if (l.key == key) return l.title = title, Status{};
  }
  return Error(ErrorCode::not_found, "no such section or lesson");
}

Status replace_block(CourseContent& course, const Block& block) {
  for (auto& s : course.sections)
    for (auto& l : s.lessons)
      for (auto& b : l.blocks)
        if (b.key == block.key) {
          if (block.kind != b.kind) return bad("Không thể đổi loại của một khối.");
          b = block;
          return Status{};
        }
  return Error(ErrorCode::not_found, "no such block");
}

Status move(CourseContent& course, std::string_view key, int direction) {
  bool found = false;
  move_in(course.sections, key, direction, found);
  for (auto& s : course.sections) {
    if (!found) move_in(s.lessons, key, direction, found);
    for (auto& l : s.lessons)
      if (!found) move_in(l.blocks, key, direction, found);
  }
  return found ? Status{} : Error(ErrorCode::not_found, "no such key");
}

Status remove(CourseContent& course, std::string_view key) {
  if (erase_key(course.sections, key)) return Status{};
  for (auto& s : course.sections) {
    if (erase_key(s.lessons, key)) return Status{};
    for (auto& l : s.lessons)
      if (erase_key(l.blocks, key)) return Status{};
  }
  return Error(ErrorCode::not_found, "no such key");
}

std::vector<std::string> publish_problems(const CourseContent& c, const std::set<std::string>& groups,
                                          const std::set<std::string>& competencies) {
  std::vector<std::string> out;
  if (c.title.size() < 3) out.push_back("Khóa học cần có tên (ít nhất 3 ký tự).");
  if (c.summary.empty()) out.push_back("Khóa học cần có phần giới thiệu ngắn.");
  if (c.target_groups.empty()) out.push_back("Hãy chọn ít nhất một nhóm đối tượng.");
  for (const auto& g : c.target_groups)
    if (!groups.empty() && !groups.contains(g)) out.push_back("Nhóm đối tượng '" + g + "' không tồn tại.");
  if (c.competencies.empty()) out.push_back("Hãy chọn ít nhất một năng lực trong khung năng lực số.");
  for (const auto& t : c.competencies) {
    if (!competencies.empty() && !competencies.contains(t.code)) out.push_back("Năng lực '" + t.code + "' không có trong khung.");
    if (t.level < 1 || t.level > 8) out.push_back("Mức độ của năng lực '" + t.code + "' phải từ 1 đến 8.");
  }
  if (c.duration_minutes < 1) out.push_back("Hãy nhập thời lượng dự kiến (phút).");
  if (c.sections.empty()) out.push_back("Khóa học cần có ít nhất một phần.");
  for (const auto& s : c.sections) {
    if (s.lessons.empty()) out.push_back("Phần \"" + s.title + "\" chưa có bài học nào.");
    for (const auto& l : s.lessons) {
      const std::string where = "Bài \"" + l.title + "\": ";
      if (l.blocks.empty()) out.push_back(where + "chưa có nội dung.");
      for (const auto& b : l.blocks) {
        switch (b.kind) {
          case BlockKind::text:
            if (b.markdown.empty()) out.push_back(where + "một khối văn bản đang trống.");
            break;
          case BlockKind::video:
            if (b.media.empty()) out.push_back(where + "một khối video chưa có tệp video.");
            if (b.duration_seconds <= 0) out.push_back(where + "một khối video chưa có thời lượng (giây).");
            break;
          case BlockKind::document:
            if (b.media.empty()) out.push_back(where + "một khối tài liệu chưa có tệp.");
            if (b.title.empty()) out.push_back(where + "một khối tài liệu chưa có tên.");
            break;
          case BlockKind::image:
            if (b.media.empty()) out.push_back(where + "một khối hình ảnh chưa có tệp.");
            if (b.alt.empty()) out.push_back(where + "một hình ảnh chưa có mô tả thay thế (cho người không nhìn thấy).");
            break;
          case BlockKind::link:
            if (!http_url(b.url)) out.push_back(where + "một liên kết cần địa chỉ bắt đầu bằng http:// hoặc https://.");
            if (b.title.empty()) out.push_back(where + "một liên kết chưa có tên.");
            break;
          case BlockKind::question: {
            if (!b.question || b.question->prompt.empty()) {
              out.push_back(where + "một câu hỏi chưa có nội dung.");
              break;
            }
            const auto& q = *b.question;
            auto filled = std::count_if(q.options.begin(), q.options.end(), [](const std::string& o) { return !o.empty(); });
            if (q.options.size() < 2 || q.options.size() > 8 || filled != static_cast<long>(q.options.size()))
              out.push_back(where + "một câu hỏi cần từ 2 đến 8 phương án, không để trống.");
            if (q.answer < 0 || q.answer >= static_cast<int>(q.options.size()))
              out.push_back(where + "một câu hỏi chưa chọn đáp án đúng.");
            break;
          }
        }
      }
    }
  }
  return out;
}

}  // namespace hocvu::learning
