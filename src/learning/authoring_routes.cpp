// Authoring and assignment routes. Who may author a course: accounts::may(Action::author_course)
// at the place of the course's provider organisation; anyone else gets 404 for a course's
// authoring pages, as if it did not exist.
#include "learning/routes.h"

#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "learning/authoring.h"
#include "learning/content_json.h"
#include "learning/editing.h"
#include "learning/json.h"
#include "learning/route_support.h"
#include "web/markdown.h"
#include "learning/media.h"
#include "learning/service.h"
#include "reference/store.h"
#include "web/app.h"
#include "web/form.h"
#include "web/multipart.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <chrono>
#include <sstream>

namespace hocvu::learning {
namespace {

using accounts::Action;
using web::field;
using web::fields;
using web::redirect;
using web::to_int;
using accounts::Principal;
using accounts::Scope;
using accounts::ScopeKind;
using web::parse_id;
using accounts::unavailable;
using web::App;
using web::markdown_to_plain_text;
using web::render_markdown;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

// Authoring needs the caller's grants and the provider's place.
struct Author {
  Principal who;
};

class Authoring {
 public:
  Authoring(App& app, Service& service, accounts::Directory& dir, reference::Store& reference)
      : app_(app), service_(service), dir_(dir), reference_(reference) {}

  App& app() { return app_; }
  Service& service() { return service_; }
  accounts::Directory& dir() { return dir_; }
  const std::string& data_dir() const { return app_.config().data_dir; }

  // May `who` author the courses of organisation `provider_id`?
  Result<bool> may_author(const Principal& who, std::int64_t provider_id) {
    return accounts::may_author_for(dir_, who, provider_id);
  }

  // The organisations `who` may author for: (id, name).
  Result<std::vector<std::pair<std::int64_t, std::string>>> providers(const Principal& who) {
    return accounts::authoring_providers(dir_, who);
  }

  Result<KnownCodes> known() {
    KnownCodes k;
    auto groups = reference_.target_groups();
    if (!groups) return groups.status();
    for (const auto& g : *groups) k.groups.insert(g.code);
    auto frameworks = reference_.frameworks();
    if (!frameworks) return frameworks.status();
    for (const auto& f : *frameworks)
      for (const auto& a : f.areas)
        for (const auto& c : a.competencies) k.competencies.insert(c.code);
    return k;
  }

  Result<std::vector<reference::TargetGroup>> groups() { return reference_.target_groups(); }

  // The signed-in caller and the course they may author, or the response to send instead.
  std::variant<std::pair<Principal, CourseRecord>, Response> course_for(Request& req) {
    auto who = accounts::signed_in_principal(req, dir_);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto record = service_.store().course(parse_id(req.path_param("id")));
    if (!record) return unavailable("authoring", record.status());
    if (!*record) return Response::text(404, "");
    auto ok = may_author(std::get<Principal>(who), (*record)->provider_id);
    if (!ok) return unavailable("authoring", ok.status());
    if (!*ok) return Response::text(404, "");
    return std::pair<Principal, CourseRecord>{std::move(std::get<Principal>(who)), std::move(**record)};
  }

