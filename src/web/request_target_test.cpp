#include "web/request_target.h"

#include <gtest/gtest.h>

#include <fstream>

namespace hocvu::web {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    auto tab = line.find('\t', pos);
    out.push_back(line.substr(pos, tab == std::string::npos ? std::string::npos : tab - pos));
    if (tab == std::string::npos) break;
    pos = tab + 1;
  }
  return out;
}

// Data-driven: tests/data/request_targets.tsv holds the cases, one a line.
TEST(RequestTarget, CasesFromTheDataFile) {
  std::ifstream in(std::string(HOCVU_TEST_DATA_DIR) + "/request_targets.tsv");
  ASSERT_TRUE(in) << "missing tests/data/request_targets.tsv";
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) continue;
    auto cols = split_tabs(line);
    ASSERT_GE(cols.size(), 2u) << line;
    ++cases;
    auto r = parse_request_target(cols[0]);
    if (cols[1] == "REFUSE") {
      EXPECT_FALSE(r.ok()) << "should refuse: " << cols[0];
      continue;
    }
    ASSERT_TRUE(r.ok()) << cols[0] << ": " << r.status().message();
    EXPECT_EQ(r->path, cols[1]) << cols[0];
    std::string query;
    for (auto& [k, v] : r->query) query += (query.empty() ? "" : "&") + k + "=" + v;
    EXPECT_EQ(query, cols.size() > 2 ? cols[2] : "") << cols[0];
  }
  EXPECT_GT(cases, 20);
}

TEST(RequestTarget, RefusesOverlongTargets) {
  EXPECT_FALSE(parse_request_target("/" + std::string(9000, 'a')).ok());
  EXPECT_TRUE(parse_request_target("/" + std::string(4000, 'a')).ok());
}


// Where a redirect after sign-in may go: paths on this site only.
TEST(RequestTarget, SafeLocalTargetsForRedirects) {
  for (const char* ok : {"/", "/lessons/5", "/courses?q=bao+mat&page=2"}) EXPECT_TRUE(safe_local_target(ok)) << ok;
  for (const char* bad : {"", "lessons/5", "//evil.example/x", "/\\evil.example", "https://evil.example/", "/a\nb", "/a\\b"})
    EXPECT_FALSE(safe_local_target(bad)) << bad;
}

TEST(RequestTarget, PercentEncodesForAQueryValue) {
  EXPECT_EQ(percent_encode("/lessons/5?x=1&y=đ"), "/lessons/5%3Fx%3D1%26y%3D%C4%91");
  EXPECT_EQ(percent_encode("a-b_c.d~"), "a-b_c.d~");
}

}  // namespace
}  // namespace hocvu::web
