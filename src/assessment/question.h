// A question of a question bank, as plain values: what an author writes (and GIFT or Moodle XML
// carry), what grading reads. No HTTP, HTML or SQL here. The assessment area (issue 5) builds
// banks, quizzes and attempts on these values.
//
// Ids: every option, pair and ordering item has an `id` that is stable within the question
// ("a", "b", ... when an importer makes them up). Attempts record ids, never positions, so
// shuffling options per attempt changes nothing in grading.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hocvu::assessment {

enum class QuestionType {
  single_choice,    // one option; `options` with fraction 1 for the right one (others 0 or partial)
  multiple_choice,  // any options; each chosen option adds its fraction (negative for wrong ones)
  true_false,       // `truth`: the right answer
  short_answer,     // a typed text matched against `accepted`
  numerical,        // a number matched against `numeric` (value ± tolerance)
  matching,         // each prompt of `pairs` matched to one answer of `pairs`
  ordering,         // `items` put in order; their order in the question is the right one
  fill_blanks,      // `text` with gaps written {1}, {2}, ...; `blanks[i]` for gap i+1
};

const char* type_name(QuestionType t);                          // "single_choice"
std::optional<QuestionType> type_from_name(std::string_view name);

struct Option {
  std::string id;
  std::string text;       // plain text or Markdown, as the bank's format says
  double fraction = 0;    // share of the mark for choosing it: 1, 0.5, 0, -0.5, ...
  std::string feedback;   // shown after submission when the review settings allow
  friend bool operator==(const Option&, const Option&) = default;
};

// A typed answer that earns `fraction` of the mark.
struct Accepted {
  std::string text;
  double fraction = 1;
  std::string feedback;
  friend bool operator==(const Accepted&, const Accepted&) = default;
};

struct NumericAnswer {
  double value = 0;
  double tolerance = 0;   // absolute: value - tolerance <= given <= value + tolerance
  double fraction = 1;
  std::string feedback;
  friend bool operator==(const NumericAnswer&, const NumericAnswer&) = default;
};

struct Pair {
  std::string id;
  std::string prompt;     // the left side; an empty prompt is a distractor answer
  std::string answer;     // the right side it matches
  friend bool operator==(const Pair&, const Pair&) = default;
};

struct Item {               // ordering
  std::string id;
  std::string text;
  friend bool operator==(const Item&, const Item&) = default;
};

struct Blank {              // one gap of fill_blanks
  std::vector<Accepted> accepted;
  friend bool operator==(const Blank&, const Blank&) = default;
};

// How typed text is compared: always ignoring case and runs of spaces at either end and inside;
// diacritics ignored too when the author allows it ("bao mat" for "bảo mật").
struct TextMatching {
  bool ignore_diacritics = false;
  friend bool operator==(const TextMatching&, const TextMatching&) = default;
};

struct Question {
  std::string id;                 // stable within its bank
  QuestionType type = QuestionType::single_choice;
  std::string name;               // a short title for lists
  std::string text;               // the question (Markdown); fill_blanks has its gaps here
  std::string general_feedback;
  double mark = 1;                // the maximum score
  std::vector<Option> options;    // single_choice, multiple_choice
  bool truth = true;              // true_false
  std::string true_feedback, false_feedback;  // true_false: feedback for answering true / false
  std::vector<Accepted> accepted; // short_answer
  TextMatching matching;          // short_answer, fill_blanks
  std::vector<NumericAnswer> numeric;  // numerical
  std::vector<Pair> pairs;        // matching
  std::vector<Item> items;        // ordering, in the right order
  std::vector<Blank> blanks;      // fill_blanks
  // Where it sits in the bank, for random draws.
  std::string category;           // "An toàn/Lừa đảo"
  std::vector<std::string> tags;
  int difficulty = 0;             // 0 unset, 1 easy .. 3 hard
  std::vector<std::string> competencies;  // framework codes: "4.2"
  friend bool operator==(const Question&, const Question&) = default;
};

// A learner's answer, by type: option ids (single: one; multiple: any), true/false, a text,
// a number, prompt id -> answer text pairs, item ids in the learner's order, one text per gap.
struct Answer {
  std::vector<std::string> option_ids;
  std::optional<bool> truth;
  std::string text;
  std::optional<double> number;
  std::vector<std::pair<std::string, std::string>> pairs;
  std::vector<std::string> order;
  std::vector<std::string> gaps;
  friend bool operator==(const Answer&, const Answer&) = default;
};

}  // namespace hocvu::assessment
