// Authors' pages for question banks: the list, one bank with its questions, import (GIFT, Moodle
// XML) with errors by line, export, the question editor for every type, and a preview that shows
// a question as a learner sees it and grades a try.
#include "accounts/route_support.h"
#include "assessment/question_json.h"
#include "assessment/question_view.h"
#include "assessment/route_support.h"
#include "core/text.h"
#include "learning/route_support.h"
#include "web/app.h"
#include "web/request_target.h"
#include "web/multipart.h"

#include <boost/json/parse.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

namespace hocvu::assessment {
namespace {

using accounts::Body;
using accounts::Call;
using accounts::Principal;
using web::parse_id;
using accounts::unavailable;
using web::field;
using web::redirect;
using web::App;
using web::Data;
using web::Request;
using web::Response;

constexpr int kMinRows = 6;
constexpr int kMaxRows = 40;

// The shortest text that reads back as the same number: an author's form posted back unchanged
// must give the same question (and no new version), so 33.33333 must not become 33.3333.
std::string number(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::optional<double> decimal(std::string s) {
  std::replace(s.begin(), s.end(), ',', '.');
  s = trim(s);
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A percentage typed in the editor as a share of the mark. Rounded to 1e-10, so that a share
// shown as a percentage and posted back unchanged is the same number (33.33333 / 100 is not
// exactly 0.3333333 in floating point) and saving makes no new version.
double share_of_percent(double percent) { return std::round(percent / 100 * 1e10) / 1e10; }

std::string join(const std::vector<std::string>& list, std::string_view sep) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::vector<std::string> split_list(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= text.size()) {
    auto j = text.find(sep, i);
    if (j == std::string::npos) j = text.size();
    auto piece = trim(text.substr(i, j - i));
    if (!piece.empty()) out.push_back(to_nfc(piece));
    i = j + 1;
  }
  return out;
}

std::string type_label(App& app, const Request& req, QuestionType t) {
  return app.text(req, std::string("bank.type_") + type_name(t));
}

// The columns the editor shows for a type's rows: (field suffix, label key).
std::vector<std::pair<std::string, std::string>> columns(QuestionType t) {
  switch (t) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice:
    case QuestionType::short_answer:
      return {{"text", "bank.col_text"}, {"percent", "bank.col_percent"}, {"feedback", "bank.col_feedback"}};
    case QuestionType::numerical:
      return {{"text", "bank.col_value"}, {"tolerance", "bank.col_tolerance"}, {"percent", "bank.col_percent"},
              {"feedback", "bank.col_feedback"}};
    case QuestionType::matching: return {{"text", "bank.col_prompt"}, {"answer", "bank.col_answer"}};
    case QuestionType::ordering: return {{"text", "bank.col_item"}};
    case QuestionType::fill_blanks: return {{"text", "bank.col_gap_answers"}};
    case QuestionType::true_false: return {};
  }
  return {};
}

// The editor's rows for a question, as text cells by column.
std::vector<std::map<std::string, std::string>> rows_of(const Question& q) {
  std::vector<std::map<std::string, std::string>> rows;
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice:
      for (const auto& o : q.options) rows.push_back({{"id", o.id}, {"text", o.text}, {"percent", number(o.fraction * 100)}, {"feedback", o.feedback}});
      break;
    case QuestionType::short_answer:
      for (const auto& a : q.accepted) rows.push_back({{"text", a.text}, {"percent", number(a.fraction * 100)}, {"feedback", a.feedback}});
      break;
    case QuestionType::numerical:
      for (const auto& n : q.numeric)
        rows.push_back({{"text", number(n.value)}, {"tolerance", number(n.tolerance)}, {"percent", number(n.fraction * 100)}, {"feedback", n.feedback}});
      break;
    case QuestionType::matching:
      for (const auto& p : q.pairs) rows.push_back({{"id", p.id}, {"text", p.prompt}, {"answer", p.answer}});
      break;
    case QuestionType::ordering:
      for (const auto& i : q.items) rows.push_back({{"id", i.id}, {"text", i.text}});
      break;
    case QuestionType::fill_blanks:
      for (const auto& b : q.blanks) {
        std::vector<std::string> texts;
        for (const auto& a : b.accepted) texts.push_back(a.fraction >= 1 - 1e-9 ? a.text : a.text + " =" + number(a.fraction * 100) + "%");
        rows.push_back({{"text", join(texts, " | ")}});
      }
      break;
    case QuestionType::true_false:
      break;
  }
  return rows;
}

// Reads the editor form into `q` (its type and id already set). Field problems go to `errors`.
void read_form(Question& q, const web::Fields& form, web::FieldErrors& errors) {
  q.name = to_nfc(trim(field(form, "name")));
  q.text = to_nfc(field(form, "text"));
  q.general_feedback = to_nfc(trim(field(form, "general_feedback")));
  q.category = to_nfc(trim(field(form, "category")));
  q.tags = split_list(field(form, "tags"), ',');
  q.competencies = split_list(field(form, "competencies"), ',');
  q.difficulty = std::clamp(web::to_int(field(form, "difficulty"), 0), 0, 3);
  q.matching.ignore_diacritics = field(form, "ignore_diacritics") == "1";
  if (auto mark = decimal(field(form, "mark")); mark && *mark > 0 && *mark <= 1000) q.mark = *mark;
  else errors.emplace_back("mark", "Điểm của câu hỏi phải là một số dương (tối đa 1000).");
  if (q.text.empty()) errors.emplace_back("text", "Hãy viết nội dung câu hỏi.");
  if (q.text.size() > 20000) errors.emplace_back("text", "Nội dung câu hỏi quá dài (tối đa 20.000 ký tự).");
  q.truth = field(form, "truth") != "false";
  q.true_feedback = trim(field(form, "true_feedback"));
  q.false_feedback = trim(field(form, "false_feedback"));
  const auto ids = web::fields(form, "row_id");
  const auto texts = web::fields(form, "row_text");
  const auto percents = web::fields(form, "row_percent");
  const auto feedbacks = web::fields(form, "row_feedback");
  const auto tolerances = web::fields(form, "row_tolerance");
  const auto answers = web::fields(form, "row_answer");
  auto at = [](const std::vector<std::string>& v, std::size_t i) { return i < v.size() ? to_nfc(trim(v[i])) : std::string(); };
  std::set<std::string> used;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (!ids[i].empty()) used.insert(ids[i]);
  int next = 0;
  auto fresh_id = [&used, &next]() {
    std::string id;
    do {
      id.clear();
      int n = next++;
      do {
        id.insert(id.begin(), static_cast<char>('a' + n % 26));
        n = n / 26 - 1;
      } while (n >= 0);
    } while (used.count(id));
    used.insert(id);
    return id;
  };
  auto percent_of = [&](std::size_t i, double fallback) -> std::optional<double> {
    auto p = at(percents, i);
    if (p.empty()) return fallback;
    auto v = decimal(p);
    if (!v) return std::nullopt;
    return share_of_percent(*v);
  };
  const std::size_t n = std::min<std::size_t>(texts.size(), kMaxRows);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string text = at(texts, i);
    if (text.empty() && (q.type != QuestionType::matching || at(answers, i).empty())) continue;
    const std::string id = at(ids, i).empty() ? fresh_id() : at(ids, i);
    switch (q.type) {
      case QuestionType::single_choice:
      case QuestionType::multiple_choice: {
        auto f = percent_of(i, 0);
        if (!f) errors.emplace_back("answers", "Dòng " + std::to_string(i + 1) + ": tỉ lệ điểm phải là một số (ví dụ 100, 50, -50).");
        q.options.push_back({id, text, f.value_or(0), at(feedbacks, i)});
        break;
      }
      case QuestionType::short_answer: {
        auto f = percent_of(i, 1);
        if (!f) errors.emplace_back("answers", "Dòng " + std::to_string(i + 1) + ": tỉ lệ điểm phải là một số.");
        q.accepted.push_back({text, f.value_or(1), at(feedbacks, i)});
        break;
      }
      case QuestionType::numerical: {
        auto v = decimal(text);
        auto tol = at(tolerances, i).empty() ? std::optional<double>(0) : decimal(at(tolerances, i));
        auto f = percent_of(i, 1);
        if (!v || !tol || !f) errors.emplace_back("answers", "Dòng " + std::to_string(i + 1) + ": giá trị, sai số và tỉ lệ điểm phải là số.");
        q.numeric.push_back({v.value_or(0), tol.value_or(0), f.value_or(1), at(feedbacks, i)});
        break;
      }
      case QuestionType::matching:
        q.pairs.push_back({id, text, at(answers, i)});
        break;
      case QuestionType::ordering:
        q.items.push_back({id, text});
        break;
      case QuestionType::fill_blanks: {
        Blank b;
        for (auto& piece : split_list(text, '|')) {
          double fraction = 1;
          auto eq = piece.rfind(" =");
          if (eq != std::string::npos && piece.size() > eq + 2 && piece.back() == '%') {
            if (auto f = decimal(piece.substr(eq + 2, piece.size() - eq - 3))) {
              fraction = share_of_percent(*f);
              piece = trim(piece.substr(0, eq));
            }
          }
          b.accepted.push_back({piece, fraction, ""});
        }
        q.blanks.push_back(std::move(b));
        break;
      }
      case QuestionType::true_false:
        break;
    }
  }
}

