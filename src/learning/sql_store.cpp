#include "learning/store.h"

#include "learning/content_json.h"
#include "storage/database.h"

#include <cctype>
#include <string_view>

namespace hocvu::learning {
namespace {

using storage::Connection;
using storage::Dialect;
using storage::Row;
using storage::Value;

Value text_or_null(const std::string& s) { return s.empty() ? Value(nullptr) : Value(std::string_view(s)); }

constexpr std::string_view kEnrolmentColumns =
    "e.id, e.course_id, e.person_id, e.source, e.deadline, e.enrolled_at, e.percent, e.completed_at, "
    "e.last_lesson_key, e.last_block_key";

// The kEnrolmentColumns of a row, starting at column `at`.
Enrolment read_enrolment(const Row& r, int at = 0) {
  return Enrolment{r.int64(at),     r.int64(at + 1),  r.int64(at + 2), r.string(at + 3),
                   r.string(at + 4), r.string(at + 5), static_cast<int>(r.int64(at + 6)),
                   r.string(at + 7), r.string(at + 8), r.string(at + 9)};
}

// Collects parameters for SQL built from pieces, numbering them $1, $2, ...
struct Params {
  std::vector<std::string> values;
  std::string add(std::string v) {
    values.push_back(std::move(v));
    return "$" + std::to_string(values.size());
  }
  std::vector<Value> bind() const {
    std::vector<Value> out;
    for (const auto& v : values) out.emplace_back(std::string_view(v));
    return out;
  }
};

// The people an assignment's scope covers, as a condition on `p` (people) and `u` (their unit).
std::string scope_condition(const accounts::Scope& scope, Params& params) {
  switch (scope.kind) {
    case accounts::ScopeKind::national: return "1 = 1";
    case accounts::ScopeKind::unit: {
      std::string c = params.add(scope.code);
      return "(p.unit_code = " + c + " OR u.parent_code = " + c + ")";
    }
    case accounts::ScopeKind::organisation:
      return "p.id IN (SELECT m.person_id FROM memberships m WHERE m.organisation_id IN ("
             "WITH RECURSIVE down(id) AS (SELECT id FROM organisations WHERE CAST(id AS TEXT) = " +
             params.add(scope.code) +
             " UNION SELECT o.id FROM organisations o JOIN down ON o.parent_id = down.id) SELECT id FROM down))";
  }
  return "1 = 0";
}

// The search condition for folded terms: every term as a prefix ("bao ve" finds "bảo vệ").
std::string search_condition(Dialect dialect, const std::string& folded, Params& params) {
  std::string expr;
  std::size_t i = 0;
  while (i < folded.size()) {
    auto j = folded.find(' ', i);
    if (j == std::string::npos) j = folded.size();
    std::string term = folded.substr(i, j - i);
    i = j + 1;
    if (term.empty()) continue;
    // Folded text holds letters and digits only (core/text.h), so a term needs no escaping
    // beyond the quotes FTS5 wants.
    if (dialect == Dialect::sqlite) expr += (expr.empty() ? "" : " ") + ("\"" + term + "\"*");
    else expr += (expr.empty() ? "" : " & ") + term + ":*";
  }
  if (expr.empty()) return "1 = 1";
  if (dialect == Dialect::sqlite)
    return "c.course_id IN (SELECT rowid FROM catalogue_fts WHERE catalogue_fts MATCH " + params.add(expr) + ")";
  return "to_tsvector('simple', c.search_text) @@ to_tsquery('simple', " + params.add(expr) + ")";
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(storage::Database& db) : db_(db) {}

  Result<std::int64_t> create_course(std::int64_t provider_id, const CourseContent& draft, std::int64_t by,
                                     const std::string& now) override {
    std::int64_t id = 0;
    std::string json = content_to_json(draft);
    auto st = db_.write([&](Connection& c) {
      return c.query("INSERT INTO courses (slug, provider_id, draft, draft_updated_at, created_by, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $4) RETURNING id",
                     {std::string_view(draft.slug), provider_id, std::string_view(json), std::string_view(now),
                      by > 0 ? Value(by) : Value(nullptr)},
                     [&](const Row& r) { id = r.int64(0); });
    });
    if (!st.ok()) return st;
    return id;
  }

  Result<std::optional<CourseRecord>> course(std::int64_t id) override {
    std::optional<CourseRecord> out;
    std::string draft;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT c.id, c.slug, c.provider_id, o.name, c.draft, c.draft_updated_at,"
                     " COALESCE(c.published_version, 0), c.pacing, c.enrol_opens_at, c.enrol_closes_at, c.starts_at, c.ends_at"
                     " FROM courses c JOIN organisations o ON o.id = c.provider_id WHERE c.id = $1",
                     {id}, [&](const Row& r) {
                       CourseRecord rec;
                       rec.id = r.int64(0);
                       rec.slug = r.string(1);
                       rec.provider_id = r.int64(2);
                       rec.provider_name = r.string(3);
                       draft = r.string(4);
                       rec.draft_updated_at = r.string(5);
                       rec.published_version = static_cast<int>(r.int64(6));
                       rec.settings = {r.string(7), r.string(8), r.string(9), r.string(10), r.string(11)};
                       out = std::move(rec);
                     });
    });
    if (!st.ok()) return st;
    if (out) {
      auto content = content_from_json(draft);
      if (!content) return content.status();
      out->draft = std::move(*content);
    }
    return out;
  }

  Result<std::optional<std::int64_t>> course_id_by_slug(const std::string& slug) override {
    std::optional<std::int64_t> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT id FROM courses WHERE slug = $1", {std::string_view(slug)},
                     [&](const Row& r) { out = r.int64(0); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status save_draft(std::int64_t id, const CourseContent& draft, const std::string& now) override {
    std::string json = content_to_json(draft);
    return db_.write([&](Connection& c) -> Status {
      auto n = c.execute("UPDATE courses SET draft = $2, draft_updated_at = $3 WHERE id = $1",
                         {id, std::string_view(json), std::string_view(now)});
      if (!n.ok()) return n.status();
      return *n == 1 ? Status{} : Error(ErrorCode::not_found, "no such course");
    });
  }

  Status save_settings(std::int64_t id, const CourseSettings& s) override {
    return db_.write([&](Connection& c) -> Status {
      auto n = c.execute("UPDATE courses SET pacing = $2, enrol_opens_at = $3, enrol_closes_at = $4, starts_at = $5,"
                         " ends_at = $6 WHERE id = $1",
                         {id, std::string_view(s.pacing), text_or_null(s.enrol_opens), text_or_null(s.enrol_closes),
                          text_or_null(s.starts), text_or_null(s.ends)});
      if (!n.ok()) return n.status();
      return *n == 1 ? Status{} : Error(ErrorCode::not_found, "no such course");
    });
  }

  Result<int> publish(std::int64_t id, const CourseContent& content, const std::string& search_text, std::int64_t by,
                      const std::string& now) override {
    int version = 0;
    std::string json = content_to_json(content);
    auto st = db_.write([&](Connection& c) -> Status {
      auto st = c.query("UPDATE courses SET published_version = COALESCE(published_version, 0) + 1 WHERE id = $1"
                        " RETURNING published_version",
                        {id}, [&](const Row& r) { version = static_cast<int>(r.int64(0)); });
      if (!st.ok()) return st;
      if (version == 0) return Error(ErrorCode::not_found, "no such course");
      auto n = c.execute("INSERT INTO course_versions (course_id, version, content, published_at, published_by)"
                         " VALUES ($1, $2, $3, $4, $5)",
                         {id, std::int64_t{version}, std::string_view(json), std::string_view(now),
                          by > 0 ? Value(by) : Value(nullptr)});
      if (!n.ok()) return n.status();
      for (const auto& s : content.sections)
        for (const auto& l : s.lessons) {
          n = c.execute("INSERT INTO lessons (course_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        {id, std::string_view(l.key)});
          if (!n.ok()) return n.status();
        }
      for (const char* table : {"catalogue_groups", "catalogue_competencies", "catalogue"}) {
        std::string sql = std::string("DELETE FROM ") + table + " WHERE course_id = $1";
        n = c.execute(sql, {id});
        if (!n.ok()) return n.status();
      }
      std::string sort_title = search_text.substr(0, search_text.find('\n'));
      n = c.execute("INSERT INTO catalogue (course_id, title, sort_title, summary, duration_minutes, language,"
                    " published_at, search_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    {id, std::string_view(content.title), std::string_view(sort_title), std::string_view(content.summary),
                     std::int64_t{content.duration_minutes}, std::string_view(content.language), std::string_view(now),
                     std::string_view(search_text)});
      if (!n.ok()) return n.status();
      for (const auto& g : content.target_groups) {
        n = c.execute("INSERT INTO catalogue_groups (course_id, group_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                      {id, std::string_view(g)});
        if (!n.ok()) return n.status();
      }
      for (const auto& t : content.competencies) {
        std::string area = t.code.substr(0, t.code.find('.'));
        n = c.execute("INSERT INTO catalogue_competencies (course_id, competency_code, area_code, level)"
                      " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                      {id, std::string_view(t.code), std::string_view(area), std::int64_t{t.level}});
        if (!n.ok()) return n.status();
      }
      if (c.dialect() == Dialect::sqlite) {
        n = c.execute("DELETE FROM catalogue_fts WHERE rowid = $1", {id});
        if (!n.ok()) return n.status();
        n = c.execute("INSERT INTO catalogue_fts (rowid, search_text) VALUES ($1, $2)", {id, std::string_view(search_text)});
        if (!n.ok()) return n.status();
      }
      return Status{};
    });
    if (!st.ok()) return st;
    return version;
  }

  Result<std::vector<AuthoredCourse>> authored_courses(const std::vector<std::int64_t>& providers, bool all) override {
    std::vector<AuthoredCourse> out;
    auto st = db_.read([&](Connection& c) -> Status {
      auto row = [&](const Row& r) {
        AuthoredCourse a{r.int64(0), {}, r.string(2), static_cast<int>(r.int64(3)), r.string(4)};
        auto draft = content_from_json(r.text(1));
        if (draft) a.title = draft->title;
        out.push_back(std::move(a));
      };
      constexpr std::string_view sql =
          "SELECT c.id, c.draft, o.name, COALESCE(c.published_version, 0), c.draft_updated_at"
          " FROM courses c JOIN organisations o ON o.id = c.provider_id";
      if (all) return c.query(std::string(sql) + " ORDER BY c.id", {}, row);
      for (auto p : providers) {
        auto st = c.query(std::string(sql) + " WHERE c.provider_id = $1 ORDER BY c.id", {p}, row);
        if (!st.ok()) return st;
      }
      return Status{};
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<bool> media_published(std::int64_t course_id, std::string_view stored_name) override {
    // Stored names are a digest and an extension ([0-9a-z.]), so they hold no LIKE wildcard; any
    // other name is no stored file.
    for (char ch : stored_name)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.') return false;
    if (stored_name.empty()) return false;
    bool found = false;
    const std::string pattern = "%" + std::string(stored_name) + "%";
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT 1 FROM course_versions WHERE course_id = $1 AND content LIKE $2 LIMIT 1",
                     {course_id, std::string_view(pattern)}, [&](const Row&) { found = true; });
    });
    if (!st.ok()) return st;
    return found;
  }

  Result<std::optional<PublishedVersion>> version(std::int64_t course_id, int version) override {
    std::optional<PublishedVersion> out;
    std::string json;
    auto st = db_.read([&](Connection& c) -> Status {
      bool found = false;
      auto st = c.query("SELECT content FROM course_versions WHERE course_id = $1 AND version = $2",
                        {course_id, std::int64_t{version}}, [&](const Row& r) { json = r.string(0), found = true; });
      if (!st.ok() || !found) return st;
      out.emplace();
      out->course_id = course_id;
      out->version = version;
      return c.query("SELECT key, id FROM lessons WHERE course_id = $1", {course_id},
                     [&](const Row& r) { out->lesson_ids.emplace(r.string(0), r.int64(1)); });
    });
    if (!st.ok()) return st;
    if (out) {
      auto content = content_from_json(json);
      if (!content) return content.status();
      out->content = std::move(*content);
    }
    return out;
  }

  Result<std::optional<CurrentVersion>> current_version(std::int64_t course_id) override {
    std::optional<CurrentVersion> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT c.published_version, c.pacing, c.enrol_opens_at, c.enrol_closes_at, c.starts_at, c.ends_at,"
                     " c.provider_id, o.name FROM courses c JOIN organisations o ON o.id = c.provider_id"
                     " WHERE c.id = $1 AND c.published_version IS NOT NULL",
                     {course_id}, [&](const Row& r) {
                       out = CurrentVersion{static_cast<int>(r.int64(0)),
                                            CourseSettings{r.string(1), r.string(2), r.string(3), r.string(4), r.string(5)},
                                            r.int64(6), r.string(7)};
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::optional<std::pair<std::int64_t, std::string>>> lesson(std::int64_t lesson_id) override {
    std::optional<std::pair<std::int64_t, std::string>> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT course_id, key FROM lessons WHERE id = $1", {lesson_id},
                     [&](const Row& r) { out.emplace(r.int64(0), r.string(1)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::optional<LessonContext>> lesson_context(std::int64_t lesson_id, std::int64_t person_id) override {
    std::optional<LessonContext> out;
    auto st = db_.read([&](Connection& c) -> Status {
      auto st = c.query("SELECT l.course_id, l.key, COALESCE(c.published_version, 0), " + std::string(kEnrolmentColumns) +
                            ", c.pacing, c.starts_at" +
                            " FROM lessons l JOIN courses c ON c.id = l.course_id"
                            " LEFT JOIN enrolments e ON e.course_id = l.course_id AND e.person_id = $2 WHERE l.id = $1",
                        {lesson_id, person_id}, [&](const Row& r) {
                          LessonContext ctx;
                          ctx.course_id = r.int64(0);
                          ctx.lesson_key = r.string(1);
                          ctx.version = static_cast<int>(r.int64(2));
                          ctx.settings.pacing = r.string(13);
                          ctx.settings.starts = r.string(14);
                          if (!r.is_null(3)) {
                            ctx.enrolment = read_enrolment(r, 3);
                          }
                          out = std::move(ctx);
                        });
      if (!st.ok() || !out || !out->enrolment) return st;
      return read_states(c, out->enrolment->id, out->states);
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<std::pair<std::int64_t, std::string>>> catalogue_providers() override {
    std::vector<std::pair<std::int64_t, std::string>> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT DISTINCT o.id, o.name, o.search_name FROM catalogue cat JOIN courses co ON co.id = cat.course_id"
                     " JOIN organisations o ON o.id = co.provider_id ORDER BY o.search_name, o.id",
                     {}, [&](const Row& r) { out.emplace_back(r.int64(0), r.string(1)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<CataloguePage> catalogue(const CatalogueQuery& q) override {
    CataloguePage page;
    auto st = db_.read([&](Connection& c) -> Status {
      Params p;
      std::string where = " WHERE " + search_condition(c.dialect(), q.folded_terms, p);
      if (!q.group.empty())
        where += " AND c.course_id IN (SELECT course_id FROM catalogue_groups WHERE group_code = " + p.add(q.group) + ")";
      if (!q.area.empty())
        where += " AND c.course_id IN (SELECT course_id FROM catalogue_competencies WHERE area_code = " + p.add(q.area) + ")";
      if (q.provider > 0) where += " AND co.provider_id = " + p.add(std::to_string(q.provider));
      if (q.max_minutes > 0) where += " AND c.duration_minutes <= " + p.add(std::to_string(q.max_minutes));
      constexpr std::string_view from = " FROM catalogue c JOIN courses co ON co.id = c.course_id"
                                        " JOIN organisations o ON o.id = co.provider_id";
      auto count_params = p.bind();
      auto st = c.query("SELECT COUNT(*)" + std::string(from) + where, count_params,
                        [&](const Row& r) { page.total = r.int64(0); });
      if (!st.ok()) return st;
      std::string order = " ORDER BY ";
      // Relevance without an engine-specific ranking: the words as a phrase in the title, then
      // as a phrase anywhere, then the rest (every word somewhere).
      if (!q.folded_terms.empty()) {
        std::string phrase = p.add("%" + q.folded_terms + "%");
        order += "CASE WHEN c.sort_title LIKE " + phrase + " THEN 0 WHEN c.search_text LIKE " + phrase + " THEN 1 ELSE 2 END, ";
      }
      if (!q.prefer_group.empty())
        order += "CASE WHEN c.course_id IN (SELECT course_id FROM catalogue_groups WHERE group_code = " +
                 p.add(q.prefer_group) + ") THEN 0 ELSE 1 END, ";
      order += "c.sort_title, c.course_id";
      int per_page = std::clamp(q.per_page, 1, 100);
      std::string limit = " LIMIT " + std::to_string(per_page) + " OFFSET " +
                          std::to_string((std::max(q.page, 1) - 1) * static_cast<std::int64_t>(per_page));
      auto params = p.bind();
      st = c.query("SELECT c.course_id, c.title, c.summary, c.duration_minutes, co.provider_id, o.name" +
                       std::string(from) + where + order + limit,
                   params, [&](const Row& r) {
                     page.items.push_back({r.int64(0), r.string(1), r.string(2), static_cast<int>(r.int64(3)),
                                           r.int64(4), r.string(5), {}, {}});
                   });
      if (!st.ok()) return st;
      for (auto& item : page.items) {
        st = c.query("SELECT g.group_code FROM catalogue_groups g JOIN target_groups t ON t.code = g.group_code"
                     " WHERE g.course_id = $1 ORDER BY t.position",
                     {item.id}, [&](const Row& r) { item.target_groups.push_back(r.string(0)); });
        if (!st.ok()) return st;
        st = c.query("SELECT competency_code, level FROM catalogue_competencies WHERE course_id = $1"
                     " ORDER BY competency_code",
                     {item.id}, [&](const Row& r) {
                       item.competencies.push_back({r.string(0), static_cast<int>(r.int64(1))});
                     });
        if (!st.ok()) return st;
      }
      return Status{};
    });
    if (!st.ok()) return st;
    return page;
  }

  Result<std::pair<Enrolment, bool>> enrol(std::int64_t course_id, std::int64_t person_id, const std::string& source,
                                           const std::string& deadline, const std::string& now) override {
    std::pair<Enrolment, bool> out{};
    auto st = db_.write([&](Connection& c) -> Status {
      auto n = c.execute("INSERT INTO enrolments (course_id, person_id, source, deadline, enrolled_at)"
                         " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                         {course_id, person_id, std::string_view(source), text_or_null(deadline), std::string_view(now)});
      if (!n.ok()) return n.status();
      out.second = *n == 1;
      if (!out.second && !deadline.empty()) {
        n = c.execute("UPDATE enrolments SET deadline = $3 WHERE course_id = $1 AND person_id = $2 AND deadline IS NULL",
                      {course_id, person_id, std::string_view(deadline)});
        if (!n.ok()) return n.status();
      }
      if (out.second) {
        n = c.execute("INSERT INTO learning_events (kind, person_id, course_id, at) VALUES ('enrolled', $1, $2, $3)",
                      {person_id, course_id, std::string_view(now)});
        if (!n.ok()) return n.status();
      }
      return c.query("SELECT " + std::string(kEnrolmentColumns) + " FROM enrolments e WHERE e.course_id = $1 AND e.person_id = $2",
                     {course_id, person_id}, [&](const Row& r) { out.first = read_enrolment(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::optional<Enrolment>> enrolment(std::int64_t course_id, std::int64_t person_id) override {
    std::optional<Enrolment> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT " + std::string(kEnrolmentColumns) + " FROM enrolments e WHERE e.course_id = $1 AND e.person_id = $2",
                     {course_id, person_id}, [&](const Row& r) { out = read_enrolment(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<MyCourse>> enrolments_of(std::int64_t person_id) override {
    std::vector<MyCourse> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT " + std::string(kEnrolmentColumns) +
                         ", COALESCE(cat.title, ''), COALESCE(co.published_version, 0)"
                         " FROM enrolments e JOIN courses co ON co.id = e.course_id"
                         " LEFT JOIN catalogue cat ON cat.course_id = e.course_id WHERE e.person_id = $1"
                         " ORDER BY e.last_activity_at DESC, e.enrolled_at DESC, e.id DESC",
                     {person_id}, [&](const Row& r) {
                       out.push_back({read_enrolment(r), r.string(10), static_cast<int>(r.int64(11))});
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  static Status read_states(Connection& c, std::int64_t enrolment_id, std::vector<BlockState>& out) {
    return c.query("SELECT block_key, done_at IS NOT NULL, watched, COALESCE(last_heartbeat_ms, 0), answer,"
                   " COALESCE(correct, 0) FROM block_progress WHERE enrolment_id = $1",
                   {enrolment_id}, [&](const Row& r) {
                     BlockState s{r.string(0), r.int64(1) != 0, r.string(2), r.int64(3), std::nullopt, r.int64(5) != 0};
                     if (!r.is_null(4)) s.answer = static_cast<int>(r.int64(4));
                     out.push_back(std::move(s));
                   });
  }

  Result<std::vector<BlockState>> block_states(std::int64_t enrolment_id) override {
    std::vector<BlockState> out;
    auto st = db_.read([&](Connection& c) { return read_states(c, enrolment_id, out); });
    if (!st.ok()) return st;
    return out;
  }

  Status update_progress(std::int64_t course_id, std::int64_t person_id, const std::string& now,
                         const Decide& decide) override {
    return db_.write([&](Connection& c) -> Status {
      std::optional<Enrolment> e;
      CourseState course;
      // PostgreSQL: lock the enrolment so two heartbeats for it decide one after the other
      // (SQLite serialises writers already).
      std::string sql = "SELECT " + std::string(kEnrolmentColumns) +
                        ", COALESCE(c.published_version, 0), COALESCE(c.final_quiz_id, 0),"
                        " COALESCE(CASE WHEN c.pacing = 'dated' THEN c.starts_at END, '') FROM enrolments e"
                        " JOIN courses c ON c.id = e.course_id"
                        " WHERE e.course_id = $1 AND e.person_id = $2";
      if (c.dialect() == Dialect::postgres) sql += " FOR UPDATE OF e";
      auto st = c.query(sql, {course_id, person_id}, [&](const Row& r) {
        e = read_enrolment(r);
        course = {static_cast<int>(r.int64(10)), r.int64(11), r.string(12)};
      });
      if (!st.ok()) return st;
      if (!e || course.version == 0) return Error(ErrorCode::not_found, "not enrolled or not published");
      const std::int64_t enrolment_id = e->id;
      std::vector<BlockState> states;
      st = read_states(c, enrolment_id, states);
      if (!st.ok()) return st;
      ProgressChange change = decide(*e, course, states);
      if (!change.write) return Status{};
      for (const auto& b : change.blocks) {
        auto n = c.execute(
            "INSERT INTO block_progress (enrolment_id, block_key, done_at, watched, last_heartbeat_ms, answer, correct)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (enrolment_id, block_key) DO UPDATE SET"
            " done_at = COALESCE(block_progress.done_at, excluded.done_at), watched = excluded.watched,"
            " last_heartbeat_ms = excluded.last_heartbeat_ms, answer = COALESCE(block_progress.answer, excluded.answer),"
            " correct = COALESCE(block_progress.correct, excluded.correct)",
            {enrolment_id, std::string_view(b.key), b.done ? Value(std::string_view(now)) : Value(nullptr),
             std::string_view(b.watched), b.last_heartbeat_ms > 0 ? Value(b.last_heartbeat_ms) : Value(nullptr),
             b.answer ? Value(std::int64_t{*b.answer}) : Value(nullptr),
             b.answer ? Value(std::int64_t{b.correct ? 1 : 0}) : Value(nullptr)});
        if (!n.ok()) return n.status();
      }
      auto n = c.execute("UPDATE enrolments SET percent = $2, last_lesson_key = COALESCE($3, last_lesson_key),"
                         " last_block_key = COALESCE($4, last_block_key), last_activity_at = $5,"
                         " completed_at = CASE WHEN $6 = 1 THEN COALESCE(completed_at, $5) ELSE completed_at END"
                         " WHERE id = $1",
                         {enrolment_id, std::int64_t{change.percent}, text_or_null(change.last_lesson_key),
                          text_or_null(change.last_block_key), std::string_view(now),
                          std::int64_t{change.completed_now ? 1 : 0}});
      if (!n.ok()) return n.status();
      if (change.completed_now && e->completed_at.empty()) {
        n = c.execute("INSERT INTO learning_events (kind, person_id, course_id, version, at)"
                      " VALUES ('course_completed', $1, $2, $3, $4)",
                      {e->person_id, e->course_id, std::int64_t{change.version}, std::string_view(now)});
        if (!n.ok()) return n.status();
      }
      return Status{};
    });
  }

  Result<std::int64_t> assign(const Assignment& a, const std::string& now) override {
    std::int64_t covered = 0;
    auto st = db_.write([&](Connection& c) -> Status {
      std::int64_t id = 0;
      auto st = c.query("INSERT INTO assignments (course_id, scope_kind, scope_code, group_code, deadline, assigned_by,"
                        " assigned_at, people_count) VALUES ($1, $2, $3, $4, $5, $6, $7, 0) RETURNING id",
                        {a.course_id, accounts::scope_kind_name(a.scope.kind), std::string_view(a.scope.code),
                         text_or_null(a.group), text_or_null(a.deadline),
                         a.assigned_by > 0 ? Value(a.assigned_by) : Value(nullptr), std::string_view(now)},
                        [&](const Row& r) { id = r.int64(0); });
      if (!st.ok()) return st;
      Params p;
      std::string course = p.add(std::to_string(a.course_id));
      std::string assignment = p.add(std::to_string(id));
      std::string deadline = a.deadline.empty() ? "NULL" : p.add(a.deadline);
      std::string when = p.add(now);
      std::string where = " WHERE " + scope_condition(a.scope, p);
      if (!a.group.empty()) where += " AND p.target_group = " + p.add(a.group);
      // Integer parameters travel as text here: CAST keeps both engines' types straight.
      std::string sql =
          "INSERT INTO enrolments (course_id, person_id, source, assignment_id, deadline, enrolled_at)"
          " SELECT CAST(" + course + " AS BIGINT), p.id, 'assigned', CAST(" + assignment + " AS BIGINT), " + deadline +
          ", " + when + " FROM people p JOIN admin_units u ON u.code = p.unit_code" + where +
          " ON CONFLICT (course_id, person_id) DO UPDATE SET deadline = COALESCE(enrolments.deadline, excluded.deadline)";
      auto params = p.bind();
      auto n = c.execute(sql, params);
      if (!n.ok()) return n.status();
      covered = *n;
      n = c.execute("UPDATE assignments SET people_count = $2 WHERE id = $1", {id, covered});
      return n.ok() ? Status{} : n.status();
    });
    if (!st.ok()) return st;
    return covered;
  }

  Result<std::int64_t> count_covered(const Assignment& a) override {
    Params p;
    std::string where = " WHERE " + scope_condition(a.scope, p);
    if (!a.group.empty()) where += " AND p.target_group = " + p.add(a.group);
    std::int64_t n = 0;
    auto st = db_.read([&](Connection& c) {
      auto params = p.bind();
      return c.query("SELECT COUNT(*) FROM people p JOIN admin_units u ON u.code = p.unit_code" + where, params,
                     [&](const Row& r) { n = r.int64(0); });
    });
    if (!st.ok()) return st;
    return n;
  }

  Result<std::int64_t> create_class(std::int64_t course_id, const std::string& name, std::int64_t instructor_id,
                                    const std::string& now) override {
    std::int64_t id = 0;
    auto st = db_.write([&](Connection& c) {
      return c.query("INSERT INTO classes (course_id, name, instructor_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                     {course_id, std::string_view(name), instructor_id, std::string_view(now)},
                     [&](const Row& r) { id = r.int64(0); });
    });
    if (!st.ok()) return st;
    return id;
  }

  static constexpr std::string_view kClassSelect =
      "SELECT k.id, k.course_id, COALESCE(cat.title, ''), k.name, k.instructor_id,"
      " (SELECT COUNT(*) FROM enrolments e WHERE e.class_id = k.id)"
      " FROM classes k LEFT JOIN catalogue cat ON cat.course_id = k.course_id";

  static ClassInfo read_class(const Row& r) {
    return ClassInfo{r.int64(0), r.int64(1), r.string(2), r.string(3), r.int64(4), r.int64(5)};
  }

  Result<std::optional<ClassInfo>> class_info(std::int64_t class_id) override {
    std::optional<ClassInfo> out;
    auto st = db_.read([&](Connection& c) {
      return c.query(std::string(kClassSelect) + " WHERE k.id = $1", {class_id}, [&](const Row& r) { out = read_class(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<ClassInfo>> classes_of(std::int64_t instructor_id) override {
    std::vector<ClassInfo> out;
    auto st = db_.read([&](Connection& c) {
      return c.query(std::string(kClassSelect) + " WHERE k.instructor_id = $1 ORDER BY k.id DESC", {instructor_id},
                     [&](const Row& r) { out.push_back(read_class(r)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<bool> add_to_class(const ClassInfo& cls, std::int64_t person_id, const std::string& now) override {
    bool added = false;
    auto st = db_.write([&](Connection& c) -> Status {
      auto n = c.execute("INSERT INTO enrolments (course_id, person_id, source, class_id, enrolled_at)"
                         " VALUES ($1, $2, 'class', $3, $4) ON CONFLICT DO NOTHING",
                         {cls.course_id, person_id, cls.id, std::string_view(now)});
      if (!n.ok()) return n.status();
      if (*n == 1) {
        added = true;
        n = c.execute("INSERT INTO learning_events (kind, person_id, course_id, at) VALUES ('enrolled', $1, $2, $3)",
                      {person_id, cls.course_id, std::string_view(now)});
        return n.ok() ? Status{} : n.status();
      }
      // Already enrolled: joins this class unless already in one.
      n = c.execute("UPDATE enrolments SET class_id = $3 WHERE course_id = $1 AND person_id = $2 AND class_id IS NULL",
                    {cls.course_id, person_id, cls.id});
      if (!n.ok()) return n.status();
      added = *n == 1;
      return Status{};
    });
    if (!st.ok()) return st;
    return added;
  }

  Result<std::vector<ClassMember>> class_members(std::int64_t class_id) override {
    std::vector<ClassMember> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT p.id, p.full_name, e.percent, COALESCE(e.completed_at, ''), COALESCE(e.last_activity_at, '')"
                     " FROM enrolments e JOIN people p ON p.id = e.person_id WHERE e.class_id = $1 ORDER BY p.search_name, p.id",
                     {class_id}, [&](const Row& r) {
                       out.push_back({r.int64(0), r.string(1), static_cast<int>(r.int64(2)), r.string(3), r.string(4)});
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

 private:
  storage::Database& db_;
};

}  // namespace

std::unique_ptr<Store> make_sql_store(storage::Database& db) { return std::make_unique<SqlStore>(db); }

}  // namespace hocvu::learning
