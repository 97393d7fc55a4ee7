// The assessment JSON API: banks, questions, import and export, quizzes, attempts, gradebooks,
// regrades, attempt trails and the learner's competency evidence. The pages
// (bank_pages.cpp, quiz_pages.cpp, attempt_pages.cpp) call the same Service with the same rules.
#include "assessment/routes.h"

#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "assessment/gift.h"
#include "assessment/gradebook.h"
#include "assessment/moodle_xml.h"
#include "assessment/question_json.h"
#include "assessment/route_support.h"
#include "learning/media.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "core/text.h"
#include "web/app.h"
#include "web/static_files.h"
#include "web/multipart.h"

#include <boost/json/serialize.hpp>

namespace hocvu::assessment {
namespace {

using accounts::Principal;
using web::parse_id;
using accounts::unavailable;
using accounts::Body;
using accounts::Call;
using web::App;
using web::Request;
using web::Response;
namespace json = boost::json;

json::object bank_json(const Bank& b) {
  return json::object{{"id", b.id}, {"title", b.title}, {"provider_id", b.provider_id},
                      {"provider", b.provider_name}, {"questions", b.questions}};
}

json::object stored_question_json(const StoredQuestion& s) {
  json::object o = question_to_json(s.question);
  o["version"] = s.version;
  o["updated_at"] = s.updated_at;
  return o;
}

json::object quiz_json(const QuizRecord& q) {
  return json::object{{"id", q.id},          {"bank_id", q.bank_id},
                      {"course_id", q.course_id ? json::value(q.course_id) : json::value(nullptr)},
                      {"kind", kind_name(q.kind)}, {"title", q.title},
                      {"settings", settings_to_json(q.settings)}, {"updated_at", q.updated_at}};
}

json::array strings_json(const std::vector<std::string>& list) {
  json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

Response invalid(std::string_view message) { return App::api_error(422, "invalid_field", message); }

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
std::int64_t id_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

}  // namespace

Result<std::string> bank_image(Context& c, const Bank& bank, const Request& req) {
  auto parts = web::parse_multipart(req.header("Content-Type"), req.body);
  if (!parts) return Error(ErrorCode::invalid_argument, "Hãy gửi tệp dạng multipart/form-data, trường \"file\".");
  const web::FormPart* file = nullptr;
  for (const auto& p : *parts)
    if (p.name == "file" && !p.filename.empty()) file = &p;
  if (!file) return Error(ErrorCode::invalid_argument, "Hãy chọn một ảnh để tải lên.");
  auto ok = learning::check_media(learning::MediaUse::image, file->filename, file->data);
  if (!ok.ok()) return ok;
  auto name = learning::store_media_in(c.app().config().data_dir, "banks", bank.id, file->filename, file->data);
  if (!name) return name.status();
  return "/media/banks/" + std::to_string(bank.id) + "/" + *name;
}

// Checks a quiz's shape before it is stored: a title, a bank the author owns and, for course
// quizzes, a course of the same provider. Returns "" when it is fine.
std::string check_quiz_target(Context& c, const Principal& who, QuizRecord& quiz, std::string_view lang);

std::string check_quiz_target(Context& c, const Principal& who, QuizRecord& quiz, std::string_view) {
  if (quiz.title.empty() || quiz.title.size() > 200) return "Hãy đặt tên bài kiểm tra (tối đa 200 ký tự).";
  auto bank = c.store().bank(quiz.bank_id);
  if (!bank || !*bank) return "Hãy chọn một ngân hàng câu hỏi.";
  auto ok = c.may_author(who, (*bank)->provider_id);
  if (!ok || !*ok) return "Hãy chọn một ngân hàng câu hỏi của đơn vị bạn soạn bài.";
  quiz.provider_id = (*bank)->provider_id;
  if (quiz.course_id) {
    auto course = c.learning().store().course(quiz.course_id);
    if (!course || !*course || (*course)->provider_id != quiz.provider_id)
      return "Khóa học phải thuộc cùng đơn vị với ngân hàng câu hỏi.";
  } else if (quiz.kind != QuizKind::placement) {
    return "Bài kiểm tra phần và bài thi cuối khóa phải thuộc một khóa học.";
  }
  return {};
}

namespace {

// The assessment API's handlers, each a named function; add_api_routes registers them.
class AssessmentApi {
 public:
  AssessmentApi(App& app, std::shared_ptr<Context> c) : app(app), c(std::move(c)) {}

