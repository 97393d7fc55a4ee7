// Moodle XML reader and writer (moodle_xml.h). The reader parses with libxml2 (no network, no DTD
// loading, no entity substitution), refuses documents declaring entities, then walks the
// <question> elements; a question's problems throw Fail, which is reported at its line and leaves
// the question out. The writer escapes by hand: only element content and fixed attributes.
#include "assessment/moodle_xml.h"

#include "assessment/format_support.h"

#include "assessment/grading.h"
#include "core/text.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace hocvu::assessment {
namespace {

using format::in_quotes;
using format::letter_id;
using format::parse_number;
using format::trim;



std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text cleaning

bool is_xml_char(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the HTML entity starting at s[i] == '&' into `out`; returns the length consumed, or 0
// when it is not one we know (the '&' is then kept as it is).
std::size_t decode_entity(std::string_view s, std::size_t i, std::string& out) {
  std::size_t semi = s.find(';', i);
  if (semi == std::string_view::npos || semi - i > 12) return 0;
  std::string_view name = s.substr(i + 1, semi - i - 1);
  if (name.empty()) return 0;
  std::uint32_t cp = 0;
  if (name.front() == '#') {
    std::string_view digits = name.substr(1);
    int base = 10;
    if (!digits.empty() && (digits.front() == 'x' || digits.front() == 'X')) {
      base = 16;
      digits.remove_prefix(1);
    }
    if (digits.empty()) return 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, base);
    if (ec != std::errc() || end != digits.data() + digits.size()) return 0;
  } else {
    static const std::pair<std::string_view, std::uint32_t> kNames[] = {
        {"amp", '&'},     {"lt", '<'},       {"gt", '>'},       {"quot", '"'},    {"apos", '\''},
        {"nbsp", ' '},    {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"laquo", 0xAB},
        {"raquo", 0xBB},  {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
        {"copy", 0xA9},   {"deg", 0xB0},     {"times", 0xD7},   {"divide", 0xF7}, {"plusmn", 0xB1},
    };
    auto it = std::find_if(std::begin(kNames), std::end(kNames), [&](const auto& p) { return p.first == name; });
    if (it == std::end(kNames)) return 0;
    cp = it->second;
  }
  if (cp == 0xA0) cp = ' ';
  if (is_xml_char(cp) && (cp >= 0x20 || cp == '\n' || cp == '\t')) append_utf8(out, cp);
  return semi - i + 1;
}

bool is_block_tag(std::string_view name) {
  static const std::string_view kBlocks[] = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                                             "ul", "ol", "table", "blockquote", "pre", "hr", "dt", "dd"};
  return std::find(std::begin(kBlocks), std::end(kBlocks), name) != std::end(kBlocks);
}

// Where the tag starting at s[i] == '<' ends (one past '>'), quotes respected; npos if never.
std::size_t tag_end(std::string_view s, std::size_t i) {
  char quote = 0;
  for (std::size_t j = i + 1; j < s.size(); ++j) {
    char c = s[j];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return j + 1;
    }
  }
  return std::string_view::npos;
}

// Line breaks normalised; runs of spaces and tabs collapsed inside lines, lines trimmed, at most
// one empty line in a row; the whole trimmed.
std::string tidy_lines(std::string_view s) {
  std::string out;
  bool pending_blank = false;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = std::min(s.find('\n', start), s.size());
    std::string line;
    bool space = false;
    for (char c : s.substr(start, end - start)) {
      if (c == ' ' || c == '\t') {
        space = true;
      } else {
        if (space && !line.empty()) line += ' ';
        space = false;
        line += c;
      }
    }
    if (line.empty()) {
      if (!out.empty()) pending_blank = true;
    } else {
      if (!out.empty()) out += pending_blank ? "\n\n" : "\n";
      pending_blank = false;
      out += line;
    }
    if (end == s.size()) break;
    start = end + 1;
  }
  return out;
}

