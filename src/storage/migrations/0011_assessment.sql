-- Assessment: question banks, quizzes and attempts (issue 5).
--
-- A question is edited in place but every saved change is a new immutable version
-- (question_versions); an attempt records which version of each question it drew, so editing a
-- question never changes a past grade. A regrade is an explicit action, logged in the attempt's
-- events. Question bodies are the JSON of assessment::Question; quiz settings the JSON of
-- assessment::QuizSettings. Times of attempts are milliseconds since the epoch (UTC), compared
-- with the server clock on every answer.

CREATE TABLE question_banks (
  id          {{id}},
  provider_id {{ref}} NOT NULL REFERENCES organisations (id),
  title       TEXT NOT NULL,
  created_by  {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX question_banks_provider ON question_banks (provider_id);

CREATE TABLE questions (
  id          {{id}},
  bank_id     {{ref}} NOT NULL REFERENCES question_banks (id) ON DELETE CASCADE,
  key         TEXT NOT NULL,                 -- the question's id within its bank
  version     INTEGER NOT NULL,              -- the current version
  type        TEXT NOT NULL,
  name        TEXT NOT NULL,
  category    TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (bank_id, key)
);

CREATE TABLE question_versions (
  question_id {{ref}} NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  body        TEXT NOT NULL,
  saved_at    TEXT NOT NULL,
  saved_by    {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  PRIMARY KEY (question_id, version)
);

CREATE TABLE quizzes (
  id          {{id}},
  bank_id     {{ref}} NOT NULL REFERENCES question_banks (id),
  course_id   {{ref}} REFERENCES courses (id) ON DELETE CASCADE,  -- NULL: a placement test of no course
  kind        TEXT NOT NULL CHECK (kind IN ('section', 'final_exam', 'placement')),
  title       TEXT NOT NULL,
  settings    TEXT NOT NULL,
  created_by  {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX quizzes_course ON quizzes (course_id);
-- A course has at most one final exam: completing the course needs it passed.
CREATE UNIQUE INDEX quizzes_one_final ON quizzes (course_id) WHERE kind = 'final_exam';

-- The final exam a course's completion waits for (NULL: none); kept by the assessment store.
ALTER TABLE courses ADD COLUMN final_quiz_id {{ref}} REFERENCES quizzes (id) ON DELETE SET NULL;

CREATE TABLE attempts (
  id           {{id}},
  quiz_id      {{ref}} NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
  person_id    {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  number       INTEGER NOT NULL,             -- 1 for the learner's first attempt at the quiz
  drawn        TEXT NOT NULL,                -- JSON: [{"id", "version", "order"}] as drawn
  started_ms   BIGINT NOT NULL,
  deadline_ms  BIGINT,                       -- NULL: no time limit and no closing time
  ended_ms     BIGINT,                       -- NULL while open
  ended_by     TEXT CHECK (ended_by IN ('learner', 'timeout')),
  score        DOUBLE PRECISION,
  max_score    DOUBLE PRECISION,
  passed       INTEGER,
  grades       TEXT,                         -- JSON: per question, as drawn: [score, ...]
  UNIQUE (quiz_id, person_id, number)
);
-- One open attempt per learner per quiz: a second start finds the first.
CREATE UNIQUE INDEX attempts_one_open ON attempts (quiz_id, person_id) WHERE ended_ms IS NULL;
CREATE INDEX attempts_person ON attempts (person_id);

CREATE TABLE attempt_answers (
  attempt_id  {{ref}} NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
  question    TEXT NOT NULL,                 -- the question's id within its bank
  value       TEXT NOT NULL,                 -- JSON, as the API's "value"
  saved_ms    BIGINT NOT NULL,
  PRIMARY KEY (attempt_id, question)
);

-- The trail an instructor reads: started, saved, submitted, timed_out, graded, regraded.
CREATE TABLE attempt_events (
  id          {{id}},
  attempt_id  {{ref}} NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  question    TEXT,
  at_ms       BIGINT NOT NULL,
  by_person   {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  detail      TEXT
);
CREATE INDEX attempt_events_attempt ON attempt_events (attempt_id, id);

-- Evidence of competence from graded attempts: per learner and competency code, how many
-- questions were answered and the sum of their shares of the mark.
CREATE TABLE competency_evidence (
  person_id   {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  competency  TEXT NOT NULL,
  answered    INTEGER NOT NULL,
  credit      DOUBLE PRECISION NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (person_id, competency)
);
