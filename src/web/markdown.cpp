#include "web/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace hocvu::web {
namespace {

// Safe rendering is cmark-gfm's default (raw HTML becomes a comment, dangerous URLs empty); we
// remove both from the tree before rendering anyway. VALIDATE_UTF8 replaces invalid sequences
// with U+FFFD: without it they would pass straight through to the page.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

constexpr std::string_view kTableWrapOpen =
    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Bảng\">\n";

// cmark returns NULL for a missing string in some versions: read it as empty.
std::string_view str(const char* s) { return s ? std::string_view(s) : std::string_view(); }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (ascii_lower(s[i]) != prefix[i]) return false;
  return true;
}

// `s` cut to kMaxMarkdownBytes without splitting a character: steps back over at most three
// continuation bytes (a longer run is invalid UTF-8 anyway, which the parser replaces).
std::string_view truncate(std::string_view s) {
  if (s.size() <= kMaxMarkdownBytes) return s;
  std::size_t cut = kMaxMarkdownBytes;
  while (cut > kMaxMarkdownBytes - 3 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

// cmark-gfm 0.29.0.gfm.6, the version in Debian 12, has polynomial paths that later releases
// fix (CVE-2023-22486, CVE-2023-37463 and others). In the table extension: the cells of one
// line, a paragraph re-read for every line under it that looks like a delimiter row, and empty
// cells added to every short row of a wide table (a 44 KB table took 13 s and 4.7 GB). In the
// core: each link walks back over every unclosed "![" before it ("![[]()" repeated: 170 s for
// 1 MiB). One pass over the input bounds that work from above; over budget, the document is
// parsed without tables, or with "![" escaped. Each budget is far beyond a real lesson and
// keeps its path to a fraction of a second.
constexpr std::uint64_t kMaxTableCells = 1 << 17;    // about 30 MB of nodes
constexpr std::uint64_t kMaxRowWork = 1 << 26;       // sum over lines of (pipes on the line)^2
constexpr std::uint64_t kMaxHeaderWork = 1 << 21;    // bytes re-read under delimiter-like lines
constexpr std::uint64_t kMaxImageWork = 1 << 24;     // "![" count times "]" count

struct Affordable {
  bool tables = true;
  bool images = true;
};

Affordable assess(std::string_view s) {
  std::uint64_t cells = 0, row_work = 0, header_work = 0;
  std::uint64_t columns = 0;  // of a table the current line may be a row of
  std::uint64_t run = 0;      // bytes since the last blank line: the paragraph a header may be in
  std::size_t i = 0;
  while (i < s.size()) {
    // Lines end at "\n", "\r\n" or "\r", as for cmark.
    std::size_t end = std::min(s.find_first_of("\r\n", i), s.size());
    std::string_view line = s.substr(i, end - i);
    i = end + (s.substr(end, 2) == "\r\n" ? 2 : 1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {  // a blank line ends tables
      columns = run = 0;
      continue;
    }
    auto pipes = static_cast<std::uint64_t>(std::count(line.begin(), line.end(), '|'));
    row_work += pipes * pipes;
    cells += columns;
    // Could be a delimiter row, behind block quote or list markers: a column per run of '-'.
    if (line.find('-') != std::string_view::npos &&
        line.find_first_not_of(" \t\v\f|:->*+.)0123456789") == std::string_view::npos) {
      std::uint64_t dashes = 0;
      for (std::size_t k = 0; k < line.size(); ++k)
        if (line[k] == '-' && (k == 0 || line[k - 1] != '-')) ++dashes;
      header_work += run;
      columns = std::max(columns, dashes);
      cells += dashes;
    }
    run += line.size() + 1;
  }
  std::uint64_t openers = 0;
  for (std::size_t k = s.find("!["); k != std::string_view::npos; k = s.find("![", k + 2))
    ++openers;
  auto closers = static_cast<std::uint64_t>(std::count(s.begin(), s.end(), ']'));
  return {.tables = cells <= kMaxTableCells && row_work <= kMaxRowWork &&
                    header_work <= kMaxHeaderWork,
          .images = openers * closers <= kMaxImageWork};
}

// "![" written as "!\[": the brackets then make links or text, never images.
std::string escape_image_openers(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (s[i] == '!' && i + 1 < s.size() && s[i + 1] == '[') out += '\\';
  }
  return out;
}

// Whether `url` may be an href (or an img src when `image`). A browser drops leading control
// characters and spaces and ignores tabs and newlines anywhere in a URL, so
// "  java\tscript:" is "javascript:" to it: read the scheme the same way. An allow list rather
// than cmark's deny list, so that schemes nobody thought of are refused too.
bool allowed_url(std::string_view url, bool image) {
  std::size_t start = 0;
  while (start < url.size() && static_cast<unsigned char>(url[start]) <= 0x20) ++start;
  std::string u;
  for (char c : url.substr(start))
    if (c != '\t' && c != '\n' && c != '\r') u += c;
  std::size_t i = 0;
  while (i < u.size() && (ascii_alpha(u[i]) || (u[i] >= '0' && u[i] <= '9') || u[i] == '+' ||
                          u[i] == '-' || u[i] == '.'))
    ++i;
  if (i == 0 || i == u.size() || u[i] != ':' || !ascii_alpha(u[0]))
    return true;  // no scheme: relative, "//host/...", "#fragment" or "?query"
  std::string scheme;
  for (char c : std::string_view(u).substr(0, i)) scheme += ascii_lower(c);
  if (scheme == "http" || scheme == "https") return true;
  if (!image) return scheme == "mailto" || scheme == "tel";
  if (scheme != "data") return false;
  // The raster types only: an SVG can carry script.
  std::string_view rest = std::string_view(u).substr(i + 1);
  for (std::string_view type : {"image/png", "image/gif", "image/jpeg", "image/webp"})
    if (starts_with_nocase(rest, type) && rest.size() > type.size() &&
        (rest[type.size()] == ';' || rest[type.size()] == ','))
      return true;
  return false;
}

// Removes link or image `n` but keeps its content (link text, image alternative text) in its
// place. Should cmark refuse a move, `n` stays with an empty URL (as cmark's own safe mode
// would leave it) rather than freeing content that may hold nodes still to be handled.
void unwrap(cmark_node* n) {
  while (cmark_node* child = cmark_node_first_child(n)) {
    if (!cmark_node_insert_before(n, child)) {
      cmark_node_set_url(n, "");
      return;
    }
  }
  cmark_node_free(n);
}

// Makes the tree what render_markdown promises (see markdown.h): no raw HTML, no refused URL,
// no title, headings one level down.
void sanitise(cmark_node* doc) {
  // Nodes are removed after the walk, which cannot survive changes to the tree around it.
  std::vector<cmark_node*> doomed;
  cmark_iter* it = cmark_iter_new(doc);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it);
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_HEADING:
        cmark_node_set_heading_level(n, std::min(cmark_node_get_heading_level(n) + 1, 6));
        break;
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_HTML_INLINE:
        doomed.push_back(n);
        break;
      case CMARK_NODE_LINK:
      case CMARK_NODE_IMAGE:
        cmark_node_set_title(n, "");
        if (!allowed_url(str(cmark_node_get_url(n)), cmark_node_get_type(n) == CMARK_NODE_IMAGE))
          doomed.push_back(n);
        break;
      default:
        break;
    }
  }
  cmark_iter_free(it);
  // Outermost first, as walked: a node moves when its parent is unwrapped, into a parent that
  // is done with, so it moves at most once (innermost first, nested refused images would move
  // their contents once per level). A node freed whole holds no other doomed node: HTML is a
  // leaf and a dropped autolink holds only its text.
  for (cmark_node* n : doomed) {
    cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
      cmark_node_free(n);
      continue;
    }
    // An autolink's text is its URL: keeping it would print the refused URL.
    cmark_node* text = cmark_node_first_child(n);
    bool text_is_url = text && !cmark_node_next(text) &&
                       cmark_node_get_type(text) == CMARK_NODE_TEXT &&
                       str(cmark_node_get_literal(text)) == str(cmark_node_get_url(n));
    if (text_is_url)
      cmark_node_free(n);
    else
      unwrap(n);
  }
}

