import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations.js';

export type Db = Database.Database;

/** Error raised when app.db fails its integrity check at start. */
export class CorruptDatabaseError extends Error {}

/**
 * A better-sqlite3 handle on `file` with the host's native binding: Electron hosts pass their own
 * rebuild (CAIRN_SQLITE_BINDING) because node_modules holds the one built for Node's ABI, which the
 * CLI uses. A read-only handle needs the file to exist. Every SQLite file Cairn opens goes through here.
 */
export function sqliteHandle(file: string, options: { readonly?: boolean; busyTimeoutMs?: number } = {}): Db {
  const nativeBinding = process.env.CAIRN_SQLITE_BINDING;
  const db = new Database(file, {
    ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  if (options.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${Math.floor(options.busyTimeoutMs)}`);
  return db;
}

/**
 * Opens app.db with the pragmas DESIGN.md requires on every open, runs pending migrations and
 * a quick_check.
 */
export function openDb(file: string, options: { migrate?: boolean } = {}): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = sqliteHandle(file);
  try {
    db.pragma('journal_mode = WAL');
    // better-sqlite3 builds with NORMAL as the WAL default; FULL makes each commit durable.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CorruptDatabaseError(`app.db failed its integrity check: ${String(check)}`);
    if (options.migrate !== false) migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
