// SQL for datasets, their versions and column type corrections. Rows are mapped to the
// contract's domain types here, at the repo edge.
import type {
  ColumnProfile,
  ColumnType,
  Dataset,
  ImageImportSummary,
  DatasetKind,
  DatasetVersion,
  SourceFormat,
} from '../../../shared/api.js';
import { CairnError } from '../errors.js';
import type { Db } from './open.js';

interface DbDataset {
  id: string;
  name: string;
  kind: DatasetKind;
  created_at: string;
  updated_at: string;
  latest_version: number;
  version_count: number;
  row_count: number;
  column_count: number;
}

interface DbDatasetVersion {
  id: string;
  dataset_id: string;
  version: number;
  content_hash: string;
  source_path: string;
  source_format: SourceFormat;
  size_bytes: number;
  row_count: number;
  column_count: number;
  skipped_rows: number;
  data_file: string;
  profile_json: string;
  warnings_json: string;
  created_at: string;
  images_json: string | null;
}

interface DbColumnOverride {
  column_name: string;
  type: ColumnType;
  profile_json: string;
}

export interface NewVersion {
  /** A dataset's kind is set by its first version; a later one of the other kind is refused. */
  kind: DatasetKind;
  id: string;
  datasetId: string;
  contentHash: string;
  sourcePath: string;
  sourceFormat: SourceFormat;
  sizeBytes: number;
  rows: number;
  skippedRows: number;
  dataFile: string;
  profile: ColumnProfile[];
  warnings: string[];
  /** An image version's classes and skipped files. */
  images?: ImageImportSummary;
  /** Set when a pipeline step saved the table: kept out of the user's list, traced to its source. */
  pipeline?: PipelineTable;
}

/** Which pipeline saved a table as a dataset version, and the dataset version its rows came from. */
export interface PipelineTable {
  pipelineId: string;
  /** Absent when the table joins several sources (or none could be told). */
  sourceVersionId?: string;
}

export interface StoredVersion extends DatasetVersion {
  dataFile: string;
  images?: ImageImportSummary;
}

const DATASET_SELECT = `
  SELECT d.id, d.name, d.kind, d.created_at, d.updated_at,
         v.version AS latest_version, v.row_count, v.column_count,
         (SELECT count(*) FROM dataset_versions c WHERE c.dataset_id = d.id) AS version_count
  FROM datasets d
  JOIN dataset_versions v ON v.dataset_id = d.id
   AND v.version = (SELECT max(version) FROM dataset_versions m WHERE m.dataset_id = d.id)`;

function toDataset(row: DbDataset): Dataset {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    latestVersion: row.latest_version,
    versionCount: row.version_count,
    rows: row.row_count,
    columns: row.column_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toVersion(row: DbDatasetVersion): StoredVersion {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    version: row.version,
    contentHash: row.content_hash,
    sourcePath: row.source_path,
    sourceFormat: row.source_format,
    sizeBytes: row.size_bytes,
    rows: row.row_count,
    columns: row.column_count,
    skippedRows: row.skipped_rows,
    warnings: JSON.parse(row.warnings_json) as string[],
    createdAt: row.created_at,
    dataFile: row.data_file,
    ...(row.images_json ? { images: JSON.parse(row.images_json) as ImageImportSummary } : {}),
  };
}

/** Data access for datasets; the only place their SQL lives. */
export class DatasetsRepo {
  constructor(private readonly db: Db) {}

  /** The user's datasets: tables pipelines saved stay readable by id and name but are not listed. */
  list(): Dataset[] {
    const rows = this.db
      .prepare(`${DATASET_SELECT} WHERE d.pipeline_id IS NULL ORDER BY d.updated_at DESC, d.name`)
      .all() as DbDataset[];
    return rows.map(toDataset);
  }

  /** Finds a dataset by id or, case-insensitively, by name. */
  find(ref: string): Dataset | undefined {
    const row = this.db
      .prepare(`${DATASET_SELECT} WHERE d.id = ? OR d.name = ? COLLATE NOCASE LIMIT 1`)
      .get(ref, ref) as DbDataset | undefined;
    return row ? toDataset(row) : undefined;
  }

  versions(datasetId: string): StoredVersion[] {
    const rows = this.db
      .prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY version DESC')
      .all(datasetId) as DbDatasetVersion[];
    return rows.map(toVersion);
  }

