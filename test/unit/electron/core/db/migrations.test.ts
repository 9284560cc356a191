// app.db's schema: every migration applies on an empty database and advances user_version; a
// database newer than this code is refused; open() sets the pragmas DESIGN.md requires.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../../../electron/core/db/migrations.js';
import { openDb } from '../../../../../electron/core/db/open.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

/** Dataset 'd' with version 'v', which runs point at (schema 0001 on; the columns never changed since). */
function insertDatasetVersion(db: Database.Database): void {
  db.prepare("INSERT INTO datasets VALUES ('d', 'n', 'c', 'u')").run();
  db.prepare(
    `INSERT INTO dataset_versions (id, dataset_id, version, content_hash, source_path, source_format, size_bytes,
       row_count, column_count, data_file, profile_json, created_at) VALUES ('v', 'd', 1, 'h', 'p', 'csv', 1, 1, 1, 'f', '[]', 'c')`,
  ).run();
}

describe('migrations', () => {
  const all = loadMigrations();
  /** An in-memory database with foreign keys enforced, migrated up to `version`. */
  const migratedTo = (version: number) => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, all, version);
    return db;
  };

  it('are numbered 1..n', () => {
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((m) => m.version)).toEqual(all.map((_m, i) => i + 1));
  });

  it.each(all.map((m) => [m.version, m.name] as const))(
    '%i-%s applies on the schema before it and bumps user_version',
    (version) => {
      const db = new Database(path.join(dir, 'app.db'));
      try {
        expect(migrate(db, all, version - 1)).toBe(version - 1);
        const before = tables(db);
        expect(migrate(db, all, version)).toBe(version);
        expect(db.pragma('user_version', { simple: true })).toBe(version);
        expect(tables(db).length).toBeGreaterThanOrEqual(before.length);
        expect(db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }
    },
  );

  it('0001 creates the dataset tables as STRICT tables', () => {
    const db = new Database(':memory:');
    migrate(db, all, 1);
    expect(tables(db)).toEqual(expect.arrayContaining(['datasets', 'dataset_versions', 'column_type_overrides']));
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'datasets'").get() as { sql: string }).sql;
    expect(sql).toMatch(/STRICT\s*$/);
    // STRICT refuses a value of the wrong type instead of storing it.
    expect(() => db.prepare("INSERT INTO datasets VALUES ('d', 'n', 'c', 'u')").run()).not.toThrow();
    expect(() =>
      db
        .prepare(
          `INSERT INTO dataset_versions (id, dataset_id, version, content_hash, source_path, source_format, size_bytes,
             row_count, column_count, data_file, profile_json, created_at) VALUES ('v', 'd', 'one', 'h', 'p', 'csv', 1, 1, 1, 'f', '[]', 'c')`,
        )
        .run(),
    ).toThrow();
    db.close();
  });

  it('0002 creates runs, models and model versions as STRICT tables with their checks', () => {
    const db = migratedTo(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['runs', 'models', 'model_versions']));
    for (const name of ['runs', 'models', 'model_versions']) {
      const sql = (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
      expect(sql).toMatch(/STRICT\s*$/);
    }
    insertDatasetVersion(db);
    const insertRun = db.prepare(
      `INSERT INTO runs (id, dataset_version_id, status, target, model_kind, params_json, dataset_hash, created_at)
       VALUES (?, ?, ?, 'y', 'mlp', '{}', 'h', 'c')`,
    );
    insertRun.run('r1', 'v', 'queued');
    expect(() => insertRun.run('r2', 'v', 'exploded')).toThrow(/CHECK/);
    expect(() => insertRun.run('r3', 'nope', 'queued')).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO models VALUES ('m', 'Iris', 'c')").run();
    expect(() => db.prepare("INSERT INTO models VALUES ('m2', 'iris', 'c')").run()).toThrow(/UNIQUE/);
    const insertVersion = db.prepare(
      "INSERT INTO model_versions VALUES (?, 'm', ?, 'r1', 'models/Iris/1', 'abc', 'c')",
    );
    insertVersion.run('mv1', 1);
    expect(() => insertVersion.run('mv2', 1)).toThrow(/UNIQUE/);
    expect(() => insertVersion.run('mv3', 'two')).toThrow();
    db.close();
  });

  it('0003 fills test_scores_json with the scalar test metrics of runs that have metrics', () => {
    const db = new Database(':memory:');
    migrate(db, all, 2);
    insertDatasetVersion(db);
    const metrics = {
      test: {
        accuracy: 0.9,
        roc_auc: null,
        rows: 30,
        confusion: [
          [1, 0],
          [0, 1],
        ],
        roc: [{ fpr: [0, 1] }],
        classes: ['a', 'b'],
      },
    };
    const insert = db.prepare(
      `INSERT INTO runs (id, dataset_version_id, status, target, model_kind, params_json, dataset_hash, created_at, metrics_json)
       VALUES (?, 'v', ?, 'y', 'mlp', '{}', 'h', 'c', ?)`,
    );
    insert.run('done', 'succeeded', JSON.stringify(metrics));
    insert.run('failed', 'failed', null);
    migrate(db, all, 3);
    const scores = (id: string) =>
      (db.prepare('SELECT test_scores_json AS s FROM runs WHERE id = ?').get(id) as { s: string | null }).s;
    expect(JSON.parse(scores('done') as string)).toEqual({ accuracy: 0.9, roc_auc: null, rows: 30 });
    expect(scores('failed')).toBeNull();
    db.close();
  });

  it('0004 keeps existing model versions, allows imported ones without a run, and guards aliased versions', () => {
    const db = migratedTo(3);
    insertDatasetVersion(db);
    db.prepare(
      `INSERT INTO runs (id, dataset_version_id, status, target, model_kind, params_json, dataset_hash, created_at)
       VALUES ('r1', 'v', 'succeeded', 'y', 'mlp', '{}', 'h', 'c')`,
    ).run();
    db.prepare("INSERT INTO models VALUES ('m', 'Iris', 'c')").run();
    db.prepare("INSERT INTO model_versions VALUES ('mv1', 'm', 1, 'r1', 'models/Iris/1', 'abc', 'c')").run();
    migrate(db, all, 4);
    expect(db.prepare('SELECT id, run_id, origin, notes, tags_json FROM model_versions').all()).toEqual([
      { id: 'mv1', run_id: 'r1', origin: 'run', notes: '', tags_json: '[]' },
    ]);
    const insert = db.prepare(
      "INSERT INTO model_versions (id, model_id, version, run_id, origin, dir, sha256, created_at) VALUES (?, 'm', ?, ?, ?, 'd', 's', 'c')",
    );
    insert.run('mv2', 2, null, 'import');
    expect(() => insert.run('mv3', 3, null, 'run')).toThrow(/CHECK/);
    db.prepare("INSERT INTO model_aliases VALUES ('m', 'production', 2, 'c')").run();
    expect(() => db.prepare("INSERT INTO model_aliases VALUES ('m', 'PRODUCTION', 1, 'c')").run()).toThrow(
      /UNIQUE|PRIMARY/,
    );
    expect(() => db.prepare("INSERT INTO model_aliases VALUES ('m', 'staging', 9, 'c')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("DELETE FROM model_versions WHERE id = 'mv2'").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('0005 creates pipelines, their versions, runs and steps as STRICT tables with their checks and cascades', () => {
    const db = migratedTo(5);
    const created = ['pipelines', 'pipeline_versions', 'pipeline_runs', 'pipeline_steps'];
    expect(tables(db)).toEqual(expect.arrayContaining(created));
    for (const name of created) {
      const sql = (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
      expect(sql).toMatch(/STRICT\s*$/);
    }
    db.prepare("INSERT INTO pipelines VALUES ('p', 'Iris', 'c')").run();
    expect(() => db.prepare("INSERT INTO pipelines VALUES ('p2', 'IRIS', 'c')").run()).toThrow(/UNIQUE/);
    const version = db.prepare(
      "INSERT INTO pipeline_versions (pipeline_id, version, spec_json, spec_hash, saved_at) VALUES (?, ?, '{}', 'h', 'c')",
    );
    version.run('p', 1);
    expect(() => version.run('p', 1)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => version.run('p', 0)).toThrow(/CHECK/);
    expect(() => version.run('nope', 1)).toThrow(/FOREIGN KEY/);
    const run = db.prepare(
      "INSERT INTO pipeline_runs (id, pipeline_id, version, status, created_at) VALUES (?, 'p', ?, ?, 'c')",
    );
    run.run('r1', 1, 'gate_failed');
    expect(() => run.run('r2', 1, 'exploded')).toThrow(/CHECK/);
    expect(() => run.run('r3', 9, 'queued')).toThrow(/FOREIGN KEY/);
    const stepRow = db.prepare(
      "INSERT INTO pipeline_steps (run_id, node_id, kind, position, state, cached, training_run_id) VALUES ('r1', ?, 'dataset', 0, ?, ?, ?)",
    );
    stepRow.run('a', 'cached', 1, null);
    expect(() => stepRow.run('b', 'cached', 0, null)).toThrow(/CHECK/);
    expect(() => stepRow.run('c', 'waiting', 0, null)).toThrow(/CHECK/);
    expect(() => stepRow.run('d', 'succeeded', 0, 'no-such-run')).toThrow(/FOREIGN KEY/);
    // Deleting a pipeline takes its versions, runs and steps with it.
    db.prepare("DELETE FROM pipelines WHERE id = 'p'").run();
    for (const name of created)
      expect((db.prepare(`SELECT count(*) AS n FROM ${name}`).get() as { n: number }).n).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('0006 creates the monitoring tables as STRICT tables: one firing alert per rule, checked values', () => {
    const db = new Database(':memory:');
    migrate(db, all, 5);
    migrate(db, all, 6);
    const monitoring = ['alert_rules', 'alerts', 'retrain_policies', 'retrain_decisions', 'monitor_state'];
    expect(tables(db)).toEqual(expect.arrayContaining(monitoring));
    for (const name of monitoring) {
      const sql = (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
      expect(sql).toMatch(/STRICT\s*$/);
    }
    const rule = db.prepare(
      `INSERT INTO alert_rules (id, model, metric, comparator, threshold, window, min_samples, enabled, action, created_at, updated_at)
       VALUES (?, 'iris', ?, '>', 0.2, '1h', 20, 1, 'notify', 'c', 'c')`,
    );
    rule.run('r1', 'drift_score');
    expect(() => rule.run('r2', 'accuracy_of_the_moon')).toThrow(/CHECK/);
    const fire = db.prepare(
      `INSERT INTO alerts (rule_id, model, metric, comparator, threshold, window, action, value, message, fired_at, resolved_at)
       VALUES ('r1', 'iris', 'drift_score', '>', 0.2, '1h', 'notify', 0.5, 'm', 'c', ?)`,
    );
    fire.run(null);
    expect(() => fire.run(null)).toThrow(/UNIQUE/);
    fire.run('later');
    const decide = db.prepare(
      `INSERT INTO retrain_decisions (model, trigger, trigger_detail, outcome, reason, alias, metric, margin, at)
       VALUES ('iris', ?, '', 'kept', 'r', 'production', 'accuracy', 0, 'c')`,
    );
    decide.run('alert');
    expect(() => decide.run('whim')).toThrow(/CHECK/);
    db.close();
  });

  it('0007 rebuilds runs to allow gbdt, keeping every run, the keys that point at runs, and foreign keys on', () => {
    const db = migratedTo(6);
    insertDatasetVersion(db);
    db.prepare(
      `INSERT INTO runs (id, dataset_version_id, status, target, model_kind, params_json, dataset_hash, created_at, test_scores_json)
       VALUES ('r1', 'v', 'succeeded', 'y', 'mlp', '{"a":1}', 'h', 'c', '{"accuracy":0.9}')`,
    ).run();
    db.prepare("INSERT INTO models VALUES ('m', 'Iris', 'c')").run();
    db.prepare(
      "INSERT INTO model_versions (id, model_id, version, run_id, origin, dir, sha256, created_at) VALUES ('mv1', 'm', 1, 'r1', 'run', 'd', 's', 'c')",
    ).run();
    const insertRun = db.prepare(
      `INSERT INTO runs (id, dataset_version_id, status, target, model_kind, params_json, dataset_hash, created_at)
       VALUES (?, 'v', 'queued', 'y', ?, '{}', 'h', 'c')`,
    );
    expect(() => insertRun.run('r2', 'gbdt')).toThrow(/CHECK/);
    migrate(db, all, 7);
    insertRun.run('r2', 'gbdt');
    expect(() => insertRun.run('r3', 'forest')).toThrow(/CHECK/);
    expect(db.prepare("SELECT params_json, test_scores_json FROM runs WHERE id = 'r1'").get()).toEqual({
      params_json: '{"a":1}',
      test_scores_json: '{"accuracy":0.9}',
    });
    // The version still points at its run, and foreign keys are enforced again after the migration.
    expect(db.prepare("SELECT run_id FROM model_versions WHERE id = 'mv1'").get()).toEqual({ run_id: 'r1' });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare("DELETE FROM runs WHERE id = 'r1'").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('0008 gives datasets a kind (tables stay tables) and versions image sources, keeping every version and run', () => {
    const db = migratedTo(7);
    insertDatasetVersion(db);
    db.prepare(
      `INSERT INTO runs (id, dataset_version_id, status, target, model_kind, params_json, dataset_hash, created_at)
       VALUES ('r1', 'v', 'succeeded', 'y', 'mlp', '{}', 'h', 'c')`,
    ).run();
    db.prepare("INSERT INTO column_type_overrides VALUES ('v', 'a', 'text', '{}', 'c')").run();
    const insertVersion = db.prepare(
      `INSERT INTO dataset_versions (id, dataset_id, version, content_hash, source_path, source_format, size_bytes,
         row_count, column_count, data_file, profile_json, created_at) VALUES (?, 'd', ?, ?, 'p', ?, 1, 1, 1, 'f', '[]', 'c')`,
    );
    expect(() => insertVersion.run('v2', 2, 'h2', 'folder')).toThrow(/CHECK/);
    migrate(db, all, 8);
    insertVersion.run('v2', 2, 'h2', 'folder');
    insertVersion.run('v3', 3, 'h3', 'zip');
    expect(() => insertVersion.run('v4', 4, 'h4', 'rar')).toThrow(/CHECK/);
    expect(db.prepare("SELECT kind FROM datasets WHERE id = 'd'").get()).toEqual({ kind: 'table' });
    expect(() => db.prepare("UPDATE datasets SET kind = 'audio' WHERE id = 'd'").run()).toThrow(/CHECK/);
    expect(db.prepare("SELECT source_format, images_json FROM dataset_versions WHERE id = 'v'").get()).toEqual({
      source_format: 'csv',
      images_json: null,
    });
    // The run and the override still point at their version, and foreign keys hold again.
    expect(db.prepare("SELECT dataset_version_id FROM runs WHERE id = 'r1'").get()).toEqual({
      dataset_version_id: 'v',
    });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare("DELETE FROM dataset_versions WHERE id = 'v'").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it("0010 marks the tables pipeline train steps saved as the pipeline's, traced to their run's source, and no other dataset", () => {
    const db = migratedTo(9);
    const dataset = db.prepare('INSERT INTO datasets (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
    const version = db.prepare(
      `INSERT INTO dataset_versions (id, dataset_id, version, content_hash, source_path, source_format, size_bytes,
         row_count, column_count, data_file, profile_json, created_at) VALUES (?, ?, 1, ?, 'p', 'csv', 1, 1, 1, 'f', '[]', 'c')`,
    );
    const run = db.prepare(
      `INSERT INTO runs (id, dataset_version_id, status, target, model_kind, params_json, dataset_hash, created_at)
       VALUES (?, ?, 'succeeded', 'y', 'mlp', '{}', 'h', 'c')`,
    );
    // The user's data, and a dataset the user happened to train on from a pipeline-like name.
    dataset.run('src', 'flowers', 'c', 'c');
    version.run('src-v', 'src', 'h-src');
    dataset.run('mine', 'mine.train', 'c', 'c');
    version.run('mine-v', 'mine', 'h-mine');
    run.run('r-mine', 'mine-v');
    // Pipeline "pipe" ran source -> split -> train; its train step saved pipe.train and trained on it.
    dataset.run('tbl', 'pipe.train', 'c', 'c');
    version.run('tbl-v', 'tbl', 'h-tbl');
    run.run('r-tbl', 'tbl-v');
    db.prepare("INSERT INTO pipelines VALUES ('p', 'pipe', 'c')").run();
    db.prepare(
      "INSERT INTO pipeline_versions (pipeline_id, version, spec_json, spec_hash, saved_at) VALUES ('p', 1, '{}', 's', 'c')",
    ).run();
    db.prepare(
      "INSERT INTO pipeline_runs (id, pipeline_id, version, status, created_at) VALUES ('pr', 'p', 1, 'succeeded', 'c')",
    ).run();
    const step = db.prepare(
      `INSERT INTO pipeline_steps (run_id, node_id, kind, position, state, output_json, training_run_id)
       VALUES ('pr', ?, ?, ?, 'succeeded', ?, ?)`,
    );
    step.run(
      'source',
      'dataset',
      0,
      JSON.stringify({ dataset: { name: 'flowers', version: 1, versionId: 'src-v' } }),
      null,
    );
    step.run('split', 'split', 1, '{}', null);
    step.run('train', 'train', 2, '{}', 'r-tbl');
    migrate(db, all, 10);
    const rows = db
      .prepare(
        `SELECT d.name, d.pipeline_id, v.source_version_id FROM datasets d JOIN dataset_versions v ON v.dataset_id = d.id
         ORDER BY d.name`,
      )
      .all();
    expect(rows).toEqual([
      { name: 'flowers', pipeline_id: null, source_version_id: null },
      { name: 'mine.train', pipeline_id: null, source_version_id: null },
      { name: 'pipe.train', pipeline_id: 'p', source_version_id: 'src-v' },
    ]);
    expect(() => db.prepare("UPDATE dataset_versions SET source_version_id = 'gone' WHERE id = 'tbl-v'").run()).toThrow(
      /FOREIGN KEY/,
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('0013 rebuilds sweeps to allow paused, keeping every sweep, its trials and their cascade', () => {
    const db = migratedTo(12);
    db.prepare("INSERT INTO datasets (id, name, created_at, updated_at) VALUES ('d', 'iris', 'c', 'c')").run();
    db.prepare(
      `INSERT INTO dataset_versions (id, dataset_id, version, content_hash, source_path, source_format, size_bytes,
         row_count, column_count, data_file, profile_json, created_at) VALUES ('v', 'd', 1, 'h', 'p', 'csv', 1, 1, 1, 'f', '[]', 'c')`,
    ).run();
    db.prepare(
      `INSERT INTO sweeps (id, dataset_version_id, target, task, model_kind, request_json, space_json, strategy, stopping,
         metric, direction, max_trials, parallel, seed, status, created_at)
       VALUES ('s', 'v', 'y', 'classification', 'mlp', '{}', '{}', 'tpe', 'none', 'accuracy', 'maximize', 4, 1, 42, 'cancelled', 'c')`,
    ).run();
    db.prepare(
      "INSERT INTO sweep_trials (sweep_id, number, params_json, state) VALUES ('s', 0, '{}', 'complete')",
    ).run();
    expect(() => db.prepare("UPDATE sweeps SET status = 'paused' WHERE id = 's'").run()).toThrow(/CHECK/);
    db.prepare(`UPDATE sweeps SET notes_json = '["lowered to 1"]' WHERE id = 's'`).run();
    migrate(db, all, 13);
    db.prepare("UPDATE sweeps SET status = 'paused' WHERE id = 's'").run();
    expect(() => db.prepare("UPDATE sweeps SET status = 'sleeping' WHERE id = 's'").run()).toThrow(/CHECK/);
    expect(db.prepare("SELECT status, max_trials, seed, notes_json FROM sweeps WHERE id = 's'").get()).toEqual({
      status: 'paused',
      max_trials: 4,
      seed: 42,
      notes_json: '["lowered to 1"]',
    });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The trials survived the rebuild and still go with their sweep.
    expect(db.prepare('SELECT count(*) AS n FROM sweep_trials').get()).toEqual({ n: 1 });
    db.prepare("DELETE FROM sweeps WHERE id = 's'").run();
    expect(db.prepare('SELECT count(*) AS n FROM sweep_trials').get()).toEqual({ n: 0 });
    db.close();
  });

  it('is idempotent: running again changes nothing', () => {
    const db = new Database(':memory:');
    expect(migrate(db, all)).toBe(all.length);
    expect(migrate(db, all)).toBe(all.length);
    db.close();
  });

  it('refuses a database newer than this code and leaves it untouched', () => {
    const file = path.join(dir, 'app.db');
    const db = new Database(file);
    db.pragma(`user_version = ${all.length + 1}`);
    db.close();
    expect(() => openDb(file)).toThrow(/newer than this Cairn/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(all.length + 1);
    expect(tables(again)).toEqual([]);
    again.close();
  });

  it('rolls a failing migration back to the last good version', async () => {
    const migDir = path.join(dir, 'migrations');
    await mkdir(migDir);
    await writeFile(path.join(migDir, '0001-good.sql'), 'CREATE TABLE a (x INTEGER) STRICT;');
    await writeFile(
      path.join(migDir, '0002-bad.sql'),
      'CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);',
    );
    const db = new Database(':memory:');
    expect(() => migrate(db, loadMigrations(migDir))).toThrow(/nowhere/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(['a']);
    db.close();
  });

  it('refuses a gap in migration numbers', async () => {
    const migDir = path.join(dir, 'gap');
    await mkdir(migDir);
    await writeFile(path.join(migDir, '0001-a.sql'), 'SELECT 1;');
    await writeFile(path.join(migDir, '0003-c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(migDir)).toThrow(/without gaps/);
  });
});

describe('openDb', () => {
  it('sets WAL, synchronous FULL, foreign keys and a busy timeout, and migrates to the latest version', () => {
    const db = openDb(path.join(dir, 'nested', 'app.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    } finally {
      db.close();
    }
  });

  it('sets the pragmas again on every open, not only on creation', () => {
    const file = path.join(dir, 'app.db');
    openDb(file).close();
    const db = openDb(file);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a file that is not a database', async () => {
    const file = path.join(dir, 'app.db');
    await writeFile(file, 'this is not sqlite, just some text long enough to be a header page'.repeat(100));
    expect(() => openDb(file)).toThrow();
  });
});
