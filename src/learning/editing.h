// Editing a draft: the operations the authoring pages and API offer, as functions on a
// CourseContent value, and the checks a draft must pass to be published. Each returns
// invalid_argument with a Vietnamese message for the author, or not_found for an unknown key.
#pragma once

#include "core/status.h"
#include "learning/course.h"

#include <set>
#include <string>
#include <vector>

namespace hocvu::learning {

// A fresh key that no section, lesson or block of `course` has: `prefix` and 6 random letters and
// digits, so that a key removed and re-created never inherits old progress.
std::string new_key(const CourseContent& course, std::string_view prefix);

Result<std::string> add_section(CourseContent& course, const std::string& title);
Result<std::string> add_lesson(CourseContent& course, std::string_view section_key, const std::string& title);
Result<std::string> add_block(CourseContent& course, std::string_view lesson_key, BlockKind kind);
Status rename(CourseContent& course, std::string_view key, const std::string& title);  // a section or lesson
Status replace_block(CourseContent& course, const Block& block);                      // by block.key
// Moves a section, lesson or block one place up (-1) or down (+1) among its siblings.
Status move(CourseContent& course, std::string_view key, int direction);
Status remove(CourseContent& course, std::string_view key);  // a section, lesson or block

// Why `course` cannot be published yet (empty when it can): every message names the part.
// `groups` and `competencies` are the known codes (empty sets accept anything).
std::vector<std::string> publish_problems(const CourseContent& course, const std::set<std::string>& groups,
                                          const std::set<std::string>& competencies);

// True for a key of the form [a-z0-9-]{1,40}.
bool valid_key(std::string_view key);
// True for a slug of the form [a-z0-9-]{3,80}.
bool valid_slug(std::string_view slug);

}  // namespace hocvu::learning
