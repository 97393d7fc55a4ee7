#include "learning/service.h"

#include "core/text.h"
#include "web/markdown.h"

#include <algorithm>
#include <mutex>

namespace hocvu::learning {

using web::markdown_to_plain_text;
using web::render_markdown;

std::shared_ptr<const Published> prepare(PublishedVersion version) {
  auto p = std::make_shared<Published>();
  p->version = std::move(version);
  const auto& c = p->version.content;
  p->description_html = render_markdown(c.description);
  for (const auto& s : c.sections)
    for (const auto& l : s.lessons)
      for (const auto& b : l.blocks) {
        if (b.kind == BlockKind::question && b.question) {
          p->html[b.key] = render_markdown(b.question->prompt);
          p->extra_html[b.key] = render_markdown(b.question->explanation);
        } else if (!b.markdown.empty()) {
          p->html[b.key] = render_markdown(b.markdown);
        }
      }
  p->order = reading_order(p->version.content);  // points into p->version, which never moves
  return p;
}

std::string search_text(const CourseContent& c) {
  std::string text = fold_for_search(c.title);
  text += '\n';
  std::string body = c.summary + "\n" + markdown_to_plain_text(c.description) + "\n";
  for (const auto& s : c.sections) {
    body += s.title + "\n";
    for (const auto& l : s.lessons) {
      body += l.title + "\n";
      for (const auto& b : l.blocks) {
        body += b.title + "\n";
        if (b.kind == BlockKind::text) body += markdown_to_plain_text(b.markdown) + "\n";
      }
    }
  }
  return text + fold_for_search(body);
}

Result<std::shared_ptr<const Published>> Service::load(std::int64_t course_id, int version) {
  if (auto hit = cache_.get(std::pair{course_id, version})) return *hit;
  auto v = store_.version(course_id, version);
  if (!v) return v.status();
  if (!*v) return Error(ErrorCode::not_found, "no such version");
  // Versions never change, so whichever thread loaded it first wins and the copy is equal.
  return cache_.put({course_id, version}, prepare(std::move(**v)));
}

Result<std::shared_ptr<const Published>> Service::published(std::int64_t course_id) {
  auto current = store_.current_version(course_id);
  if (!current) return current.status();
  if (!*current) return Error(ErrorCode::not_found, "course not published");
  return load(course_id, (*current)->version);
}

Result<std::pair<Enrolment, bool>> Service::enrol(std::int64_t course_id, std::int64_t person_id, const std::string& now) {
  auto current = store_.current_version(course_id);
  if (!current) return current.status();
  if (!*current) return Error(ErrorCode::not_found, "course not published");
  const CourseSettings& s = (*current)->settings;
  if (s.pacing == "dated") {
    auto existing = store_.enrolment(course_id, person_id);
    if (!existing) return existing.status();
    if (*existing) return std::pair<Enrolment, bool>{**existing, false};
    std::string today = now.substr(0, 10);
    if ((!s.enrol_opens.empty() && today < s.enrol_opens) || (!s.enrol_closes.empty() && today > s.enrol_closes))
      return Error(ErrorCode::permission_denied, "enrolment closed");
  }
  return store_.enrol(course_id, person_id, "self", "", now);
}

namespace {

std::set<std::string, std::less<>> done_keys(const std::vector<BlockState>& states) {
  std::set<std::string, std::less<>> done;
  for (const auto& s : states)
    if (s.done) done.insert(s.key);
  return done;
}

}  // namespace

Result<LessonView> Service::lesson(std::int64_t person_id, std::int64_t lesson_id, std::string_view today) {
  // One read for the lesson's place, the current version and the learner's state; the course
  // structure itself comes from memory.
  auto ctx = store_.lesson_context(lesson_id, person_id);
  if (!ctx) return ctx.status();
  if (!*ctx || (*ctx)->version == 0) return Error(ErrorCode::not_found, "no such lesson");
  auto course = load((*ctx)->course_id, (*ctx)->version);
  if (!course) return course.status();
  LessonView view;
  view.course = *course;
  for (const auto& ref : view.course->order)
    if (ref.lesson->key == (*ctx)->lesson_key) view.lesson = &ref;
  if (!view.lesson) return Error(ErrorCode::not_found, "lesson not in the published version");
  if (!(*ctx)->enrolment) return Error(ErrorCode::permission_denied, "not enrolled");
  // A dated run opens its lessons on its first day (server time, UTC).
  const auto& settings = (*ctx)->settings;
  if (settings.pacing == "dated" && !run_started(settings.starts, today))
    return Error(ErrorCode::permission_denied, "not started");
  view.enrolment = std::move(*(*ctx)->enrolment);
  view.done = done_keys((*ctx)->states);
  for (auto& s : (*ctx)->states) view.states.emplace(s.key, std::move(s));
  const auto& content = view.course->version.content;
  auto open = open_lessons(content, view.done);
  view.open = open[view.lesson->index];
  view.percent = percent_complete(content, view.done);
  const auto& order = view.course->order;
  if (view.lesson->index > 0) view.previous = &order[view.lesson->index - 1];
  if (view.lesson->index + 1 < order.size()) view.next = &order[view.lesson->index + 1];
  return view;
}

Result<std::optional<std::pair<std::int64_t, std::string>>> Service::locate(std::int64_t lesson_id) {
  if (auto hit = lessons_.get(lesson_id)) return std::optional<std::pair<std::int64_t, std::string>>(std::move(*hit));
  auto where = store_.lesson(lesson_id);
  if (!where || !*where) return where;
  lessons_.put(lesson_id, **where);  // a lesson id names the same lesson forever
  return where;
}

Result<ProgressResult> Service::record(std::int64_t person_id, const std::vector<ProgressEvent>& events,
                                       std::int64_t now_ms, const std::string& now) {
  ProgressResult result;
  result.events.resize(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) result.events[i] = {events[i].block, "ignored"};

  // Group the events by the lesson's course, keeping their order within each course.
  std::map<std::int64_t, std::vector<std::size_t>> by_course;
  std::map<std::int64_t, std::string> lesson_key;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto where = locate(events[i].lesson_id);
    if (!where) return where.status();
    if (!*where) continue;
    by_course[(*where)->first].push_back(i);
    lesson_key[events[i].lesson_id] = (*where)->second;
  }