Data editor_data(App& app, const Request& req, const Bank& bank, const Question& q, int version, const web::FieldErrors& errors) {
  Data d = web::form_errors(errors);
  d.set("bank_id", std::to_string(bank.id));
  d.set("bank_title", bank.title);
  if (!q.id.empty()) {
    d.set("qid", q.id);
    d.set("version", std::to_string(version));
  }
  d.set("type", type_name(q.type));
  d.set("type_label", type_label(app, req, q.type));
  d.set("name", q.name);
  d.set("text", q.text);
  d.set("mark", number(q.mark));
  d.set("general_feedback", q.general_feedback);
  d.set("category", q.category);
  d.set("tags", join(q.tags, ", "));
  d.set("competencies", join(q.competencies, ", "));
  Data diffs{Data::type::list};
  for (int i = 0; i <= 3; ++i) {
    Data o{Data::type::object};
    o.set("n", std::to_string(i));
    o.set("label", app.text(req, "bank.difficulty_" + std::to_string(i)));
    if (q.difficulty == i) o.set("selected", true);
    diffs.push_back(o);
  }
  d.set("difficulties", diffs);
  if (q.matching.ignore_diacritics) d.set("ignore_diacritics", true);
  if (q.type == QuestionType::short_answer || q.type == QuestionType::fill_blanks) d.set("has_matching", true);
  if (q.type == QuestionType::true_false) {
    d.set("is_true_false", true);
    d.set(q.truth ? "truth_true" : "truth_false", true);
    d.set("true_feedback", q.true_feedback);
    d.set("false_feedback", q.false_feedback);
  }
  d.set(std::string("hint_") + type_name(q.type), true);
  const auto cols = columns(q.type);
  if (!cols.empty()) {
    d.set("has_rows", true);
    Data heads{Data::type::list};
    for (const auto& [name, key] : cols) heads.push_back(Data{"label", app.text(req, key)});
    d.set("heads", heads);
    auto rows = rows_of(q);
    const std::size_t count = std::min<std::size_t>(kMaxRows, std::max<std::size_t>(kMinRows, rows.size() + 3));
    Data list{Data::type::list};
    for (std::size_t i = 0; i < count; ++i) {
      Data row{Data::type::object};
      row.set("row_n", std::to_string(i + 1));
      row.set("row_id", i < rows.size() && rows[i].count("id") ? rows[i]["id"] : std::string());
      Data cells{Data::type::list};
      for (const auto& [name, key] : cols) {
        Data cell{Data::type::object};
        cell.set("cell_name", "row_" + name);
        cell.set("cell_id", "row-" + name + "-" + std::to_string(i + 1));
        cell.set("cell_label", app.text(req, key) + " " + std::to_string(i + 1));
        cell.set("cell_value", i < rows.size() && rows[i].count(name) ? rows[i][name] : std::string());
        cells.push_back(cell);
      }
      row.set("cells", cells);
      list.push_back(row);
    }
    d.set("rows", list);
  }
  return d;
}

