-- Roles with scopes, and the audit log of who saw or changed whose personal data.
-- A role is granted with a scope: the whole country, an administrative unit (a province covers
-- its communes), or an organisation (covering its subtree). Organisations and memberships come
-- with the organisations work; the scope kind is here already so grants need no migration then.

CREATE TABLE role_grants (
  id          {{id}},
  person_id   {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('instructor', 'community_helper', 'org_manager', 'unit_admin',
                                            'national_admin', 'auditor')),
  scope_kind  TEXT NOT NULL CHECK (scope_kind IN ('national', 'unit', 'organisation')),
  scope_code  TEXT NOT NULL,   -- '' for national, a unit code, or an organisation id
  granted_by  {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  granted_at  TEXT NOT NULL,
  UNIQUE (person_id, role, scope_kind, scope_code)
);
CREATE INDEX role_grants_person ON role_grants (person_id);

CREATE TABLE audit_log (
  id          {{id}},
  at          TEXT NOT NULL,
  actor_id    {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  action      TEXT NOT NULL,   -- view_person, grant_role, revoke_role, ...
  subject_id  {{ref}} REFERENCES people (id) ON DELETE SET NULL,
  detail      TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  address     TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_id);