  for (const auto& [course_id, indexes] : by_course) {
    // One write transaction per course: the enrolment, the current version and the states are
    // read in it, so concurrent heartbeats of one learner never lose each other's coverage.
    Status load_failed;
    auto decide = [&](const Enrolment& enrolment, const CourseState& state, const std::vector<BlockState>& stored) {
      const int version = state.version;
      ProgressChange change;
      // A dated run records nothing before its first day, as its lessons are closed until then.
      if (!run_started(state.starts, std::string_view(now).substr(0, 10))) {
        for (auto i : indexes) result.events[i] = {events[i].block, "not_started"};
        result.not_started = state.starts;
        change.write = false;
        return change;
      }
      auto course = load(course_id, version);
      if (!course) {
        load_failed = course.status();
        return change;
      }
      const Published& published = **course;
      const CourseContent& content = published.version.content;
      std::map<std::string, BlockState, std::less<>> states;
      std::set<std::string, std::less<>> done;
      for (const auto& s : stored) {
        states.emplace(s.key, s);
        if (s.done) done.insert(s.key);
      }
      std::set<std::string, std::less<>> changed;
      change.version = version;
      for (auto i : indexes) {
        const ProgressEvent& ev = events[i];
        EventResult& out = result.events[i];
        out = {ev.block, "ignored"};
        const Lesson* lesson = nullptr;
        const Block* block = find_block(content, ev.block, &lesson);
        if (!block || lesson->key != lesson_key[ev.lesson_id]) continue;
        // Sequential courses: a lesson counts only once the ones before it are done.
        std::size_t index = 0;
        for (const auto& ref : published.order)
          if (ref.lesson == lesson) index = ref.index;
        if (content.unlock == Unlock::sequential && !open_lessons(content, done)[index]) continue;
        BlockState& st = states[block->key];
        st.key = block->key;
        if (ev.kind == "viewed" && block->kind != BlockKind::video && block->kind != BlockKind::question) {
          out.verdict = "accepted";
          st.done = true;
        } else if (ev.kind == "video" && block->kind == BlockKind::video) {
          VideoWatch w{parse_intervals(st.watched), st.last_heartbeat_ms};
          auto verdict = add_heartbeat(w, {ev.from, ev.to}, now_ms, block->duration_seconds);
          out.verdict = verdict == HeartbeatVerdict::accepted ? "accepted"
                        : verdict == HeartbeatVerdict::clipped ? "clipped" : "refused";
          st.watched = format_intervals(w.covered);
          st.last_heartbeat_ms = w.last_heartbeat_ms;
          if (video_complete(w, block->duration_seconds)) st.done = true;
        } else if (ev.kind == "answer" && block->kind == BlockKind::question && block->question) {
          const auto& q = *block->question;
          if (ev.answer < 0 || ev.answer >= static_cast<int>(q.options.size())) {
            out.verdict = "refused";
            continue;
          }
          // The first answer stands: a learner sees the right answer after answering, so a
          // second try would prove nothing.
          if (!st.answer) {
            st.answer = ev.answer;
            st.correct = ev.answer == q.answer;
          }
          st.done = true;
          out.verdict = "accepted";
          out.correct = st.correct;
          out.correct_option = q.answer;
        } else {
          out.verdict = "refused";
          continue;
        }
        if (st.done) done.insert(st.key);
        out.done = st.done;
        changed.insert(st.key);
        change.last_lesson_key = lesson->key;
        change.last_block_key = block->key;
      }
      for (auto& [k, s] : states)
        if (changed.contains(k)) change.blocks.push_back(s);
      change.percent = percent_complete(content, done);
      const bool complete = course_complete(change.percent, state.final_quiz_id != 0, done);
      change.completed_now = complete && enrolment.completed_at.empty();
      result.courses[course_id] = {change.percent, complete || !enrolment.completed_at.empty()};
      return change;
    };
    auto st = store_.update_progress(course_id, person_id, now, decide);
    if (st.code() == ErrorCode::not_found) continue;  // not enrolled, or not published: ignored
    if (!st.ok()) return st;
    if (!load_failed.ok()) return load_failed;
  }
  return result;
}