Response editor_page(Context& c, Request& req, const Bank& bank, const Question& q, int version,
                     const web::FieldErrors& errors, int status) {
  return c.app().page(req, "question_edit", q.name.empty() ? c.app().text(req, "bank.new_question") : q.name,
                      editor_data(c.app(), req, bank, q, version, errors), status);
}

Response bank_page(Context& c, Request& req, const Bank& bank, const std::vector<ImportReport::Problem>& import_errors,
                   int status) {
  auto questions = c.service().questions(bank.id);
  if (!questions) return unavailable("banks", questions.status());
  Data d{Data::type::object};
  d.set("id", std::to_string(bank.id));
  d.set("bank_title", bank.title);
  d.set("provider", bank.provider_name);
  d.set("count", std::to_string(questions->size()));
  Data list{Data::type::list};
  for (const auto& s : *questions) {
    Data o{Data::type::object};
    o.set("qid", s.question.id);
    o.set("name", s.question.name.empty() ? trim(s.question.text.substr(0, 80)) : s.question.name);
    o.set("type_label", type_label(c.app(), req, s.question.type));
    o.set("category", s.question.category);
    o.set("version", std::to_string(s.version));
    list.push_back(o);
  }
  d.set("questions", list);
  Data types{Data::type::list};
  for (auto t : {QuestionType::single_choice, QuestionType::multiple_choice, QuestionType::true_false,
                 QuestionType::short_answer, QuestionType::numerical, QuestionType::matching, QuestionType::ordering,
                 QuestionType::fill_blanks}) {
    Data o{Data::type::object};
    o.set("value", type_name(t));
    o.set("label", type_label(c.app(), req, t));
    types.push_back(o);
  }
  d.set("types", types);
  if (!import_errors.empty()) {
    Data errs{Data::type::list};
    for (const auto& e : import_errors) {
      Data o{Data::type::object};
      if (e.line) o.set("line", std::to_string(e.line));
      o.set("message", e.message);
      errs.push_back(o);
    }
    d.set("import_errors", errs);
    d.set("has_import_errors", true);
  }
  auto done = req.query_param("done");
  if (done == "imported") {
    d.set("done", c.app().text(req, "bank.done_imported") + " " + std::string(req.query_param("n")));
    if (auto s = req.query_param("skipped"); !s.empty() && s != "0")
      d.set("skipped", c.app().text(req, "bank.done_skipped") + " " + std::string(s));
  } else if (done == "saved") {
    d.set("done", c.app().text(req, "bank.done_saved"));
  } else if (done == "image") {
    const std::string url(req.query_param("url"));
    // Only a URL this bank's upload made is echoed back.
    if (url.starts_with("/media/banks/" + std::to_string(bank.id) + "/") && url.find("..") == std::string::npos) {
      d.set("done", c.app().text(req, "bank.done_image"));
      d.set("image_markdown", "![" + c.app().text(req, "bank.image_alt") + "](" + url + ")");
    }
  }
  return c.app().page(req, "bank", bank.title, d, status);
}

