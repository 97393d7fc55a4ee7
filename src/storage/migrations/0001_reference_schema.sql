-- Reference data that every area of HọcVụ refers to: administrative units, target groups and
-- competency frameworks. It is data, not code: administrators correct it without a release.
-- Names are stored in Vietnamese (the first language) and English.

CREATE TABLE admin_units (
  code        TEXT PRIMARY KEY,           -- '01' (Hà Nội); commune codes arrive by CSV import
  kind        TEXT NOT NULL CHECK (kind IN ('province', 'commune')),
  name        TEXT NOT NULL,              -- NFC, with diacritics, e.g. 'Thành phố Hà Nội'
  short_name  TEXT NOT NULL,              -- 'Hà Nội'
  parent_code TEXT REFERENCES admin_units (code),
  CHECK ((kind = 'province') = (parent_code IS NULL))
);
CREATE INDEX admin_units_parent ON admin_units (parent_code);

CREATE TABLE target_groups (
  code           TEXT PRIMARY KEY,        -- official, student, worker, citizen (API values)
  position       INTEGER NOT NULL,
  name_vi        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  description_vi TEXT NOT NULL,
  description_en TEXT NOT NULL
);

CREATE TABLE frameworks (
  code           TEXT PRIMARY KEY,        -- 'tt02-2025'
  position       INTEGER NOT NULL,
  name_vi        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  source_vi      TEXT NOT NULL,           -- the legal text that sets it
  source_en      TEXT NOT NULL,
  description_vi TEXT NOT NULL,
  description_en TEXT NOT NULL
);

CREATE TABLE framework_levels (
  framework_code TEXT NOT NULL REFERENCES frameworks (code),
  level          INTEGER NOT NULL,        -- 1..8
  tier_code      TEXT NOT NULL,           -- CB, TC, NC, CS (as in indicator codes like 1.2.NC1a)
  tier_vi        TEXT NOT NULL,
  tier_en        TEXT NOT NULL,
  PRIMARY KEY (framework_code, level)
);

CREATE TABLE framework_areas (
  framework_code TEXT NOT NULL REFERENCES frameworks (code),
  code           TEXT NOT NULL,           -- '1'
  position       INTEGER NOT NULL,
  name_vi        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  PRIMARY KEY (framework_code, code)
);

CREATE TABLE competencies (
  framework_code TEXT NOT NULL,
  code           TEXT NOT NULL,           -- '1.1'
  area_code      TEXT NOT NULL,
  position       INTEGER NOT NULL,
  name_vi        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  PRIMARY KEY (framework_code, code),
  FOREIGN KEY (framework_code, area_code) REFERENCES framework_areas (framework_code, code)
);
