#include "learning/content_json.h"

#include "core/json.h"

#include <boost/json.hpp>

#include <limits>

namespace hocvu::learning {

namespace json = boost::json;

namespace {

json::object block_json(const Block& b) {
  json::object o;
  o["key"] = b.key;
  o["kind"] = kind_name(b.kind);
  if (!b.title.empty()) o["title"] = b.title;
  if (!b.markdown.empty()) o["markdown"] = b.markdown;
  if (!b.media.empty()) o["media"] = b.media;
  if (!b.captions.empty()) o["captions"] = b.captions;
  if (!b.alt.empty()) o["alt"] = b.alt;
  if (!b.url.empty()) o["url"] = b.url;
  if (b.duration_seconds) o["duration_seconds"] = b.duration_seconds;
  o["required"] = b.required;
  if (b.question) {
    json::object q;
    q["prompt"] = b.question->prompt;
    json::array opts;
    for (const auto& s : b.question->options) opts.emplace_back(s);
    q["options"] = std::move(opts);
    q["answer"] = b.question->answer;
    q["explanation"] = b.question->explanation;
    o["question"] = std::move(q);
  }
  return o;
}

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
// A whole number member that fits an int; absent (or not a number) is `fallback`. A number that
// is not a whole number in that range sets `bad`: the document is refused rather than read with
// a wrapped or truncated value.
int num(const json::object& o, std::string_view key, bool& bad, int fallback = 0) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_number()) return fallback;
  auto n = json_whole_number(*v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  if (!n) bad = true;
  return n ? static_cast<int>(*n) : fallback;
}
const json::array* arr(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

Block block_from(const json::object& o, bool& bad) {
  Block b;
  b.key = str(o, "key");
  b.kind = kind_from_name(str(o, "kind")).value_or(BlockKind::text);
  b.title = str(o, "title");
  b.markdown = str(o, "markdown");
  b.media = str(o, "media");
  b.captions = str(o, "captions");
  b.alt = str(o, "alt");
  b.url = str(o, "url");
  b.duration_seconds = num(o, "duration_seconds", bad);
  auto* req = o.if_contains("required");
  b.required = !(req && req->is_bool()) || req->as_bool();
  if (auto* q = o.if_contains("question"); q && q->is_object()) {
    const auto& qo = q->as_object();
    EmbeddedQuestion eq;
    eq.prompt = str(qo, "prompt");
    if (auto* opts = arr(qo, "options"))
      for (const auto& s : *opts)
        if (s.is_string()) eq.options.emplace_back(s.as_string());
    eq.answer = num(qo, "answer", bad);
    eq.explanation = str(qo, "explanation");
    b.question = std::move(eq);
  }
  return b;
}

}  // namespace

std::string content_to_json(const CourseContent& c) {
  json::object o;
  o["slug"] = c.slug;
  o["title"] = c.title;
  o["summary"] = c.summary;
  o["description"] = c.description;
  o["language"] = c.language;
  o["provider"] = c.provider;
  json::array groups;
  for (const auto& g : c.target_groups) groups.emplace_back(g);
  o["target_groups"] = std::move(groups);
  json::array comps;
  for (const auto& t : c.competencies) comps.emplace_back(json::object{{"code", t.code}, {"level", t.level}});
  o["competencies"] = std::move(comps);
  o["duration_minutes"] = c.duration_minutes;
  o["cover"] = c.cover;
  o["unlock"] = c.unlock == Unlock::sequential ? "sequential" : "free";
  json::array sections;
  for (const auto& s : c.sections) {
    json::array lessons;
    for (const auto& l : s.lessons) {
      json::array blocks;
      for (const auto& b : l.blocks) blocks.emplace_back(block_json(b));
      lessons.emplace_back(json::object{{"key", l.key}, {"title", l.title}, {"blocks", std::move(blocks)}});
    }
    sections.emplace_back(json::object{{"key", s.key}, {"title", s.title}, {"lessons", std::move(lessons)}});
  }
  o["sections"] = std::move(sections);
  return json::serialize(o);
}

Result<CourseContent> content_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Error(ErrorCode::invalid_argument, "course content is not a JSON object");
  const auto& o = v.as_object();
  bool bad = false;  // a number out of range somewhere
  CourseContent c;
  c.slug = str(o, "slug");
  c.title = str(o, "title");
  c.summary = str(o, "summary");
  c.description = str(o, "description");
  c.language = str(o, "language");
  if (c.language.empty()) c.language = "vi";
  c.provider = str(o, "provider");
  if (auto* g = arr(o, "target_groups"))
    for (const auto& x : *g)
      if (x.is_string()) c.target_groups.emplace_back(x.as_string());
  if (auto* cs = arr(o, "competencies"))
    for (const auto& x : *cs)
      if (x.is_object()) c.competencies.push_back({str(x.as_object(), "code"), num(x.as_object(), "level", bad, 1)});
  c.duration_minutes = num(o, "duration_minutes", bad);
  c.cover = str(o, "cover");
  c.unlock = str(o, "unlock") == "sequential" ? Unlock::sequential : Unlock::free;
  if (auto* ss = arr(o, "sections"))
    for (const auto& sv : *ss) {
      if (!sv.is_object()) continue;
      const auto& so = sv.as_object();
      Section s{str(so, "key"), str(so, "title"), {}};
      if (auto* ls = arr(so, "lessons"))
        for (const auto& lv : *ls) {
          if (!lv.is_object()) continue;
          const auto& lo = lv.as_object();
          Lesson l{str(lo, "key"), str(lo, "title"), {}};
          if (auto* bs = arr(lo, "blocks"))
            for (const auto& bv : *bs)
              if (bv.is_object()) l.blocks.push_back(block_from(bv.as_object(), bad));
          s.lessons.push_back(std::move(l));
        }
      c.sections.push_back(std::move(s));
    }
  if (bad) return Error(ErrorCode::invalid_argument, "course content holds a number that is not a whole number in range");
  return c;
}

}  // namespace hocvu::learning
