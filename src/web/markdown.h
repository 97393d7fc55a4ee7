// Markdown written by course authors (lesson text, descriptions, questions) turned into HTML for
// a page or into plain text for the search index and summaries. Authors are not trusted with
// the page: whatever they write, the HTML returned here carries no script, no raw HTML and no
// attribute an author chose, so templates insert it without further escaping.
//
// The dialect is CommonMark with the GitHub extensions for tables, ~~strikethrough~~ and bare
// URLs as links (cmark-gfm). Input is UTF-8; invalid sequences become U+FFFD, never an error.
//
// Limits. Input longer than kMaxMarkdownBytes is cut to that length, at a UTF-8 character
// boundary, before parsing, and the rest is silently ignored; callers that want to tell an
// author their text is too long check the size themselves. cmark-gfm as shipped in Debian 12
// needs time or memory that grows faster than the input for some shapes of tables and image
// links (seconds to minutes, or gigabytes, from tens of KB); a document shaped so that it
// would is parsed without tables (its pipes stay text) or with every "![" read as "!\[" (no
// images). No real lesson comes near those budgets (markdown.cpp has the figures).
//
// Thread safety: both functions may be called from any number of threads at once. One step of
// parsing runs one document at a time because of a global in cmark-gfm (see markdown.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hocvu::web {

inline constexpr std::size_t kMaxMarkdownBytes = std::size_t{1} << 20;  // 1 MiB

// `markdown` as an HTML fragment, safe to put in a page as is:
//  - Raw HTML, block or inline, is dropped (its text with it: "<b>x</b>" keeps "x", but an HTML
//    block such as "<div>\nx\n</div>" disappears whole).
//  - Link and image URLs are kept only with a scheme on an allow list: http, https, mailto and
//    tel for links; http, https and data:image/{png,gif,jpeg,webp} for images; or no scheme at
//    all (relative, "#fragment"). The scheme is read the way a browser reads it, ignoring tabs,
//    newlines and surrounding spaces. A link with any other URL ("javascript:", "vbscript:",
//    "data:text/html", ...) is replaced by its text, or removed if its text is the URL itself
//    (an autolink); an image so refused is replaced by its alternative text.
//  - Link and image titles are dropped: tooltips do not show on phones, and it leaves href,
//    src and alt as the only attribute text that comes from the author, all escaped by cmark.
//  - Headings move down one level ("#" gives <h2>, "#####" and "######" both give <h6>): the
//    page owns <h1>.
//  - Links to other sites (absolute http(s) and "//host" URLs) get rel="noopener noreferrer".
//  - Each table is wrapped in
//      <div class="table-wrap" tabindex="0" role="region" aria-label="Bảng">...</div>
//    so it can scroll sideways on a phone and be scrolled from the keyboard.
// Text is passed through unchanged apart from HTML escaping: no typographic quotes and no
// Unicode normalisation (store NFC text to get NFC out).
std::string render_markdown(std::string_view markdown);

// The text of `markdown` without any markup: what a reader sees, with no HTML, no URLs (except
// a bare URL written as the text itself) and no Markdown syntax. Blocks (paragraphs, headings,
// list items, table rows, lines of code) are separated by a single '\n' and everything else by a
// single ' '; no leading or trailing whitespace. Image alternative text counts as text. Entities
// are decoded ("&amp;" gives "&"): the result is plain text that may hold '<', '&' or
// "<script>" typed as text (in a code span, say), to be escaped where it is used.
std::string markdown_to_plain_text(std::string_view markdown);

}  // namespace hocvu::web