std::string strip_html(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '&') {
      std::size_t used = decode_entity(s, i, out);
      if (used == 0) {
        out += '&';
        ++i;
      } else {
        i += used;
      }
      continue;
    }
    if (c != '<' || i + 1 >= s.size()) {
      out += c;
      ++i;
      continue;
    }
    char next = s[i + 1];
    bool letter = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z');
    if (s.substr(i).starts_with("<!--")) {
      std::size_t end = s.find("-->", i + 4);
      i = end == std::string_view::npos ? s.size() : end + 3;
      continue;
    }
    if (!letter && next != '/' && next != '!' && next != '?') {
      out += c;
      ++i;
      continue;
    }
    std::size_t end = tag_end(s, i);
    if (end == std::string_view::npos) {  // not a tag after all
      out += c;
      ++i;
      continue;
    }
    std::size_t name_start = i + 1 + (next == '/' ? 1 : 0);
    std::size_t name_end = name_start;
    while (name_end < end && ((s[name_end] >= 'a' && s[name_end] <= 'z') || (s[name_end] >= 'A' && s[name_end] <= 'Z') ||
                              (s[name_end] >= '0' && s[name_end] <= '9')))
      ++name_end;
    std::string name = lower(s.substr(name_start, name_end - name_start));
    i = end;
    if (next != '/' && (name == "script" || name == "style")) {
      // Drop everything up to the closing tag (or the end of the text).
      std::string rest = lower(s.substr(i));
      std::size_t close = rest.find("</" + name);
      if (close == std::string::npos) {
        i = s.size();
      } else {
        std::size_t close_end = tag_end(s, i + close);
        i = close_end == std::string_view::npos ? s.size() : close_end;
      }
      continue;
    }
    if (is_block_tag(name)) out += '\n';
  }
  return out;
}

// Keeps only characters allowed in XML text; "\r\n" and "\r" become "\n".
std::string normalise_breaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

enum class TextKind { rich, plain };

std::string clean_text(std::string_view raw, std::string_view format, TextKind kind) {
  std::string s = normalise_breaks(raw);
  if (kind == TextKind::rich && format != "markdown" && format != "plain_text") s = tidy_lines(strip_html(s));
  return to_nfc(trim(s));
}

// ---------------------------------------------------------------------------------------------
// libxml2 helpers

struct Fail {
  int line;
  std::string message;
};

bool is_element(const xmlNode* n, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, reinterpret_cast<const xmlChar*>(name));
}

int line_of(const xmlNode* n) { return static_cast<int>(xmlGetLineNo(n)); }

const xmlNode* child(const xmlNode* n, const char* name) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (is_element(c, name)) return c;
  return nullptr;
}

std::vector<const xmlNode*> children(const xmlNode* n, const char* name) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (is_element(c, name)) out.push_back(c);
  return out;
}

std::string content(const xmlNode* n) {
  xmlChar* s = xmlNodeGetContent(n);
  if (!s) return {};
  std::string out(reinterpret_cast<const char*>(s));
  xmlFree(s);
  return out;
}

std::string attribute(const xmlNode* n, const char* name) {
  xmlChar* s = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!s) return {};
  std::string out(reinterpret_cast<const char*>(s));
  xmlFree(s);
  return out;
}

