-- Personal API tokens: created and revoked by their owner, for other systems acting for them.
-- Only a digest is kept. Scopes: 'read' (GET and HEAD) or 'read write'.

CREATE TABLE api_tokens (
  id           {{id}},
  person_id    {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_digest TEXT NOT NULL UNIQUE,
  scopes       TEXT NOT NULL CHECK (scopes IN ('read', 'read write')),
  created_at   TEXT NOT NULL
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);
