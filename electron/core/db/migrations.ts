import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{4})-([a-z0-9-]+)\.sql$/;
/** A migration whose first line is this runs with foreign keys off (checked before it commits). */
const FOREIGN_KEYS_OFF = /^-- cairn:foreign-keys-off\s*$/m;

/** Reads migrations/NNNN-name.sql in order; numbers must run 1..n with no gap. */
export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration numbers must be 1..n without gaps; found ${m.version} at ${i + 1}`);
  });
  return migrations;
}

function defaultMigrationsDir(): string {
  // Built hosts copy the .sql files next to their bundle and say where.
  return process.env.CAIRN_MIGRATIONS_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
}

/**
 * Applies every migration above the database's user_version, each in its own transaction
 * together with the version bump, so a failure leaves the database at the last good version.
 */
export function migrate(db: Database.Database, migrations = loadMigrations(), upTo = migrations.length): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (current > latest) {
    throw new Error(`app.db is at schema version ${current}, newer than this Cairn (${latest}); update Cairn`);
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    // A table rebuild (SQLite's way to change a constraint) drops a table others point at: with
    // foreign keys on, the drop would cascade or fail. The pragma is a no-op inside a transaction,
    // so it is set around it, and the keys are checked before the migration commits.
    const keysOff = FOREIGN_KEYS_OFF.test(m.sql);
    const keysWere = db.pragma('foreign_keys', { simple: true }) as number;
    if (keysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (keysOff) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0)
            throw new Error(`migration ${m.version} (${m.name}) breaks ${broken.length} foreign key references`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (keysOff) db.pragma(`foreign_keys = ${keysWere ? 'ON' : 'OFF'}`);
    }
  }
  return db.pragma('user_version', { simple: true }) as number;
}
