// SQL for the model registry: models with their versions (lineage joined from runs and dataset
// versions), aliases and the history of every alias move. Rows map to plain records here; the
// registry module (core/registry) turns them into the contract's shapes.
import type { Db } from './open.js';

interface DbVersionRow {
  id: string;
  model_id: string;
  model_name: string;
  version: number;
  run_id: string | null;
  origin: 'run' | 'import';
  dir: string;
  sha256: string;
  notes: string;
  tags_json: string;
  created_at: string;
  // Joined from runs and the dataset tables; null for imports.
  task: string | null;
  target: string | null;
  model_kind: string | null;
  params_json: string | null;
  test_scores_json: string | null;
  dataset_version_id: string | null;
  dataset_hash: string | null;
  dataset_name: string | null;
  dataset_version: number | null;
  // The dataset version a pipeline's training table came from, and the pipeline.
  source_name: string | null;
  source_version: number | null;
  source_hash: string | null;
  source_version_id: string | null;
  pipeline_name: string | null;
}

/** A stored model version with what its run says about it. */
export interface RegistryVersion {
  id: string;
  modelId: string;
  name: string;
  version: number;
  runId: string | null;
  origin: 'run' | 'import';
  dir: string;
  sha256: string;
  notes: string;
  tags: string[];
  createdAt: string;
  run: {
    task: string | null;
    target: string;
    modelKind: string;
    params: Record<string, unknown>;
    testMetrics: Record<string, number | null>;
    datasetVersionId: string;
    datasetHash: string;
    datasetName: string;
    datasetVersion: number;
    /** When a pipeline made the table the run trained on: the dataset version its rows came from. */
    source: { name: string; version: number; hash: string } | null;
    /** The id of that version (null when the run trained on the user's dataset). */
    sourceVersionId: string | null;
    /** The pipeline that made the table the run trained on (null when the user's dataset, or the pipeline is gone). */
    pipeline: string | null;
  } | null;
}

export interface RegistryModel {
  id: string;
  name: string;
  createdAt: string;
}

export interface StoredAlias {
  alias: string;
  version: number;
  updatedAt: string;
}

export interface StoredAliasEvent {
  id: number;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  reason: string;
  at: string;
}

export interface NewImportedVersion {
  id: string;
  /** Used only when the model does not exist yet. */
  modelId: string;
  name: string;
  version: number;
  dir: string;
  sha256: string;
  notes: string;
  tags: string[];
}

const VERSION_SELECT = `
  SELECT mv.id, mv.model_id, m.name AS model_name, mv.version, mv.run_id, mv.origin, mv.dir, mv.sha256,
    mv.notes, mv.tags_json, mv.created_at,
    r.task, r.target, r.model_kind, r.params_json, r.test_scores_json, r.dataset_version_id, r.dataset_hash,
    d.name AS dataset_name, dv.version AS dataset_version,
    sd.name AS source_name, sv.version AS source_version, sv.content_hash AS source_hash, sv.id AS source_version_id,
    p.name AS pipeline_name
  FROM model_versions mv
  JOIN models m ON m.id = mv.model_id
  LEFT JOIN runs r ON r.id = mv.run_id
  LEFT JOIN dataset_versions dv ON dv.id = r.dataset_version_id
  LEFT JOIN datasets d ON d.id = dv.dataset_id
  LEFT JOIN dataset_versions sv ON sv.id = dv.source_version_id
  LEFT JOIN datasets sd ON sd.id = sv.dataset_id
  LEFT JOIN pipelines p ON p.id = d.pipeline_id`;

