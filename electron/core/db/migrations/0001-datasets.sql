-- Datasets and their immutable versions. A version's data lives in a Parquet file beside
-- app.db; this table holds where, its content hash (for dedupe), and its profile.
CREATE TABLE datasets (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE dataset_versions (
  id            TEXT PRIMARY KEY,
  dataset_id    TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL CHECK (version > 0),
  content_hash  TEXT NOT NULL,
  source_path   TEXT NOT NULL,
  source_format TEXT NOT NULL CHECK (source_format IN ('csv', 'json', 'parquet')),
  size_bytes    INTEGER NOT NULL,
  row_count     INTEGER NOT NULL,
  column_count  INTEGER NOT NULL,
  skipped_rows  INTEGER NOT NULL DEFAULT 0,
  data_file     TEXT NOT NULL,
  profile_json  TEXT NOT NULL,
  warnings_json TEXT NOT NULL DEFAULT '[]',
  created_at    TEXT NOT NULL,
  UNIQUE (dataset_id, version),
  UNIQUE (dataset_id, content_hash)
) STRICT;

-- A user's correction of an inferred column type, per version.
CREATE TABLE column_type_overrides (
  version_id   TEXT NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
  column_name  TEXT NOT NULL,
  type         TEXT NOT NULL CHECK (type IN ('numeric', 'integer', 'categorical', 'boolean', 'datetime', 'text')),
  profile_json TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (version_id, column_name)
) STRICT;