 private:
  App& app_;
  Service& service_;
  accounts::Directory& dir_;
  reference::Store& reference_;
};

// --- reading form input into the draft ---

// "4.2:2, 4.1" -> [{4.2, 2}, {4.1, 1}]; unknown shapes are reported.
std::vector<CompetencyTarget> parse_competencies(const std::string& text, std::string& problem) {
  std::vector<CompetencyTarget> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    for (char& c : item)
      if (c == ';' || c == '\n') c = ' ';
    std::istringstream words(item);
    std::string word;
    while (words >> word) {
      auto colon = word.find(':');
      CompetencyTarget t{word.substr(0, colon), 1};
      if (colon != std::string::npos) t.level = to_int(word.substr(colon + 1), 0);
      if (t.level < 1 || t.level > 8 || t.code.empty()) problem = "Năng lực viết theo dạng mã:mức, ví dụ 4.2:2 (mức từ 1 đến 8).";
      out.push_back(t);
    }
  }
  return out;
}

std::string competencies_text(const std::vector<CompetencyTarget>& list) {
  std::string out;
  for (const auto& t : list) out += (out.empty() ? "" : ", ") + t.code + ":" + std::to_string(t.level);
  return out;
}


// --- pages ---

Data item_actions(const std::string& key) {
  Data d{Data::type::object};
  d.set("key", key);
  return d;
}

Response editor_page(Authoring& a, Request& req, const CourseRecord& c, const web::FieldErrors& errors = {},
                     const std::vector<std::string>& problems = {}, int status = 200) {
  App& app = a.app();
  auto groups = a.groups();
  if (!groups) return unavailable("authoring", groups.status());
  const CourseContent& d = c.draft;
  Data data = web::form_errors(errors);
  data.set("id", std::to_string(c.id));
  data.set("slug", c.slug);
  data.set("provider", c.provider_name);
  data.set("title", d.title);
  data.set("summary", d.summary);
  data.set("description", d.description);
  data.set("duration", d.duration_minutes ? std::to_string(d.duration_minutes) : std::string());
  data.set("competencies", competencies_text(d.competencies));
  if (d.unlock == Unlock::sequential) data.set("sequential", true);
  if (c.settings.pacing == "dated") data.set("dated", true);
  data.set("enrol_opens", c.settings.enrol_opens);
  data.set("enrol_closes", c.settings.enrol_closes);
  data.set("starts", c.settings.starts);
  data.set("ends", c.settings.ends);
  if (c.published_version) data.set("published_version", std::to_string(c.published_version));
  data.set("updated", c.draft_updated_at);
  Data group_list{Data::type::list};
  for (const auto& g : *groups) {
    Data o{Data::type::object};
    o.set("code", g.code);
    o.set("name", g.name.pick(req.lang));
    if (std::find(d.target_groups.begin(), d.target_groups.end(), g.code) != d.target_groups.end()) o.set("checked", true);
    group_list.push_back(o);
  }
  data.set("groups", group_list);
  Data sections{Data::type::list};
  for (const auto& s : d.sections) {
    Data sd = item_actions(s.key);
    sd.set("name", s.title);
    Data lessons{Data::type::list};
    for (const auto& l : s.lessons) {
      Data ld = item_actions(l.key);
      ld.set("name", l.title);
      Data blocks{Data::type::list};
      for (const auto& b : l.blocks) {
        Data bd = item_actions(b.key);
        bd.set("kind_name", app.text(req, std::string("author.kind.") + kind_name(b.kind)));
        std::string label = !b.title.empty() ? b.title
                            : markdown_to_plain_text(b.question ? b.question->prompt : b.markdown);
        if (label.size() > 80) {
          std::size_t cut = 80;
          while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
          label = label.substr(0, cut) + "…";
        }
        bd.set("name", label);
        blocks.push_back(bd);
      }
      ld.set("blocks", blocks);
      lessons.push_back(ld);
    }
    sd.set("lessons", lessons);
    sections.push_back(sd);
  }
  data.set("sections", sections);
  Data kinds{Data::type::list};
  for (auto k : {BlockKind::text, BlockKind::video, BlockKind::image, BlockKind::document, BlockKind::link, BlockKind::question}) {
    Data o{Data::type::object};
    o.set("value", kind_name(k));
    o.set("name", app.text(req, std::string("author.kind.") + kind_name(k)));
    kinds.push_back(o);
  }
  data.set("kinds", kinds);
  if (!problems.empty()) {
    Data list{Data::type::list};
    for (const auto& p : problems) list.push_back(Data{"message", p});
    data.set("problems", list);
    data.set("has_problems", true);
  }
  std::string_view done = req.query_param("done");
  if (done == "saved" || done == "published" || done == "imported") data.set("notice", app.text(req, "author.done_" + std::string(done)));
  return app.page(req, "author_course", d.title.empty() ? c.slug : d.title, data, status);
}

// Applies the settings form (or the same JSON fields) to a draft; errors name the fields.
web::FieldErrors apply_settings(CourseRecord& c, const web::Fields& form) {
  web::FieldErrors errors;
  CourseContent& d = c.draft;
  d.title = to_nfc(trim(field(form, "title")));
  d.summary = to_nfc(trim(field(form, "summary")));
  d.description = to_nfc(field(form, "description"));
  d.target_groups = fields(form, "groups");
  std::string problem;
  d.competencies = parse_competencies(field(form, "competencies"), problem);
  if (!problem.empty()) errors.emplace_back("competencies", problem);
  std::string minutes = trim(field(form, "duration"));
  d.duration_minutes = minutes.empty() ? 0 : to_int(minutes, -1);
  if (d.duration_minutes < 0 || d.duration_minutes > 6000) errors.emplace_back("duration", "Thời lượng là số phút, từ 1 đến 6000.");
  d.unlock = field(form, "unlock") == "sequential" ? Unlock::sequential : Unlock::free;
  if (d.title.size() < 3 || d.title.size() > 200) errors.emplace_back("title", "Tên khóa học dài từ 3 đến 200 ký tự.");
  if (d.summary.size() > 500) errors.emplace_back("summary", "Giới thiệu ngắn tối đa 500 ký tự.");
  CourseSettings& s = c.settings;
  s.pacing = field(form, "pacing") == "dated" ? "dated" : "self";
  s.enrol_opens = trim(field(form, "enrol_opens"));
  s.enrol_closes = trim(field(form, "enrol_closes"));
  s.starts = trim(field(form, "starts"));
  s.ends = trim(field(form, "ends"));
  for (auto [name, value] : {std::pair{"enrol_opens", &s.enrol_opens}, {"enrol_closes", &s.enrol_closes},
                             {"starts", &s.starts}, {"ends", &s.ends}})
    if (!value->empty() && !valid_date(*value)) errors.emplace_back(name, "Ngày viết theo dạng năm-tháng-ngày, ví dụ 2026-12-01.");
  if (s.pacing == "dated" && (s.starts.empty() || s.ends.empty()))
    errors.emplace_back("starts", "Khóa học theo đợt cần ngày bắt đầu và ngày kết thúc.");
  if (!s.starts.empty() && !s.ends.empty() && s.ends < s.starts) errors.emplace_back("ends", "Ngày kết thúc phải sau ngày bắt đầu.");
  return errors;
}

const Block* block_in(const CourseContent& c, std::string_view key) { return find_block(c, key); }

// Reads the block form (multipart, possibly with files) into `b`; files are stored at once.
web::FieldErrors apply_block(Authoring& a, std::int64_t course_id, Block& b, const std::vector<web::FormPart>& parts) {
  web::FieldErrors errors;
  web::Fields form;
  const web::FormPart* file = nullptr;
  const web::FormPart* captions = nullptr;
  for (const auto& p : parts) {
    if (p.name == "file" && !p.filename.empty() && !p.data.empty()) file = &p;
    else if (p.name == "captions_file" && !p.filename.empty() && !p.data.empty()) captions = &p;
    else if (p.filename.empty()) form.emplace_back(p.name, p.data);
  }
  b.title = to_nfc(trim(field(form, "title")));
  b.required = field(form, "required") == "1";
  switch (b.kind) {
    case BlockKind::text: b.markdown = to_nfc(field(form, "markdown")); break;
    case BlockKind::video: {
      b.markdown = to_nfc(field(form, "markdown"));
      std::string seconds = trim(field(form, "duration_seconds"));
      b.duration_seconds = to_int(seconds, 0);
      if (b.duration_seconds <= 0) errors.emplace_back("duration_seconds", "Hãy nhập thời lượng video (số giây).");
      break;
    }
    case BlockKind::image:
      b.alt = to_nfc(trim(field(form, "alt")));
      b.markdown = to_nfc(field(form, "markdown"));
      if (b.alt.empty()) errors.emplace_back("alt", "Hãy mô tả hình ảnh cho người không nhìn thấy.");
      break;
    case BlockKind::document: break;
    case BlockKind::link:
      b.url = trim(field(form, "url"));
      if (!(b.url.starts_with("https://") || b.url.starts_with("http://")))
        errors.emplace_back("url", "Địa chỉ phải bắt đầu bằng https:// hoặc http://.");
      break;
    case BlockKind::question: {
      EmbeddedQuestion q;
      q.prompt = to_nfc(field(form, "prompt"));
      std::istringstream lines(to_nfc(field(form, "options")));
      std::string line;
      while (std::getline(lines, line))
        if (!trim(line).empty()) q.options.push_back(trim(line));
      q.answer = to_int(trim(field(form, "answer")), 0) - 1;
      q.explanation = to_nfc(field(form, "explanation"));
      if (q.prompt.empty()) errors.emplace_back("prompt", "Hãy nhập câu hỏi.");
      if (q.options.size() < 2 || q.options.size() > 8) errors.emplace_back("options", "Hãy nhập từ 2 đến 8 phương án, mỗi dòng một phương án.");
      else if (q.answer < 0 || q.answer >= static_cast<int>(q.options.size()))
        errors.emplace_back("answer", "Đáp án đúng là số thứ tự của một phương án, từ 1 đến " + std::to_string(q.options.size()) + ".");
      b.question = std::move(q);
      break;
    }
  }
  if (auto use = media_use(b.kind); use && file) {
    auto ok = check_media(*use, file->filename, file->data);
    if (!ok.ok()) {
      errors.emplace_back("file", ok.message());
    } else {
      auto name = store_media(a.data_dir(), course_id, file->filename, file->data);
      if (!name) errors.emplace_back("file", "Không lưu được tệp; hãy thử lại.");
      else b.media = *name;
    }
  }
  if (b.kind == BlockKind::video && captions) {
    auto ok = check_media(MediaUse::captions, captions->filename, captions->data);
    if (!ok.ok()) errors.emplace_back("captions_file", ok.message());
    else if (auto name = store_media(a.data_dir(), course_id, captions->filename, captions->data)) b.captions = *name;
  }
  if (media_use(b.kind) && b.media.empty() && !file)
    errors.emplace_back("file", "Hãy chọn tệp để tải lên.");
  if (b.kind == BlockKind::document && b.title.empty()) errors.emplace_back("title", "Hãy đặt tên cho tài liệu.");
  if (b.kind == BlockKind::link && b.title.empty()) errors.emplace_back("title", "Hãy đặt tên cho liên kết.");
  return errors;
}

Response block_page(Authoring& a, Request& req, const CourseRecord& c, const Block& b, const web::FieldErrors& errors = {},
                    bool preview = false, int status = 200) {
  App& app = a.app();
  Data d = web::form_errors(errors);
  d.set("course_id", std::to_string(c.id));
  d.set("course_title", c.draft.title);
  d.set("key", b.key);
  d.set("kind_name", app.text(req, std::string("author.kind.") + kind_name(b.kind)));
  d.set(std::string("is_") + kind_name(b.kind), true);
  d.set("block_title", b.title);
  d.set("markdown", b.markdown);
  d.set("alt", b.alt);
  d.set("url", b.url);
  d.set("duration_seconds", b.duration_seconds ? std::to_string(b.duration_seconds) : std::string());
  if (b.required) d.set("required", true);
  if (!b.media.empty()) {
    d.set("media_name", b.media);
    d.set("media_url", media_url(c.id, b.media));
  }
  if (!b.captions.empty()) d.set("captions_url", media_url(c.id, b.captions));
  if (b.question) {
    d.set("prompt", b.question->prompt);
    std::string options;
    for (const auto& o : b.question->options) options += o + "\n";
    d.set("options", options);
    d.set("answer", std::to_string(b.question->answer + 1));
    d.set("explanation", b.question->explanation);
  }
  if (preview) {
    std::string md = b.kind == BlockKind::question && b.question ? b.question->prompt : b.markdown;
    d.set("preview_html", render_markdown(md));
  }
  return app.page(req, "author_block", app.text(req, "author.block_title"), d, status);
}

// The package upload page's report of errors by file and line.
Response import_errors_page(Authoring& a, Request& req, const std::vector<PackageError>& errors) {
  Data d{Data::type::object};
  Data list{Data::type::list};
  for (const auto& e : errors) {
    Data o{Data::type::object};
    o.set("file", e.file);
    o.set("line", e.line ? std::to_string(e.line) : std::string());
    o.set("message", e.message);
    list.push_back(o);
  }
  d.set("errors", list);
  return a.app().page(req, "author_import_errors", a.app().text(req, "author.import_failed"), d, 422);
}

json::array package_errors_json(const std::vector<PackageError>& errors) {
  json::array out;
  for (const auto& e : errors) out.emplace_back(json::object{{"file", e.file}, {"line", e.line}, {"message", e.message}});
  return out;
}

// Reads and imports a zip for `provider_id` on behalf of `who`; the API's answer.
Response import_zip(Authoring& a, const Principal& who, std::int64_t provider_id, std::string_view zip, bool& ok_out,
                    std::int64_t& course_out, std::vector<PackageError>& errors_out) {
  ok_out = false;
  auto allowed = a.may_author(who, provider_id);
  if (!allowed) return unavailable("import", allowed.status());
  if (!*allowed) return App::api_error(403, "forbidden", "Bạn không được soạn khóa học cho đơn vị cung cấp này.");
  auto known = a.known();
  if (!known) return unavailable("import", known.status());
  PackageLimits limits;
  limits.max_media_bytes = a.app().config().max_upload_bytes;
  auto read = read_package_zip(zip, limits, known->groups, known->competencies);
  if (!read.errors.empty()) {
    errors_out = read.errors;
    json::object body{{"error", json::object{{"code", "invalid_package"}, {"message", "Gói khóa học có lỗi; không có gì được thay đổi."}}},
                      {"errors", package_errors_json(read.errors)}};
    return Response::json(422, json::serialize(body));
  }
  auto outcome = import_package(a.service(), a.data_dir(), std::move(*read.package), provider_id, *known, who.id, false, now_text());
  if (!outcome) return unavailable("import", outcome.status());
  if (!outcome->errors.empty()) {
    errors_out = outcome->errors;
    json::object body{{"error", json::object{{"code", "invalid_package"}, {"message", "Gói khóa học có lỗi; không có gì được thay đổi."}}},
                      {"errors", package_errors_json(outcome->errors)}};
    return Response::json(422, json::serialize(body));
  }
  ok_out = true;
  course_out = outcome->course_id;
  return Response::json(outcome->created ? 201 : 200,
                        json::serialize(json::object{{"course_id", outcome->course_id}, {"created", outcome->created}}));
}

Response zip_download(const std::string& zip, const std::string& slug) {
  Response r;
  r.status = 200;
  r.set_header("Content-Type", "application/zip");
  r.set_header("Content-Disposition", "attachment; filename=\"" + slug + ".zip\"");
  r.body = zip;
  return r;
}

json::object authored_json(const AuthoredCourse& c) {
  return json::object{{"id", c.id}, {"title", c.title}, {"provider", c.provider_name},
                      {"published_version", c.published_version ? json::value(c.published_version) : json::value(nullptr)},
                      {"draft_updated_at", c.draft_updated_at}};
}

// Checks a whole draft sent by the API: keys well formed and unique, kinds consistent.
std::vector<std::pair<std::string, std::string>> draft_shape_errors(const CourseContent& c) {
  web::FieldErrors errors;
  std::set<std::string> seen;
  std::string problems;  // one message for the field: JSON objects cannot repeat a name
  auto add = [&](const std::string& m) { problems += (problems.empty() ? "" : " ") + m; };
  auto key = [&](const std::string& k, const char* what) {
    if (!valid_key(k)) add(std::string("Khóa ") + what + " '" + k + "' không hợp lệ ([a-z0-9-], tối đa 40 ký tự).");
    else if (!seen.insert(k).second) add("Khóa '" + k + "' bị trùng.");
  };
  for (const auto& s : c.sections) {
    key(s.key, "phần");
    for (const auto& l : s.lessons) {
      key(l.key, "bài");
      for (const auto& b : l.blocks) {
        key(b.key, "khối");
        if (b.kind == BlockKind::question && !b.question) add("Khối câu hỏi '" + b.key + "' thiếu \"question\".");
      }
    }
  }
  if (!problems.empty()) errors.emplace_back("sections", problems);
  return errors;
}

}  // namespace

