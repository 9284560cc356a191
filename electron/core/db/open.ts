import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations.js';

export type Db = Database.Database;

/** Error raised when app.db fails its integrity check at start. */
export class CorruptDatabaseError extends Error {}

/**
 * Opens app.db with the pragmas DESIGN.md requires on every open, runs pending migrations and
 * a quick_check. Electron hosts pass their own rebuild of the native binding (CAIRN_SQLITE_BINDING)
 * because node_modules holds the one built for Node's ABI, which the CLI uses.
 */
export function openDb(file: string, options: { migrate?: boolean } = {}): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const nativeBinding = process.env.CAIRN_SQLITE_BINDING;
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
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