function toVersion(row: DbVersionRow): RegistryVersion {
  return {
    id: row.id,
    modelId: row.model_id,
    name: row.model_name,
    version: row.version,
    runId: row.run_id,
    origin: row.origin,
    dir: row.dir,
    sha256: row.sha256,
    notes: row.notes,
    tags: JSON.parse(row.tags_json) as string[],
    createdAt: row.created_at,
    run:
      row.run_id !== null && row.params_json !== null
        ? {
            task: row.task,
            target: row.target ?? '',
            modelKind: row.model_kind ?? '',
            params: JSON.parse(row.params_json) as Record<string, unknown>,
            testMetrics: row.test_scores_json
              ? (JSON.parse(row.test_scores_json) as Record<string, number | null>)
              : {},
            datasetVersionId: row.dataset_version_id ?? '',
            datasetHash: row.dataset_hash ?? '',
            datasetName: row.dataset_name ?? '',
            datasetVersion: row.dataset_version ?? 0,
            source:
              row.source_name !== null && row.source_version !== null && row.source_hash !== null
                ? { name: row.source_name, version: row.source_version, hash: row.source_hash }
                : null,
            sourceVersionId: row.source_version_id,
            pipeline: row.pipeline_name,
          }
        : null,
  };
}

export class RegistryRepo {
  constructor(private readonly db: Db) {}