struct ParserFree {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// A parsed and sanitised document. The parser is kept for its list of extensions, which the
// HTML renderer needs.
struct Parsed {
  std::unique_ptr<cmark_parser, ParserFree> parser;
  std::unique_ptr<cmark_node, NodeFree> doc;
};

Parsed parse(std::string_view markdown) {
  // Registration writes to a global list without a lock; after it the list is only read.
  static std::once_flag registered;
  std::call_once(registered, cmark_gfm_core_extensions_ensure_registered);

  markdown = truncate(markdown);
  Affordable affordable = assess(markdown);
  std::string escaped;
  if (!affordable.images) markdown = escaped = escape_image_openers(markdown);

  Parsed p;
  p.parser.reset(cmark_parser_new(kOptions));
  for (const char* name : {"table", "strikethrough", "autolink"}) {
    if (name == std::string_view("table") && !affordable.tables) continue;
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(p.parser.get(), ext);
  }
  cmark_parser_feed(p.parser.get(), markdown.data(), markdown.size());
  {
    // cmark-gfm keeps the characters that start an inline extension ('~' for strikethrough,
    // 'w' ':' '@' for autolinks) in a global table that the inline phase of every parse sets
    // on entry and clears on exit (cmark_manage_extensions_special_characters, called only
    // from cmark_parser_finish). Two documents in that phase at once lose each other's
    // strikethrough and autolinks, so it runs one document at a time; the block phase above
    // and the rendering below run in parallel.
    static std::mutex inline_phase;
    std::lock_guard lock(inline_phase);
    p.doc.reset(cmark_parser_finish(p.parser.get()));
  }
  sanitise(p.doc.get());
  return p;
}

// Whether a URL as cmark wrote it in an href leads to another site. We do not know our own
// host, so every absolute http(s) URL counts; relative URLs stay on the site.
bool external(std::string_view href) {
  return starts_with_nocase(href, "http://") || starts_with_nocase(href, "https://") ||
         href.starts_with("//");
}

// The text of a header cell's HTML, for a data-label attribute: tags dropped, runs of spaces one
// space. cmark has escaped '<', '&' and '"' in the text, so it stays escaped in the attribute.
std::string cell_label(std::string_view html) {
  std::string out;
  bool in_tag = false, space = false;
  for (char c : html) {
    if (in_tag) { in_tag = c != '>'; continue; }
    if (c == '<') { in_tag = true; continue; }
    if (c == ' ' || c == '\n' || c == '\t') { space = !out.empty(); continue; }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// What cmark cannot add itself: rel on links to other sites, the scrolling wrapper around tables,
// and on each body cell its column's heading (data-label), so that on a phone a table reads as
// one block per row with each cell labelled (app.css, .table--stack). Raw HTML is gone from the
// tree and cmark escapes every '<' of text, code and attribute values, so "<a href=\"",
// "<table>", "<th" and "<td" in its output are tags it wrote.
std::string finish_html(std::string_view html) {
  static constexpr std::string_view kLink = "<a href=\"";
  std::string out;
  out.reserve(html.size() + html.size() / 8);
  std::vector<std::string> labels;  // the current table's column headings
  bool in_head = false;
  std::size_t column = 0;
  std::size_t i = 0;
  while (i < html.size()) {
    std::size_t lt = html.find('<', i);
    if (lt == std::string_view::npos) lt = html.size();
    out.append(html.substr(i, lt - i));
    std::string_view rest = html.substr(lt);
    if (rest.empty()) break;
    std::size_t taken = 1;
    if (rest.starts_with("<table>")) {
      out.append(kTableWrapOpen);
      out.append("<table class=\"table--stack\">");
      taken = 7;
      labels.clear();
    } else if (rest.starts_with("<thead>")) {
      in_head = true;
      out.append("<thead>");
      taken = 7;
    } else if (rest.starts_with("</thead>")) {
      in_head = false;
      out.append("</thead>");
      taken = 8;
    } else if (rest.starts_with("<tr>")) {
      column = 0;
      out.append("<tr>");
      taken = 4;
    } else if (in_head && (rest.starts_with("<th>") || rest.starts_with("<th "))) {
      std::size_t open_end = rest.find('>');
      std::size_t close = rest.find("</th>");
      labels.push_back(close == std::string_view::npos ? std::string() : cell_label(rest.substr(open_end + 1, close - open_end - 1)));
      out.append("<th");
      taken = 3;
    } else if (rest.starts_with("<td>") || rest.starts_with("<td ")) {
      out.append("<td");
      if (column < labels.size() && !labels[column].empty()) {
        out.append(" data-label=\"");
        out.append(labels[column]);
        out.push_back('"');
      }
      ++column;
      taken = 3;
    } else if (rest.starts_with("</table>\n")) {
      out.append("</table>\n</div>\n");
      taken = 9;
    } else if (rest.starts_with(kLink)) {
      std::size_t quote = rest.find('"', kLink.size());  // '"' in a URL is written as %22
      if (quote == std::string_view::npos) quote = rest.size() - 1;
      out.append(rest.substr(0, quote + 1));
      if (external(rest.substr(kLink.size(), quote - kLink.size())))
        out.append(" rel=\"noopener noreferrer\"");
      taken = quote + 1;
    } else {
      out.push_back('<');
    }
    i = lt + taken;
  }
  return out;
}

// Separates blocks by '\n' and everything else by ' ', one of each at most, as promised in
// markdown.h.
std::string collapse_whitespace(std::string_view s) {
  std::string out;
  bool space = false, newline = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      newline = newline || c == '\n';
      continue;
    }
    if (space && !out.empty()) out.push_back(newline ? '\n' : ' ');
    space = newline = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string render_markdown(std::string_view markdown) {
  Parsed p = parse(markdown);
  char* html = cmark_render_html(p.doc.get(), kOptions,
                                 cmark_parser_get_syntax_extensions(p.parser.get()));
  std::string out = finish_html(html);
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

std::string markdown_to_plain_text(std::string_view markdown) {
  Parsed p = parse(markdown);
  std::string text;
  cmark_iter* it = cmark_iter_new(p.doc.get());
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    cmark_node_type type = cmark_node_get_type(n);
    if (ev == CMARK_EVENT_ENTER) {
      if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_CODE_BLOCK)
        text.append(str(cmark_node_get_literal(n)));
      if (type == CMARK_NODE_SOFTBREAK) text.push_back(' ');
      // Leaf blocks (code, thematic break) have no exit event.
      if (type == CMARK_NODE_LINEBREAK || type == CMARK_NODE_CODE_BLOCK ||
          type == CMARK_NODE_THEMATIC_BREAK)
        text.push_back('\n');
    } else if ((type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK) {
      // A table cell is a block too, but its row is the line.
      text.push_back(str(cmark_node_get_type_string(n)) == "table_cell" ? ' ' : '\n');
    }
  }
  cmark_iter_free(it);
  return collapse_whitespace(text);
}

}  // namespace hocvu::web