Response banks_page(Context& c, Request& req, const Principal& who, const web::FieldErrors& errors, int status) {
  if (!accounts::may_somewhere(who, accounts::Action::author_course)) return Response::text(403, "");
  auto providers = c.providers(who);
  if (!providers) return unavailable("banks", providers.status());
  std::vector<std::int64_t> ids;
  for (const auto& p : *providers) ids.push_back(p.first);
  auto banks = c.store().banks(ids, false);
  if (!banks) return unavailable("banks", banks.status());
  Data d = web::form_errors(errors);
  Data list{Data::type::list};
  for (const auto& b : *banks) {
    Data o{Data::type::object};
    o.set("id", std::to_string(b.id));
    o.set("bank_title", b.title);
    o.set("provider", b.provider_name);
    o.set("count", std::to_string(b.questions));
    list.push_back(o);
  }
  d.set("banks", list);
  Data provs{Data::type::list};
  for (const auto& [id, name] : *providers) {
    Data o{Data::type::object};
    o.set("id", std::to_string(id));
    o.set("name", name);
    provs.push_back(o);
  }
  d.set("providers", provs);
  if (providers->empty()) d.set("no_providers", true);
  return c.app().page(req, "banks", c.app().text(req, "bank.list_title"), d, status);
}

// ---- The handlers, each behind the one prologue (Context::on) ----

Response list_banks(Context& c, Call& call) { return banks_page(c, call.req, call.who, {}, 200); }

Response create_bank(Context& c, Call& call) {
  std::string title = to_nfc(trim(call.field("title")));
  const std::int64_t provider = parse_id(call.field("provider_id"));
  web::FieldErrors errors;
  if (title.empty() || title.size() > 200) errors.emplace_back("title", "Hãy đặt tên ngân hàng (tối đa 200 ký tự).");
  auto ok = c.may_author(call.who, provider);
  if (!ok) return unavailable("banks", ok.status());
  if (!*ok) errors.emplace_back("provider_id", "Hãy chọn một đơn vị mà bạn được soạn bài.");
  if (!errors.empty()) return banks_page(c, call.req, call.who, errors, 422);
  auto id = c.store().create_bank(provider, title, call.who.id, learning::now_text());
  if (!id) return unavailable("banks", id.status());
  return redirect("/author/banks/" + std::to_string(*id));
}

