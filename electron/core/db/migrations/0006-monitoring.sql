-- Monitoring: alert rules per model, every firing of one (with the value that crossed the
-- threshold), retrain policies, every retrain decision, and the monitor's own bookmarks (when
-- rules were last evaluated, so an app that was closed catches up on open). Models are named,
-- not referenced: rules and history outlive a model's deletion and apply again if it returns.

CREATE TABLE alert_rules (
  id                TEXT PRIMARY KEY,
  model             TEXT NOT NULL COLLATE NOCASE,
  metric            TEXT NOT NULL CHECK (metric IN ('latency_p50', 'latency_p95', 'latency_p99', 'error_rate', 'drift_score', 'live_accuracy', 'live_mae')),
  comparator        TEXT NOT NULL CHECK (comparator IN ('>', '>=', '<', '<=')),
  threshold         REAL NOT NULL,
  window            TEXT NOT NULL CHECK (window IN ('1h', '24h', '7d')),
  min_samples       INTEGER NOT NULL CHECK (min_samples >= 1),
  enabled           INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  action            TEXT NOT NULL CHECK (action IN ('notify', 'retrain')),
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  -- The last evaluation: its value (NULL when too few samples to judge) and when.
  last_value        REAL,
  last_evaluated_at TEXT
) STRICT;

CREATE INDEX alert_rules_by_model ON alert_rules (model);

-- A firing keeps a copy of its rule as it was, so the history reads right after the rule changes or goes.
CREATE TABLE alerts (
  id            INTEGER PRIMARY KEY,
  rule_id       TEXT NOT NULL,
  model         TEXT NOT NULL COLLATE NOCASE,
  metric        TEXT NOT NULL,
  comparator    TEXT NOT NULL,
  threshold     REAL NOT NULL,
  window        TEXT NOT NULL,
  action        TEXT NOT NULL,
  value         REAL NOT NULL,
  message       TEXT NOT NULL,
  features_json TEXT NOT NULL DEFAULT '[]',
  fired_at      TEXT NOT NULL,
  resolved_at   TEXT
) STRICT;

CREATE INDEX alerts_by_model ON alerts (model, id);
-- A rule fires once until its value goes back within the threshold.
CREATE UNIQUE INDEX alerts_one_firing_per_rule ON alerts (rule_id) WHERE resolved_at IS NULL;

CREATE TABLE retrain_policies (
  model                  TEXT PRIMARY KEY COLLATE NOCASE,
  on_alert               INTEGER NOT NULL CHECK (on_alert IN (0, 1)),
  -- Retrain every so many hours; NULL: no schedule.
  schedule_hours         REAL CHECK (schedule_hours IS NULL OR schedule_hours > 0),
  on_new_dataset_version INTEGER NOT NULL CHECK (on_new_dataset_version IN (0, 1)),
  include_labelled       INTEGER NOT NULL CHECK (include_labelled IN (0, 1)),
  metric                 TEXT NOT NULL,
  margin                 REAL NOT NULL CHECK (margin >= 0),
  alias                  TEXT NOT NULL,
  updated_at             TEXT NOT NULL
) STRICT;

CREATE TABLE retrain_decisions (
  id                         INTEGER PRIMARY KEY,
  model                      TEXT NOT NULL COLLATE NOCASE,
  trigger                    TEXT NOT NULL CHECK (trigger IN ('manual', 'alert', 'schedule', 'dataset')),
  trigger_detail             TEXT NOT NULL,
  outcome                    TEXT NOT NULL CHECK (outcome IN ('promoted', 'kept', 'failed')),
  reason                     TEXT NOT NULL,
  alias                      TEXT NOT NULL,
  metric                     TEXT NOT NULL,
  margin                     REAL NOT NULL,
  run_id                     TEXT,
  dataset_name               TEXT,
  dataset_version            INTEGER,
  -- The dataset version the retrain started from, and the one it made by adding labelled requests (if it did).
  base_dataset_version_id    TEXT,
  derived_dataset_version_id TEXT,
  labelled_rows              INTEGER NOT NULL DEFAULT 0,
  held_out_rows              INTEGER NOT NULL DEFAULT 0,
  champion_version           INTEGER,
  champion_metrics_json      TEXT,
  challenger_version         INTEGER,
  challenger_metrics_json    TEXT,
  at                         TEXT NOT NULL
) STRICT;

CREATE INDEX retrain_decisions_by_model ON retrain_decisions (model, id);

CREATE TABLE monitor_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
