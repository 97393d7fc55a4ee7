// GIFT reader and writer (gift.h). The reader splits the text into blocks at blank lines, drops
// comment lines, and reads each block as a $CATEGORY line and/or one question; a question's
// problems throw Fail, which is reported at its line and leaves the question out.
//
// Escapes are kept in the raw text while it is cut into parts (each scan skips "\x" pairs, so an
// escaped delimiter never cuts), and removed only from the final parts, after trimming: an escaped
// space or "\n" at either end of a part survives, which the writer relies on.
#include "assessment/gift.h"

#include "assessment/format_support.h"

#include "core/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
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

constexpr std::size_t npos = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view ltrim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}
std::string_view rtrim(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// What is wrong with one line's bytes, or nullptr.
const char* line_problem(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size()) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7F) return "Dòng có ký tự điều khiển.";
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    else return "Dòng không phải UTF-8 hợp lệ.";
    if (i + len > line.size()) return "Dòng không phải UTF-8 hợp lệ.";
    for (std::size_t k = 1; k < len; ++k) {
      auto d = static_cast<unsigned char>(line[i + k]);
      if ((d & 0xC0) != 0x80) return "Dòng không phải UTF-8 hợp lệ.";
      cp = cp << 6 | (d & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return "Dòng không phải UTF-8 hợp lệ.";
    i += len;
  }
  return nullptr;
}

// Position of the first unescaped character of `chars` in s at or after `from`, or npos. `from`
// must not be inside an escape pair.
std::size_t find_unescaped(std::string_view s, std::string_view chars, std::size_t from = 0) {
  for (std::size_t i = from; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (chars.find(s[i]) != npos) return i;
  }
  return npos;
}

// Position of the first unescaped "####" at or after `from`, or npos.
std::size_t find_general_feedback(std::string_view s, std::size_t from) {
  for (std::size_t i = from; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s.substr(i, 4) == "####") return i;
  }
  return npos;
}

