-- Browsers that have signed in to an account (OWASP device cookies): a browser trusted for an
-- account is never held back by failures of other clients against that account. Only a digest of
-- the cookie is kept; one cookie may be trusted for several people (a shared family phone).

CREATE TABLE trusted_devices (
  device_digest TEXT NOT NULL,
  person_id     {{ref}} NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  trusted_at    TEXT NOT NULL,
  PRIMARY KEY (device_digest, person_id)
);
CREATE INDEX trusted_devices_person ON trusted_devices (person_id);
