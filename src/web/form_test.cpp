#include "web/form.h"

#include <gtest/gtest.h>

namespace hocvu::web {
namespace {

TEST(Form, FieldsIdsAndNumbersFromText) {
  const Fields form{{"a", "1"}, {"b", "x"}, {"a", "2"}};
  EXPECT_EQ(field(form, "a"), "1");
  EXPECT_EQ(field(form, "missing"), "");
  EXPECT_EQ(fields(form, "a"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(parse_id("42"), 42);
  for (const char* bad : {"", "0", "-3", "42x", "4 2", "99999999999999999999", "1e3"}) EXPECT_EQ(parse_id(bad), 0) << bad;
  EXPECT_EQ(to_int("42", 0), 42);
  EXPECT_EQ(to_int("42x", -1), -1);
  EXPECT_EQ(to_int("", 7), 7);
}

TEST(Form, ARedirectIsASeeOtherNeverCached) {
  auto r = redirect("/people/7?error=forbidden");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("Location"), "/people/7?error=forbidden");
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
}

}  // namespace
}  // namespace hocvu::web
