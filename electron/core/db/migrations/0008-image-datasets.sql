-- cairn:foreign-keys-off
-- Datasets are tables or sets of labelled pictures (kind), and a picture version's source is a
-- folder of class folders or a zip of one (source_format 'folder', 'zip'; a CSV or Parquet list
-- of pictures keeps 'csv'/'parquet'). A table's rows are unchanged: kind defaults to 'table'.
-- An image version's data_file is its Parquet index of pictures; row_count counts the readable
-- pictures, column_count the classes, and images_json holds its import summary (pictures per class
-- and the files left out, with why). SQLite cannot widen a CHECK in place: dataset_versions
-- is rebuilt with foreign keys off for this migration (runs and column_type_overrides point at it)
-- and checked with foreign_key_check before it commits (migrations.ts).
ALTER TABLE datasets ADD COLUMN kind TEXT NOT NULL DEFAULT 'table' CHECK (kind IN ('table', 'images'));

CREATE TABLE dataset_versions_new (
  id            TEXT PRIMARY KEY,
  dataset_id    TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL CHECK (version > 0),
  content_hash  TEXT NOT NULL,
  source_path   TEXT NOT NULL,
  source_format TEXT NOT NULL CHECK (source_format IN ('csv', 'json', 'parquet', 'folder', 'zip')),
  size_bytes    INTEGER NOT NULL,
  row_count     INTEGER NOT NULL,
  column_count  INTEGER NOT NULL,
  skipped_rows  INTEGER NOT NULL DEFAULT 0,
  data_file     TEXT NOT NULL,
  profile_json  TEXT NOT NULL,
  warnings_json TEXT NOT NULL DEFAULT '[]',
  created_at    TEXT NOT NULL,
  images_json   TEXT,
  UNIQUE (dataset_id, version),
  UNIQUE (dataset_id, content_hash)
) STRICT;

INSERT INTO dataset_versions_new (id, dataset_id, version, content_hash, source_path, source_format, size_bytes,
  row_count, column_count, skipped_rows, data_file, profile_json, warnings_json, created_at)
SELECT id, dataset_id, version, content_hash, source_path, source_format, size_bytes,
  row_count, column_count, skipped_rows, data_file, profile_json, warnings_json, created_at FROM dataset_versions;

DROP TABLE dataset_versions;
ALTER TABLE dataset_versions_new RENAME TO dataset_versions;