bool has_attribute(const xmlNode* n, const char* name) {
  return xmlHasProp(n, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

// The <text> of `holder` (an element such as <questiontext> or <answer>), cleaned; nullopt when
// it has none.
std::optional<std::string> text_in(const xmlNode* holder, TextKind kind) {
  const xmlNode* t = child(holder, "text");
  if (!t) return std::nullopt;
  return clean_text(content(t), trim(attribute(holder, "format")), kind);
}

std::string optional_text(const xmlNode* parent, const char* holder_name, TextKind kind = TextKind::rich) {
  const xmlNode* holder = child(parent, holder_name);
  if (!holder) return {};
  return text_in(holder, kind).value_or("");
}

std::string feedback_of(const xmlNode* answer) { return optional_text(answer, "feedback"); }

double fraction_of(const xmlNode* answer) {
  if (!has_attribute(answer, "fraction")) return 0;
  std::string raw = attribute(answer, "fraction");
  auto value = parse_number(raw);
  if (!value) throw Fail{line_of(answer), "Tỉ lệ điểm " + in_quotes(raw) + " của đáp án không phải là số."};
  return *value / 100;
}

std::string answer_text(const xmlNode* answer, TextKind kind) {
  auto text = text_in(answer, kind);
  if (!text) throw Fail{line_of(answer), "Đáp án không có thẻ <text>."};
  if (text->empty()) throw Fail{line_of(answer), "Đáp án không có nội dung."};
  return *text;
}

std::string category_name(std::string_view raw) {
  std::string_view s = trim(raw);
  if (s.starts_with('$')) {
    std::size_t end = s.find("$/", 1);
    if (end != std::string_view::npos) s.remove_prefix(end + 2);
    else if (s.size() > 1 && s.ends_with('$') && s.find('$', 1) == s.size() - 1) s = {};
  }
  if (s.starts_with("top/")) s.remove_prefix(4);
  else if (s == "top") s = {};
  return to_nfc(trim(normalise_breaks(s)));
}

void read_choices(const xmlNode* qn, Question& q) {
  std::size_t index = 0;
  for (const xmlNode* a : children(qn, "answer")) {
    Option o;
    o.fraction = fraction_of(a);
    o.text = answer_text(a, TextKind::rich);
    o.feedback = feedback_of(a);
    o.id = letter_id(index++);
    q.options.push_back(std::move(o));
  }
}

void read_true_false(const xmlNode* qn, Question& q) {
  std::optional<bool> truth;
  bool seen_true = false, seen_false = false;
  for (const xmlNode* a : children(qn, "answer")) {
    double fraction = fraction_of(a);
    std::string text = lower(answer_text(a, TextKind::plain));
    bool value;
    if (text == "true") value = true;
    else if (text == "false") value = false;
    else throw Fail{line_of(a), "Câu đúng/sai chỉ có đáp án 'true' hoặc 'false', không có " + in_quotes(text) + "."};
    if ((value && seen_true) || (!value && seen_false))
      throw Fail{line_of(a), "Câu đúng/sai có đáp án " + in_quotes(text) + " hai lần."};
    (value ? seen_true : seen_false) = true;
    (value ? q.true_feedback : q.false_feedback) = feedback_of(a);
    if (fraction >= 1 - 1e-9) truth = value;
  }
  if (!seen_true || !seen_false) throw Fail{line_of(qn), "Câu đúng/sai cần cả đáp án 'true' và 'false'."};
  if (!truth) throw Fail{line_of(qn), "Câu đúng/sai không có đáp án nào với tỉ lệ điểm 100."};
  q.truth = *truth;
}

void read_short_answer(const xmlNode* qn, Question& q) {
  for (const xmlNode* a : children(qn, "answer")) {
    Accepted acc;
    acc.fraction = fraction_of(a);
    acc.text = answer_text(a, TextKind::plain);
    acc.feedback = feedback_of(a);
    q.accepted.push_back(std::move(acc));
  }
}

void read_numerical(const xmlNode* qn, Question& q) {
  for (const xmlNode* a : children(qn, "answer")) {
    NumericAnswer n;
    n.fraction = fraction_of(a);
    std::string text = answer_text(a, TextKind::plain);
    auto value = parse_number(text);
    if (!value) throw Fail{line_of(a), "Đáp án số " + in_quotes(text) + " không phải là số."};
    n.value = *value;
    if (const xmlNode* t = child(a, "tolerance")) {
      std::string raw = content(t);
      auto tolerance = parse_number(raw);
      if (!tolerance) throw Fail{line_of(t), "Sai số cho phép " + in_quotes(trim(raw)) + " không phải là số."};
      n.tolerance = *tolerance;
    }
    n.feedback = feedback_of(a);
    q.numeric.push_back(std::move(n));
  }
}

void read_matching(const xmlNode* qn, Question& q) {
  std::size_t index = 0;
  for (const xmlNode* s : children(qn, "subquestion")) {
    Pair p;
    p.prompt = text_in(s, TextKind::rich).value_or("");
    const xmlNode* a = child(s, "answer");
    if (!a) throw Fail{line_of(s), "Cặp ghép không có thẻ <answer>."};
    p.answer = answer_text(a, TextKind::plain);
    p.id = letter_id(index++);
    q.pairs.push_back(std::move(p));
  }
}

void read_ordering(const xmlNode* qn, Question& q) {
  std::size_t index = 0;
  for (const xmlNode* a : children(qn, "answer")) {
    Item item;
    item.text = answer_text(a, TextKind::rich);
    item.id = letter_id(index++);
    q.items.push_back(std::move(item));
  }
}

class Reader {
 public:
  explicit Reader(MoodleXmlImport& out) : out_(out) {}

  void error(int line, std::string message) { format::add_error(out_.errors, line, std::move(message)); }

  void question(const xmlNode* qn) {
    std::string type = lower(trim(attribute(qn, "type")));
    if (type == "category") {
      const xmlNode* c = child(qn, "category");
      category_ = c ? category_name(optional_text(qn, "category", TextKind::plain)) : std::string();
      return;
    }
    std::optional<QuestionType> kind;
    if (type == "multichoice") kind = QuestionType::single_choice;
    else if (type == "truefalse") kind = QuestionType::true_false;
    else if (type == "shortanswer") kind = QuestionType::short_answer;
    else if (type == "numerical") kind = QuestionType::numerical;
    else if (type == "matching") kind = QuestionType::matching;
    else if (type == "ordering") kind = QuestionType::ordering;
    if (!kind) {
      out_.skipped_lines.push_back(line_of(qn));
      return;
    }
    try {
      Question q = read(qn, *kind);
      q.id = "q" + std::to_string(out_.questions.size() + 1);
      std::vector<std::string> problems = question_problems(q);
      if (!problems.empty()) {
        for (std::string& p : problems) error(line_of(qn), std::move(p));
        return;
      }
      out_.questions.push_back(std::move(q));
    } catch (const Fail& f) {
      error(f.line, f.message);
    }
  }

 private:
  Question read(const xmlNode* qn, QuestionType kind) {
    Question q;
    q.type = kind;
    q.category = category_;
    q.name = optional_text(qn, "name", TextKind::plain);
    q.text = optional_text(qn, "questiontext");
    q.general_feedback = optional_text(qn, "generalfeedback");
    if (const xmlNode* g = child(qn, "defaultgrade")) {
      std::string raw = content(g);
      auto mark = parse_number(raw);
      if (!mark) throw Fail{line_of(g), "Điểm tối đa " + in_quotes(trim(raw)) + " không phải là số."};
      q.mark = *mark;
    }
    switch (kind) {
      case QuestionType::single_choice: {
        const xmlNode* single = child(qn, "single");
        std::string value = single ? lower(trim(content(single))) : "true";
        if (value != "true" && value != "1") q.type = QuestionType::multiple_choice;
        read_choices(qn, q);
        break;
      }
      case QuestionType::true_false: read_true_false(qn, q); break;
      case QuestionType::short_answer: read_short_answer(qn, q); break;
      case QuestionType::numerical: read_numerical(qn, q); break;
      case QuestionType::matching: read_matching(qn, q); break;
      case QuestionType::ordering: read_ordering(qn, q); break;
      default: break;
    }
    if (const xmlNode* tags = child(qn, "tags")) {
      for (const xmlNode* t : children(tags, "tag")) {
        std::string tag = text_in(t, TextKind::plain).value_or("");
        if (!tag.empty()) q.tags.push_back(std::move(tag));
      }
    }
    return q;
  }

  MoodleXmlImport& out_;
  std::string category_;
};

int line_at(std::string_view s, std::size_t pos) {
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(std::min(pos, s.size())), '\n'));
}