// Position of the first unescaped "::" at or after `from`, or npos.
std::size_t find_title_end(std::string_view s, std::size_t from) {
  for (std::size_t i = from; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s.substr(i, 2) == "::") return i;
  }
  return npos;
}

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char next = s[i + 1];
      if (next == 'n') {
        out += '\n';
        ++i;
        continue;
      }
      if (std::string_view("\\~=#{}:").find(next) != npos) {
        out += next;
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// A part of the raw text as stored: trimmed, unescaped, NFC.
std::string clean(std::string_view raw) { return to_nfc(unescape(trim(raw))); }

struct Fail {
  int line;
  std::string message;
};

// One block of lines between blank lines, comments left out, joined with "\n".
struct Block {
  std::string text;
  std::vector<std::size_t> starts;  // offset in text of each line
  std::vector<int> numbers;         // its line number in the input
  bool bad = false;                 // a line had invalid bytes (already reported)

  int line_at(const char* p) const {
    auto offset = static_cast<std::size_t>(p - text.data());
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    return numbers[static_cast<std::size_t>(it - starts.begin()) - 1];
  }
};

class Reader {
 public:
  explicit Reader(GiftImport& out) : out_(out) {}

  void error(int line, std::string message) { format::add_error(out_.errors, line, std::move(message)); }

  void block(const Block& b) {
    if (b.bad || b.text.empty()) return;
    std::string_view s = b.text;
    if (ltrim(s).starts_with("$CATEGORY:")) {
      std::size_t end = std::min(s.find('\n'), s.size());
      category_ = read_category(ltrim(s.substr(0, end)).substr(10));
      if (end == s.size()) return;
      s.remove_prefix(end + 1);
      if (trim(s).empty()) return;
    }
    int first_line = b.line_at(ltrim(s).data());
    try {
      std::optional<Question> q = question(b, s);
      if (!q) {
        out_.skipped_lines.push_back(first_line);
        return;
      }
      q->id = "q" + std::to_string(out_.questions.size() + 1);
      q->category = category_;
      out_.questions.push_back(std::move(*q));
    } catch (const Fail& fail) {
      error(fail.line, fail.message);
    }
  }

 private:
  static std::string read_category(std::string_view raw) {
    std::string_view s = trim(raw);
    if (s.starts_with('$')) {  // "$course$/", "$system$/", ...
      std::size_t close = s.find('$', 1);
      if (close != npos && close + 1 < s.size() && s[close + 1] == '/') s.remove_prefix(close + 2);
    }
    if (s.starts_with("top/")) s.remove_prefix(4);
    else if (s == "top") s = {};
    return to_nfc(trim(s));
  }

  // The question of `s` (a part of b.text), or nullopt for an essay or a description.
  std::optional<Question> question(const Block& b, std::string_view s) {
    Question q;
    std::string_view rest = ltrim(s);
    if (rest.starts_with("::")) {
      std::size_t end = find_title_end(rest, 2);
      if (end == npos) throw Fail{b.line_at(rest.data()), "Tiêu đề mở bằng :: nhưng không có :: đóng."};
      q.name = clean(rest.substr(2, end - 2));
      rest = ltrim(rest.substr(end + 2));
    }
    for (std::string_view marker : {"[markdown]", "[plain]", "[html]", "[moodle]"}) {
      if (rest.starts_with(marker)) {
        rest = ltrim(rest.substr(marker.size()));
        break;
      }
    }
    std::size_t open = find_unescaped(rest, "{}");
    if (open != npos && rest[open] == '}')
      throw Fail{b.line_at(rest.data() + open), "Dấu } không có dấu { mở trước nó (viết \\} nếu là chữ)."};
    if (open == npos) return std::nullopt;  // a description
    std::size_t close = find_unescaped(rest, "{}", open + 1);
    if (close == npos) throw Fail{b.line_at(rest.data() + open), "Thiếu dấu } đóng khối đáp án mở ở đây."};
    if (rest[close] == '{')
      throw Fail{b.line_at(rest.data() + close), "Dấu { trong khối đáp án (viết \\{ nếu là chữ; khối đáp án chưa đóng?)."};
    std::string_view before = rest.substr(0, open);
    std::string_view inner = rest.substr(open + 1, close - open - 1);
    std::string_view after = rest.substr(close + 1);
    if (std::size_t extra = find_unescaped(after, "{}"); extra != npos)
      throw Fail{b.line_at(after.data() + extra), after[extra] == '{'
                                                      ? "Mỗi câu hỏi chỉ có một khối đáp án {…}."
                                                      : "Dấu } không có dấu { mở trước nó (viết \\} nếu là chữ)."};

    std::string_view answers = trim(inner);
    // "{#...}" is numerical, its '#' not part of a "####"; "{####...}" an essay's general feedback.
    std::size_t gf = find_general_feedback(answers, answers.starts_with('#') && !answers.starts_with("####") ? 1 : 0);
    if (gf != npos) {
      q.general_feedback = clean(answers.substr(gf + 4));
      answers = trim(answers.substr(0, gf));
    }
    if (answers.empty()) return std::nullopt;  // an essay

    bool has_after = !trim(after).empty();
    int line = b.line_at(answers.data());
    if (answers.front() == '#') {
      numerical(b, q, answers.substr(1));
    } else if (answers.front() == '=' || answers.front() == '~') {
      items(b, q, answers);
    } else {
      true_false(b, q, answers);
    }

    bool gap = has_after && (q.type == QuestionType::short_answer || q.type == QuestionType::single_choice ||
                             q.type == QuestionType::multiple_choice);
    if (gap) {
      Blank blank;
      if (q.type == QuestionType::short_answer) {
        blank.accepted = std::move(q.accepted);
      } else {
        for (Option& o : q.options)
          if (o.fraction > 0) blank.accepted.push_back({std::move(o.text), o.fraction, std::move(o.feedback)});
        if (blank.accepted.empty()) throw Fail{line, "Chỗ trống cần ít nhất một đáp án đúng (= hoặc trọng số dương)."};
      }
      Question fill;
      fill.name = std::move(q.name);
      fill.general_feedback = std::move(q.general_feedback);
      q = std::move(fill);
      q.type = QuestionType::fill_blanks;
      q.text = to_nfc(unescape(ltrim(before))) + "{1}" + to_nfc(unescape(rtrim(after)));
      q.blanks.push_back(std::move(blank));
    } else {
      q.text = clean(before);
      if (has_after) q.text += (q.text.empty() ? "" : " ") + clean(after);
    }
    return q;
  }

  // `%n%` at the start of `s` (after spaces): consumes it and gives n / 100.
  std::optional<double> weight(const Block& b, std::string_view& s) {
    s = ltrim(s);
    if (!s.starts_with('%')) return std::nullopt;
    std::size_t close = s.find('%', 1);
    if (close == npos) throw Fail{b.line_at(s.data()), "Thiếu dấu % đóng trọng số (dạng %50%)."};
    std::string_view text = s.substr(1, close - 1);
    std::optional<double> n = parse_number(text);
    if (!n || *n < -100 || *n > 100)
      throw Fail{b.line_at(s.data()), "Trọng số không hợp lệ: " + in_quotes(text) + " (cần một số từ -100 đến 100)."};
    s.remove_prefix(close + 1);
    return *n / 100;
  }

  // Splits s at the first unescaped '#': the text before and the feedback after (cleaned).
  static std::pair<std::string_view, std::string> with_feedback(std::string_view s) {
    std::size_t hash = find_unescaped(s, "#");
    if (hash == npos) return {s, {}};
    return {s.substr(0, hash), clean(s.substr(hash + 1))};
  }

  // value:tolerance, min..max or value.
  static NumericAnswer number_spec(const Block& b, std::string_view spec) {
    spec = trim(spec);
    int line = b.line_at(spec.data());
    if (spec.empty()) throw Fail{line, "Câu hỏi số thiếu đáp án số."};
    auto number = [&](std::string_view text) {
      std::optional<double> n = parse_number(text);
      if (!n) throw Fail{line, "Số không hợp lệ: " + in_quotes(trim(text)) + " (dùng dấu chấm thập phân: 3.14)."};
      return *n;
    };
    NumericAnswer a;
    if (std::size_t dots = spec.find(".."); dots != npos) {
      double low = number(spec.substr(0, dots)), high = number(spec.substr(dots + 2));
      if (low > high) throw Fail{line, "Khoảng số " + in_quotes(spec) + " có đầu dưới lớn hơn đầu trên."};
      a.value = low / 2 + high / 2;
      a.tolerance = high / 2 - low / 2;
    } else if (std::size_t colon = spec.find(':'); colon != npos) {
      a.value = number(spec.substr(0, colon));
      a.tolerance = number(spec.substr(colon + 1));
      if (a.tolerance < 0) throw Fail{line, "Sai số không được âm: " + in_quotes(spec) + "."};
    } else {
      a.value = number(spec);
    }
    if (!std::isfinite(a.value) || !std::isfinite(a.tolerance)) throw Fail{line, "Số quá lớn: " + in_quotes(spec) + "."};
    return a;
  }

  void numerical(const Block& b, Question& q, std::string_view body) {
    q.type = QuestionType::numerical;
    body = trim(body);
    if (std::size_t tilde = find_unescaped(body, "~"); tilde != npos)
      throw Fail{b.line_at(body.data() + tilde), "Câu hỏi số không dùng dấu ~; mỗi đáp án viết =%trọng số%số:sai số."};
    if (!body.starts_with('=')) {
      auto [spec, feedback] = with_feedback(body);
      NumericAnswer a = number_spec(b, spec);
      a.feedback = std::move(feedback);
      q.numeric.push_back(std::move(a));
      return;
    }
    std::size_t start = 0;
    while (start < body.size()) {
      std::size_t next = find_unescaped(body, "=", start + 1);
      std::string_view item = body.substr(start + 1, (next == npos ? body.size() : next) - start - 1);
      std::optional<double> w = weight(b, item);
      auto [spec, feedback] = with_feedback(item);
      NumericAnswer a = number_spec(b, spec);
      a.fraction = w.value_or(1);
      a.feedback = std::move(feedback);
      q.numeric.push_back(std::move(a));
      if (next == npos) break;
      start = next;
    }
  }

  void true_false(const Block& b, Question& q, std::string_view answers) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
      std::size_t hash = find_unescaped(answers, "#", start);
      parts.push_back(answers.substr(start, (hash == npos ? answers.size() : hash) - start));
      if (hash == npos) break;
      start = hash + 1;
    }
    std::string word(trim(parts[0]));
    for (char& c : word)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    int line = b.line_at(answers.data());
    if (word == "T" || word == "TRUE") q.truth = true;
    else if (word == "F" || word == "FALSE") q.truth = false;
    else throw Fail{line, "Không hiểu khối đáp án " + in_quotes(trim(parts[0])) + ": cần =đúng ~sai, #số, T hoặc F."};
    if (parts.size() > 3) throw Fail{line, "Câu đúng/sai có nhiều nhất hai phản hồi (#khi trả lời sai#khi trả lời đúng)."};
    q.type = QuestionType::true_false;
    std::string wrong = parts.size() > 1 ? clean(parts[1]) : "", right = parts.size() > 2 ? clean(parts[2]) : "";
    q.true_feedback = q.truth ? std::move(right) : std::move(wrong);
    q.false_feedback = q.truth ? std::move(wrong) : std::move(right);
  }

  void items(const Block& b, Question& q, std::string_view answers) {
    struct Raw {
      char marker;
      std::string_view body;
      bool arrow;
    };
    std::vector<Raw> raw;
    std::size_t start = 0;
    while (start < answers.size()) {
      std::size_t next = find_unescaped(answers, "=~", start + 1);
      std::string_view body = answers.substr(start + 1, (next == npos ? answers.size() : next) - start - 1);
      std::size_t hash = find_unescaped(body, "#");
      bool arrow = body.substr(0, hash).find("->") != npos;
      raw.push_back({answers[start], body, arrow});
      if (next == npos) break;
      start = next;
    }
    bool matching = std::any_of(raw.begin(), raw.end(), [](const Raw& r) { return r.arrow; });
    if (matching) {
      q.type = QuestionType::matching;
      for (const Raw& r : raw) {
        int line = b.line_at(r.body.data() - 1);
        if (r.marker != '=' || !r.arrow)
          throw Fail{line, "Dấu -> chỉ dùng trong câu hỏi ghép đôi: mọi đáp án phải có dạng =câu hỏi -> đáp án."};
        std::size_t arrow = r.body.find("->");
        Pair p{letter_id(q.pairs.size()), clean(r.body.substr(0, arrow)), clean(r.body.substr(arrow + 2))};
        if (p.answer.empty()) throw Fail{line, "Thiếu đáp án bên phải dấu ->."};
        q.pairs.push_back(std::move(p));
      }
      return;
    }
    bool tilde = false;
    int equals = 0;
    for (const Raw& r : raw) {
      std::string_view body = r.body;
      int line = b.line_at(r.body.data() - 1);
      std::optional<double> w = weight(b, body);
      auto [text, feedback] = with_feedback(body);
      Option o{letter_id(q.options.size()), clean(text), w.value_or(r.marker == '=' ? 1 : 0), std::move(feedback)};
      if (o.text.empty()) throw Fail{line, "Đáp án trống sau dấu " + std::string(1, r.marker) + "."};
      q.options.push_back(std::move(o));
      if (r.marker == '~') tilde = true;
      else ++equals;
    }
    if (!tilde) {
      q.type = QuestionType::short_answer;
      for (Option& o : q.options) q.accepted.push_back({std::move(o.text), o.fraction, std::move(o.feedback)});
      q.options.clear();
      return;
    }
    q.type = equals == 1 ? QuestionType::single_choice : QuestionType::multiple_choice;
  }

  GiftImport& out_;
  std::string category_;
};

