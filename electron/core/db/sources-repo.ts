// SQL for sources and their refreshes; rows are mapped to the contract's shapes here. No secret is
// stored: secret_ref only says where one is (core/secrets/secret-refs.ts).
import type {
  ApiErrorShape,
  RefreshStatus,
  RefreshTrigger,
  SourceKindName,
  SourceRefresh,
} from '../../../shared/api.js';
import type { Db } from './open.js';
import { parse } from './runs-repo.js';

export interface StoredSource {
  id: string;
  name: string;
  kind: SourceKindName;
  url: string;
  query: string | null;
  schedule: string | null;
  secretRef: string | null;
  allowRedirects: boolean;
  maxBytes: number;
  dataset: string;
  createdAt: string;
  updatedAt: string;
}

interface DbSource {
  id: string;
  name: string;
  kind: SourceKindName;
  url: string;
  query: string | null;
  schedule: string | null;
  secret_ref: string | null;
  allow_redirects: number;
  max_bytes: number;
  dataset_name: string;
  created_at: string;
  updated_at: string;
}

interface DbRefresh {
  id: string;
  source_name: string;
  started_by: RefreshTrigger;
  status: RefreshStatus;
  started_at: string;
  ended_at: string | null;
  rows: number | null;
  version_id: string | null;
  version: number | null;
  error_json: string | null;
  notes_json: string;
}

/** What a refresh's end records. */
export interface RefreshEnd {
  status: Exclude<RefreshStatus, 'running'>;
  endedAt: string;
  rows?: number;
  versionId?: string;
  error?: ApiErrorShape;
  notes?: string[];
  etag?: string;
  lastModified?: string;
}

const REFRESH_SELECT = `SELECT r.*, s.name AS source_name, v.version AS version
  FROM source_refreshes r JOIN sources s ON s.id = r.source_id LEFT JOIN dataset_versions v ON v.id = r.version_id`;

function toSource(r: DbSource): StoredSource {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    query: r.query,
    schedule: r.schedule,
    secretRef: r.secret_ref,
    allowRedirects: r.allow_redirects === 1,
    maxBytes: r.max_bytes,
    dataset: r.dataset_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRefresh(r: DbRefresh): SourceRefresh {
  const seconds = r.ended_at ? (Date.parse(r.ended_at) - Date.parse(r.started_at)) / 1000 : null;
  return {
    id: r.id,
    source: r.source_name,
    trigger: r.started_by,
    status: r.status,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    seconds,
    rows: r.rows,
    changed: r.status === 'changed',
    version: r.version,
    versionId: r.version_id,
    error: r.error_json ? parse<ApiErrorShape>(r.error_json) : null,
    notes: parse<string[]>(r.notes_json) ?? [],
  };
}

export class SourcesRepo {
  constructor(private readonly db: Db) {}

  list(): StoredSource[] {
    return (this.db.prepare('SELECT * FROM sources ORDER BY name COLLATE NOCASE').all() as DbSource[]).map(toSource);
  }

  /** By name (any case) or id. */
  find(ref: string): StoredSource | undefined {
    const row = this.db
      .prepare('SELECT * FROM sources WHERE id = ? OR name = ? COLLATE NOCASE LIMIT 1')
      .get(ref, ref) as DbSource | undefined;
    return row ? toSource(row) : undefined;
  }

  insert(s: StoredSource): void {
    this.db
      .prepare(
        `INSERT INTO sources (id, name, kind, url, query, schedule, secret_ref, allow_redirects, max_bytes, dataset_name, created_at, updated_at)
         VALUES (@id, @name, @kind, @url, @query, @schedule, @secretRef, @allowRedirects, @maxBytes, @dataset, @createdAt, @updatedAt)`,
      )
      .run({ ...s, allowRedirects: s.allowRedirects ? 1 : 0 });
  }

  update(s: StoredSource): void {
    this.db
      .prepare(
        `UPDATE sources SET name = @name, url = @url, query = @query, schedule = @schedule, secret_ref = @secretRef,
           allow_redirects = @allowRedirects, max_bytes = @maxBytes, updated_at = @updatedAt WHERE id = @id`,
      )
      .run({ ...s, allowRedirects: s.allowRedirects ? 1 : 0 });
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM sources WHERE id = ?').run(id).changes > 0;
  }

  startRefresh(id: string, sourceId: string, trigger: RefreshTrigger, startedAt: string): void {
    this.db
      .prepare(
        `INSERT INTO source_refreshes (id, source_id, started_by, status, started_at, pid) VALUES (?, ?, ?, 'running', ?, ?)`,
      )
      .run(id, sourceId, trigger, startedAt, process.pid);
  }

  endRefresh(id: string, end: RefreshEnd): SourceRefresh {
    this.db
      .prepare(
        `UPDATE source_refreshes SET status = ?, ended_at = ?, rows = ?, version_id = ?, error_json = ?, notes_json = ?,
           etag = ?, last_modified = ? WHERE id = ?`,
      )
      .run(
        end.status,
        end.endedAt,
        end.rows ?? null,
        end.versionId ?? null,
        end.error ? JSON.stringify(end.error) : null,
        JSON.stringify(end.notes ?? []),
        end.etag ?? null,
        end.lastModified ?? null,
        id,
      );
    return this.refresh(id) as SourceRefresh;
  }

  refresh(id: string): SourceRefresh | undefined {
    const row = this.db.prepare(`${REFRESH_SELECT} WHERE r.id = ?`).get(id) as DbRefresh | undefined;
    return row ? toRefresh(row) : undefined;
  }

  /** Newest first. */
  refreshes(sourceId: string, limit: number): SourceRefresh[] {
    return (
      this.db
        .prepare(`${REFRESH_SELECT} WHERE r.source_id = ? ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?`)
        .all(sourceId, limit) as DbRefresh[]
    ).map(toRefresh);
  }

  /**
   * The validators and version of the last refresh that read something into the dataset: the next
   * conditional fetch sends them, and a not-modified answer keeps that version.
   */
  lastRead(sourceId: string): { etag: string | null; lastModified: string | null; versionId: string } | undefined {
    const row = this.db
      .prepare(
        `SELECT etag, last_modified, version_id FROM source_refreshes
         WHERE source_id = ? AND status IN ('changed', 'unchanged') AND version_id IS NOT NULL
         ORDER BY started_at DESC, rowid DESC LIMIT 1`,
      )
      .get(sourceId) as { etag: string | null; last_modified: string | null; version_id: string } | undefined;
    return row ? { etag: row.etag, lastModified: row.last_modified, versionId: row.version_id } : undefined;
  }

  /** Refreshes whose process is no longer `alive`: recorded as failed, once, at the next open; nothing was imported. */
  interruptOrphans(alive: (pid: number) => boolean, at: string): void {
    const running = this.db.prepare(`SELECT id, pid FROM source_refreshes WHERE status = 'running'`).all() as {
      id: string;
      pid: number;
    }[];
    const error = JSON.stringify({ code: 'cancelled', message: 'interrupted: the app or command that ran it ended' });
    const mark = this.db.prepare(
      `UPDATE source_refreshes SET status = 'failed', ended_at = ?, error_json = ? WHERE id = ?`,
    );
    for (const r of running) if (!alive(r.pid)) mark.run(at, error, r.id);
  }
}
