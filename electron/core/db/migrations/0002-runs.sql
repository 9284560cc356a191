-- Training runs, and the named models (with numbered versions) that successful runs create.
-- A run keeps everything needed to reproduce and judge it: resolved params (split seed and
-- fractions included), the fitted preprocessing, per-epoch history, test metrics, the backend.
CREATE TABLE runs (
  id                 TEXT PRIMARY KEY,
  dataset_version_id TEXT NOT NULL REFERENCES dataset_versions(id),
  status             TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  task               TEXT CHECK (task IN ('classification', 'regression')),
  target             TEXT NOT NULL,
  model_kind         TEXT NOT NULL CHECK (model_kind IN ('logistic_regression', 'linear_regression', 'mlp')),
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
  finished_at        TEXT
) STRICT;

CREATE INDEX runs_by_status ON runs (status);
CREATE INDEX runs_by_created ON runs (created_at);

CREATE TABLE models (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE model_versions (
  id         TEXT PRIMARY KEY,
  model_id   TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  version    INTEGER NOT NULL CHECK (version > 0),
  run_id     TEXT NOT NULL REFERENCES runs(id),
  -- Relative to the data folder, e.g. models/iris/1.
  dir        TEXT NOT NULL,
  -- sha256 of the artifact manifest (artifact.json), which holds the sha256 of every file.
  sha256     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (model_id, version)
) STRICT;