// ---------------------------------------------------------------------------------------------
// Writing

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (std::string_view("\\~=#{}:").find(c) != npos) out += '\\', out += c;
    else out += c;
  }
  return out;
}

std::string shortest(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

// The percentage for `fraction`, written shortest: an n with n / 100 == fraction when there is
// one (always so for fractions parse_gift read), else the nearest (not every double is some
// n / 100: 1.0 / 3 reads back as 0.33333333333333331). nullopt outside -100%..100%.
std::optional<std::string> percent(double fraction) {
  if (!std::isfinite(fraction)) return std::nullopt;
  double y = fraction * 100;
  if (!(y >= -100.0000001 && y <= 100.0000001)) return std::nullopt;
  double up = y, down = y;
  for (int step = 0; step < 8; ++step) {
    for (double c : {up, down})
      if (c >= -100 && c <= 100 && c / 100 == fraction) return shortest(c);
    up = std::nextafter(up, INFINITY);
    down = std::nextafter(down, -INFINITY);
  }
  return shortest(std::clamp(y, -100.0, 100.0));
}

struct Unsupported {};

// "%n%" when needed: the weight differs from what the marker means alone, or the text would be
// read as a weight.
std::string weight_text(double fraction, double implied, std::string_view text) {
  if (fraction == implied && !text.starts_with('%')) return {};
  std::optional<std::string> p = percent(fraction);
  if (!p) throw Unsupported{};
  return "%" + *p + "%";
}

// An answer text: not empty, no "->" (which would make the question a matching one).
std::string answer_text(std::string_view text) {
  if (text.empty() || text.find("->") != npos) throw Unsupported{};
  return escape(text);
}

std::string feedback_text(std::string_view feedback) { return feedback.empty() ? "" : "#" + escape(feedback); }

// The question text before the answers: a format marker first when the text would otherwise
// start with one, look like a comment or a $CATEGORY line, or start with a byte order mark
// (skipped at the start of a file).
std::string lead_text(std::string_view text) {
  std::string out = escape(text);
  if (!text.empty() && (text.front() == '[' || text.front() == '/' || text.front() == '$' || text.starts_with("\xEF\xBB\xBF")))
    out = "[markdown]" + out;
  return out;
}

std::string number_text(const NumericAnswer& a) {
  if (!std::isfinite(a.value) || !std::isfinite(a.tolerance) || a.tolerance < 0) throw Unsupported{};
  return shortest(a.value) + ":" + shortest(a.tolerance);
}

// The block's lines, one answer a line, then the general feedback.
std::string block_lines(const std::vector<std::string>& lines, const std::string& general_feedback) {
  std::string out = "{\n";
  for (const std::string& line : lines) out += "\t" + line + "\n";
  if (!general_feedback.empty()) out += "\t####" + escape(general_feedback) + "\n";
  return out + "}";
}

std::string general(const std::string& general_feedback) {
  return general_feedback.empty() ? "" : "####" + escape(general_feedback);
}

std::string write_question(const Question& q) {
  std::string head = q.name.empty() ? "" : "::" + escape(q.name) + "::";
  auto with_text = [&](const std::string& block) {
    std::string text = lead_text(q.text);
    return head + text + (text.empty() ? "" : " ") + block + "\n";
  };
  std::vector<std::string> lines;
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice: {
      bool single = q.type == QuestionType::single_choice;
      if (q.options.empty() || (single && q.options.size() < 2)) throw Unsupported{};
      std::size_t best = 0;
      for (std::size_t i = 1; i < q.options.size(); ++i)
        if (q.options[i].fraction > q.options[best].fraction) best = i;
      for (std::size_t i = 0; i < q.options.size(); ++i) {
        const Option& o = q.options[i];
        bool right = single && i == best;
        lines.push_back(std::string(right ? "=" : "~") + weight_text(o.fraction, right ? 1 : 0, o.text) +
                        answer_text(o.text) + feedback_text(o.feedback));
      }
      return with_text(block_lines(lines, q.general_feedback));
    }
    case QuestionType::true_false: {
      const std::string& wrong = q.truth ? q.false_feedback : q.true_feedback;
      const std::string& right = q.truth ? q.true_feedback : q.false_feedback;
      std::string block = q.truth ? "{TRUE" : "{FALSE";
      if (!wrong.empty() || !right.empty()) block += "#" + escape(wrong);
      if (!right.empty()) block += "#" + escape(right);
      return with_text(block + general(q.general_feedback) + "}");
    }
    case QuestionType::short_answer:
      if (q.accepted.empty()) throw Unsupported{};
      for (const Accepted& a : q.accepted)
        lines.push_back("=" + weight_text(a.fraction, 1, a.text) + answer_text(a.text) + feedback_text(a.feedback));
      return with_text(block_lines(lines, q.general_feedback));
    case QuestionType::numerical:
      if (q.numeric.empty()) throw Unsupported{};
      if (q.numeric.size() == 1 && q.numeric[0].fraction == 1)
        return with_text("{#" + number_text(q.numeric[0]) + feedback_text(q.numeric[0].feedback) +
                         general(q.general_feedback) + "}");
      for (const NumericAnswer& a : q.numeric)
        lines.push_back("=" + weight_text(a.fraction, 1, "") + number_text(a) + feedback_text(a.feedback));
      return with_text("{#\n" + block_lines(lines, q.general_feedback).substr(2));
    case QuestionType::matching:
      if (q.pairs.empty()) throw Unsupported{};
      for (const Pair& p : q.pairs) {
        if (p.prompt.find("->") != npos || p.answer.empty()) throw Unsupported{};
        lines.push_back("=" + escape(p.prompt) + " -> " + escape(p.answer));
      }
      return with_text(block_lines(lines, q.general_feedback));
    case QuestionType::fill_blanks: {
      std::size_t gap = q.text.find("{1}");
      if (q.blanks.size() != 1 || q.blanks[0].accepted.empty() || gap == npos ||
          q.text.find("{1}", gap + 1) != npos)
        throw Unsupported{};
      std::string before = lead_text(q.text.substr(0, gap)), after = escape(q.text.substr(gap + 3));
      if (trim(after).empty()) throw Unsupported{};
      std::string block = "{";
      for (const Accepted& a : q.blanks[0].accepted)
        block += "=" + weight_text(a.fraction, 1, a.text) + answer_text(a.text) + feedback_text(a.feedback) + " ";
      block += general(q.general_feedback) + "}";
      return head + before + block + after + "\n";
    }
    case QuestionType::ordering:
      break;
  }
  throw Unsupported{};
}

}  // namespace

