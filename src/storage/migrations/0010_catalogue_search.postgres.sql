-- Full-text search over the catalogue's folded text (PostgreSQL): the 'simple' configuration
-- (no stemming, no stop words) on text the platform has already folded, as on SQLite.
CREATE INDEX catalogue_search ON catalogue USING GIN (to_tsvector('simple', search_text));
