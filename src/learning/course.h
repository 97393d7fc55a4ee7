// A course's content as plain values: course -> sections -> lessons -> blocks. This is what an
// author edits (the draft), what publishing freezes (a version), what a course package carries
// (docs/course-packages.md) and what the lesson page renders. No HTTP, HTML or SQL here.
//
// Keys: every section, lesson and block has a `key` that is stable for the life of the course
// (a short string, [a-z0-9-]{1,40}). Progress is recorded against block keys, so a new version
// maps a learner's progress onto itself by key: a block kept keeps its progress, a removed block
// stops counting, a new block starts undone. Keys are unique within their kind in one course.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hocvu::learning {

enum class BlockKind { text, video, document, image, link, question };

// "text", "video", ... ; kind_from_name returns nullopt for an unknown name.
const char* kind_name(BlockKind kind);
std::optional<BlockKind> kind_from_name(std::string_view name);

// A single-choice question embedded in a lesson (the hook the assessment area builds on).
// `answer` is the index of the correct option; it never reaches a learner's browser before the
// learner has answered on the server.
struct EmbeddedQuestion {
  std::string prompt;                 // Markdown
  std::vector<std::string> options;   // 2..8 plain-text options
  int answer = 0;                     // index into options
  std::string explanation;            // Markdown, shown after answering

  bool operator==(const EmbeddedQuestion&) const = default;
};

struct Block {
  std::string key;
  BlockKind kind = BlockKind::text;
  std::string title;          // optional heading; for link/document the link text
  std::string markdown;       // text: the body; video: optional transcript; image: optional caption
  std::string media;          // video/document/image: the media file's name within the course
                              // ("media/intro.mp4" in a package; a stored name once imported)
  std::string captions;       // video: optional WebVTT file name, as `media`
  std::string alt;            // image: text alternative (required for images)
  std::string url;            // link: absolute http(s) URL
  int duration_seconds = 0;   // video: its length (required; progress needs it)
  bool required = true;       // counts toward completion
  std::optional<EmbeddedQuestion> question;  // kind == question

  bool operator==(const Block&) const = default;
};

struct Lesson {
  std::string key;
  std::string title;
  std::vector<Block> blocks;

  bool operator==(const Lesson&) const = default;
};

struct Section {
  std::string key;
  std::string title;
  std::vector<Lesson> lessons;

  bool operator==(const Section&) const = default;
};

struct CompetencyTarget {
  std::string code;  // a competency code of the framework, "4.2"
  int level = 1;     // 1..8

  bool operator==(const CompetencyTarget&) const = default;
};

enum class Unlock { free, sequential };  // all lessons open, or each after the one before it

struct CourseContent {
  std::string slug;          // stable across exports: identifies the course when re-imported
  std::string title;
  std::string summary;       // plain text, one or two sentences
  std::string description;   // Markdown, the course page's longer text (optional)
  std::string language = "vi";
  std::string provider;      // the provider's name as written in a package (informational)
  std::vector<std::string> target_groups;    // codes: official, student, worker, citizen
  std::vector<CompetencyTarget> competencies;
  int duration_minutes = 0;
  std::string cover;         // optional image file name, as Block::media
  Unlock unlock = Unlock::free;
  std::vector<Section> sections;

  bool operator==(const CourseContent&) const = default;
};

}  // namespace hocvu::learning
