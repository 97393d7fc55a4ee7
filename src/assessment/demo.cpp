#include "assessment/demo.h"

#include "assessment/gift.h"
#include "assessment/store.h"
#include "learning/store.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace hocvu::assessment {

Result<int> seed_demo_banks(storage::Database& db, learning::Store& courses, const std::filesystem::path& dir,
                            const std::string& now) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return 0;
  auto store = make_sql_store(db);
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".gift") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  int created = 0;
  for (const auto& file : files) {
    auto course_id = courses.course_id_by_slug(file.stem().string());
    if (!course_id) return course_id.status();
    if (!*course_id) continue;  // no such course: nothing to examine
    auto course = courses.course(**course_id);
    if (!course) return course.status();
    if (!*course) continue;
    const std::string title = "Câu hỏi: " + (*course)->draft.title;
    auto banks = store->banks({(*course)->provider_id}, false);
    if (!banks) return banks.status();
    if (std::any_of(banks->begin(), banks->end(), [&](const Bank& b) { return b.title == title; })) continue;

    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parse_gift(text.str());
    if (!parsed.errors.empty())
      return Error(ErrorCode::invalid_argument, file.string() + ":" + std::to_string(parsed.errors.front().line) + ": " +
                                                    parsed.errors.front().message);
    std::vector<std::string> codes;
    for (const auto& c : (*course)->draft.competencies) codes.push_back(c.code);
    std::set<std::string> categories;
    for (auto& q : parsed.questions) {
      if (q.competencies.empty()) q.competencies = codes;
      categories.insert(q.category);
    }
    auto bank = store->create_bank((*course)->provider_id, title, 0, now);
    if (!bank) return bank.status();
    auto saved = store->save_questions(*bank, parsed.questions, 0, now);
    if (!saved) return saved.status();

    QuizRecord quiz;
    quiz.bank_id = *bank;
    quiz.course_id = **course_id;
    quiz.provider_id = (*course)->provider_id;
    quiz.kind = QuizKind::section;
    quiz.title = "Bài kiểm tra: " + (*course)->draft.title;
    for (const auto& c : categories) {
      const auto n = std::count_if(parsed.questions.begin(), parsed.questions.end(), [&](const Question& q) { return q.category == c; });
      quiz.settings.draws.push_back({c, "", "", 0, static_cast<int>(std::min<long>(3, n))});
    }
    quiz.settings.time_limit_minutes = 15;
    quiz.settings.review = ReviewLevel::correct;
    quiz.settings.pass_percent = 60;
    auto id = store->create_quiz(quiz, 0, now);
    if (!id) return id.status();
    if (!codes.empty()) {
      QuizRecord placement = quiz;
      placement.course_id = 0;
      placement.kind = QuizKind::placement;
      placement.title = "Kiểm tra đầu vào: " + (*course)->draft.title;
      placement.settings.domain = codes.front().substr(0, codes.front().find('.'));
      placement.settings.draws = {{"", "", "", 0, static_cast<int>(std::min<std::size_t>(5, parsed.questions.size()))}};
      placement.settings.time_limit_minutes = 10;
      placement.settings.review = ReviewLevel::score;
      auto pid = store->create_quiz(placement, 0, now);
      if (!pid) return pid.status();
    }
    ++created;
  }
  return created;
}

}  // namespace hocvu::assessment
