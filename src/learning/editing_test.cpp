#include "learning/content_json.h"
#include "learning/editing.h"
#include "learning/media.h"
#include "learning/progress.h"

#include <gtest/gtest.h>

namespace hocvu::learning {
namespace {

CourseContent ready_course() {
  CourseContent c;
  c.slug = "mau";
  c.title = "Khóa học mẫu";
  c.summary = "Một câu.";
  c.target_groups = {"citizen"};
  c.competencies = {{"4.2", 2}};
  c.duration_minutes = 30;
  auto s = add_section(c, "Phần một");
  auto l = add_lesson(c, *s, "Bài một");
  auto b = add_block(c, *l, BlockKind::text);
  Block text = *find_block(c, *b);
  text.markdown = "Nội dung **đậm**.";
  EXPECT_TRUE(replace_block(c, text).ok());
  return c;
}

TEST(Editing, BuildsAPublishableCourseWithFreshKeys) {
  auto c = ready_course();
  EXPECT_TRUE(publish_problems(c, {"citizen"}, {"4.2"}).empty());
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_TRUE(valid_key(c.sections[0].key));
  EXPECT_TRUE(c.sections[0].key.starts_with("s-"));
  EXPECT_TRUE(c.sections[0].lessons[0].blocks[0].key.starts_with("b-"));
  EXPECT_NE(new_key(c, "b"), new_key(c, "b"));
}

TEST(Editing, MovesRenamesAndRemovesByKey) {
  auto c = ready_course();
  const std::string lesson = c.sections[0].lessons[0].key;
  auto second = add_block(c, lesson, BlockKind::link);
  const std::string first = c.sections[0].lessons[0].blocks[0].key;
  EXPECT_TRUE(move(c, *second, -1).ok());
  EXPECT_EQ(c.sections[0].lessons[0].blocks[0].key, *second);
  EXPECT_TRUE(move(c, *second, -1).ok());  // already first: unchanged
  EXPECT_EQ(c.sections[0].lessons[0].blocks[1].key, first);
  EXPECT_TRUE(rename(c, lesson, "Bài đổi tên").ok());
  EXPECT_EQ(c.sections[0].lessons[0].title, "Bài đổi tên");
  EXPECT_TRUE(remove(c, *second).ok());
  EXPECT_EQ(c.sections[0].lessons[0].blocks.size(), 1u);
  EXPECT_EQ(remove(c, "khong-co").code(), ErrorCode::not_found);
  EXPECT_EQ(add_lesson(c, "khong-co", "x").status().code(), ErrorCode::not_found);
  EXPECT_EQ(add_section(c, "").status().code(), ErrorCode::invalid_argument);
  Block changed = c.sections[0].lessons[0].blocks[0];
  changed.kind = BlockKind::video;
  EXPECT_EQ(replace_block(c, changed).code(), ErrorCode::invalid_argument);  // kinds never change
}

// What stops publishing, as a table: a change to a ready course and the words the message has.
TEST(Editing, PublishProblemsNameWhatIsMissing) {
  struct Case {
    const char* name;
    void (*change)(CourseContent&);
    const char* expected;
  };
  const Case cases[] = {
      {"no title", [](CourseContent& c) { c.title = ""; }, "tên"},
      {"no group", [](CourseContent& c) { c.target_groups.clear(); }, "nhóm đối tượng"},
      {"unknown group", [](CourseContent& c) { c.target_groups = {"aliens"}; }, "aliens"},
      {"unknown competency", [](CourseContent& c) { c.competencies = {{"9.9", 1}}; }, "9.9"},
      {"level out of range", [](CourseContent& c) { c.competencies = {{"4.2", 9}}; }, "từ 1 đến 8"},
      {"no duration", [](CourseContent& c) { c.duration_minutes = 0; }, "thời lượng"},
      {"empty text", [](CourseContent& c) { c.sections[0].lessons[0].blocks[0].markdown.clear(); }, "văn bản đang trống"},
      {"video without length", [](CourseContent& c) {
         c.sections[0].lessons[0].blocks.push_back({.key = "v", .kind = BlockKind::video, .media = "a.mp4"});
       }, "thời lượng (giây)"},
      {"image without alt", [](CourseContent& c) {
         c.sections[0].lessons[0].blocks.push_back({.key = "i", .kind = BlockKind::image, .media = "a.png"});
       }, "mô tả thay thế"},
      {"link not http", [](CourseContent& c) {
         c.sections[0].lessons[0].blocks.push_back({.key = "k", .kind = BlockKind::link, .title = "x", .url = "javascript:alert(1)"});
       }, "https://"},
      {"question without answer", [](CourseContent& c) {
         c.sections[0].lessons[0].blocks.push_back({.key = "q", .kind = BlockKind::question, .question = EmbeddedQuestion{"Hỏi?", {"A", "B"}, 5, ""}});
       }, "đáp án đúng"},
      {"empty section", [](CourseContent& c) { c.sections.push_back({"s2", "Phần trống", {}}); }, "Phần trống"},
  };
  for (const auto& k : cases) {
    auto c = ready_course();
    k.change(c);
    auto problems = publish_problems(c, {"citizen", "worker"}, {"4.2"});
    ASSERT_FALSE(problems.empty()) << k.name;
    bool found = false;
    for (const auto& p : problems) found = found || p.find(k.expected) != std::string::npos;
    EXPECT_TRUE(found) << k.name << ": " << problems.front();
  }
}

TEST(ContentJson, RoundTripsEveryField) {
  auto c = ready_course();
  c.unlock = Unlock::sequential;
  c.description = "Mô tả";
  c.cover = "cover.png";
  auto l = c.sections[0].lessons[0].key;
  c.sections[0].lessons[0].blocks.push_back({.key = "v", .kind = BlockKind::video, .title = "Xem", .markdown = "Lời",
                                             .media = "a.mp4", .captions = "a.vtt", .duration_seconds = 61, .required = false});
  c.sections[0].lessons[0].blocks.push_back({.key = "q", .kind = BlockKind::question,
                                             .question = EmbeddedQuestion{"Hỏi?", {"Có", "Không"}, 1, "Vì thế."}});
  auto back = content_from_json(content_to_json(c));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(content_to_json(*back), content_to_json(c));
  EXPECT_EQ(back->sections[0].lessons[0].blocks[1].duration_seconds, 61);
  EXPECT_FALSE(back->sections[0].lessons[0].blocks[1].required);
  EXPECT_EQ(back->sections[0].lessons[0].blocks[2].question->answer, 1);
  EXPECT_EQ(back->unlock, Unlock::sequential);
  EXPECT_FALSE(content_from_json("[1,2]").ok());
  EXPECT_FALSE(content_from_json("{").ok());
}

TEST(Media, ChecksExtensionAndContent) {
  const std::string mp4 = std::string("\0\0\0\x18", 4) + "ftypmp42";
  EXPECT_TRUE(check_media(MediaUse::video, "bai-1.MP4", mp4).ok());
  EXPECT_FALSE(check_media(MediaUse::video, "bai-1.exe", mp4).ok());
  EXPECT_FALSE(check_media(MediaUse::video, "bai-1.mp4", "<html>not a video</html>").ok());
  EXPECT_FALSE(check_media(MediaUse::video, "bai-1.mp4", "").ok());
  EXPECT_TRUE(check_media(MediaUse::image, "a.png", "\x89PNG\r\n\x1a\n....").ok());
  EXPECT_TRUE(check_media(MediaUse::document, "huong-dan.pdf", "%PDF-1.7 ...").ok());
  EXPECT_FALSE(check_media(MediaUse::document, "huong-dan.pdf", "PK\x03\x04").ok());
  EXPECT_TRUE(check_media(MediaUse::captions, "phu-de.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào").ok());
  auto message = check_media(MediaUse::image, "anh.gif", "GIF89a").message();
  EXPECT_NE(message.find("PNG, JPG"), std::string::npos);  // says what is accepted
}

}  // namespace
}  // namespace hocvu::learning
