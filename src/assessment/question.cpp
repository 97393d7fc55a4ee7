#include "assessment/question.h"

#include <string_view>

namespace hocvu::assessment {

namespace {

struct TypeName {
  QuestionType type;
  const char* name;
};

constexpr TypeName kTypeNames[] = {
    {QuestionType::single_choice, "single_choice"}, {QuestionType::multiple_choice, "multiple_choice"},
    {QuestionType::true_false, "true_false"},       {QuestionType::short_answer, "short_answer"},
    {QuestionType::numerical, "numerical"},         {QuestionType::matching, "matching"},
    {QuestionType::ordering, "ordering"},           {QuestionType::fill_blanks, "fill_blanks"},
};

}  // namespace

const char* type_name(QuestionType t) {
  for (const auto& e : kTypeNames)
    if (e.type == t) return e.name;
  return "";
}

std::optional<QuestionType> type_from_name(std::string_view name) {
  for (const auto& e : kTypeNames)
    if (name == e.name) return e.type;
  return std::nullopt;
}

}  // namespace hocvu::assessment
