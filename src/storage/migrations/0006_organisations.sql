-- Organisations (ministries, departments, schools, enterprises, commune people's committees, ...)
-- form a tree, each placed in an administrative unit; people belong to one or more.

CREATE TABLE organisations (
  id          {{id}},
  name        TEXT NOT NULL,
  search_name TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('ministry', 'department', 'school', 'enterprise', 'committee', 'other')),
  parent_id   {{ref}} REFERENCES organisations (id),
  unit_code   TEXT NOT NULL REFERENCES admin_units (code),
  created_at  TEXT NOT NULL
);
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE memberships (
  person_id       {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  organisation_id {{ref}} NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  PRIMARY KEY (person_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);