Status Service::continue_at(std::int64_t person_id, std::int64_t course_id, const std::string& lesson_key,
                            const std::string& now) {
  Status load_failed;
  auto st = store_.update_progress(course_id, person_id, now, [&](const Enrolment&, const CourseState& state, const std::vector<BlockState>& states) {
    ProgressChange change;
    const int version = state.version;
    change.version = version;
    change.last_lesson_key = lesson_key;
    auto course = load(course_id, version);
    if (!course) {
      load_failed = course.status();
      return change;
    }
    change.percent = percent_complete((*course)->version.content, done_keys(states));
    return change;
  });
  if (!st.ok()) return st;
  return load_failed;
}

Status Service::final_exam_passed(std::int64_t course_id, std::int64_t person_id, const std::string& now) {
  Status load_failed;
  auto st = store_.update_progress(course_id, person_id, now, [&](const Enrolment& enrolment, const CourseState& state,
                                                                  const std::vector<BlockState>& states) {
    ProgressChange change;
    change.version = state.version;
    auto course = load(course_id, state.version);
    if (!course) {
      load_failed = course.status();
      return change;
    }
    BlockState exam;
    exam.key = std::string(kFinalExamKey);
    exam.done = true;
    change.blocks.push_back(exam);
    auto done = done_keys(states);
    done.insert(exam.key);
    change.percent = percent_complete((*course)->version.content, done);
    change.completed_now = course_complete(change.percent, true, done) && enrolment.completed_at.empty();
    return change;
  });
  // A learner who passed the exam without being enrolled (a placement or a course they left)
  // has no progress to complete.
  if (st.code() == ErrorCode::not_found) return Status{};
  if (!st.ok()) return st;
  return load_failed;
}

Result<Home> Service::home(std::int64_t person_id) {
  auto mine = store_.enrolments_of(person_id);
  if (!mine) return mine.status();
  Home home;
  for (auto& m : *mine) {
    HomeEntry entry{std::move(m), 0, {}};
    if (entry.course.published_version > 0) {
      auto course = load(entry.course.enrolment.course_id, entry.course.published_version);
      if (!course) return course.status();
      const auto& p = **course;
      // Continue where the learner was last; a course not started opens at its first lesson.
      const Lesson* next = nullptr;
      for (const auto& ref : p.order)
        if (ref.lesson->key == entry.course.enrolment.last_lesson_key) next = ref.lesson;
      if (!next && !p.order.empty()) next = p.order.front().lesson;
      if (next) {
        entry.next_lesson_id = p.lesson_id(next->key);
        entry.next_lesson_title = next->title;
      }
    }
    if (!entry.course.enrolment.completed_at.empty()) home.completed.push_back(std::move(entry));
    else if (entry.course.enrolment.source == "assigned" || !entry.course.enrolment.deadline.empty()) home.assigned.push_back(std::move(entry));
    else home.in_progress.push_back(std::move(entry));
  }
  std::stable_sort(home.assigned.begin(), home.assigned.end(), [](const HomeEntry& a, const HomeEntry& b) {
    const auto& da = a.course.enrolment.deadline;
    const auto& db = b.course.enrolment.deadline;
    if (da.empty() != db.empty()) return db.empty();
    return da < db;
  });
  return home;
}

}  // namespace hocvu::learning
