-- Full-text search over the catalogue's folded text (SQLite FTS5). The text is folded by the
-- platform (core/text.h: no marks, đ -> d, lower case) before it is stored and before it is
-- searched, so "bao mat" finds "bảo mật" on both engines the same way. rowid = course id.
CREATE VIRTUAL TABLE catalogue_fts USING fts5 (search_text, tokenize = 'unicode61');
