-- The model registry: versions get notes, tags and an origin (a run, or an imported bundle, which
-- has no run here, so run_id becomes nullable); aliases such as production point at versions, and
-- every alias move is kept so it can be read back and undone.

-- SQLite cannot relax NOT NULL in place: rebuild model_versions. No table references it yet.
CREATE TABLE model_versions_new (
  id         TEXT PRIMARY KEY,
  model_id   TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  version    INTEGER NOT NULL CHECK (version > 0),
  -- The run that trained it; NULL for a version imported from a bundle.
  run_id     TEXT REFERENCES runs(id),
  origin     TEXT NOT NULL DEFAULT 'run' CHECK (origin IN ('run', 'import')),
  -- Relative to the data folder, e.g. models/iris/1.
  dir        TEXT NOT NULL,
  -- sha256 of the artifact manifest (artifact.json), which holds the sha256 of every file.
  sha256     TEXT NOT NULL,
  notes      TEXT NOT NULL DEFAULT '',
  tags_json  TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  UNIQUE (model_id, version),
  CHECK ((origin = 'run') = (run_id IS NOT NULL))
) STRICT;

INSERT INTO model_versions_new (id, model_id, version, run_id, origin, dir, sha256, created_at)
SELECT id, model_id, version, run_id, 'run', dir, sha256, created_at FROM model_versions;

DROP TABLE model_versions;
ALTER TABLE model_versions_new RENAME TO model_versions;

CREATE TABLE model_aliases (
  model_id   TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  alias      TEXT NOT NULL COLLATE NOCASE CHECK (length(alias) BETWEEN 1 AND 64),
  version    INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (model_id, alias),
  -- An aliased version cannot be deleted out from under its alias.
  FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version)
) STRICT;

-- Every set, move and removal of an alias: from_version NULL when it was set for the first time,
-- to_version NULL when it was removed.
CREATE TABLE alias_events (
  id           INTEGER PRIMARY KEY,
  model_id     TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  alias        TEXT NOT NULL COLLATE NOCASE,
  from_version INTEGER,
  to_version   INTEGER,
  reason       TEXT NOT NULL DEFAULT '',
  at           TEXT NOT NULL
) STRICT;

CREATE INDEX alias_events_by_model ON alias_events (model_id, alias, id);