  version(versionId: string): StoredVersion | undefined {
    const row = this.db.prepare('SELECT * FROM dataset_versions WHERE id = ?').get(versionId) as
      DbDatasetVersion | undefined;
    return row ? toVersion(row) : undefined;
  }

  /** Content hashes already stored under a dataset name, so an import can skip identical content. */
  hashesByName(name: string): Map<string, string> {
    const rows = this.db
      .prepare(
        `SELECT v.content_hash, v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
         WHERE d.name = ? COLLATE NOCASE`,
      )
      .all(name) as { content_hash: string; id: string }[];
    return new Map(rows.map((r) => [r.content_hash, r.id]));
  }

  /** The version's profile with the user's type corrections applied. */
  profile(versionId: string): ColumnProfile[] {
    const row = this.db.prepare('SELECT profile_json FROM dataset_versions WHERE id = ?').get(versionId) as
      { profile_json: string } | undefined;
    if (!row) return [];
    const overrides = this.db
      .prepare('SELECT column_name, type, profile_json FROM column_type_overrides WHERE version_id = ?')
      .all(versionId) as DbColumnOverride[];
    const byName = new Map(overrides.map((o) => [o.column_name, JSON.parse(o.profile_json) as ColumnProfile]));
    return (JSON.parse(row.profile_json) as ColumnProfile[]).map((c) => byName.get(c.name) ?? c);
  }

  /**
   * Records a new version, creating the dataset on its first import, in one transaction.
   * Version numbers are allocated inside it so two imports cannot take the same one.
   */
  addVersion(name: string, v: NewVersion, now: string): StoredVersion {
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id, kind FROM datasets WHERE name = ? COLLATE NOCASE').get(name) as
        { id: string; kind: DatasetKind } | undefined;
      const datasetId = existing?.id ?? v.datasetId;
      if (existing && existing.kind !== v.kind) {
        const what = existing.kind === 'images' ? 'pictures' : 'a table';
        throw new CairnError(
          'conflict',
          `the dataset "${name}" holds ${what}: import this under another name (--name)`,
        );
      }
      // A dataset is a pipeline's while only pipelines add to it: a version the user imports makes it theirs.
      const pipelineId = v.pipeline?.pipelineId ?? null;
      if (existing) {
        this.db
          .prepare(
            `UPDATE datasets SET updated_at = ?, pipeline_id = CASE WHEN ? IS NULL THEN NULL ELSE pipeline_id END
             WHERE id = ?`,
          )
          .run(now, pipelineId, datasetId);
      } else {
        this.db
          .prepare(
            'INSERT INTO datasets (id, name, kind, created_at, updated_at, pipeline_id) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(datasetId, name, v.kind, now, now, pipelineId);
      }
      const next = this.db
        .prepare('SELECT coalesce(max(version), 0) + 1 AS n FROM dataset_versions WHERE dataset_id = ?')
        .get(datasetId) as { n: number };
      this.db
        .prepare(
          `INSERT INTO dataset_versions (id, dataset_id, version, content_hash, source_path, source_format,
             size_bytes, row_count, column_count, skipped_rows, data_file, profile_json, warnings_json, created_at,
             images_json, source_version_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          v.id,
          datasetId,
          next.n,
          v.contentHash,
          v.sourcePath,
          v.sourceFormat,
          v.sizeBytes,
          v.rows,
          v.images ? Object.keys(v.images.classes).length : v.profile.length,
          v.skippedRows,
          v.dataFile,
          JSON.stringify(v.profile),
          JSON.stringify(v.warnings),
          now,
          v.images ? JSON.stringify(v.images) : null,
          v.pipeline?.sourceVersionId ?? null,
        );
      const stored = this.version(v.id);
      if (!stored) throw new Error('version vanished inside its own transaction');
      return stored;
    })();
  }

  setColumnOverride(versionId: string, profile: ColumnProfile, now: string): void {
    if (profile.type === profile.inferredType) {
      this.db
        .prepare('DELETE FROM column_type_overrides WHERE version_id = ? AND column_name = ?')
        .run(versionId, profile.name);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO column_type_overrides (version_id, column_name, type, profile_json, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (version_id, column_name) DO UPDATE SET type = excluded.type,
           profile_json = excluded.profile_json, updated_at = excluded.updated_at`,
      )
      .run(versionId, profile.name, profile.type, JSON.stringify(profile), now);
  }
}
