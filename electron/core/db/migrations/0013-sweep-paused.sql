-- cairn:foreign-keys-off
-- A sweep may be paused: no new trial starts, the one training finishes, and a resume goes on
-- with the budget left. SQLite cannot change a CHECK in place: sweeps is rebuilt as SQLite's
-- "other kinds of schema changes" procedure says, with foreign keys off for this migration only
-- (sweep_trials points at sweeps with ON DELETE CASCADE; dropping the old table with them on would
-- empty it) and checked with foreign_key_check before it commits (migrations.ts).
CREATE TABLE sweeps_new (
  id                 TEXT PRIMARY KEY,
  dataset_version_id TEXT NOT NULL REFERENCES dataset_versions(id),
  target             TEXT NOT NULL,
  task               TEXT NOT NULL CHECK (task IN ('classification', 'regression')),
  model_kind         TEXT NOT NULL,
  request_json       TEXT NOT NULL,
  space_json         TEXT NOT NULL,
  strategy           TEXT NOT NULL CHECK (strategy IN ('grid', 'random', 'tpe')),
  stopping           TEXT NOT NULL CHECK (stopping IN ('none', 'median', 'asha')),
  metric             TEXT NOT NULL,
  direction          TEXT NOT NULL CHECK (direction IN ('maximize', 'minimize')),
  max_trials         INTEGER CHECK (max_trials > 0),
  max_seconds        REAL CHECK (max_seconds > 0),
  seconds_used       REAL NOT NULL DEFAULT 0,
  parallel           INTEGER NOT NULL CHECK (parallel > 0),
  seed               INTEGER NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('running', 'paused', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  error_json         TEXT,
  best_run_id        TEXT REFERENCES runs(id),
  host_pid           INTEGER,
  created_at         TEXT NOT NULL,
  finished_at        TEXT,
  notes_json         TEXT NOT NULL DEFAULT '[]'
) STRICT;

INSERT INTO sweeps_new SELECT id, dataset_version_id, target, task, model_kind, request_json, space_json, strategy,
  stopping, metric, direction, max_trials, max_seconds, seconds_used, parallel, seed, status, error_json, best_run_id,
  host_pid, created_at, finished_at, notes_json FROM sweeps;

DROP TABLE sweeps;
ALTER TABLE sweeps_new RENAME TO sweeps;
CREATE INDEX sweeps_by_created ON sweeps (created_at);