Response show_bank(Context& c, Call& call) {
  auto bank = c.bank_of(call);
  if (auto* res = std::get_if<Response>(&bank)) return std::move(*res);
  return bank_page(c, call.req, std::get<Bank>(bank), {}, 200);
}

Response import_into_bank(Context& c, Call& call) {
  auto found = c.bank_of(call);
  if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
  const Bank& bank = std::get<Bank>(found);
  std::string text = call.upload.file.empty() ? call.field("text") : call.upload.file;
  const std::string format = call.field("format");
  if (text.empty()) return bank_page(c, call.req, bank, {{0, "Hãy chọn một tệp, hoặc dán nội dung câu hỏi vào ô."}}, 422);
  if (format != "gift" && format != "moodle_xml")
    return bank_page(c, call.req, bank, {{0, "Hãy chọn định dạng của tệp: GIFT hoặc Moodle XML."}}, 422);
  auto report = c.service().import(bank.id, format == "gift" ? ImportFormat::gift : ImportFormat::moodle_xml, text,
                                   call.field("valid_only") == "1", call.who.id, learning::now_text());
  if (!report) return unavailable("import", report.status());
  if (!report->imported) return bank_page(c, call.req, bank, report->errors, 422);
  return redirect("/author/banks/" + std::to_string(bank.id) + "?done=imported&n=" + std::to_string(report->saved.size()) +
                  "&skipped=" + std::to_string(report->errors.size() + report->skipped_lines.size()));
}

Response upload_bank_image(Context& c, Call& call) {
  auto found = c.bank_of(call);
  if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
  const Bank& bank = std::get<Bank>(found);
  auto image = bank_image(c, bank, call.req);
  if (!image && image.status().code() == ErrorCode::invalid_argument)
    return bank_page(c, call.req, bank, {{0, image.status().message()}}, 422);
  if (!image) return unavailable("media", image.status());
  return redirect("/author/banks/" + std::to_string(bank.id) + "?done=image&url=" + web::percent_encode(*image) + "#images");
}

// The API's export, as a download from the page.
Response export_bank(Context& c, Call& call) {
  auto bank = c.bank_of(call);
  if (auto* res = std::get_if<Response>(&bank)) return std::move(*res);
  return redirect("/api/v1/banks/" + std::to_string(std::get<Bank>(bank).id) + "/export?format=" +
                  (call.req.query_param("format") == "moodle_xml" ? "moodle_xml" : "gift"));
}

Response new_question(Context& c, Call& call) {
  auto bank = c.bank_of(call);
  if (auto* res = std::get_if<Response>(&bank)) return std::move(*res);
  Question q;
  q.type = type_from_name(call.req.query_param("type")).value_or(QuestionType::single_choice);
  return editor_page(c, call.req, std::get<Bank>(bank), q, 0, {}, 200);
}

// The bank of the path and its question {question}; 404 when either is not the caller's to edit.
std::variant<std::pair<Bank, StoredQuestion>, Response> question_of(Context& c, Call& call) {
  auto bank = c.bank_of(call);
  if (auto* res = std::get_if<Response>(&bank)) return std::move(*res);
  auto questions = c.service().questions(std::get<Bank>(bank).id);
  if (!questions) return unavailable("questions", questions.status());
  for (auto& s : *questions)
    if (s.question.id == call.req.path_param("question")) return std::pair{std::move(std::get<Bank>(bank)), std::move(s)};
  return Response::text(404, "");
}

Response edit_question(Context& c, Call& call) {
  auto found = question_of(c, call);
  if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
  const auto& [bank, stored] = std::get<0>(found);
  return editor_page(c, call.req, bank, stored.question, stored.version, {}, 200);
}

// Saves the editor's form as a new question (`existing` empty) or a new version of one.
Response save_question(Context& c, Call& call, const Bank& bank, Question q, int version) {
  web::FieldErrors errors;
  read_form(q, call.form, errors);
  if (errors.empty())
    for (const auto& p : question_problems(q)) errors.emplace_back("answers", p);
  if (!errors.empty()) return editor_page(c, call.req, bank, q, version, errors, 422);
  auto saved = c.service().save_question(bank.id, q, call.who.id, learning::now_text());
  if (!saved && saved.status().code() == ErrorCode::invalid_argument)
    return editor_page(c, call.req, bank, q, version, {{"answers", saved.status().message()}}, 422);
  if (!saved) return unavailable("questions", saved.status());
  return redirect("/author/banks/" + std::to_string(bank.id) + "?done=saved#question-" + saved->id);
}

