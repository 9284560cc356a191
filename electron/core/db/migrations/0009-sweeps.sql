-- Hyperparameter sweeps and their trials. A sweep keeps what it was asked (space, strategy,
-- budget, metric, seed) so a resume after a restart rebuilds its Study from the saved trials and
-- goes on with the budget left. Each trial that started is a training run (run_id); the runs
-- table is unchanged, and a run's sweep is found through sweep_trials.
CREATE TABLE sweeps (
  id                 TEXT PRIMARY KEY,
  dataset_version_id TEXT NOT NULL REFERENCES dataset_versions(id),
  target             TEXT NOT NULL,
  task               TEXT NOT NULL CHECK (task IN ('classification', 'regression')),
  model_kind         TEXT NOT NULL,
  -- The run fields every trial shares (dataset, target, features, split...).
  request_json       TEXT NOT NULL,
  space_json         TEXT NOT NULL,
  strategy           TEXT NOT NULL CHECK (strategy IN ('grid', 'random', 'tpe')),
  stopping           TEXT NOT NULL CHECK (stopping IN ('none', 'median', 'asha')),
  metric             TEXT NOT NULL,
  direction          TEXT NOT NULL CHECK (direction IN ('maximize', 'minimize')),
  max_trials         INTEGER CHECK (max_trials > 0),
  max_seconds        REAL CHECK (max_seconds > 0),
  -- Wall time spent in earlier sessions: a resume has what is left of max_seconds.
  seconds_used       REAL NOT NULL DEFAULT 0,
  parallel           INTEGER NOT NULL CHECK (parallel > 0),
  seed               INTEGER NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  error_json         TEXT,
  best_run_id        TEXT REFERENCES runs(id),
  -- The host running it: a sweep whose host died is marked interrupted by the next host to open app.db.
  host_pid           INTEGER,
  created_at         TEXT NOT NULL,
  finished_at        TEXT
) STRICT;

CREATE INDEX sweeps_by_created ON sweeps (created_at);

CREATE TABLE sweep_trials (
  sweep_id    TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  number      INTEGER NOT NULL CHECK (number >= 0),
  run_id      TEXT REFERENCES runs(id),
  params_json TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('running', 'complete', 'pruned', 'failed', 'interrupted')),
  -- The sweep's metric on the validation split, for a complete trial.
  value       REAL,
  -- [{step, value}]: what the pruner judged, per epoch or boosting round.
  curve_json  TEXT NOT NULL DEFAULT '[]',
  error_json  TEXT,
  PRIMARY KEY (sweep_id, number)
) STRICT;

CREATE INDEX sweep_trials_by_run ON sweep_trials (run_id);