constexpr const char* kEntitiesRefused =
    "Tệp có DOCTYPE khai báo thực thể (<!ENTITY>) hoặc DTD bên ngoài: không được chấp nhận vì lý do an toàn.";

// The first error libxml2 reports while parsing on this thread (later ones are often only
// consequences of it, such as "premature end of data").
struct FirstError {
  bool set = false;
  int line = 0;
  std::string message;
};
thread_local FirstError* current_error = nullptr;

void on_error(void*, xmlErrorPtr e) {
  if (!current_error || current_error->set || !e || e->level < XML_ERR_ERROR) return;
  current_error->set = true;
  current_error->line = e->line;
  current_error->message = e->message ? std::string(trim(e->message)) : std::string();
}

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

// ---------------------------------------------------------------------------------------------
// Writing

// Element content: &, <, > escaped; characters XML cannot carry dropped.
std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (u < 0x20 && c != '\n' && c != '\t') break;
        out += c;
    }
  }
  return out;
}

struct Unsupported {};

std::string shortest(double d) {
  if (!std::isfinite(d)) throw Unsupported{};
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

// A percentage that reads back (divided by 100) to exactly `fraction`.
std::string percent(double fraction) {
  if (!std::isfinite(fraction)) throw Unsupported{};
  double d = fraction * 100;
  if (!std::isfinite(d)) throw Unsupported{};
  double up = d, down = d;
  for (int i = 0; i < 8; ++i) {
    for (double candidate : {up, down}) {
      std::string text = shortest(candidate);
      auto back = parse_number(text);
      if (back && *back / 100 == fraction) return text;
    }
    up = std::nextafter(up, INFINITY);
    down = std::nextafter(down, -INFINITY);
  }
  throw Unsupported{};
}

class Writer {
 public:
  void open(std::string_view tag, std::string_view attributes = {}) {
    indent();
    out_ += "<" + std::string(tag) + std::string(attributes) + ">\n";
    ++depth_;
  }
  void close(std::string_view tag) {
    --depth_;
    indent();
    out_ += "</" + std::string(tag) + ">\n";
  }
  void leaf(std::string_view tag, std::string_view value) {
    indent();
    out_ += "<" + std::string(tag) + ">" + escape(value) + "</" + std::string(tag) + ">\n";
  }
  // <holder format="markdown"><text>...</text></holder>
  void text(std::string_view holder, std::string_view value, bool markdown = true) {
    open(holder, markdown ? " format=\"markdown\"" : "");
    leaf("text", value);
    close(holder);
  }
  void answer(const std::string& fraction, std::string_view value, std::string_view feedback,
              std::string_view extra_tag = {}, std::string_view extra_value = {}) {
    open("answer", " fraction=\"" + fraction + "\" format=\"markdown\"");
    leaf("text", value);
    if (!extra_tag.empty()) leaf(extra_tag, extra_value);
    if (!feedback.empty()) text("feedback", feedback);
    close("answer");
  }
  std::string take() { return std::move(out_); }

 private:
  void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }
  std::string out_;
  int depth_ = 1;  // inside <quiz>
};

