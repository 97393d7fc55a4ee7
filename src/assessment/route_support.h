// What the assessment routes share: who may author a bank, the caller's bank, quiz and attempt
// (or the response to send instead), times as people read them, and the JSON of an attempt.
#pragma once

#include "accounts/authorization.h"
#include "accounts/call.h"
#include "assessment/service.h"
#include "web/http.h"
#include "web/router.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <memory>
#include <variant>
#include <vector>

namespace hocvu::web { class App; }
namespace hocvu::accounts { class Directory; }
namespace hocvu::reference { class Store; }
namespace hocvu::learning { class Service; }

namespace hocvu::assessment {

class Context : public std::enable_shared_from_this<Context> {
 public:
  Context(web::App& app, Service& service, learning::Service& learning, accounts::Directory& dir,
          reference::Store& reference)
      : app_(app), service_(service), learning_(learning), dir_(dir), reference_(reference) {}

  web::App& app() { return app_; }
  Service& service() { return service_; }
  Store& store() { return service_.store(); }
  learning::Service& learning() { return learning_; }
  accounts::Directory& dir() { return dir_; }
  reference::Store& reference() { return reference_; }

  // May `who` author for organisation `provider_id` (banks, quizzes, courses)?
  Result<bool> may_author(const accounts::Principal& who, std::int64_t provider_id);
  // The organisations `who` may author for: (id, name).
  Result<std::vector<std::pair<std::int64_t, std::string>>> providers(const accounts::Principal& who);

  // The ids of providers(who).
  Result<std::vector<std::int64_t>> provider_ids(const accounts::Principal& who);

  // The attempt of path parameter {id}, its quiz and its event trail, for an author of the
  // quiz's bank; the response to send instead otherwise (404 for anyone else).
  std::variant<std::tuple<AttemptRecord, QuizRecord, std::vector<AttemptEvent>>, web::Response> attempt_trail(
      const accounts::Call& call);

  // Regrades the quiz (Service::regrade) and writes who did it to the audit log. Returns how
  // many attempts changed.
  Result<int> regrade(const accounts::Principal& who, const QuizRecord& quiz, const web::Request& req);

  // Behind the one prologue (accounts/call.h): `handler(context, call)` for a signed-in caller
  // whose body was checked as `body` says.
  using CallHandler = web::Response (*)(Context&, accounts::Call&);
  web::Handler on(accounts::Body body, CallHandler handler);

  // The bank of path parameter `param` when the caller may author for its provider; 404 (or 503)
  // to send instead.
  std::variant<Bank, web::Response> bank_of(const accounts::Call& call, std::string_view param = "id");
  // The quiz of path parameter {id} when the caller may author for its bank's provider.
  std::variant<QuizRecord, web::Response> quiz_of(const accounts::Call& call);

  // The quiz of path parameter {id} when the caller may take it: 404 when absent or when its
  // course is not published; 403 with a message when they are not enrolled in its course.
  std::variant<QuizRecord, web::Response> quiz_for_learner(const accounts::Call& call);

 private:
  web::App& app_;
  Service& service_;
  learning::Service& learning_;
  accounts::Directory& dir_;
  reference::Store& reference_;
};

// The gate of a bank's upload routes: the caller must be signed in and may author for the bank
// (Context::bank_of), decided before the upload's body is read.
web::Gate bank_gate(std::shared_ptr<Context> c);

std::int64_t now_ms();

// Milliseconds as stored and sent: "2026-12-01T02:00:00.000Z"; "" for 0.
std::string iso(std::int64_t ms);
// "2026-12-01T09:00" (an <input type="datetime-local"> value, Vietnam time) and back; 0 for ""
// or anything malformed (then `ok` is false).
std::string local_input(std::int64_t ms);
std::int64_t parse_local_input(std::string_view text, bool& ok);

// The attempt as the API sends it: {"id", "quiz_id", "number", "status" (open, submitted,
// timed_out), "started_at", "deadline", "ended_at", "server_time", "grace_seconds", "questions",
// "answers", and once closed "score", "max_score", "percent", "passed", "review"}. Questions are
// learner_question (plus add_review once closed, as the quiz allows): nothing in it gives an
// answer away before then.
boost::json::object attempt_json(const AttemptView& v, std::int64_t now_ms, std::int64_t grace_ms,
                                 boost::json::storage_ptr sp = {});
// The same, serialized: the API's answer body.
std::string attempt_body(const AttemptView& v, std::int64_t now_ms, std::int64_t grace_ms);

// Stores the image of a multipart request's "file" part for `bank` (checked as learning's media
// checks images) and returns its URL; invalid_argument (a Vietnamese message) for a bad upload.
Result<std::string> bank_image(Context& c, const Bank& bank, const web::Request& req);

// Why a start was refused, for the learner (Vietnamese), and the API's error code for it.
std::string refusal_message(const StartDecision& d, std::string_view lang);
const char* refusal_code(StartVerdict v);

}  // namespace hocvu::assessment
