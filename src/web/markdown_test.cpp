#include "web/markdown.h"

#include "core/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <thread>
#include <vector>

namespace hocvu::web {
namespace {

struct Case {
  std::string markdown;
  std::string html;  // the whole expected output, or a part of it for Contains tests
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto i = haystack.find(needle); i != std::string_view::npos; i = haystack.find(needle, i + 1))
    ++n;
  return n;
}

// Every attribute cmark and render_markdown may write. An author must never get another one
// (onerror, style, ...) into a tag, whatever they type.
const std::set<std::string> kAttributes = {"href", "src", "alt", "rel", "align", "start", "class",
                                           "tabindex", "role", "aria-label", "data-label"};

// Checks the tags of `html` (as render_markdown writes them: attribute values in double quotes,
// with no '"' or '<' inside) for attributes outside kAttributes and for URLs with a scheme other
// than http(s), mailto, tel or a raster data:image. Returns what is wrong, or "" if nothing is.
std::string bad_tag(const std::string& html) {
  for (std::size_t lt = html.find('<'); lt != std::string::npos; lt = html.find('<', lt + 1)) {
    std::size_t gt = html.find('>', lt);
    if (gt == std::string::npos) return "unclosed tag at " + std::to_string(lt);
    std::string tag = html.substr(lt + 1, gt - lt - 1);
    std::size_t i = tag.find(' ');
    while (i != std::string::npos && i < tag.size()) {
      while (i < tag.size() && (tag[i] == ' ' || tag[i] == '/')) ++i;
      if (i >= tag.size()) break;
      std::size_t eq = tag.find('=', i);
      if (eq == std::string::npos || tag[eq + 1] != '"') return "malformed attribute in <" + tag + ">";
      std::string name = tag.substr(i, eq - i);
      std::size_t close = tag.find('"', eq + 2);
      if (close == std::string::npos) return "unterminated value in <" + tag + ">";
      std::string value = lower(tag.substr(eq + 2, close - eq - 2));
      if (!kAttributes.contains(name)) return "attribute " + name + " in <" + tag + ">";
      std::size_t scheme_end = value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+-.");
      bool has_scheme = scheme_end != std::string::npos && scheme_end > 0 &&
                        value[scheme_end] == ':' && std::isalpha(static_cast<unsigned char>(value[0]));
      if ((name == "href" || name == "src") && has_scheme && !value.starts_with("http:") &&
          !value.starts_with("https:") && !value.starts_with("mailto:") &&
          !value.starts_with("tel:") && !value.starts_with("data:image/png") &&
          !value.starts_with("data:image/gif") && !value.starts_with("data:image/jpeg") &&
          !value.starts_with("data:image/webp"))
        return "URL " + value;
      i = close + 1;
    }
  }
  return "";
}

TEST(Markdown, HeadingsMoveDownOneLevel) {
  const std::vector<Case> cases = {
      {"# Một", "<h2>Một</h2>\n"},
      {"## Hai", "<h3>Hai</h3>\n"},
      {"### Ba", "<h4>Ba</h4>\n"},
      {"##### Năm", "<h6>Năm</h6>\n"},
      {"###### Sáu", "<h6>Sáu</h6>\n"},
      {"Một\n===", "<h2>Một</h2>\n"},
      {"Hai\n---", "<h3>Hai</h3>\n"},
  };
  for (const auto& c : cases) EXPECT_EQ(render_markdown(c.markdown), c.html) << c.markdown;
}

TEST(Markdown, InlineFormatting) {
  const std::vector<Case> cases = {
      {"*nghiêng* và _nghiêng_", "<p><em>nghiêng</em> và <em>nghiêng</em></p>\n"},
      {"**đậm** và __đậm__", "<p><strong>đậm</strong> và <strong>đậm</strong></p>\n"},
      {"~~gạch~~", "<p><del>gạch</del></p>\n"},
      {"`a < b`", "<p><code>a &lt; b</code></p>\n"},
      {"dòng một  \ndòng hai", "<p>dòng một<br />\ndòng hai</p>\n"},
      {"a & b < c", "<p>a &amp; b &lt; c</p>\n"},
      // No typographic replacements: authors' quotes and dashes stay as typed.
      {"\"trích\" -- 'dẫn' ...", "<p>&quot;trích&quot; -- 'dẫn' ...</p>\n"},
  };
  for (const auto& c : cases) EXPECT_EQ(render_markdown(c.markdown), c.html) << c.markdown;
}

TEST(Markdown, Lists) {
  EXPECT_EQ(render_markdown("- một\n- hai\n  1. ba\n  2. bốn\n"),
            "<ul>\n<li>một</li>\n<li>hai\n<ol>\n<li>ba</li>\n<li>bốn</li>\n</ol>\n</li>\n</ul>\n");
  EXPECT_EQ(render_markdown("3. ba\n4. bốn\n"),
            "<ol start=\"3\">\n<li>ba</li>\n<li>bốn</li>\n</ol>\n");
}

TEST(Markdown, TablesAreWrappedInAScrollableRegionWithLabelledCells) {
  EXPECT_EQ(render_markdown("| Tên | Điểm |\n|---|--:|\n| An | 9 |\n"),
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Bảng\">\n"
            "<table class=\"table--stack\">\n<thead>\n<tr>\n<th>Tên</th>\n<th align=\"right\">Điểm</th>\n</tr>\n</thead>\n"
            "<tbody>\n<tr>\n<td data-label=\"Tên\">An</td>\n<td data-label=\"Điểm\" align=\"right\">9</td>\n</tr>\n</tbody>\n</table>\n"
            "</div>\n");
  // A heading's markup is dropped and its escaped text stays escaped; an empty heading gives
  // its cells no label.
  EXPECT_EQ(count(render_markdown("| **Dấu \"hiệu\"** & `mã` | |\n|---|---|\n| a | b |\n"),
                  "<td data-label=\"Dấu &quot;hiệu&quot; &amp; mã\">a</td>\n<td>b</td>"), 1u)
      << render_markdown("| **Dấu \"hiệu\"** & `mã` | |\n|---|---|\n| a | b |\n");
  // Each table has its own headings.
  std::string labels = render_markdown("|x|\n|-|\n|1|\n\n|y|\n|-|\n|2|\n");
  EXPECT_EQ(count(labels, "<td data-label=\"x\">1</td>"), 1u) << labels;
  EXPECT_EQ(count(labels, "<td data-label=\"y\">2</td>"), 1u) << labels;
  std::string two = render_markdown("|a|\n|-|\n|1|\n\ntext\n\n> |b|\n> |-|\n");
  EXPECT_EQ(count(two, "<div class=\"table-wrap\""), 2u) << two;
  EXPECT_EQ(count(two, "</table>\n</div>\n"), 2u) << two;
}

TEST(Markdown, VietnameseTextPassesUnchanged) {
  const std::vector<std::string> texts = {
      "Bảo vệ dữ liệu cá nhân",
      "Nhận diện lừa đảo trực tuyến: đừng bấm vào đường link lạ!",
      "Khai thác dữ liệu và thông tin — Ứng dụng AI",
  };
  for (const auto& t : texts) {
    EXPECT_EQ(render_markdown(t), "<p>" + t + "</p>\n");
    EXPECT_EQ(markdown_to_plain_text(t), t);
  }
}

TEST(Markdown, LinksAndImagesThatAreKept) {
  const std::vector<Case> cases = {
      {"[Cổng](https://dichvucong.gov.vn/)",
       "<p><a href=\"https://dichvucong.gov.vn/\" rel=\"noopener noreferrer\">Cổng</a></p>\n"},
      {"[x](HTTP://a.vn)", "<p><a href=\"HTTP://a.vn\" rel=\"noopener noreferrer\">x</a></p>\n"},
      {"[x](//a.vn/b)", "<p><a href=\"//a.vn/b\" rel=\"noopener noreferrer\">x</a></p>\n"},
      {"[bài sau](/khoa-hoc/an-toan/bai-2)", "<p><a href=\"/khoa-hoc/an-toan/bai-2\">bài sau</a></p>\n"},
      {"[mục](#muc-2)", "<p><a href=\"#muc-2\">mục</a></p>\n"},
      {"[thư](mailto:hotro@example.vn)", "<p><a href=\"mailto:hotro@example.vn\">thư</a></p>\n"},
      {"[gọi](tel:+84241234567)", "<p><a href=\"tel:+84241234567\">gọi</a></p>\n"},
      {"<https://a.vn>", "<p><a href=\"https://a.vn\" rel=\"noopener noreferrer\">https://a.vn</a></p>\n"},
      {"www.a.vn", "<p><a href=\"http://www.a.vn\" rel=\"noopener noreferrer\">www.a.vn</a></p>\n"},
      {"[x](https://a.vn \"tiêu đề\")", "<p><a href=\"https://a.vn\" rel=\"noopener noreferrer\">x</a></p>\n"},
      {"[x][r]\n\n[r]: /a", "<p><a href=\"/a\">x</a></p>\n"},
      {"![Ảnh bìa](media/bia.png \"t\")", "<p><img src=\"media/bia.png\" alt=\"Ảnh bìa\" /></p>\n"},
      {"![p](data:image/png;base64,iVBO)", "<p><img src=\"data:image/png;base64,iVBO\" alt=\"p\" /></p>\n"},
      {"![p](DATA:image/webp,x)", "<p><img src=\"DATA:image/webp,x\" alt=\"p\" /></p>\n"},
  };
  for (const auto& c : cases) EXPECT_EQ(render_markdown(c.markdown), c.html) << c.markdown;
}

TEST(Markdown, RefusedUrlsLeaveTheirText) {
  const std::vector<Case> cases = {
      {"[bấm vào đây](javascript:alert(1))", "<p>bấm vào đây</p>\n"},
      {"[*đậm*](vbscript:x)", "<p><em>đậm</em></p>\n"},
      {"[x](data:image/png;base64,iVBO)", "<p>x</p>\n"},  // data: only for images
      {"[x](file:///etc/passwd)", "<p>x</p>\n"},
      {"![ảnh](javascript:alert(1))", "<p>ảnh</p>\n"},
      {"![ảnh](data:image/svg+xml,x)", "<p>ảnh</p>\n"},
      {"a <javascript:alert(1)> b", "<p>a  b</p>\n"},  // an autolink is its URL: all of it goes
  };
  for (const auto& c : cases) EXPECT_EQ(render_markdown(c.markdown), c.html) << c.markdown;
}

TEST(Markdown, RawHtmlIsDropped) {
  const std::vector<Case> cases = {
      {"a <b>đậm</b> c", "<p>a đậm c</p>\n"},
      {"<div>\nkhối\n</div>\n\nsau", "<p>sau</p>\n"},
      {"a <!-- chú thích --> b", "<p>a  b</p>\n"},
      {"`<b>` trong mã", "<p><code>&lt;b&gt;</code> trong mã</p>\n"},
      {"    <b>mã</b>", "<pre><code>&lt;b&gt;mã&lt;/b&gt;\n</code></pre>\n"},
  };
  for (const auto& c : cases) EXPECT_EQ(render_markdown(c.markdown), c.html) << c.markdown;
}

TEST(Markdown, XssVectorsAreNeutralised) {
  const std::vector<std::string> vectors = {
      "<script>alert(1)</script>",
      "<SCRIPT SRC=//x.ss></SCRIPT>",
      "a <script>alert(1)</script> b",
      "<scr<script>ipt>alert(1)</script>",
      "<svg><script>alert(1)</script></svg>",
      "<img src=x onerror=alert(1)>",
      "a <img src=x onerror=alert(1)> b",
      "<IMG SRC=x ONERROR=alert(1)>",
      "[a](javascript:alert(1))",
      "[a](JAVASCRIPT:alert(1))",
      "[a](JaVaScRiPt:alert(1))",
      "[a](java&#x09;script:alert(1))",
      "[a](java&#x0A;script:alert(1))",
      "[a](&#106;avascript:alert(1))",
      "[a](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
      "[a](<javascript:alert(1)>)",
      "[a](vbscript:msgbox(1))",
      "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "![x](javascript:alert(1))",
      "![x](JaVaScRiPt:alert(1))",
      "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
      "<a href=\"javascript:alert(1)\">a</a>",
      "<a href='javascript:alert(1)'>a</a>",
      "<javascript:alert(1)>",
      "<JAVASCRIPT:alert(1)>",
      "<vbscript:msgbox(1)>",
      "[a][r]\n\n[r]: javascript:alert(1)",
      "[a](http://x.vn \"\\\"><svg onload=alert(1)>\")",
      "[a](http://x.vn '\"><svg onload=alert(1)>')",
      "[a](http://x.vn (\"><svg onload=alert(1)>))",
      "![\"><svg onload=alert(1)>](http://x.vn/a.png \"\\\"><svg onload=alert(1)>\")",
      "[a][r]\n\n[r]: http://x.vn \"\\\"><svg onload=alert(1)>\"",
      "\"><svg onload=alert(1)>",
      "<div onload=\"alert(1)\">\n\nx\n\n</div>",
      "<iframe src=\"javascript:alert(1)\"></iframe>",
      "<![CDATA[<script>alert(1)</script>]]>",
      "<style>*{x:expression(alert(1))}</style><script>alert(1)</script>",
      "| <script>alert(1)</script> | <img src=x onerror=alert(1)> |\n|-|-|\n| [a](javascript:alert(1)) | b |",
      "- <script>alert(1)</script>\n- [a](javascript:alert(1))",
      "> <img src=x onerror=alert(1)>",
      "# <script>alert(1)</script>",
      "```\"><script>alert(1)</script>\nx\n```",
      "*<script>*alert(1)</script>",
  };
  const std::vector<std::string> forbidden = {"<script", "onerror", "javascript:", "onload=",
                                              "vbscript:", "<svg", "<iframe", "data:text"};
  for (const auto& v : vectors) {
    std::string html = render_markdown(v);
    std::string folded = lower(html);
    for (const auto& f : forbidden) EXPECT_EQ(folded.find(f), std::string::npos) << v << " -> " << html;
    EXPECT_EQ(bad_tag(html), "") << v << " -> " << html;
  }
}

// Where an author's quotes and brackets end up inside a tag, or where a forbidden word survives
// as inert text or as part of a harmless URL: what matters is the tags, checked by bad_tag.
TEST(Markdown, AttributesCannotBeInjected) {
  const std::vector<std::string> vectors = {
      "[a](http://x.vn/\"><b>)",
      "[a](http://x.vn/\"onload=\"alert(1))",    // href="http://x.vn/%22onload=%22alert(1)"
      "[a](http://x.vn/'onmouseover='alert(1))",
      "[a](%20javascript:alert(1))",              // a relative path, not a scheme
      "![\" onerror=\"x](a.png)",                  // alt="&quot; onerror=&quot;x"
      "[a](</\" x=\"y>)",
      "```js\" onload=\"x\ncode\n```",             // class="language-js&quot;"
      "www.x.vn/\"onmouseover=\"alert(1)",
      "<a onclick=\"x\">a</a>",
      "Viết `javascript:` hay `<script>` trong mã là được.",
  };
  for (const auto& v : vectors) {
    std::string html = render_markdown(v);
    EXPECT_EQ(bad_tag(html), "") << v << " -> " << html;
  }
}

TEST(Markdown, PlainTextHasNoMarkup) {
  const std::vector<Case> cases = {
      {"# Tiêu đề\n\nĐoạn *một* với [liên kết](https://x.vn) và `mã`.\n\n- a\n- **b**",
       "Tiêu đề\nĐoạn một với liên kết và mã.\na\nb"},
      // Inline tags go, the text between them stays; an HTML block goes whole.
      {"a <b>đậm</b> c <script>alert(1)</script>", "a đậm c alert(1)"},
      {"<script>\nalert(1)\n</script>\n\nsau", "sau"},
      {"<div>\nkhối\n</div>\n\nsau", "sau"},
      {"Tom &amp; Jerry &lt;3", "Tom & Jerry <3"},
      {"![Ảnh bìa](a.png) chú thích", "Ảnh bìa chú thích"},
      {"| Tên | Điểm |\n|---|---|\n| An | 9 |\n| Bình | 10 |", "Tên Điểm\nAn 9\nBình 10"},
      {"```\nint a;\n\nint b;\n```", "int a;\nint b;"},
      {"dòng một\ndòng hai  \nba", "dòng một dòng hai\nba"},
      {"> trích\n\n---\n\n~~cũ~~ www.a.vn", "trích\ncũ www.a.vn"},
      {"  \n\n  ", ""},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(markdown_to_plain_text(c.markdown), c.html) << c.markdown;
}

TEST(Markdown, InvalidUtf8BecomesReplacementCharacters) {
  const std::vector<std::string> inputs = {
      std::string("a\xC3", 2), std::string("\xFF\xFE[x](\xC0\xAF)", 8),
      std::string("a\0b", 3), std::string("\xED\xA0\x80 surrogate", 12),
      std::string("| \xE1\xBA |\n|-|\n| \x80 |", 17)};
  for (const auto& in : inputs) {
    std::string html = render_markdown(in);
    std::string text = markdown_to_plain_text(in);
    EXPECT_TRUE(valid_utf8(html)) << html;
    EXPECT_TRUE(valid_utf8(text)) << text;
    EXPECT_EQ(html.find('\0'), std::string::npos);
  }
  EXPECT_EQ(render_markdown(std::string("a\xC3", 2)), "<p>a\xEF\xBF\xBD</p>\n");
}

TEST(Markdown, LongInputIsCutAtACharacterBoundary) {
  // "ả" is three bytes (E1 BA A3): put it across the limit so that only two are inside.
  std::string in(kMaxMarkdownBytes - 2, 'a');
  in += "ả phần thừa";
  std::string text = markdown_to_plain_text(in);
  EXPECT_EQ(text.size(), kMaxMarkdownBytes - 2);  // no U+FFFD from half a letter, no rest
  EXPECT_TRUE(text == std::string(kMaxMarkdownBytes - 2, 'a'));
  // A document of exactly the limit is read whole.
  std::string exact(kMaxMarkdownBytes - 3, 'b');
  exact += "ả";
  ASSERT_EQ(exact.size(), kMaxMarkdownBytes);
  EXPECT_TRUE(markdown_to_plain_text(exact) == exact);
  EXPECT_EQ(render_markdown(exact).size(), exact.size() + 8);  // <p>...</p>\n
}

// Inputs that take cmark-gfm 0.29.0.gfm.6 minutes or gigabytes are parsed without the feature
// that would (see assess() in markdown.cpp); ordinary documents keep it.
TEST(Markdown, PathologicalInputsLoseTheFeatureNotTheServer) {
  // 1000 columns, 20000 short rows: 20 million cells before the guard.
  std::string bomb = "|" ;
  for (int i = 0; i < 1000; ++i) bomb += "a|";
  bomb += "\n|";
  for (int i = 0; i < 1000; ++i) bomb += "-|";
  bomb += "\n";
  for (int i = 0; i < 20000; ++i) bomb += "a\n";
  std::string html = render_markdown(bomb);
  EXPECT_EQ(html.find("<table"), std::string::npos);
  EXPECT_LT(html.size(), 2 * bomb.size());

  std::string brackets;
  for (int i = 0; i < 20000; ++i) brackets += "![a";
  for (int i = 0; i < 20000; ++i) brackets += "[]()";
  EXPECT_EQ(count(render_markdown(brackets), "<a href=\"\">"), 20000u);

  std::string rows;
  for (int i = 0; i < 2000; ++i) rows += "a|b|c\n-|-\n";
  EXPECT_EQ(render_markdown(rows).find("<table"), std::string::npos);

  // A large ordinary document keeps its tables and images.
  std::string big = "![ảnh](a.png)\n\n| a | b |\n|---|---|\n";
  for (int i = 0; i < 5000; ++i) big += "| [x](/y) | ô " + std::to_string(i) + " |\n";
  html = render_markdown(big);
  EXPECT_EQ(count(html, "<table class=\"table--stack\">"), 1u);
  EXPECT_EQ(count(html, "<img "), 1u);
}

TEST(Markdown, ManyThreadsAtOnce) {
  const std::string doc =
      "# Bài 1\n\nBảo vệ **dữ liệu** cá nhân. [Xem](https://a.vn) <b>x</b>\n\n"
      "| a | b |\n|---|---|\n| 1 | 2 |\n\n- ~~một~~\n- www.b.vn\n";
  const std::string want_html = render_markdown(doc);
  const std::string want_text = markdown_to_plain_text(doc);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (render_markdown(doc) != want_html) ++mismatches[t];
        if (markdown_to_plain_text(doc) != want_text) ++mismatches[t];
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  EXPECT_NE(want_html.find("<table"), std::string::npos);  // the extensions were in use
  EXPECT_NE(want_html.find("<del>"), std::string::npos);
}

}  // namespace
}  // namespace hocvu::web
