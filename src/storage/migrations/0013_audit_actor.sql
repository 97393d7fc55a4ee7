-- The audit log keeps who acted after that person's account is deleted: actor_id no longer
-- references people (it was ON DELETE SET NULL, which erased the actor of every entry), and
-- actor_name keeps the actor's name as it was when they acted; actor_deleted marks entries whose
-- actor was deleted since (so that a later person given the same id on SQLite, which may reuse
-- the highest id, is never taken for them). A deleted person's own data still goes: entries about
-- them (subject_id) lose the link, as before.
-- SQLite cannot drop a foreign key: the table is rebuilt with the same ids.
CREATE TABLE audit_log_new (
  id          {{id}},
  at          TEXT NOT NULL,
  actor_id    {{ref}},
  actor_name  TEXT NOT NULL DEFAULT '',
  actor_deleted INTEGER NOT NULL DEFAULT 0,
  action      TEXT NOT NULL,
  subject_id  {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  detail      TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  address     TEXT NOT NULL
);
INSERT INTO audit_log_new (id, at, actor_id, actor_name, action, subject_id, detail, request_id, address)
  SELECT a.id, a.at, a.actor_id, COALESCE(p.full_name, ''), a.action, a.subject_id, a.detail, a.request_id, a.address
  FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_id);