GiftImport parse_gift(std::string_view text) {
  GiftImport out;
  Reader reader(out);
  if (text.size() > kMaxGiftBytes) {
    reader.error(0, "Tệp GIFT lớn hơn giới hạn " + std::to_string(kMaxGiftBytes >> 20) + " MB.");
    return out;
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  Block block;
  auto flush = [&] {
    reader.block(block);
    block = Block{};
  };
  int number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    const char* problem = line_problem(line);
    if (problem) {
      reader.error(number, problem);
      if (!ltrim(line).starts_with("//")) block.bad = true;
    } else if (trim(line).empty()) {
      flush();
    } else if (!ltrim(line).starts_with("//")) {
      if (!block.starts.empty()) block.text += '\n';
      block.starts.push_back(block.text.size());
      block.numbers.push_back(number);
      block.text += line;
    }
    if (end == text.size()) break;
    start = end + 1;
  }
  flush();
  return out;
}

std::string write_gift(const std::vector<Question>& questions, std::vector<std::string>* unsupported) {
  std::string out;
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
      std::string name = q.category;
      std::replace(name.begin(), name.end(), '\n', ' ');
      out += "$CATEGORY: $course$/top/" + name + "\n\n";
      category = q.category;
    }
    out += written + "\n";
  }
  return out;
}

}  // namespace hocvu::assessment
