-- People and their sign-in: accounts, sessions, and the record of failed sign-ins that throttles
-- password guessing. Kept in the database (not in one process's memory) so that several servers
-- on one PostgreSQL database enforce the same limits.

-- The 63 province codes that open a CCCD number: the birth-registration province as coded before
-- the 2025 merger (Circular 07/2016/TT-BCA). Unconfirmed details are corrected as data.
CREATE TABLE national_id_prefixes (
  code TEXT PRIMARY KEY,
  province_name TEXT NOT NULL
);
INSERT INTO national_id_prefixes (code, province_name) VALUES
  ('001', 'Hà Nội'),
  ('002', 'Hà Giang'),
  ('004', 'Cao Bằng'),
  ('006', 'Bắc Kạn'),
  ('008', 'Tuyên Quang'),
  ('010', 'Lào Cai'),
  ('011', 'Điện Biên'),
  ('012', 'Lai Châu'),
  ('014', 'Sơn La'),
  ('015', 'Yên Bái'),
  ('017', 'Hòa Bình'),
  ('019', 'Thái Nguyên'),
  ('020', 'Lạng Sơn'),
  ('022', 'Quảng Ninh'),
  ('024', 'Bắc Giang'),
  ('025', 'Phú Thọ'),
  ('026', 'Vĩnh Phúc'),
  ('027', 'Bắc Ninh'),
  ('030', 'Hải Dương'),
  ('031', 'Hải Phòng'),
  ('033', 'Hưng Yên'),
  ('034', 'Thái Bình'),
  ('035', 'Hà Nam'),
  ('036', 'Nam Định'),
  ('037', 'Ninh Bình'),
  ('038', 'Thanh Hóa'),
  ('040', 'Nghệ An'),
  ('042', 'Hà Tĩnh'),
  ('044', 'Quảng Bình'),
  ('045', 'Quảng Trị'),
  ('046', 'Thừa Thiên Huế'),
  ('048', 'Đà Nẵng'),
  ('049', 'Quảng Nam'),
  ('051', 'Quảng Ngãi'),
  ('052', 'Bình Định'),
  ('054', 'Phú Yên'),
  ('056', 'Khánh Hòa'),
  ('058', 'Ninh Thuận'),
  ('060', 'Bình Thuận'),
  ('062', 'Kon Tum'),
  ('064', 'Gia Lai'),
  ('066', 'Đắk Lắk'),
  ('067', 'Đắk Nông'),
  ('068', 'Lâm Đồng'),
  ('070', 'Bình Phước'),
  ('072', 'Tây Ninh'),
  ('074', 'Bình Dương'),
  ('075', 'Đồng Nai'),
  ('077', 'Bà Rịa - Vũng Tàu'),
  ('079', 'Hồ Chí Minh'),
  ('080', 'Long An'),
  ('082', 'Tiền Giang'),
  ('083', 'Bến Tre'),
  ('084', 'Trà Vinh'),
  ('086', 'Vĩnh Long'),
  ('087', 'Đồng Tháp'),
  ('089', 'An Giang'),
  ('091', 'Kiên Giang'),
  ('092', 'Cần Thơ'),
  ('093', 'Hậu Giang'),
  ('094', 'Sóc Trăng'),
  ('095', 'Bạc Liêu'),
  ('096', 'Cà Mau');

CREATE TABLE people (
  id            {{id}},
  full_name     TEXT NOT NULL,             -- NFC, diacritics kept exactly
  search_name   TEXT NOT NULL,             -- folded for search without diacritics
  national_id   TEXT UNIQUE,               -- 12 digits; NULL for people without one
  phone         TEXT UNIQUE,               -- 0xxxxxxxxx
  email         TEXT,
  birth_date    TEXT,                      -- YYYY-MM-DD
  target_group  TEXT NOT NULL REFERENCES target_groups (code),
  unit_code     TEXT NOT NULL REFERENCES admin_units (code),
  password_hash TEXT,                      -- argon2id; NULL until the person sets one
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  CHECK (national_id IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX people_unit ON people (unit_code);
CREATE INDEX people_search_name ON people (search_name);

CREATE TABLE sessions (
  token_digest  TEXT PRIMARY KEY,          -- BLAKE2b of the token; the token itself is never stored
  person_id     {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  user_agent    TEXT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Failed sign-ins by key ("login:<normalised login>" or "address:<ip>") within a window.
CREATE TABLE signin_failures (
  key           TEXT PRIMARY KEY,
  failures      INTEGER NOT NULL,
  window_start  TEXT NOT NULL,
  locked_until  TEXT
);
