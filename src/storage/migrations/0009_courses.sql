-- Courses: a draft that authors edit, immutable published versions that learners read, and the
-- catalogue rows (denormalised from the current version) that listing and search read.
-- Content is stored as the JSON of learning::CourseContent: a version is read whole, once, and
-- kept in memory (it never changes), so the lesson page needs no join over sections and blocks.

CREATE TABLE courses (
  id                {{id}},
  slug              TEXT NOT NULL UNIQUE,
  provider_id       {{ref}} NOT NULL REFERENCES organisations (id),
  draft             TEXT NOT NULL,
  draft_updated_at  TEXT NOT NULL,
  published_version INTEGER,                 -- NULL until first published
  pacing            TEXT NOT NULL DEFAULT 'self' CHECK (pacing IN ('self', 'dated')),
  enrol_opens_at    TEXT,                    -- dated runs: YYYY-MM-DD, inclusive
  enrol_closes_at   TEXT,
  starts_at         TEXT,
  ends_at           TEXT,
  created_by        {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  created_at        TEXT NOT NULL
);
CREATE INDEX courses_provider ON courses (provider_id);

CREATE TABLE course_versions (
  course_id    {{ref}} NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  content      TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  PRIMARY KEY (course_id, version)
);

-- Stable numbers for lessons (the API's /lessons/{id}) across versions: one per (course, key).
CREATE TABLE lessons (
  id        {{id}},
  course_id {{ref}} NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  key       TEXT NOT NULL,
  UNIQUE (course_id, key)
);

CREATE TABLE catalogue (
  course_id        {{ref}} PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
  title            TEXT NOT NULL,
  sort_title       TEXT NOT NULL,            -- folded, for a stable Vietnamese order
  summary          TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  language         TEXT NOT NULL,
  published_at     TEXT NOT NULL,
  search_text      TEXT NOT NULL             -- folded title, summary and lesson text
);
CREATE TABLE catalogue_groups (
  course_id  {{ref}} NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  group_code TEXT NOT NULL REFERENCES target_groups (code),
  PRIMARY KEY (course_id, group_code)
);
CREATE INDEX catalogue_groups_group ON catalogue_groups (group_code);
CREATE TABLE catalogue_competencies (
  course_id       {{ref}} NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  competency_code TEXT NOT NULL,
  area_code       TEXT NOT NULL,
  level           INTEGER NOT NULL,
  PRIMARY KEY (course_id, competency_code)
);
CREATE INDEX catalogue_competencies_area ON catalogue_competencies (area_code);

-- A manager's assignment of a course to the people of a place (an organisation subtree or an
-- administrative unit), optionally one target group, with an optional deadline.
CREATE TABLE assignments (
  id           {{id}},
  course_id    {{ref}} NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  scope_kind   TEXT NOT NULL CHECK (scope_kind IN ('national', 'unit', 'organisation')),
  scope_code   TEXT NOT NULL,
  group_code   TEXT REFERENCES target_groups (code),
  deadline     TEXT,
  assigned_by  {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  assigned_at  TEXT NOT NULL,
  people_count INTEGER NOT NULL
);

-- Classes (cohorts) an instructor runs for one course.
CREATE TABLE classes (
  id            {{id}},
  course_id     {{ref}} NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  instructor_id {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  created_at    TEXT NOT NULL
);

CREATE TABLE enrolments (
  id               {{id}},
  course_id        {{ref}} NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  person_id        {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  source           TEXT NOT NULL CHECK (source IN ('self', 'assigned', 'class')),
  assignment_id    {{ref}} REFERENCES assignments (id) ON DELETE SET NULL,
  class_id         {{ref}} REFERENCES classes (id) ON DELETE SET NULL,
  deadline         TEXT,
  enrolled_at      TEXT NOT NULL,
  percent          INTEGER NOT NULL DEFAULT 0,
  completed_at     TEXT,
  last_lesson_key  TEXT,
  last_block_key   TEXT,
  last_activity_at TEXT,
  UNIQUE (course_id, person_id)
);
CREATE INDEX enrolments_person ON enrolments (person_id);
CREATE INDEX enrolments_class ON enrolments (class_id);

-- What the server has decided about each block for each enrolment. Keyed by the block's stable
-- key, so it survives new versions.
CREATE TABLE block_progress (
  enrolment_id      {{ref}} NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
  block_key         TEXT NOT NULL,
  done_at           TEXT,
  watched           TEXT NOT NULL DEFAULT '',   -- video: covered seconds "0.000-12.000,..."
  last_heartbeat_ms {{ref}},                    -- video: server time of the last heartbeat
  answer            INTEGER,                    -- question: the option chosen
  correct           INTEGER,                    -- question: 1 or 0
  PRIMARY KEY (enrolment_id, block_key)
);

-- Learning events for the capabilities that follow (certificates, badges, dashboards, xAPI):
-- written in the same transaction as the change they report; consumers read by id.
CREATE TABLE learning_events (
  id         {{id}},
  kind       TEXT NOT NULL,                  -- course_completed, enrolled
  person_id  {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  course_id  {{ref}} NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  version    INTEGER,
  at         TEXT NOT NULL
);
CREATE INDEX learning_events_person ON learning_events (person_id);
