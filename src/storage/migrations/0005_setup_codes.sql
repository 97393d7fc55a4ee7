-- One-time codes for people created by a manager's import: they set their own password with it
-- on first sign-in. Only a digest is kept; a code works once and expires.

CREATE TABLE setup_codes (
  person_id   {{ref}} PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
  code_digest TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  created_by  {{ref}} REFERENCES people (id) ON DELETE SET NULL
);