Response create_question(Context& c, Call& call) {
  auto bank = c.bank_of(call);
  if (auto* res = std::get_if<Response>(&bank)) return std::move(*res);
  auto type = type_from_name(call.field("type"));
  if (!type) return Response::text(400, "");
  Question q;
  q.type = *type;
  return save_question(c, call, std::get<Bank>(bank), std::move(q), 0);
}

Response update_question(Context& c, Call& call) {
  auto found = question_of(c, call);
  if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
  const auto& [bank, stored] = std::get<0>(found);
  Question q;
  q.type = stored.question.type;
  q.id = stored.question.id;
  return save_question(c, call, bank, std::move(q), stored.version);
}

// The preview: the question as a learner sees it (options shuffled as an attempt would), and
// with a try posted back (`tried`), its grade, the right answer and the feedback.
Response preview(Context& c, Call& call, bool tried) {
  auto found = question_of(c, call);
  if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
  const auto& [bank, stored] = std::get<0>(found);
  const Request& req = call.req;
  const StoredQuestion* s = &stored;
  QuizSettings settings;
  settings.fixed = {s->question.id};
  // The try is graded against the order it was shown in: the form carries the draw's seed.
  std::uint64_t seed = static_cast<std::uint64_t>(now_ms());
  if (tried) {
    const std::string sent = call.field("seed");
    std::from_chars(sent.data(), sent.data() + sent.size(), seed);
  }
  auto drawn = draw(settings, {s->question}, {s->version}, seed);
  DrawnQuestion d = drawn && !drawn->empty() ? drawn->front() : DrawnQuestion{s->question.id, s->version, {}};
  QuestionPage page{1, true, std::nullopt, std::nullopt, std::nullopt};
  std::string error;
  if (tried) {
    auto value = answer_from_form(s->question, d, call.form, error);
    if (value) {
      auto answer = answer_from_json(s->question, from_learner(s->question, d, *value), error);
      if (answer) {
        page.answer = answer;
        page.grade = grade(s->question, *answer);
        page.review = ReviewLevel::correct;
        page.editable = false;
      }
    } else if (error.empty()) {
      error = c.app().text(req, "bank.preview_blank");
    }
  }
  Data data{Data::type::object};
  data.set("bank_id", std::to_string(bank.id));
  data.set("bank_title", bank.title);
  data.set("qid", s->question.id);
  data.set("seed", std::to_string(seed));
  data.set("question_name", s->question.name);
  Data list{Data::type::list};
  list.push_back(question_data(s->question, d, page));
  data.set("questions", list);
  if (page.grade) data.set("tried", true);
  if (!error.empty()) data.set("error", error);
  return c.app().page(req, "question_preview", s->question.name.empty() ? s->question.id : s->question.name, data,
                      tried && !page.grade ? 422 : 200);
}
Response show_preview(Context& c, Call& call) { return preview(c, call, false); }
Response try_preview(Context& c, Call& call) { return preview(c, call, true); }

}  // namespace

void add_bank_pages(App& app, std::shared_ptr<Context> c) {
  auto& r = app.router();
  r.add("GET", "/author/banks", c->on(Body::none, list_banks));
  r.add("POST", "/author/banks", c->on(Body::form, create_bank));
  r.add("GET", "/author/banks/{id}", c->on(Body::none, show_bank));
  r.add_upload("POST", "/author/banks/{id}/import", c->on(Body::upload, import_into_bank), 10u << 20, bank_gate(c));
  r.add_upload("POST", "/author/banks/{id}/media", c->on(Body::upload, upload_bank_image), app.config().max_upload_bytes,
               bank_gate(c));
  r.add("GET", "/author/banks/{id}/export", c->on(Body::none, export_bank));
  r.add("GET", "/author/banks/{id}/questions/new", c->on(Body::none, new_question));
  r.add("GET", "/author/banks/{id}/questions/{question}", c->on(Body::none, edit_question));
  r.add("POST", "/author/banks/{id}/questions", c->on(Body::form, create_question));
  r.add("POST", "/author/banks/{id}/questions/{question}", c->on(Body::form, update_question));
  r.add("GET", "/author/banks/{id}/questions/{question}/preview", c->on(Body::none, show_preview));
  r.add("POST", "/author/banks/{id}/questions/{question}/preview", c->on(Body::form, try_preview));
}

}  // namespace hocvu::assessment
