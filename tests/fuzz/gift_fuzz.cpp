// libFuzzer target for the GIFT reader and writer, which read question banks uploaded by teachers.
// The input is the GIFT text itself (seeds: tests/data/gift/*.gift and the starter banks, made by
// seeds.sh).
// Properties: no crash; every error has a message and a line in the text; ids are q1, q2, ...;
// what is read is written to GIFT that reads back, without error, to the same questions (those
// the writer reports as unsupported left out).
#include "assessment/gift.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace hocvu::assessment;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  GiftImport first = parse_gift(input);
  int lines = 1;
  for (char c : input) lines += c == '\n';
  for (const GiftError& error : first.errors)
    if (error.message.empty() || error.line < 0 || error.line > lines) std::abort();
  for (int line : first.skipped_lines)
    if (line < 1 || line > lines) std::abort();
  for (std::size_t i = 0; i < first.questions.size(); ++i)
    if (first.questions[i].id != "q" + std::to_string(i + 1)) std::abort();

  std::vector<std::string> unsupported;
  std::string written = write_gift(first.questions, &unsupported);
  std::vector<Question> expected;
  std::size_t u = 0;
  for (const Question& q : first.questions) {
    if (u < unsupported.size() && unsupported[u] == q.id) {
      ++u;
      continue;
    }
    expected.push_back(q);
    expected.back().id = "q" + std::to_string(expected.size());
  }
  if (u != unsupported.size()) std::abort();
  GiftImport again = parse_gift(written);
  if (!again.errors.empty() || !again.skipped_lines.empty()) std::abort();
  if (again.questions != expected) std::abort();
  return 0;
}