std::string write_question(const Question& q) {
  const char* type = nullptr;
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice: type = "multichoice"; break;
    case QuestionType::true_false: type = "truefalse"; break;
    case QuestionType::short_answer: type = "shortanswer"; break;
    case QuestionType::numerical: type = "numerical"; break;
    case QuestionType::matching: type = "matching"; break;
    case QuestionType::ordering: type = "ordering"; break;
    case QuestionType::fill_blanks: throw Unsupported{};
  }
  Writer w;
  w.open("question", std::string(" type=\"") + type + "\"");
  w.text("name", q.name, false);
  w.text("questiontext", q.text);
  w.text("generalfeedback", q.general_feedback);
  w.leaf("defaultgrade", shortest(q.mark));
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice:
      w.leaf("single", q.type == QuestionType::single_choice ? "true" : "false");
      w.leaf("shuffleanswers", "true");
      for (const Option& o : q.options) w.answer(percent(o.fraction), o.text, o.feedback);
      break;
    case QuestionType::true_false:
      w.answer(q.truth ? "100" : "0", "true", q.true_feedback);
      w.answer(q.truth ? "0" : "100", "false", q.false_feedback);
      break;
    case QuestionType::short_answer:
      w.leaf("usecase", "0");
      for (const Accepted& a : q.accepted) w.answer(percent(a.fraction), a.text, a.feedback);
      break;
    case QuestionType::numerical:
      for (const NumericAnswer& n : q.numeric) w.answer(percent(n.fraction), shortest(n.value), n.feedback, "tolerance", shortest(n.tolerance));
      break;
    case QuestionType::matching:
      w.leaf("shuffleanswers", "true");
      for (const Pair& p : q.pairs) {
        w.open("subquestion", " format=\"markdown\"");
        w.leaf("text", p.prompt);
        w.open("answer");
        w.leaf("text", p.answer);
        w.close("answer");
        w.close("subquestion");
      }
      break;
    case QuestionType::ordering:
      w.leaf("layouttype", "VERTICAL");
      w.leaf("selecttype", "ALL");
      w.leaf("gradingtype", "ABSOLUTE_POSITION");
      for (std::size_t i = 0; i < q.items.size(); ++i) w.answer(std::to_string(i + 1), q.items[i].text, "");
      break;
    case QuestionType::fill_blanks: throw Unsupported{};
  }
  if (!q.tags.empty()) {
    w.open("tags");
    for (const std::string& tag : q.tags) w.text("tag", tag, false);
    w.close("tags");
  }
  w.close("question");
  return w.take();
}

}  // namespace

