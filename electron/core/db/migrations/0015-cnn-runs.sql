-- cairn:foreign-keys-off
-- A run may train model_kind 'cnn' (a convolutional network on an image dataset). SQLite cannot
-- change a CHECK in place: runs is rebuilt as in 0011-auto-model.sql (foreign keys off for this
-- migration only, checked with foreign_key_check before it commits).
CREATE TABLE runs_new (
  id                 TEXT PRIMARY KEY,
  dataset_version_id TEXT NOT NULL REFERENCES dataset_versions(id),
  status             TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  task               TEXT CHECK (task IN ('classification', 'regression')),
  target             TEXT NOT NULL,
  model_kind         TEXT NOT NULL CHECK (model_kind IN ('logistic_regression', 'linear_regression', 'mlp', 'gbdt', 'cnn', 'auto')),
  params_json        TEXT NOT NULL,
  preprocess_json    TEXT,
  history_json       TEXT NOT NULL DEFAULT '[]',
  metrics_json       TEXT,
  backend            TEXT,
  tfjs_version       TEXT,
  dataset_hash       TEXT NOT NULL,
  error_json         TEXT,
  model_name         TEXT,
  model_version      INTEGER,
  -- The process of the host that owns the run while it is queued or running: a run whose host
  -- died is marked interrupted by the next host to open app.db.
  host_pid           INTEGER,
  created_at         TEXT NOT NULL,
  started_at         TEXT,
  finished_at        TEXT,
  test_scores_json   TEXT
) STRICT;

INSERT INTO runs_new (id, dataset_version_id, status, task, target, model_kind, params_json, preprocess_json,
  history_json, metrics_json, backend, tfjs_version, dataset_hash, error_json, model_name, model_version,
  host_pid, created_at, started_at, finished_at, test_scores_json)
SELECT id, dataset_version_id, status, task, target, model_kind, params_json, preprocess_json,
  history_json, metrics_json, backend, tfjs_version, dataset_hash, error_json, model_name, model_version,
  host_pid, created_at, started_at, finished_at, test_scores_json FROM runs;

DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
CREATE INDEX runs_by_status ON runs (status);
CREATE INDEX runs_by_created ON runs (created_at);
