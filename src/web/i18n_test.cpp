#include "web/i18n.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace hocvu::web {
namespace {

class I18n : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Catalogs::load(std::string(HOCVU_WEB_DIR) + "/i18n");
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalogs_ = std::move(*c);
  }
  Catalogs catalogs_;
};

TEST_F(I18n, BothLanguagesHaveEveryKey) {
  EXPECT_EQ(catalogs_.all("vi").size(), catalogs_.all("en").size());
  EXPECT_EQ(catalogs_.get("vi", "error.404.title"), "Không tìm thấy trang");
  EXPECT_EQ(catalogs_.get("en", "error.404.title"), "Page not found");
  EXPECT_EQ(catalogs_.get("fr", "error.404.title"), "Không tìm thấy trang");  // Vietnamese first
  EXPECT_EQ(catalogs_.get("vi", "no.such.key"), "no.such.key");
}

TEST_F(I18n, ChoosesTheLanguage) {
  EXPECT_EQ(choose_language(catalogs_, "", "", ""), "vi");
  EXPECT_EQ(choose_language(catalogs_, "en", "vi", "vi"), "en");    // explicit choice wins
  EXPECT_EQ(choose_language(catalogs_, "", "en", "vi"), "en");      // then the cookie
  EXPECT_EQ(choose_language(catalogs_, "xx", "yy", "en-GB,en;q=0.8"), "en");
  EXPECT_EQ(choose_language(catalogs_, "", "", "fr-FR, en;q=0.3, vi;q=0.7"), "vi");
  EXPECT_EQ(choose_language(catalogs_, "", "", "EN"), "en");
  EXPECT_EQ(choose_language(catalogs_, "", "", "de, fr"), "vi");
  EXPECT_EQ(choose_language(catalogs_, "", "", "en;q=0"), "vi");
}

// Templates read texts as a tree ({{t.a.b}}), so a key that is also the parent of others would
// silently vanish from pages: the catalogs are refused at start instead.
TEST(I18nLoad, RefusesAKeyThatIsAlsoAParent) {
  auto dir = std::filesystem::temp_directory_path() / ("hocvu-i18n-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* lang : {"vi", "en"})
    std::ofstream(dir / (std::string(lang) + ".json")) << R"({"lang.name": "x", "assign.scope": "a", "assign.scope.unit": "b"})";
  auto c = Catalogs::load(dir.string());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("'assign.scope'"), std::string::npos) << c.status().message();
  for (const char* lang : {"vi", "en"})
    std::ofstream(dir / (std::string(lang) + ".json")) << R"({"lang.name": "x", "assign.scope_label": "a", "assign.scope.unit": "b"})";
  EXPECT_TRUE(Catalogs::load(dir.string()).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hocvu::web