MoodleXmlImport parse_moodle_xml(std::string_view xml) {
  MoodleXmlImport out;
  Reader reader(out);
  if (xml.size() > kMaxMoodleXmlBytes) {
    reader.error(0, "Tệp Moodle XML lớn hơn giới hạn " + std::to_string(kMaxMoodleXmlBytes >> 20) + " MB.");
    return out;
  }
  // Entity declarations can only appear in the DOCTYPE, before the root element: refuse them before
  // libxml2 even sees them (XXE, "billion laughs").
  std::string_view prolog = xml.substr(0, xml.find("<quiz"));
  std::size_t entity = prolog.find("<!ENTITY");
  if (entity != std::string_view::npos) {
    reader.error(line_at(xml, std::min(entity, prolog.find("<!DOCTYPE"))), kEntitiesRefused);
    return out;
  }
  init_libxml();
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) {
    reader.error(0, "Không đủ bộ nhớ để đọc tệp Moodle XML.");
    return out;
  }
  int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                XML_PARSE_BIG_LINES;
  ctxt->sax->serror = on_error;
  FirstError first;
  current_error = &first;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, xml.data(), static_cast<int>(xml.size()), "moodle.xml", nullptr, options);
  current_error = nullptr;
  if (!doc) {
    if (!first.set) {
      if (xmlErrorPtr e = xmlCtxtGetLastError(ctxt)) {
        first.line = e->line;
        first.message = e->message ? std::string(trim(e->message)) : std::string();
      }
    }
    reader.error(first.line, "XML không hợp lệ" + (first.message.empty() ? std::string(".") : ": " + first.message + "."));
    xmlFreeParserCtxt(ctxt);
    return out;
  }
  xmlFreeParserCtxt(ctxt);
  xmlDtdPtr dtd = xmlGetIntSubset(doc);
  if ((dtd && (dtd->entities || dtd->pentities || dtd->ExternalID || dtd->SystemID)) || doc->extSubset) {
    std::size_t at = xml.find("<!DOCTYPE");
    reader.error(at == std::string_view::npos ? 1 : line_at(xml, at), kEntitiesRefused);
    xmlFreeDoc(doc);
    return out;
  }
  const xmlNode* quiz = xmlDocGetRootElement(doc);
  if (!is_element(quiz, "quiz")) {
    reader.error(quiz ? line_of(quiz) : 1, "Phần tử gốc phải là <quiz>.");
  } else {
    for (const xmlNode* qn : children(quiz, "question")) reader.question(qn);
  }
  xmlFreeDoc(doc);
  return out;
}

std::string write_moodle_xml(const std::vector<Question>& questions, std::vector<std::string>* unsupported) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n";
  std::string category;
  for (const Question& q : questions) {
    std::string written;
    try {
      written = write_question(q);
    } catch (const Unsupported&) {
      if (unsupported) unsupported->push_back(q.id);
      continue;
    }
    if (q.category != category) {
      std::string path = q.category.empty() ? "$course$/top" : "$course$/top/" + q.category;
      out += "  <question type=\"category\">\n    <category>\n      <text>" + escape(path) +
             "</text>\n    </category>\n  </question>\n";
      category = q.category;
    }
    out += written;
  }
  out += "</quiz>\n";
  return out;
}

}  // namespace hocvu::assessment
