// Reference data that every area refers to: administrative units, target groups, and competency
// frameworks (Circular 02/2025/TT-BGDĐT and any other an administrator adds). Plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hocvu::reference {

// A name in the platform's two languages; pick() chooses by language code, Vietnamese by default.
struct Text {
  std::string vi;
  std::string en;
  const std::string& pick(std::string_view lang) const { return lang == "en" && !en.empty() ? en : vi; }
};

struct AdminUnit {
  std::string code;          // "01"
  std::string kind;          // "province" or "commune"
  std::string name;          // "Thành phố Hà Nội"
  std::string short_name;    // "Hà Nội"
  std::optional<std::string> parent_code;
};

struct TargetGroup {
  std::string code;  // official, student, worker, citizen
  Text name;
  Text description;
};

struct Level {
  int level = 0;          // 1..8
  std::string tier_code;  // CB, TC, NC, CS
  Text tier;
};

struct Competency {
  std::string code;  // "1.1"
  Text name;
};

struct Area {  // a "miền năng lực" (domain) of the framework
  std::string code;  // "1"
  Text name;
  std::vector<Competency> competencies;
};

struct Framework {
  std::string code;  // "tt02-2025"
  Text name;
  Text source;
  Text description;
  std::vector<Level> levels;
  std::vector<Area> areas;

  std::size_t competency_count() const {
    std::size_t n = 0;
    for (const auto& a : areas) n += a.competencies.size();
    return n;
  }
};

}  // namespace hocvu::reference
