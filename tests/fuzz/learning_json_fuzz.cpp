// libFuzzer target for the JSON the learning API reads from request bodies. The first byte picks
// what the rest is:
//   even  a course draft (PUT /api/v1/author/courses/{id}/draft, and every stored draft and
//         version): content_from_json. Properties: no crash; what is read is written to JSON that
//         reads back to the same course (the documented lossless round trip); every whole number
//         read (duration, levels, a question's answer) is the number sent, never a wrapped one.
//   odd   progress events (POST /api/v1/progress): events_from_json. Properties: no crash; at
//         most 100 events, each with a positive lesson id that is the one sent, a block key of 1
//         to 40 bytes, a known kind, and an answer index that is the one sent.
#include "learning/content_json.h"
#include "learning/events_json.h"

#include <boost/json.hpp>
#include <boost/json/src.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = boost::json;
using namespace hocvu::learning;

// The objects of `o[key]` when it is an array, as content_from_json walks them.
std::vector<const json::object*> objects(const json::object& o, std::string_view key) {
  std::vector<const json::object*> out;
  if (auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& x : v->get_array())
      if (x.is_object()) out.push_back(&x.get_object());
  return out;
}

// Whether o[key], when it is a number, is exactly `read`.
bool same_number(const json::object& o, std::string_view key, long long read) {
  auto* v = o.if_contains(key);
  if (!v) return true;
  if (v->is_int64()) return v->get_int64() == read;
  if (v->is_uint64()) return false;  // larger than any int
  if (v->is_double()) return v->get_double() == static_cast<double>(read);
  return true;  // not a number: ignored like any other unknown shape
}

void content(std::string_view text) {
  auto c = content_from_json(text);
  if (!c) return;
  auto again = content_from_json(content_to_json(*c));
  if (!again || !(*again == *c)) std::abort();

  const json::value sent = json::parse(text);
  const json::object& o = sent.get_object();
  if (!same_number(o, "duration_minutes", c->duration_minutes)) std::abort();
  auto competencies = objects(o, "competencies");
  if (competencies.size() != c->competencies.size()) std::abort();
  for (std::size_t i = 0; i < competencies.size(); ++i)
    if (!same_number(*competencies[i], "level", c->competencies[i].level)) std::abort();
  auto sections = objects(o, "sections");
  if (sections.size() != c->sections.size()) std::abort();
  for (std::size_t s = 0; s < sections.size(); ++s) {
    auto lessons = objects(*sections[s], "lessons");
    if (lessons.size() != c->sections[s].lessons.size()) std::abort();
    for (std::size_t l = 0; l < lessons.size(); ++l) {
      auto blocks = objects(*lessons[l], "blocks");
      const auto& read = c->sections[s].lessons[l].blocks;
      if (blocks.size() != read.size()) std::abort();
      for (std::size_t b = 0; b < blocks.size(); ++b) {
        if (!same_number(*blocks[b], "duration_seconds", read[b].duration_seconds)) std::abort();
        if (auto* q = blocks[b]->if_contains("question"); q && q->is_object())
          if (!read[b].question || !same_number(q->get_object(), "answer", read[b].question->answer)) std::abort();
      }
    }
  }
}

void events(std::string_view text) {
  std::string problem;
  auto list = events_from_json(text, problem);
  if (!list) {
    if (problem.empty()) std::abort();
    return;
  }
  if (list->size() > 100) std::abort();
  const json::value v = json::parse(text);
  const json::array& sent = v.is_array() ? v.get_array() : v.get_object().at("events").get_array();
  if (sent.size() != list->size()) std::abort();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const ProgressEvent& e = (*list)[i];
    const json::object& o = sent[i].get_object();
    if (e.lesson_id <= 0 || !same_number(o, "lesson_id", e.lesson_id)) std::abort();
    if (e.block.empty() || e.block.size() > 40) std::abort();
    if (e.kind != "viewed" && e.kind != "video" && e.kind != "answer") std::abort();
    if (e.kind == "answer" && !same_number(o, "answer", e.answer)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) content(rest);
  else events(rest);
  return 0;
}