void add_authoring_routes(App& app, Service& service, accounts::Directory& dir, reference::Store& reference) {
  auto& r = app.router();
  auto a = std::make_shared<Authoring>(app, service, dir, reference);
  // Upload gates, decided from the request head before any body byte is read.
  const web::Gate course_gate = [a](Request& req) -> std::optional<Response> {
    auto c = a->course_for(req);  // signed in, and may author this course
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    return std::nullopt;
  };
  const web::Gate author_gate = [a](Request& req) -> std::optional<Response> {
    auto who = accounts::signed_in_principal(req, a->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (!accounts::may_somewhere(std::get<Principal>(who), accounts::Action::author_course)) return Response::text(403, "");
    return std::nullopt;
  };

  // --- the author's desk: their courses, a new course, a package to import ---
  auto desk = [a](Request& req, const web::FieldErrors& errors, int status) -> Response {
    auto who = accounts::signed_in_principal(req, a->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const Principal& p = std::get<Principal>(who);
    if (!accounts::may_somewhere(p, accounts::Action::author_course)) return Response::text(403, "");
    auto providers = a->providers(p);
    if (!providers) return unavailable("authoring", providers.status());
    std::vector<std::int64_t> ids;
    for (const auto& [id, name] : *providers) ids.push_back(id);
    auto courses = a->service().store().authored_courses(ids, false);
    if (!courses) return unavailable("authoring", courses.status());
    Data d = web::form_errors(errors);
    Data list{Data::type::list};
    for (const auto& c : *courses) {
      Data o{Data::type::object};
      o.set("id", std::to_string(c.id));
      o.set("title", c.title.empty() ? "(" + a->app().text(req, "author.untitled") + ")" : c.title);
      o.set("provider", c.provider_name);
      if (c.published_version) o.set("published_version", std::to_string(c.published_version));
      list.push_back(o);
    }
    d.set("courses", list);
    Data provs{Data::type::list};
    for (const auto& [id, name] : *providers) {
      Data o{Data::type::object};
      o.set("id", std::to_string(id));
      o.set("name", name);
      provs.push_back(o);
    }
    d.set("providers", provs);
    if (providers->empty()) d.set("no_providers", true);
    return a->app().page(req, "author", a->app().text(req, "author.title"), d, status);
  };

  r.add("GET", "/author", [desk](Request& req) { return desk(req, {}, 200); });

  // Creating a course: the API's answer, shared by the form.
  auto create = [a](const Principal& who, std::int64_t provider, std::string title, std::string slug) -> Response {
    web::FieldErrors errors;
    title = to_nfc(trim(title));
    slug = trim(slug);
    if (title.size() < 3 || title.size() > 200) errors.emplace_back("title", "Tên khóa học dài từ 3 đến 200 ký tự.");
    if (!valid_slug(slug)) errors.emplace_back("slug", "Mã khóa học gồm 3–80 chữ thường không dấu, số và dấu gạch ngang, ví dụ: an-toan-tren-mang.");
    auto allowed = a->may_author(who, provider);
    if (!allowed) return unavailable("authoring", allowed.status());
    if (!*allowed) errors.emplace_back("provider_id", "Hãy chọn một đơn vị cung cấp mà bạn được soạn khóa học.");
    if (!errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", errors);
    CourseContent draft;
    draft.slug = slug;
    draft.title = title;
    auto id = a->service().store().create_course(provider, draft, who.id, now_text());
    if (!id && id.status().code() == ErrorCode::conflict)
      return App::api_error(409, "conflict", "Mã khóa học này đã được dùng.", {{"slug", "Mã khóa học này đã được dùng; hãy chọn mã khác."}});
    if (!id) return unavailable("authoring", id.status());
    return Response::json(201, json::serialize(json::object{{"id", *id}, {"slug", slug}, {"title", title}}));
  };

  r.add("POST", "/author/courses", [a, desk, create](Request& req) {
    auto who = accounts::signed_in_principal(req, a->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    Response res = create(std::get<Principal>(who), parse_id(field(*form, "provider_id")), field(*form, "title"), field(*form, "slug"));
    if (res.status == 201) {
      auto v = json::parse(res.body);
      return redirect("/author/courses/" + std::to_string(v.as_object().at("id").as_int64()));
    }
    if (res.status == 422 || res.status == 409) {
      web::FieldErrors errors;
      auto v = json::parse(res.body);
      for (const auto& [k, m] : v.as_object().at("error").as_object().at("fields").as_object())
        errors.emplace_back(std::string(k), std::string(m.as_string()));
      return desk(req, errors, res.status);
    }
    return Response::text(res.status, "");
  });

  r.add("GET", "/api/v1/author/courses", [a](Request& req) {
    auto who = accounts::signed_in_principal(req, a->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto providers = a->providers(std::get<Principal>(who));
    if (!providers) return unavailable("authoring", providers.status());
    std::vector<std::int64_t> ids;
    for (const auto& [id, name] : *providers) ids.push_back(id);
    auto courses = a->service().store().authored_courses(ids, false);
    if (!courses) return unavailable("authoring", courses.status());
    json::array items;
    for (const auto& c : *courses) items.emplace_back(authored_json(c));
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  r.add("POST", "/api/v1/author/courses", [a, create](Request& req) {
    auto who = accounts::signed_in_principal(req, a->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (auto res = require_json(req)) return std::move(*res);
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return App::api_error(400, "bad_request", "Nội dung gửi lên không phải một đối tượng JSON hợp lệ.");
    const auto& o = v.as_object();
    auto str = [&](std::string_view k) {
      auto* x = o.if_contains(k);
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    std::int64_t provider = 0;
    if (auto* x = o.if_contains("provider_id"); x && x->is_int64()) provider = x->as_int64();
    return create(std::get<Principal>(who), provider, str("title"), str("slug"));
  });

  // --- one course's editor ---
  r.add("GET", "/author/courses/{id}", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    return editor_page(*a, req, std::get<0>(c).second);
  });

  r.add("GET", "/api/v1/author/courses/{id}", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    const CourseRecord& rec = std::get<0>(c).second;
    json::object o{{"id", rec.id}, {"slug", rec.slug}, {"provider", json::object{{"id", rec.provider_id}, {"name", rec.provider_name}}},
                   {"published_version", rec.published_version ? json::value(rec.published_version) : json::value(nullptr)},
                   {"settings", json::object{{"pacing", rec.settings.pacing}, {"enrol_opens", rec.settings.enrol_opens},
                                             {"enrol_closes", rec.settings.enrol_closes}, {"starts", rec.settings.starts},
                                             {"ends", rec.settings.ends}}},
                   {"draft", json::parse(content_to_json(rec.draft))}};
    return Response::json(200, json::serialize(o));
  });

  r.add("PUT", "/api/v1/author/courses/{id}/draft", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    CourseRecord& rec = std::get<0>(c).second;
    if (auto res = require_json(req)) return std::move(*res);
    boost::system::error_code ec;
    auto body = json::parse(req.body, ec);
    if (ec || !body.is_object())
      return App::api_error(400, "bad_request", "Nội dung gửi lên không phải một khóa học dạng JSON hợp lệ.");
    auto draft = content_from_json(body.as_object());
    if (!draft) return App::api_error(422, "invalid_field", draft.status().message());
    draft->slug = rec.slug;  // the slug identifies the course; it does not change here
    auto errors = draft_shape_errors(*draft);
    if (!errors.empty()) return App::api_error(422, "invalid_field", "Cấu trúc khóa học chưa hợp lệ.", errors);
    auto st = a->service().store().save_draft(rec.id, *draft, now_text());
    if (!st.ok()) return unavailable("authoring", st);
    return Response::json(200, content_to_json(*draft));
  });

  r.add("POST", "/author/courses/{id}/settings", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    CourseRecord& rec = std::get<0>(c).second;
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    auto errors = apply_settings(rec, *form);
    if (!errors.empty()) return editor_page(*a, req, rec, errors, {}, 422);
    auto now = now_text();
    auto st = a->service().store().save_draft(rec.id, rec.draft, now);
    if (st.ok()) st = a->service().store().save_settings(rec.id, rec.settings);
    if (!st.ok()) return unavailable("authoring", st);
    return redirect("/author/courses/" + std::to_string(rec.id) + "?done=saved");
  });

  // Structure: add, rename, move and remove sections, lessons and blocks (one small form each).
  r.add("POST", "/author/courses/{id}/structure", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    CourseRecord& rec = std::get<0>(c).second;
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    std::string action = field(*form, "action"), key = field(*form, "key"), title = to_nfc(trim(field(*form, "title")));
    Status st;
    std::string anchor;
    std::string edit_block;
    if (action == "add_section") {
      auto k = add_section(rec.draft, title);
      st = k.status(), anchor = k ? *k : "";
    } else if (action == "add_lesson") {
      auto k = add_lesson(rec.draft, key, title);
      st = k.status(), anchor = k ? *k : "";
    } else if (action == "add_block") {
      auto kind = kind_from_name(field(*form, "kind"));
      if (!kind) return Response::text(400, "");
      auto k = add_block(rec.draft, key, *kind);
      st = k.status(), edit_block = k ? *k : "";
    } else if (action == "rename") {
      st = rename(rec.draft, key, title), anchor = key;
    } else if (action == "up" || action == "down") {
      st = move(rec.draft, key, action == "up" ? -1 : 1), anchor = key;
    } else if (action == "remove") {
      st = remove(rec.draft, key);
    } else {
      return Response::text(400, "");
    }
    if (st.code() == ErrorCode::not_found) return Response::text(404, "");
    if (!st.ok()) return editor_page(*a, req, rec, {{"structure", st.message()}}, {}, 422);
    auto saved = a->service().store().save_draft(rec.id, rec.draft, now_text());
    if (!saved.ok()) return unavailable("authoring", saved);
    if (!edit_block.empty()) return redirect("/author/courses/" + std::to_string(rec.id) + "/blocks/" + edit_block);
    return redirect("/author/courses/" + std::to_string(rec.id) + (anchor.empty() ? "" : "#item-" + anchor));
  });

  r.add("GET", "/author/courses/{id}/blocks/{key}", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    const CourseRecord& rec = std::get<0>(c).second;
    const Block* b = block_in(rec.draft, req.path_param("key"));
    if (!b) return Response::text(404, "");
    return block_page(*a, req, rec, *b);
  });

  r.add_upload("POST", "/author/courses/{id}/blocks/{key}", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    CourseRecord& rec = std::get<0>(c).second;
    const Block* found = block_in(rec.draft, req.path_param("key"));
    if (!found) return Response::text(404, "");
    auto parts = web::parse_multipart(req.header("Content-Type"), req.body);
    if (!parts) return Response::text(400, "");
    web::Fields plain;
    for (const auto& p : *parts)
      if (p.filename.empty()) plain.emplace_back(p.name, p.data);
    if (!App::csrf_ok(req, plain)) return Response::text(403, "");
    Block b = *found;
    auto errors = apply_block(*a, rec.id, b, *parts);
    const bool preview = field(plain, "intent") == "preview";
    if (!errors.empty() || preview) return block_page(*a, req, rec, b, errors, preview, errors.empty() ? 200 : 422);
    auto st = replace_block(rec.draft, b);
    if (st.ok()) st = a->service().store().save_draft(rec.id, rec.draft, now_text());
    if (!st.ok()) return unavailable("authoring", st);
    return redirect("/author/courses/" + std::to_string(rec.id) + "?done=saved#item-" + b.key);
  }, app.config().max_upload_bytes, course_gate);

  // Media for the API: upload a file, then name it in the draft.
  r.add_upload("POST", "/api/v1/author/courses/{id}/media", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    const CourseRecord& rec = std::get<0>(c).second;
    auto parts = web::parse_multipart(req.header("Content-Type"), req.body);
    if (!parts) return App::api_error(400, "bad_request", "Hãy gửi tệp dạng multipart/form-data, trường \"file\".");
    const web::FormPart* file = nullptr;
    std::string use_name = "document";
    for (const auto& p : *parts) {
      if (p.name == "file" && !p.filename.empty()) file = &p;
      if (p.name == "use" && p.filename.empty()) use_name = p.data;
    }
    if (!file) return App::api_error(422, "invalid_field", "Thiếu tệp.", {{"file", "Hãy chọn tệp để tải lên."}});
    MediaUse use = use_name == "video" ? MediaUse::video : use_name == "image" ? MediaUse::image
                   : use_name == "captions" ? MediaUse::captions : MediaUse::document;
    auto ok = check_media(use, file->filename, file->data);
    if (!ok.ok()) return App::api_error(422, "invalid_field", ok.message(), {{"file", ok.message()}});
    auto name = store_media(a->data_dir(), rec.id, file->filename, file->data);
    if (!name) return unavailable("media", name.status());
    return Response::json(201, json::serialize(json::object{{"name", *name}, {"url", media_url(rec.id, *name)}}));
  }, app.config().max_upload_bytes, course_gate);

  // Publishing: the page shows what stops it; the API answers 422 with the same list.
  auto publish = [a](const CourseRecord& rec, const Principal& who) -> std::variant<int, std::vector<std::string>, Response> {
    auto known = a->known();
    if (!known) return unavailable("publish", known.status());
    auto result = publish_draft(a->service(), a->data_dir(), rec.id, *known, who.id, now_text());
    if (!result) return unavailable("publish", result.status());
    if (auto* v = std::get_if<int>(&*result)) return *v;
    return std::get<std::vector<std::string>>(*result);
  };

  r.add("POST", "/author/courses/{id}/publish", [a, publish](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    auto& [who, rec] = std::get<0>(c);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    auto out = publish(rec, who);
    if (auto* res = std::get_if<Response>(&out)) return std::move(*res);
    if (auto* problems = std::get_if<std::vector<std::string>>(&out)) return editor_page(*a, req, rec, {}, *problems, 422);
    return redirect("/author/courses/" + std::to_string(rec.id) + "?done=published");
  });

  r.add("POST", "/api/v1/author/courses/{id}/publish", [a, publish](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    auto& [who, rec] = std::get<0>(c);
    auto out = publish(rec, who);
    if (auto* res = std::get_if<Response>(&out)) return std::move(*res);
    if (auto* problems = std::get_if<std::vector<std::string>>(&out)) {
      json::array list;
      for (const auto& p : *problems) list.emplace_back(p);
      json::object body{{"error", json::object{{"code", "not_ready"}, {"message", "Khóa học chưa thể xuất bản."}}},
                        {"problems", std::move(list)}};
      return Response::json(422, json::serialize(body));
    }
    return Response::json(200, json::serialize(json::object{{"course_id", rec.id}, {"version", std::get<int>(out)}}));
  });

  // Preview as a learner: the draft's lesson, rendered like the lesson page, with nothing recorded.
  r.add("GET", "/author/courses/{id}/preview/{lesson}", [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    const CourseRecord& rec = std::get<0>(c).second;
    PublishedVersion v;
    v.course_id = rec.id;
    v.content = rec.draft;
    auto p = prepare(std::move(v));
    const LessonRef* lesson = nullptr;
    for (const auto& ref : p->order)
      if (ref.lesson->key == req.path_param("lesson")) lesson = &ref;
    if (!lesson) return Response::text(404, "");
    Data d{Data::type::object};
    d.set("course_id", std::to_string(rec.id));
    d.set("course_title", rec.draft.title);
    d.set("title", lesson->lesson->title);
    d.set("section", lesson->section->title);
    Data blocks{Data::type::list};
    for (const auto& b : lesson->lesson->blocks) {
      Data bd{Data::type::object};
      bd.set("kind", kind_name(b.kind));
      if (!b.title.empty()) bd.set("heading", b.title);
      auto html = p->html.find(b.key);
      if (html != p->html.end()) bd.set("html", html->second);
      if (b.kind == BlockKind::video) bd.set("video", media_url(rec.id, b.media));
      if (b.kind == BlockKind::image) bd.set("image", media_url(rec.id, b.media)), bd.set("alt", b.alt);
      if (b.kind == BlockKind::link) bd.set("link", b.url);
      if (b.kind == BlockKind::document) bd.set("document", media_url(rec.id, b.media));
      if (b.question) {
        Data opts{Data::type::list};
        for (const auto& o : b.question->options) opts.push_back(Data{"text", o});
        bd.set("options", opts);
      }
      blocks.push_back(bd);
    }
    d.set("blocks", blocks);
    return a->app().page(req, "author_preview", lesson->lesson->title, d);
  });

  // Packages: export the draft as a zip; import a zip as a new course or a new draft.
  auto export_zip = [a](Request& req) {
    auto c = a->course_for(req);
    if (auto* res = std::get_if<Response>(&c)) return std::move(*res);
    const CourseRecord& rec = std::get<0>(c).second;
    auto zip = export_package(a->service(), a->data_dir(), rec.id);
    if (!zip) return unavailable("export", zip.status());
    return zip_download(*zip, rec.slug);
  };
  r.add("GET", "/author/courses/{id}/package", export_zip);
  r.add("GET", "/api/v1/author/courses/{id}/package", export_zip);

  r.add_upload("POST", "/author/packages", [a](Request& req) {
    auto who = accounts::signed_in_principal(req, a->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto upload = web::parse_upload(req);
    if (!upload) return Response::text(400, "");
    if (!App::csrf_ok(req, upload->fields)) return Response::text(403, "");
    bool ok = false;
    std::int64_t course = 0;
    std::vector<PackageError> errors;
    Response res = import_zip(*a, std::get<Principal>(who), parse_id(field(upload->fields, "provider_id")), upload->file, ok, course, errors);
    if (ok) return redirect("/author/courses/" + std::to_string(course) + "?done=imported");
    if (res.status == 422) return import_errors_page(*a, req, errors);
    if (res.status == 403) return import_errors_page(*a, req, {{"", 0, "Bạn không được soạn khóa học cho đơn vị cung cấp đã chọn."}});
    return Response::text(res.status, "");
  }, app.config().max_upload_bytes, author_gate);

  r.add_upload("POST", "/api/v1/author/packages", [a](Request& req) {
    auto who = accounts::signed_in_principal(req, a->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (!req.header("Content-Type").starts_with("application/zip"))
      return App::api_error(415, "unsupported_media_type", "Gửi gói khóa học dạng zip (Content-Type: application/zip).");
    bool ok = false;
    std::int64_t course = 0;
    std::vector<PackageError> errors;
    return import_zip(*a, std::get<Principal>(who), parse_id(req.query_param("provider_id")), req.body, ok, course, errors);
  }, app.config().max_upload_bytes, author_gate);
}

}  // namespace hocvu::learning