  /** Every model, by name. */
  models(): RegistryModel[] {
    return (
      this.db.prepare('SELECT id, name, created_at FROM models ORDER BY name COLLATE NOCASE').all() as {
        id: string;
        name: string;
        created_at: string;
      }[]
    ).map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  model(name: string): RegistryModel | undefined {
    const r = this.db.prepare('SELECT id, name, created_at FROM models WHERE name = ? COLLATE NOCASE').get(name) as
      { id: string; name: string; created_at: string } | undefined;
    return r ? { id: r.id, name: r.name, createdAt: r.created_at } : undefined;
  }

  /** Every version of every model, newest version first within a model. */
  allVersions(): RegistryVersion[] {
    return (
      this.db.prepare(`${VERSION_SELECT} ORDER BY m.name COLLATE NOCASE, mv.version DESC`).all() as DbVersionRow[]
    ).map(toVersion);
  }

  /** A model's versions, newest first. */
  versions(modelId: string): RegistryVersion[] {
    return (
      this.db.prepare(`${VERSION_SELECT} WHERE mv.model_id = ? ORDER BY mv.version DESC`).all(modelId) as DbVersionRow[]
    ).map(toVersion);
  }

  /** One version of a model: the latest when `version` is absent. */
  version(modelId: string, version?: number): RegistryVersion | undefined {
    const row = this.db
      .prepare(
        `${VERSION_SELECT} WHERE mv.model_id = ? AND (? IS NULL OR mv.version = ?) ORDER BY mv.version DESC LIMIT 1`,
      )
      .get(modelId, version ?? null, version ?? null) as DbVersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }

  /** Every alias of every model (model id → aliases). */
  allAliases(): Map<string, StoredAlias[]> {
    const rows = this.db
      .prepare('SELECT model_id, alias, version, updated_at FROM model_aliases ORDER BY alias')
      .all() as {
      model_id: string;
      alias: string;
      version: number;
      updated_at: string;
    }[];
    const out = new Map<string, StoredAlias[]>();
    for (const r of rows) {
      const list = out.get(r.model_id) ?? [];
      list.push({ alias: r.alias, version: r.version, updatedAt: r.updated_at });
      out.set(r.model_id, list);
    }
    return out;
  }

  aliases(modelId: string): StoredAlias[] {
    return this.allAliases().get(modelId) ?? [];
  }

  alias(modelId: string, alias: string): StoredAlias | undefined {
    const r = this.db
      .prepare('SELECT alias, version, updated_at FROM model_aliases WHERE model_id = ? AND alias = ?')
      .get(modelId, alias) as { alias: string; version: number; updated_at: string } | undefined;
    return r ? { alias: r.alias, version: r.version, updatedAt: r.updated_at } : undefined;
  }

  /** A model's alias events, newest first. */
  aliasEvents(modelId: string, alias?: string): StoredAliasEvent[] {
    const rows = this.db
      .prepare(
        `SELECT id, alias, from_version, to_version, reason, at FROM alias_events
         WHERE model_id = ? AND (? IS NULL OR alias = ?) ORDER BY id DESC`,
      )
      .all(modelId, alias ?? null, alias ?? null) as {
      id: number;
      alias: string;
      from_version: number | null;
      to_version: number | null;
      reason: string;
      at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      alias: r.alias,
      fromVersion: r.from_version,
      toVersion: r.to_version,
      reason: r.reason,
      at: r.at,
    }));
  }

  /**
   * Points `alias` at `version` (null removes it) and records the move, in one transaction.
   * Returns the event, or undefined when nothing changed.
   */
  moveAlias(
    modelId: string,
    alias: string,
    version: number | null,
    reason: string,
    now: string,
  ): StoredAliasEvent | undefined {
    return this.db.transaction(() => {
      const current = this.alias(modelId, alias);
      const from = current?.version ?? null;
      if (from === version) return undefined;
      if (version === null)
        this.db.prepare('DELETE FROM model_aliases WHERE model_id = ? AND alias = ?').run(modelId, alias);
      else if (current)
        this.db
          .prepare('UPDATE model_aliases SET version = ?, updated_at = ? WHERE model_id = ? AND alias = ?')
          .run(version, now, modelId, alias);
      else
        this.db
          .prepare('INSERT INTO model_aliases (model_id, alias, version, updated_at) VALUES (?, ?, ?, ?)')
          .run(modelId, alias, version, now);
      // The alias as first spelled keeps its spelling in the history.
      const spelled = current?.alias ?? alias;
      const id = this.db
        .prepare(
          'INSERT INTO alias_events (model_id, alias, from_version, to_version, reason, at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(modelId, spelled, from, version, reason, now).lastInsertRowid;
      return { id: Number(id), alias: spelled, fromVersion: from, toVersion: version, reason, at: now };
    })();
  }

  updateVersion(id: string, patch: { notes?: string; tags?: string[] }): void {
    if (patch.notes !== undefined)
      this.db.prepare('UPDATE model_versions SET notes = ? WHERE id = ?').run(patch.notes, id);
    if (patch.tags !== undefined)
      this.db.prepare('UPDATE model_versions SET tags_json = ? WHERE id = ?').run(JSON.stringify(patch.tags), id);
  }

  /**
   * Deletes a version (and its model, when it was the last one). The foreign key from
   * model_aliases refuses it while an alias points at the version.
   */
  deleteVersion(modelId: string, id: string): { modelDeleted: boolean } {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM model_versions WHERE id = ?').run(id);
      const left = (
        this.db.prepare('SELECT count(*) AS n FROM model_versions WHERE model_id = ?').get(modelId) as { n: number }
      ).n;
      if (left === 0) this.db.prepare('DELETE FROM models WHERE id = ?').run(modelId);
      return { modelDeleted: left === 0 };
    })();
  }

  /**
   * The number the next version of `name` gets: one past any number the model has ever used
   * (versions, alias history, runs that saved under it), so a deleted number is never reused.
   */
  nextVersion(name: string): number {
    const row = this.db
      .prepare(
        `SELECT max(
           coalesce((SELECT max(mv.version) FROM model_versions mv JOIN models m ON m.id = mv.model_id WHERE m.name = @name COLLATE NOCASE), 0),
           coalesce((SELECT max(max(coalesce(e.from_version, 0), coalesce(e.to_version, 0))) FROM alias_events e
                     JOIN models m ON m.id = e.model_id WHERE m.name = @name COLLATE NOCASE), 0),
           coalesce((SELECT max(model_version) FROM runs WHERE model_name = @name COLLATE NOCASE), 0)
         ) AS v`,
      )
      .get({ name }) as { v: number };
    return row.v + 1;
  }

  /** Records a version imported from a bundle, creating the model on its first version. */
  addImported(v: NewImportedVersion, now: string): void {
    this.db.transaction(() => {
      let modelId = this.model(v.name)?.id;
      if (!modelId) {
        modelId = v.modelId;
        this.db.prepare('INSERT INTO models (id, name, created_at) VALUES (?, ?, ?)').run(modelId, v.name, now);
      }
      this.db
        .prepare(
          `INSERT INTO model_versions (id, model_id, version, run_id, origin, dir, sha256, notes, tags_json, created_at)
           VALUES (?, ?, ?, NULL, 'import', ?, ?, ?, ?, ?)`,
        )
        .run(v.id, modelId, v.version, v.dir, v.sha256, v.notes, JSON.stringify(v.tags), now);
    })();
  }
}
