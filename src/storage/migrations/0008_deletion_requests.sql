-- A person's request to delete their account, for a manager covering them to act on.

CREATE TABLE deletion_requests (
  person_id    {{ref}} PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
  requested_at TEXT NOT NULL,
  reason       TEXT NOT NULL
);
