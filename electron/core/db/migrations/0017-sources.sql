-- Data sources (core/sources/): a saved connection plus what to read, feeding one dataset by name,
-- and each refresh of it. No secret is ever a column here: secret_ref says where the secret is
-- (`$NAME`, an environment variable, or 'stored', the secret store) and url is kept without one.
CREATE TABLE sources (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind            TEXT NOT NULL CHECK (kind IN ('postgres', 'mysql', 'sqlite', 'url', 's3')),
  url             TEXT NOT NULL,
  query           TEXT,
  schedule        TEXT,
  secret_ref      TEXT,
  allow_redirects INTEGER NOT NULL DEFAULT 0,
  max_bytes       INTEGER NOT NULL,
  dataset_name    TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE source_refreshes (
  id            TEXT PRIMARY KEY,
  source_id     TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  started_by    TEXT NOT NULL CHECK (started_by IN ('manual', 'schedule', 'catch_up', 'pipeline')),
  status        TEXT NOT NULL CHECK (status IN ('running', 'changed', 'unchanged', 'failed', 'cancelled')),
  started_at    TEXT NOT NULL,
  ended_at      TEXT,
  -- The process running it: a refresh whose process died is recorded as interrupted at the next open.
  pid           INTEGER NOT NULL,
  rows          INTEGER,
  version_id    TEXT,
  error_json    TEXT,
  notes_json    TEXT NOT NULL DEFAULT '[]',
  -- The url and s3 validators of what this refresh read, for the next conditional fetch.
  etag          TEXT,
  last_modified TEXT
) STRICT;
CREATE INDEX source_refreshes_by_source ON source_refreshes (source_id, started_at DESC);