  // --- banks ---
  Response list_banks(Call& call) {
    const Principal& who = call.who;
    auto ids = c->provider_ids(who);
    if (!ids) return unavailable("banks", ids.status());
    auto banks = c->store().banks(*ids, false);
    if (!banks) return unavailable("banks", banks.status());
    json::array items;
    for (const auto& b : *banks) items.emplace_back(bank_json(b));
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
  }

  Response create_bank(Call& call) {
    const Principal& who = call.who;
    const auto& o = call.json;
    std::string title = trim(str(o, "title"));
    std::int64_t provider = id_of(o, "provider_id");
    auto ok = c->may_author(who, provider);
    if (!ok) return unavailable("banks", ok.status());
    web::FieldErrors errors;
    if (title.empty() || title.size() > 200) errors.emplace_back("title", "Hãy đặt tên ngân hàng (tối đa 200 ký tự).");
    if (!*ok) errors.emplace_back("provider_id", "Hãy chọn một đơn vị mà bạn được soạn bài.");
    if (!errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", errors);
    auto id = c->store().create_bank(provider, title, who.id, learning::now_text());
    if (!id) return unavailable("banks", id.status());
    auto bank = c->store().bank(*id);
    if (!bank || !*bank) return unavailable("banks", bank.status());
    return Response::json(201, json::serialize(bank_json(**bank)));
  }

  Response show_bank(Call& call) {
    auto found = c->bank_of(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    const Bank& bank = std::get<Bank>(found);
    auto questions = c->service().questions(bank.id);
    if (!questions) return unavailable("banks", questions.status());
    json::object o = bank_json(bank);
    json::array list;
    for (const auto& q : *questions) list.emplace_back(stored_question_json(q));
    o["items"] = std::move(list);
    return Response::json(200, json::serialize(o));
  }

  Response import_questions(Call& call) {
    Request& req = call.req;
    auto found = c->bank_of(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    const Principal& who = call.who;
    const Bank& bank = std::get<Bank>(found);
    auto format = req.query_param("format");
    if (format != "gift" && format != "moodle_xml")
      return invalid("Hãy chọn định dạng: format=gift hoặc format=moodle_xml.");
    auto mode = req.query_param("mode");
    if (!mode.empty() && mode != "all" && mode != "valid_only")
      return invalid("mode phải là all (không nhập gì nếu có lỗi) hoặc valid_only (chỉ nhập câu hợp lệ).");
    auto report = c->service().import(bank.id, format == "gift" ? ImportFormat::gift : ImportFormat::moodle_xml,
                                      req.body, mode == "valid_only", who.id, learning::now_text());
    if (!report) return unavailable("import", report.status());
    json::array errors, skipped, saved;
    for (const auto& e : report->errors) errors.emplace_back(json::object{{"line", e.line}, {"message", e.message}});
    for (int l : report->skipped_lines) skipped.emplace_back(l);
    for (const auto& s : report->saved) saved.emplace_back(json::object{{"id", s.id}, {"version", s.version}});
    json::object body{{"imported", report->saved.size()}, {"questions", std::move(saved)},
                      {"skipped_lines", std::move(skipped)}, {"errors", std::move(errors)}};
    if (!report->imported) {
      json::object error{{"code", "invalid_import"},
                         {"message", "Tệp có lỗi nên chưa câu hỏi nào được nhập. Hãy sửa các lỗi theo dòng, hoặc chọn chỉ nhập các câu hợp lệ."},
                         {"details", body["errors"]}};
      body["error"] = std::move(error);
      return Response::json(422, json::serialize(body));
    }
    return Response::json(200, json::serialize(body));
  }

  Response export_bank(Call& call) {
    Request& req = call.req;
    auto found = c->bank_of(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    const Bank& bank = std::get<Bank>(found);
    auto format = req.query_param("format");
    if (format != "gift" && format != "moodle_xml") return invalid("Hãy chọn định dạng: format=gift hoặc format=moodle_xml.");
    auto stored = c->service().questions(bank.id);
    if (!stored) return unavailable("export", stored.status());
    std::vector<Question> qs;
    for (auto& s : *stored) qs.push_back(std::move(s.question));
    // A format that cannot hold a question (GIFT has no ordering) leaves it out; the response
    // names what was left out, so nothing disappears silently.
    std::vector<std::string> left_out;
    Response res = format == "gift" ? Response::text(200, write_gift(qs, &left_out), "text/plain; charset=utf-8")
                                    : Response::text(200, write_moodle_xml(qs, &left_out), "application/xml; charset=utf-8");
    if (!left_out.empty()) res.set_header("X-Left-Out-Questions", join_ids(left_out));
    res.set_header("Content-Disposition", std::string("attachment; filename=\"bank-") + std::to_string(bank.id) +
                                              (format == "gift" ? ".gift.txt\"" : ".xml\""));
    return res;
  }

  // Question images, served to those who may author for the bank's provider and to learners
  // with an attempt at a quiz of the bank (its questions were shown to them, and a stored name is
  // the digest of the image, so nobody learns one without having been shown the image); 404 to
  // everyone else, signed in or not. Never cached by shared caches.
  // Not behind the prologue: anonymous callers are answered 404 like everyone else without
  // access, not sent to sign in.
  Response bank_media(Request& req) {
    if (!req.user_id) return Response::text(404, "");
    auto bank = c->store().bank(parse_id(req.path_param("id")));
    if (!bank) return unavailable("media", bank.status());
    if (!*bank) return Response::text(404, "");
    auto who = accounts::load_principal(c->dir(), req.user_id);
    if (!who) return unavailable("media", who.status());
    auto allowed = c->may_author(*who, (*bank)->provider_id);
    if (!allowed) return unavailable("media", allowed.status());
    if (!*allowed) {
      allowed = c->store().has_attempt_on_bank(req.user_id, (*bank)->id);
      if (!allowed) return unavailable("media", allowed.status());
    }
    if (!*allowed) return Response::text(404, "");
    Response res = web::serve_disk_file(req, c->app().config().data_dir + "/media",
                                        "banks/" + std::to_string((*bank)->id) + "/" + std::string(req.path_param("name")));
    if (res.status != 404) res.set_header("Cache-Control", "private, max-age=3600");
    return res;
  }

  // Images for questions: stored by content digest below <data dir>/media/banks/<bank id>/ and
  // placed in a question's text as Markdown (![description](url)).
  Response upload_bank_image(Call& call) {
    Request& req = call.req;
    auto found = c->bank_of(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    const Bank& bank = std::get<Bank>(found);
    auto image = bank_image(*c, bank, req);
    if (!image && image.status().code() == ErrorCode::invalid_argument)
      return App::api_error(422, "invalid_field", image.status().message(), {{"file", image.status().message()}});
    if (!image) return unavailable("media", image.status());
    const std::string& url = *image;
    return Response::json(201, json::serialize(json::object{{"url", url}, {"markdown", "![](" + url + ")"}}));
  }

  // Registered with Body::none: the bank is found (404 for a caller who may not author for it,
  // whatever they sent) before the body is read.
  Response save_question(Call& call, std::string id) {
    auto found = c->bank_of(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    const Principal& who = call.who;
    const Bank& bank = std::get<Bank>(found);
    if (auto refused = accounts::read_body(Body::json, call)) return std::move(*refused);
    std::string error;
    auto q = question_from_json(json::value(std::move(call.json)), error);
    if (!q) return invalid(error);
    q->id = id;
    if (!id.empty()) {
      auto existing = c->store().question_version(bank.id, id, 1);
      if (!existing) return unavailable("questions", existing.status());
      if (!*existing) return Response::text(404, "");
    }
    auto saved = c->service().save_question(bank.id, std::move(*q), who.id, learning::now_text());
    if (!saved && saved.status().code() == ErrorCode::invalid_argument)
      return App::api_error(422, "invalid_question", saved.status().message());
    if (!saved) return unavailable("questions", saved.status());
    return Response::json(id.empty() ? 201 : 200,
                          json::serialize(json::object{{"id", saved->id}, {"version", saved->version}, {"changed", saved->changed}}));
  }

  Response create_question(Call& call) { return save_question(call, ""); }

  Response update_question(Call& call) { return save_question(call, std::string(call.req.path_param("question"))); }

  // --- quizzes (authors) ---
  Response create_quiz(Call& call) {
    Request& req = call.req;
    const Principal& who = call.who;
    const auto& o = call.json;
    QuizRecord quiz;
    auto kind = quiz_kind_from_name(str(o, "kind"));
    if (!kind) return invalid("kind phải là section, final_exam hoặc placement.");
    quiz.kind = *kind;
    quiz.bank_id = id_of(o, "bank_id");
    quiz.course_id = id_of(o, "course_id");
    quiz.title = trim(str(o, "title"));
    std::string error;
    auto settings = settings_from_json(o.contains("settings") ? o.at("settings") : json::value(json::object{}), error);
    if (!settings) return invalid(error);
    quiz.settings = std::move(*settings);
    if (auto problem = check_quiz_target(*c, who, quiz, req.lang); !problem.empty()) return invalid(problem);
    auto id = c->store().create_quiz(quiz, who.id, learning::now_text());
    if (!id && id.status().code() == ErrorCode::conflict)
      return App::api_error(409, "conflict", "Khóa học này đã có bài thi cuối khóa.");
    if (!id) return unavailable("quizzes", id.status());
    quiz.id = *id;
    auto problems = c->service().problems(quiz);
    if (!problems) return unavailable("quizzes", problems.status());
    json::object out = quiz_json(quiz);
    out["problems"] = strings_json(*problems);
    return Response::json(201, json::serialize(out));
  }

  // Registered with Body::none: the quiz is found (404 for a caller who may not author it,
  // whatever they sent) before the body is read.
  Response update_quiz(Call& call) {
    auto found = c->quiz_of(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    QuizRecord& quiz = std::get<QuizRecord>(found);
    if (auto refused = accounts::read_body(Body::json, call)) return std::move(*refused);
    const auto& o = call.json;
    if (o.contains("title")) quiz.title = trim(str(o, "title"));
    if (o.contains("settings")) {
      std::string error;
      auto settings = settings_from_json(o.at("settings"), error);
      if (!settings) return invalid(error);
      quiz.settings = std::move(*settings);
    }
    if (quiz.title.empty() || quiz.title.size() > 200) return invalid("Hãy đặt tên bài kiểm tra (tối đa 200 ký tự).");
    auto st = c->store().update_quiz(quiz, learning::now_text());
    if (!st.ok()) return unavailable("quizzes", st);
    auto problems = c->service().problems(quiz);
    if (!problems) return unavailable("quizzes", problems.status());
    json::object out = quiz_json(quiz);
    out["problems"] = strings_json(*problems);
    return Response::json(200, json::serialize(out));
  }

  Response regrade_quiz(Call& call) {
    Request& req = call.req;
    auto found = c->quiz_of(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    const Principal& who = call.who;
    QuizRecord& quiz = std::get<QuizRecord>(found);
    auto changed = c->regrade(who, quiz, req);
    if (!changed) return unavailable("regrade", changed.status());
    return Response::json(200, json::serialize(json::object{{"regraded", *changed}}));
  }

  Response attempt_events(Call& call) {
    auto trail = c->attempt_trail(call);
    if (auto* res = std::get_if<Response>(&trail)) return std::move(*res);
    const auto& [attempt, quiz, events] = std::get<0>(trail);
    json::array items;
    for (const auto& e : events)
      items.emplace_back(json::object{{"kind", e.kind}, {"question", e.question.empty() ? json::value(nullptr) : json::value(e.question)},
                                      {"at", iso(e.at_ms)}, {"by", e.by ? json::value(e.by) : json::value(nullptr)},
                                      {"detail", e.detail}});
    return Response::json(200, json::serialize(json::object{{"attempt_id", attempt.id}, {"items", std::move(items)}}));
  }

  // --- taking a quiz ---
  Response course_quizzes(Call& call) {
    Request& req = call.req;
    const std::int64_t course_id = parse_id(req.path_param("id"));
    auto current = c->learning().store().current_version(course_id);
    if (!current) return unavailable("quizzes", current.status());
    if (!*current) return Response::text(404, "");  // an unpublished course has no quizzes to show
    auto quizzes = c->store().course_quizzes(course_id);
    if (!quizzes) return unavailable("quizzes", quizzes.status());
    json::array items;
    for (const auto& q : *quizzes)
      items.emplace_back(json::object{{"id", q.id}, {"kind", kind_name(q.kind)}, {"title", q.title}});
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
  }

  Response show_quiz(Call& call) {
    Request& req = call.req;
    auto found = c->quiz_for_learner(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    const QuizRecord& quiz = std::get<QuizRecord>(found);
    const std::int64_t now = now_ms();
    auto attempts = c->store().attempts_of(quiz.id, req.user_id);
    if (!attempts) return unavailable("quizzes", attempts.status());
    // An open attempt whose time is over ends now, as reading it would end it: what this shows
    // (its grade, whether a new attempt may start) agrees with the attempt itself.
    bool ended = false;
    for (const auto& a : *attempts)
      if (a.ended_ms == 0 && !accepts_answers(a.deadline_ms, now, c->service().grace_ms())) {
        auto closed = c->service().view(a.id, req.user_id, now);
        if (!closed) return unavailable("quizzes", closed.status());
        ended = true;
      }
    if (ended) {
      attempts = c->store().attempts_of(quiz.id, req.user_id);
      if (!attempts) return unavailable("quizzes", attempts.status());
    }
    std::vector<PastAttempt> past;
    json::array list;
    for (const auto& a : *attempts) {
      past.push_back(a.past());
      json::object o{{"id", a.id}, {"number", a.number}, {"started_at", iso(a.started_ms)},
                     {"ended_at", a.ended_ms ? json::value(iso(a.ended_ms)) : json::value(nullptr)}};
      if (a.ended_ms) {
        o["score"] = a.score;
        o["max_score"] = a.max_score;
        o["passed"] = a.passed;
      }
      list.emplace_back(std::move(o));
    }
    auto decision = may_start(quiz.settings, past, now);
    auto counted = counted_attempt(past, quiz.settings.score_rule);
    const QuizSettings& s = quiz.settings;
    json::object out{{"id", quiz.id}, {"kind", kind_name(quiz.kind)}, {"title", quiz.title},
                     {"course_id", quiz.course_id ? json::value(quiz.course_id) : json::value(nullptr)},
                     {"time_limit_minutes", s.time_limit_minutes},
                     {"opens_at", s.opens_at_ms ? json::value(iso(s.opens_at_ms)) : json::value(nullptr)},
                     {"closes_at", s.closes_at_ms ? json::value(iso(s.closes_at_ms)) : json::value(nullptr)},
                     {"max_attempts", s.max_attempts}, {"wait_minutes", s.wait_minutes}, {"pass_percent", s.pass_percent},
                     {"score_rule", score_rule_name(s.score_rule)}, {"attempts", std::move(list)},
                     {"counted_attempt_id", counted ? json::value((*attempts)[*counted].id) : json::value(nullptr)},
                     {"may_start", decision.verdict == StartVerdict::start || decision.verdict == StartVerdict::resume},
                     {"start_refusal", decision.verdict == StartVerdict::start || decision.verdict == StartVerdict::resume
                                           ? json::value(nullptr) : json::value(refusal_code(decision.verdict))}};
    return Response::json(200, json::serialize(out));
  }

  Response start_attempt(Call& call) {
    Request& req = call.req;
    const std::int64_t now = now_ms();
    auto started = c->service().start(parse_id(req.path_param("id")), req.user_id, now);
    if (!started) {
      switch (started.status().code()) {
        case ErrorCode::not_found: return Response::text(404, "");
        case ErrorCode::permission_denied:
          return App::api_error(403, "not_enrolled", "Bạn cần ghi danh vào khóa học trước khi làm bài kiểm tra này.");
        case ErrorCode::conflict: return App::api_error(409, "quiz_not_ready", started.status().message());
        default: return unavailable("attempts", started.status());
      }
    }
    if (!started->attempt_id)
      return App::api_error(409, refusal_code(started->decision.verdict), refusal_message(started->decision, "vi"));
    Response res = Response::json(started->created ? 201 : 200,
                                  attempt_body(*started->view, now, c->service().grace_ms()));
    res.set_header("Location", "/api/v1/attempts/" + std::to_string(started->attempt_id));
    return res;
  }

  Response show_attempt(Call& call) {
    Request& req = call.req;
    const std::int64_t now = now_ms();
    auto view = c->service().view(parse_id(req.path_param("id")), req.user_id, now);
    if (!view && view.status().code() == ErrorCode::not_found) return Response::text(404, "");
    if (!view) return unavailable("attempts", view.status());
    return Response::json(200, attempt_body(*view, now, c->service().grace_ms()));
  }

  Response save_answer(Call& call) {
    Request& req = call.req;
    if (!call.json.contains("value")) return invalid("Hãy gửi câu trả lời dạng {\"value\": ...}.");
    const std::int64_t now = now_ms();
    const std::string question(req.path_param("question"));
    auto saved = c->service().save(parse_id(req.path_param("id")), req.user_id, question, call.json.at("value"), now);
    if (!saved) {
      switch (saved.status().code()) {
        case ErrorCode::not_found: return Response::text(404, "");
        case ErrorCode::invalid_argument: return invalid(saved.status().message());
        case ErrorCode::conflict: return App::api_error(409, "attempt_closed", saved.status().message());
        default: return unavailable("answers", saved.status());
      }
    }
    return Response::json(200, json::serialize(json::object{{"question", question},
                                                            {"saved", *saved == SaveOutcome::saved},
                                                            {"server_time", iso(now)}}));
  }

  Response submit_attempt(Call& call) {
    Request& req = call.req;
    const std::int64_t now = now_ms();
    auto view = c->service().submit(parse_id(req.path_param("id")), req.user_id, now);
    if (!view && view.status().code() == ErrorCode::not_found) return Response::text(404, "");
    if (!view) return unavailable("submit", view.status());
    return Response::json(200, attempt_body(*view, now, c->service().grace_ms()));
  }

  // --- results ---
  Response gradebook(Call& call) {
    auto book = load_gradebook(*c, call);
    if (auto* res = std::get_if<Response>(&book)) return std::move(*res);
    return Response::json(200, json::serialize(gradebook_json(std::get<Gradebook>(book))));
  }

  Response my_competencies(Call& call) {
    Request& req = call.req;
    auto profile = competency_profile(*c, req.user_id, req.lang);
    if (!profile) return unavailable("competencies", profile.status());
    return Response::json(200, json::serialize(competency_json(*profile)));
  }

 private:
  App& app;
  std::shared_ptr<Context> c;
};

}  // namespace

void add_api_routes(App& app, std::shared_ptr<Context> c) {
  auto& r = app.router();
  auto h = std::make_shared<AssessmentApi>(app, c);
  // A JSON body is checked by the prologue (400 for one that is not a JSON object), or, where the
  // handler must find its target first, by the handler (accounts::read_body).
  auto on = [&c, h](Response (AssessmentApi::*handler)(Call&), Body body = Body::none) {
    return accounts::signed_in(c->dir(), body, std::bind_front(handler, h));
  };
  r.add("GET", "/api/v1/banks", on(&AssessmentApi::list_banks));
  r.add("POST", "/api/v1/banks", on(&AssessmentApi::create_bank, Body::json));
  r.add("GET", "/api/v1/banks/{id}", on(&AssessmentApi::show_bank));
  r.add_upload("POST", "/api/v1/banks/{id}/import", on(&AssessmentApi::import_questions), 10u << 20, bank_gate(c));
  r.add("GET", "/api/v1/banks/{id}/export", on(&AssessmentApi::export_bank));
  r.add("GET", "/media/banks/{id}/{name}", std::bind_front(&AssessmentApi::bank_media, h));
  r.add_upload("POST", "/api/v1/banks/{id}/media", on(&AssessmentApi::upload_bank_image), app.config().max_upload_bytes, bank_gate(c));
  r.add("POST", "/api/v1/banks/{id}/questions", on(&AssessmentApi::create_question));
  r.add("PUT", "/api/v1/banks/{id}/questions/{question}", on(&AssessmentApi::update_question));
  r.add("POST", "/api/v1/quizzes", on(&AssessmentApi::create_quiz, Body::json));
  r.add("PUT", "/api/v1/quizzes/{id}", on(&AssessmentApi::update_quiz));
  r.add("POST", "/api/v1/quizzes/{id}/regrade", on(&AssessmentApi::regrade_quiz));
  r.add("GET", "/api/v1/attempts/{id}/events", on(&AssessmentApi::attempt_events));
  r.add("GET", "/api/v1/courses/{id}/quizzes", on(&AssessmentApi::course_quizzes));
  r.add("GET", "/api/v1/quizzes/{id}", on(&AssessmentApi::show_quiz));
  r.add("POST", "/api/v1/quizzes/{id}/attempts", on(&AssessmentApi::start_attempt));
  r.add("GET", "/api/v1/attempts/{id}", on(&AssessmentApi::show_attempt));
  // The busiest request of an exam day acts on the caller's own attempt only: no grants read.
  r.add("PUT", "/api/v1/attempts/{id}/answers/{question}",
        accounts::signed_in_self(Body::json, std::bind_front(&AssessmentApi::save_answer, h)));
  r.add("POST", "/api/v1/attempts/{id}/submit", on(&AssessmentApi::submit_attempt));
  r.add("GET", "/api/v1/courses/{id}/gradebook", on(&AssessmentApi::gradebook));
  r.add("GET", "/api/v1/me/competencies", on(&AssessmentApi::my_competencies));
}

}  // namespace hocvu::assessment
