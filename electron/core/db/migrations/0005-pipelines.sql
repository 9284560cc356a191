-- Pipelines: named, with every saved version of their spec (a pipeline file), the runs of those
-- versions and each run's steps (one per node) with their state, whether the output came from the
-- cache, the output itself and links to the training run and model version a step made or used.

CREATE TABLE pipelines (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE pipeline_versions (
  pipeline_id TEXT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL CHECK (version > 0),
  -- The pipeline file as saved (params as written, defaults not filled in).
  spec_json   TEXT NOT NULL,
  -- sha256 of the spec's canonical JSON: saving the same content again makes no version.
  spec_hash   TEXT NOT NULL,
  -- The folder relative file paths in the spec resolve against (a run file's folder); NULL: the data folder.
  base_dir    TEXT,
  message     TEXT NOT NULL DEFAULT '',
  saved_at    TEXT NOT NULL,
  PRIMARY KEY (pipeline_id, version)
) STRICT;

CREATE TABLE pipeline_runs (
  id          TEXT PRIMARY KEY,
  pipeline_id TEXT NOT NULL,
  version     INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'gate_failed', 'cancelled', 'interrupted')),
  error_json  TEXT,
  -- The process of the host running it: a run whose host died is marked interrupted at the next open.
  host_pid    INTEGER,
  created_at  TEXT NOT NULL,
  started_at  TEXT,
  finished_at TEXT,
  FOREIGN KEY (pipeline_id, version) REFERENCES pipeline_versions (pipeline_id, version) ON DELETE CASCADE
) STRICT;

CREATE INDEX pipeline_runs_by_pipeline ON pipeline_runs (pipeline_id, created_at);

CREATE TABLE pipeline_steps (
  run_id        TEXT NOT NULL REFERENCES pipeline_runs(id) ON DELETE CASCADE,
  node_id       TEXT NOT NULL,
  kind          TEXT NOT NULL,
  -- The step's place in the run's topological order.
  position      INTEGER NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'cached', 'succeeded', 'failed', 'skipped')),
  cached        INTEGER NOT NULL DEFAULT 0 CHECK (cached IN (0, 1)),
  -- sha256 of the step's kind, params and inputs: its folder in the pipeline cache.
  cache_key     TEXT,
  output_json   TEXT,
  error_json    TEXT,
  -- Why a skipped step did not run.
  reason        TEXT,
  -- The training run a train step made (or reused, when cached).
  training_run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
  -- The model version a train, evaluate, register or deploy step made or used (versions can be deleted: no key).
  model_name    TEXT,
  model_version INTEGER,
  started_at    TEXT,
  finished_at   TEXT,
  PRIMARY KEY (run_id, node_id),
  CHECK ((state = 'cached') = (cached = 1))
) STRICT;

CREATE INDEX pipeline_steps_by_training_run ON pipeline_steps (training_run_id);
