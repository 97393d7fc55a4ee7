#include "learning/json.h"

namespace hocvu::learning {

namespace json = boost::json;

std::string media_url(std::int64_t course_id, std::string_view stored_name) {
  if (stored_name.empty()) return {};
  return "/media/courses/" + std::to_string(course_id) + "/" + std::string(stored_name);
}

namespace {
json::array competencies_json(const std::vector<CompetencyTarget>& list) {
  json::array out;
  for (const auto& c : list) out.emplace_back(json::object{{"code", c.code}, {"level", c.level}});
  return out;
}
json::array strings(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}
}  // namespace

json::object catalogue_item_json(const CatalogueItem& i) {
  return json::object{{"id", i.id},
                      {"title", i.title},
                      {"summary", i.summary},
                      {"target_groups", strings(i.target_groups)},
                      {"competencies", competencies_json(i.competencies)},
                      {"duration_minutes", i.duration_minutes},
                      {"provider", json::object{{"id", i.provider_id}, {"name", i.provider_name}}}};
}

json::object course_json(const Published& p, std::string_view provider_name, std::int64_t provider_id) {
  const auto& c = p.version.content;
  json::array sections;
  for (const auto& s : c.sections) {
    json::array lessons;
    for (const auto& l : s.lessons) lessons.emplace_back(json::object{{"id", p.lesson_id(l.key)}, {"key", l.key}, {"title", l.title}});
    sections.emplace_back(json::object{{"key", s.key}, {"title", s.title}, {"lessons", std::move(lessons)}});
  }
  return json::object{{"id", p.version.course_id},
                      {"version", p.version.version},
                      {"slug", c.slug},
                      {"title", c.title},
                      {"summary", c.summary},
                      {"description_html", p.description_html},
                      {"language", c.language},
                      {"target_groups", strings(c.target_groups)},
                      {"competencies", competencies_json(c.competencies)},
                      {"duration_minutes", c.duration_minutes},
                      {"unlock", c.unlock == Unlock::sequential ? "sequential" : "free"},
                      {"provider", json::object{{"id", provider_id}, {"name", provider_name}}},
                      {"sections", std::move(sections)},
                      {"quizzes", json::array{}}};
}

json::object enrolment_json(const Enrolment& e, std::string_view title) {
  auto opt = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
  return json::object{{"course_id", e.course_id},
                      {"title", title},
                      {"source", e.source},
                      {"enrolled_at", e.enrolled_at},
                      {"deadline", opt(e.deadline)},
                      {"percent_complete", e.percent},
                      {"completed_at", opt(e.completed_at)},
                      {"last_lesson_key", opt(e.last_lesson_key)}};
}

json::object lesson_json(const LessonView& v) {
  const auto& p = *v.course;
  const std::int64_t course_id = p.version.course_id;
  json::array blocks;
  for (const auto& b : v.lesson->lesson->blocks) {
    json::object o{{"key", b.key}, {"kind", kind_name(b.kind)}, {"required", b.required}};
    auto st = v.states.find(b.key);
    const BlockState* state = st == v.states.end() ? nullptr : &st->second;
    o["done"] = state && state->done;
    if (!b.title.empty()) o["title"] = b.title;
    auto html = p.html.find(b.key);
    if (html != p.html.end())
      o[b.kind == BlockKind::video ? "transcript_html" : b.kind == BlockKind::image ? "caption_html" : b.kind == BlockKind::question ? "prompt_html" : "html"] = html->second;
    switch (b.kind) {
      case BlockKind::video:
        o["src"] = media_url(course_id, b.media);
        if (!b.captions.empty()) o["captions"] = media_url(course_id, b.captions);
        o["duration_seconds"] = b.duration_seconds;
        o["watched"] = state ? state->watched : "";
        break;
      case BlockKind::image:
        o["src"] = media_url(course_id, b.media);
        o["alt"] = b.alt;
        break;
      case BlockKind::document: o["href"] = media_url(course_id, b.media); break;
      case BlockKind::link: o["url"] = b.url; break;
      case BlockKind::question: {
        json::array options;
        if (b.question)
          for (std::size_t i = 0; i < b.question->options.size(); ++i)
            options.emplace_back(json::object{{"index", i}, {"text", b.question->options[i]}});
        o["options"] = std::move(options);
        if (state && state->answer && b.question) {
          // Answered on the server: now, and only now, the right answer and the explanation.
          o["answer"] = *state->answer;
          o["correct"] = state->correct;
          o["correct_option"] = b.question->answer;
          auto ex = p.extra_html.find(b.key);
          if (ex != p.extra_html.end()) o["explanation_html"] = ex->second;
        }
        break;
      }
      case BlockKind::text: break;
    }
    blocks.emplace_back(std::move(o));
  }
  auto ref = [&](const LessonRef* r) {
    return r ? json::value(json::object{{"id", p.lesson_id(r->lesson->key)}, {"title", r->lesson->title}}) : json::value(nullptr);
  };
  return json::object{{"id", p.lesson_id(v.lesson->lesson->key)},
                      {"key", v.lesson->lesson->key},
                      {"title", v.lesson->lesson->title},
                      {"section", v.lesson->section->title},
                      {"course", json::object{{"id", course_id}, {"title", p.version.content.title}, {"version", p.version.version}}},
                      {"open", v.open},
                      {"percent_complete", v.percent},
                      {"previous", ref(v.previous)},
                      {"next", ref(v.next)},
                      {"blocks", v.open ? json::value(std::move(blocks)) : json::value(json::array{})}};
}

}  // namespace hocvu::learning
