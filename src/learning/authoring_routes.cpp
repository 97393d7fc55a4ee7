// Authoring routes: a course's draft (settings, structure, blocks, media), publishing, preview
// and packages, as pages and as the JSON API. Who may author a course: accounts::may
// (Action::author_course) at the place of the course's provider organisation; anyone else gets
// 404 for a course's authoring routes, as if it did not exist. Handlers are named members of
// CourseAuthoring behind the one prologue (accounts/call.h); the page and the API call the same
// operations (create_course, publish_course, import_course_zip) and render their outcome.
#include "learning/routes.h"

#include "accounts/call.h"
#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "core/text.h"
#include "learning/authoring.h"
#include "learning/content_json.h"
#include "learning/editing.h"
#include "learning/json.h"
#include "learning/media.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "reference/store.h"
#include "web/app.h"
#include "web/form.h"
#include "web/markdown.h"
#include "web/multipart.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>
#include <sstream>

namespace hocvu::learning {
namespace {

using accounts::Body;
using accounts::Call;
using accounts::Outcome;
using accounts::Principal;
using accounts::Refused;
using accounts::unavailable;
using accounts::unavailable_because;
using web::App;
using web::Data;
using web::field;
using web::fields;
using web::markdown_to_plain_text;
using web::redirect;
using web::render_markdown;
using web::Request;
using web::Response;
using web::to_int;
namespace json = boost::json;

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

// --- pages ---

Data item_actions(const std::string& key) {
  Data d{Data::type::object};
  d.set("key", key);
  return d;
}

Response editor_page(App& app, reference::Store& reference, Request& req, const CourseRecord& c,
                     const web::FieldErrors& errors = {}, const std::vector<std::string>& problems = {}, int status = 200) {
  auto groups = reference.target_groups();
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
// Reads the block form (multipart, possibly with files) into `b`; files are stored at once.
web::FieldErrors apply_block(const std::string& data_dir, std::int64_t course_id, Block& b, const std::vector<web::FormPart>& parts) {
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
      auto name = store_media(data_dir, course_id, file->filename, file->data);
      if (!name) errors.emplace_back("file", "Không lưu được tệp; hãy thử lại.");
      else b.media = *name;
    }
  }
  if (b.kind == BlockKind::video && captions) {
    auto ok = check_media(MediaUse::captions, captions->filename, captions->data);
    if (!ok.ok()) errors.emplace_back("captions_file", ok.message());
    else if (auto name = store_media(data_dir, course_id, captions->filename, captions->data)) b.captions = *name;
  }
  if (media_use(b.kind) && b.media.empty() && !file)
    errors.emplace_back("file", "Hãy chọn tệp để tải lên.");
  if (b.kind == BlockKind::document && b.title.empty()) errors.emplace_back("title", "Hãy đặt tên cho tài liệu.");
  if (b.kind == BlockKind::link && b.title.empty()) errors.emplace_back("title", "Hãy đặt tên cho liên kết.");
  return errors;
}

Response block_page(App& app, Request& req, const CourseRecord& c, const Block& b, const web::FieldErrors& errors = {},
                    bool preview = false, int status = 200) {
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
Response import_errors_page(App& app, Request& req, const std::vector<PackageError>& errors) {
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
  return app.page(req, "author_import_errors", app.text(req, "author.import_failed"), d, 422);
}

json::array package_errors_json(const std::vector<PackageError>& errors) {
  json::array out;
  for (const auto& e : errors) out.emplace_back(json::object{{"file", e.file}, {"line", e.line}, {"message", e.message}});
  return out;
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

// --- the operations the pages and the API share ---

// The codes a course may name: target groups and competencies from the reference data.
Result<KnownCodes> known_codes(reference::Store& reference) {
  KnownCodes k;
  auto groups = reference.target_groups();
  if (!groups) return groups.status();
  for (const auto& g : *groups) k.groups.insert(g.code);
  auto frameworks = reference.frameworks();
  if (!frameworks) return frameworks.status();
  for (const auto& f : *frameworks)
    for (const auto& a : f.areas)
      for (const auto& c : a.competencies) k.competencies.insert(c.code);
  return k;
}

struct NewCourse {
  std::int64_t id = 0;
  std::string slug;
  std::string title;
};

// Creates an empty course for `provider` with `title` and `slug`, when `who` may author for it.
Outcome<NewCourse> create_course(Service& service, accounts::Directory& dir, const Principal& who, std::int64_t provider,
                                 std::string title, std::string slug) {
  web::FieldErrors errors;
  title = to_nfc(trim(title));
  slug = trim(slug);
  if (title.size() < 3 || title.size() > 200) errors.emplace_back("title", "Tên khóa học dài từ 3 đến 200 ký tự.");
  if (!valid_slug(slug)) errors.emplace_back("slug", "Mã khóa học gồm 3–80 chữ thường không dấu, số và dấu gạch ngang, ví dụ: an-toan-tren-mang.");
  auto allowed = accounts::may_author_for(dir, who, provider);
  if (!allowed) return unavailable_because("authoring", allowed.status());
  if (!*allowed) errors.emplace_back("provider_id", "Hãy chọn một đơn vị cung cấp mà bạn được soạn khóa học.");
  if (!errors.empty()) return accounts::invalid("Một số trường chưa hợp lệ.", errors);
  CourseContent draft;
  draft.slug = slug;
  draft.title = title;
  auto id = service.store().create_course(provider, draft, who.id, now_text());
  if (!id && id.status().code() == ErrorCode::conflict)
    return accounts::conflict("Mã khóa học này đã được dùng.", {{"slug", "Mã khóa học này đã được dùng; hãy chọn mã khác."}});
  if (!id) return unavailable_because("authoring", id.status());
  return NewCourse{*id, slug, title};
}

// A publication: the new version's number, or the problems that stopped it (nothing written).
struct Publication {
  int version = 0;
  std::vector<std::string> problems;
};

Outcome<Publication> publish_course(Service& service, reference::Store& reference, const std::string& data_dir,
                                    const CourseRecord& course, const Principal& who) {
  auto known = known_codes(reference);
  if (!known) return unavailable_because("publish", known.status());
  auto result = publish_draft(service, data_dir, course.id, *known, who.id, now_text());
  if (!result) return unavailable_because("publish", result.status());
  if (auto* version = std::get_if<int>(&*result)) return Publication{*version, {}};
  return Publication{0, std::get<std::vector<std::string>>(std::move(*result))};
}

// Reads a package zip and imports it for `provider_id` on behalf of `who`: the outcome, whose
// errors (by file and line) say why nothing was changed.
Outcome<ImportOutcome> import_course_zip(Service& service, accounts::Directory& dir, reference::Store& reference,
                                         const Config& config, const Principal& who, std::int64_t provider_id,
                                         std::string_view zip) {
  auto allowed = accounts::may_author_for(dir, who, provider_id);
  if (!allowed) return unavailable_because("import", allowed.status());
  if (!*allowed) return accounts::forbidden("Bạn không được soạn khóa học cho đơn vị cung cấp này.");
  auto known = known_codes(reference);
  if (!known) return unavailable_because("import", known.status());
  PackageLimits limits;
  limits.max_media_bytes = config.max_upload_bytes;
  auto read = read_package_zip(zip, limits, known->groups, known->competencies);
  if (!read.errors.empty()) return ImportOutcome{0, false, 0, std::move(read.errors)};
  auto outcome = import_package(service, config.data_dir, std::move(*read.package), provider_id, *known, who.id, false, now_text());
  if (!outcome) return unavailable_because("import", outcome.status());
  return std::move(*outcome);
}


// The authoring routes' handlers, named and behind the one prologue (accounts/call.h). Handlers of
// one course are registered through `course`: they run once the course of path parameter {id} is
// found and the caller may author it, and only then is the body read.
class CourseAuthoring {
 public:
  using CourseHandler = Response (CourseAuthoring::*)(Call&, CourseRecord&);

  CourseAuthoring(App& app, Service& service, accounts::Directory& dir, reference::Store& reference)
      : app(app), service(service), dir(dir), reference(reference) {}

  // The course of path parameter {id} when `c`'s caller may author it; 404 (or 503) instead.
  std::variant<CourseRecord, Response> course_of(Call& c) {
    auto record = service.store().course(c.id());
    if (!record) return unavailable("authoring", record.status());
    if (!*record) return Response::text(404, "");
    auto ok = accounts::may_author_for(dir, c.who, (*record)->provider_id);
    if (!ok) return unavailable("authoring", ok.status());
    if (!*ok) return Response::text(404, "");
    return std::move(**record);
  }

  Response on_course(Call& c, Body body, CourseHandler handler) {
    auto course = course_of(c);
    if (auto* refused = std::get_if<Response>(&course)) return std::move(*refused);
    if (auto refused = accounts::read_body(body, c)) return std::move(*refused);
    return (this->*handler)(c, std::get<CourseRecord>(course));
  }

  // Upload gates, decided from the request head before any body byte is read.
  std::optional<Response> may_author_course(Call& c) {
    auto course = course_of(c);
    if (auto* refused = std::get_if<Response>(&course)) return std::move(*refused);
    return std::nullopt;
  }
  static std::optional<Response> may_author_somewhere(Call& c) {
    if (!accounts::may_somewhere(c.who, accounts::Action::author_course)) return Response::text(403, "");
    return std::nullopt;
  }

  // --- the author's desk: their courses, a new course, a package to import ---

  Response desk_page(Call& c) { return desk(c, {}, 200); }

  Response courses_api(Call& c) {
    auto courses = authored(c.who);
    if (!courses) return unavailable("authoring", courses.status());
    json::array items;
    for (const auto& course : courses->second) items.emplace_back(authored_json(course));
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
  }

  Response create_form(Call& c) {
    auto made = create_course(service, dir, c.who, web::parse_id(c.field("provider_id")), c.field("title"), c.field("slug"));
    if (auto* r = std::get_if<Refused>(&made)) {
      if (r->kind == Refused::Kind::invalid) return desk(c, r->errors, 422);
      if (r->kind == Refused::Kind::conflict) return desk(c, r->errors, 409);
      return Response::text(r->kind == Refused::Kind::not_found ? 404 : 503, "");
    }
    return redirect("/author/courses/" + std::to_string(std::get<NewCourse>(made).id));
  }

  Response create_api(Call& c) {
    std::int64_t provider = 0;
    if (auto* x = c.json.if_contains("provider_id"); x && x->is_int64()) provider = x->as_int64();
    auto made = create_course(service, dir, c.who, provider, c.text("title"), c.text("slug"));
    if (auto* r = std::get_if<Refused>(&made)) return accounts::api_refusal(*r);
    const auto& course = std::get<NewCourse>(made);
    return Response::json(201, json::serialize(json::object{{"id", course.id}, {"slug", course.slug}, {"title", course.title}}));
  }

  // --- one course's editor ---

  Response editor(Call& c, CourseRecord& course) { return editor_page(app, reference, c.req, course); }

  Response course_api(Call&, CourseRecord& rec) {
    json::object o{{"id", rec.id}, {"slug", rec.slug}, {"provider", json::object{{"id", rec.provider_id}, {"name", rec.provider_name}}},
                   {"published_version", rec.published_version ? json::value(rec.published_version) : json::value(nullptr)},
                   {"settings", json::object{{"pacing", rec.settings.pacing}, {"enrol_opens", rec.settings.enrol_opens},
                                             {"enrol_closes", rec.settings.enrol_closes}, {"starts", rec.settings.starts},
                                             {"ends", rec.settings.ends}}},
                   {"draft", json::parse(content_to_json(rec.draft))}};
    return Response::json(200, json::serialize(o));
  }

  Response draft_api(Call& c, CourseRecord& rec) {
    auto draft = content_from_json(c.json);
    if (!draft) return App::api_error(422, "invalid_field", draft.status().message());
    draft->slug = rec.slug;  // the slug identifies the course; it does not change here
    auto errors = draft_shape_errors(*draft);
    if (!errors.empty()) return App::api_error(422, "invalid_field", "Cấu trúc khóa học chưa hợp lệ.", errors);
    auto st = service.store().save_draft(rec.id, *draft, now_text());
    if (!st.ok()) return unavailable("authoring", st);
    return Response::json(200, content_to_json(*draft));
  }

  Response settings_form(Call& c, CourseRecord& rec) {
    auto errors = apply_settings(rec, c.form);
    if (!errors.empty()) return editor_page(app, reference, c.req, rec, errors, {}, 422);
    auto st = service.store().save_draft(rec.id, rec.draft, now_text());
    if (st.ok()) st = service.store().save_settings(rec.id, rec.settings);
    if (!st.ok()) return unavailable("authoring", st);
    return redirect("/author/courses/" + std::to_string(rec.id) + "?done=saved");
  }

  // Structure: add, rename, move and remove sections, lessons and blocks (one small form each).
  Response structure_form(Call& c, CourseRecord& rec) {
    std::string action = c.field("action"), key = c.field("key"), title = to_nfc(trim(c.field("title")));
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
      auto kind = kind_from_name(c.field("kind"));
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
    if (!st.ok()) return editor_page(app, reference, c.req, rec, {{"structure", st.message()}}, {}, 422);
    auto saved = service.store().save_draft(rec.id, rec.draft, now_text());
    if (!saved.ok()) return unavailable("authoring", saved);
    if (!edit_block.empty()) return redirect("/author/courses/" + std::to_string(rec.id) + "/blocks/" + edit_block);
    return redirect("/author/courses/" + std::to_string(rec.id) + (anchor.empty() ? "" : "#item-" + anchor));
  }

  Response block_edit(Call& c, CourseRecord& rec) {
    const Block* b = find_block(rec.draft, c.req.path_param("key"));
    if (!b) return Response::text(404, "");
    return block_page(app, c.req, rec, *b);
  }

  // Registered with Body::none: the block is found before its form is read.
  Response block_form(Call& c, CourseRecord& rec) {
    const Block* found = find_block(rec.draft, c.req.path_param("key"));
    if (!found) return Response::text(404, "");
    if (auto refused = accounts::read_body(Body::parts, c)) return std::move(*refused);
    Block b = *found;
    auto errors = apply_block(app.config().data_dir, rec.id, b, c.parts);
    const bool preview = c.field("intent") == "preview";
    if (!errors.empty() || preview) return block_page(app, c.req, rec, b, errors, preview, errors.empty() ? 200 : 422);
    auto st = replace_block(rec.draft, b);
    if (st.ok()) st = service.store().save_draft(rec.id, rec.draft, now_text());
    if (!st.ok()) return unavailable("authoring", st);
    return redirect("/author/courses/" + std::to_string(rec.id) + "?done=saved#item-" + b.key);
  }

  // Media for the API: upload a file, then name it in the draft.
  Response media_api(Call& c, CourseRecord& rec) {
    const web::FormPart* file = nullptr;
    for (const auto& p : c.parts)
      if (p.name == "file" && !p.filename.empty()) file = &p;
    if (!file) return App::api_error(422, "invalid_field", "Thiếu tệp.", {{"file", "Hãy chọn tệp để tải lên."}});
    std::string use_name = c.field("use");
    MediaUse use = use_name == "video" ? MediaUse::video : use_name == "image" ? MediaUse::image
                   : use_name == "captions" ? MediaUse::captions : MediaUse::document;
    auto ok = check_media(use, file->filename, file->data);
    if (!ok.ok()) return App::api_error(422, "invalid_field", ok.message(), {{"file", ok.message()}});
    auto name = store_media(app.config().data_dir, rec.id, file->filename, file->data);
    if (!name) return unavailable("media", name.status());
    return Response::json(201, json::serialize(json::object{{"name", *name}, {"url", media_url(rec.id, *name)}}));
  }

  // Publishing: the page shows what stops it; the API answers 422 with the same list.
  Response publish_form(Call& c, CourseRecord& rec) {
    auto out = publish_course(service, reference, app.config().data_dir, rec, c.who);
    if (auto* r = std::get_if<Refused>(&out)) return Response::text(r->kind == Refused::Kind::not_found ? 404 : 503, "");
    const auto& done = std::get<Publication>(out);
    if (!done.problems.empty()) return editor_page(app, reference, c.req, rec, {}, done.problems, 422);
    return redirect("/author/courses/" + std::to_string(rec.id) + "?done=published");
  }

  Response publish_api(Call& c, CourseRecord& rec) {
    auto out = publish_course(service, reference, app.config().data_dir, rec, c.who);
    if (auto* r = std::get_if<Refused>(&out)) return accounts::api_refusal(*r);
    const auto& done = std::get<Publication>(out);
    if (!done.problems.empty()) {
      json::array list;
      for (const auto& p : done.problems) list.emplace_back(p);
      json::object body{{"error", json::object{{"code", "not_ready"}, {"message", "Khóa học chưa thể xuất bản."}}},
                        {"problems", std::move(list)}};
      return Response::json(422, json::serialize(body));
    }
    return Response::json(200, json::serialize(json::object{{"course_id", rec.id}, {"version", done.version}}));
  }

  // Preview as a learner: the draft's lesson, rendered like the lesson page, with nothing recorded.
  Response preview(Call& c, CourseRecord& rec) {
    PublishedVersion v;
    v.course_id = rec.id;
    v.content = rec.draft;
    auto p = prepare(std::move(v));
    const LessonRef* lesson = nullptr;
    for (const auto& ref : p->order)
      if (ref.lesson->key == c.req.path_param("lesson")) lesson = &ref;
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
    return app.page(c.req, "author_preview", lesson->lesson->title, d);
  }

  // --- packages: export the draft as a zip; import a zip as a new course or a new draft ---

  // The page's link and the API answer alike: the zip.
  Response package(Call&, CourseRecord& rec) {
    auto zip = export_package(service, app.config().data_dir, rec.id);
    if (!zip) return unavailable("export", zip.status());
    return zip_download(*zip, rec.slug);
  }

  Response import_form(Call& c) {
    auto out = import_course_zip(service, dir, reference, app.config(), c.who, web::parse_id(c.field("provider_id")), c.upload.file);
    if (auto* r = std::get_if<Refused>(&out)) {
      if (r->kind == Refused::Kind::forbidden)
        return import_errors_page(app, c.req, {{"", 0, "Bạn không được soạn khóa học cho đơn vị cung cấp đã chọn."}});
      return Response::text(r->kind == Refused::Kind::not_found ? 404 : 503, "");
    }
    const auto& done = std::get<ImportOutcome>(out);
    if (!done.errors.empty()) return import_errors_page(app, c.req, done.errors);
    return redirect("/author/courses/" + std::to_string(done.course_id) + "?done=imported");
  }

  // The zip is the body itself (Content-Type: application/zip); the provider is in the query.
  Response import_api(Call& c) {
    if (!c.req.header("Content-Type").starts_with("application/zip"))
      return App::api_error(415, "unsupported_media_type", "Gửi gói khóa học dạng zip (Content-Type: application/zip).");
    auto out = import_course_zip(service, dir, reference, app.config(), c.who, web::parse_id(c.req.query_param("provider_id")), c.req.body);
    if (auto* r = std::get_if<Refused>(&out)) return accounts::api_refusal(*r);
    const auto& done = std::get<ImportOutcome>(out);
    if (!done.errors.empty()) {
      json::object body{{"error", json::object{{"code", "invalid_package"}, {"message", "Gói khóa học có lỗi; không có gì được thay đổi."}}},
                        {"errors", package_errors_json(done.errors)}};
      return Response::json(422, json::serialize(body));
    }
    return Response::json(done.created ? 201 : 200,
                          json::serialize(json::object{{"course_id", done.course_id}, {"created", done.created}}));
  }

 private:
  // The organisations `who` may author for, (id, name), and their courses.
  Result<std::pair<std::vector<std::pair<std::int64_t, std::string>>, std::vector<AuthoredCourse>>> authored(const Principal& who) {
    auto providers = accounts::authoring_providers(dir, who);
    if (!providers) return providers.status();
    std::vector<std::int64_t> ids;
    for (const auto& [id, name] : *providers) ids.push_back(id);
    auto courses = service.store().authored_courses(ids, false);
    if (!courses) return courses.status();
    return std::pair{std::move(*providers), std::move(*courses)};
  }

  Response desk(Call& c, const web::FieldErrors& errors, int status) {
    if (!accounts::may_somewhere(c.who, accounts::Action::author_course)) return Response::text(403, "");
    auto found = authored(c.who);
    if (!found) return unavailable("authoring", found.status());
    const auto& [providers, courses] = *found;
    Data d = web::form_errors(errors);
    Data list{Data::type::list};
    for (const auto& course : courses) {
      Data o{Data::type::object};
      o.set("id", std::to_string(course.id));
      o.set("title", course.title.empty() ? "(" + app.text(c.req, "author.untitled") + ")" : course.title);
      o.set("provider", course.provider_name);
      if (course.published_version) o.set("published_version", std::to_string(course.published_version));
      list.push_back(o);
    }
    d.set("courses", list);
    Data provs{Data::type::list};
    for (const auto& [id, name] : providers) {
      Data o{Data::type::object};
      o.set("id", std::to_string(id));
      o.set("name", name);
      provs.push_back(o);
    }
    d.set("providers", provs);
    if (providers.empty()) d.set("no_providers", true);
    return app.page(c.req, "author", app.text(c.req, "author.title"), d, status);
  }

  App& app;
  Service& service;
  accounts::Directory& dir;
  reference::Store& reference;
};

}  // namespace

void add_authoring_routes(App& app, Service& service, accounts::Directory& dir, reference::Store& reference) {
  auto& r = app.router();
  auto a = std::make_shared<CourseAuthoring>(app, service, dir, reference);
  auto on = [&dir, a](Body body, Response (CourseAuthoring::*handler)(Call&)) {
    return accounts::signed_in(dir, body, std::bind_front(handler, a));
  };
  // The course is found before the body is read (Body::none to the prologue).
  auto course = [&dir, a](Body body, CourseAuthoring::CourseHandler handler) {
    return accounts::signed_in(dir, Body::none, [a, body, handler](Call& c) { return a->on_course(c, body, handler); });
  };
  const web::Gate course_gate = accounts::signed_in_gate(dir, std::bind_front(&CourseAuthoring::may_author_course, a));
  const web::Gate author_gate = accounts::signed_in_gate(dir, &CourseAuthoring::may_author_somewhere);
  const std::size_t max_upload = app.config().max_upload_bytes;

  r.add("GET", "/author", on(Body::none, &CourseAuthoring::desk_page));
  r.add("POST", "/author/courses", on(Body::form, &CourseAuthoring::create_form));
  r.add("GET", "/api/v1/author/courses", on(Body::none, &CourseAuthoring::courses_api));
  r.add("POST", "/api/v1/author/courses", on(Body::json, &CourseAuthoring::create_api));

  r.add("GET", "/author/courses/{id}", course(Body::none, &CourseAuthoring::editor));
  r.add("GET", "/api/v1/author/courses/{id}", course(Body::none, &CourseAuthoring::course_api));
  r.add("PUT", "/api/v1/author/courses/{id}/draft", course(Body::json, &CourseAuthoring::draft_api));
  r.add("POST", "/author/courses/{id}/settings", course(Body::form, &CourseAuthoring::settings_form));
  r.add("POST", "/author/courses/{id}/structure", course(Body::form, &CourseAuthoring::structure_form));
  r.add("GET", "/author/courses/{id}/blocks/{key}", course(Body::none, &CourseAuthoring::block_edit));
  r.add_upload("POST", "/author/courses/{id}/blocks/{key}", course(Body::none, &CourseAuthoring::block_form), max_upload, course_gate);
  r.add_upload("POST", "/api/v1/author/courses/{id}/media", course(Body::parts, &CourseAuthoring::media_api), max_upload, course_gate);
  r.add("POST", "/author/courses/{id}/publish", course(Body::form, &CourseAuthoring::publish_form));
  r.add("POST", "/api/v1/author/courses/{id}/publish", course(Body::none, &CourseAuthoring::publish_api));
  r.add("GET", "/author/courses/{id}/preview/{lesson}", course(Body::none, &CourseAuthoring::preview));
  r.add("GET", "/author/courses/{id}/package", course(Body::none, &CourseAuthoring::package));
  r.add("GET", "/api/v1/author/courses/{id}/package", course(Body::none, &CourseAuthoring::package));

  r.add_upload("POST", "/author/packages", on(Body::upload, &CourseAuthoring::import_form), max_upload, author_gate);
  r.add_upload("POST", "/api/v1/author/packages", on(Body::none, &CourseAuthoring::import_api), max_upload, author_gate);
}

}  // namespace hocvu::learning
