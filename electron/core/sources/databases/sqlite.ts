// A SQLite file as a source kind (better-sqlite3). The path is untrusted: it must already be a
// SQLite file (its 16-byte header is checked before SQLite sees it), it is opened read-only and
// never created, and its schema is not trusted (views and triggers may not call functions with side
// effects). SQLite has no column types of its own, only what each value is: so the result is read
// once for each column's storage classes (integers, reals, text, blobs), then streamed in batches.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CairnError } from '../../errors.js';
import type { OutputColumn, RowBatch } from '../rows-to-parquet.js';
import type {
  FetchedFile,
  FetchOptions,
  ReachOptions,
  SourceKind,
  SourcePreview,
  SourceTarget,
} from '../source-kind.js';
import { BATCH_ROWS, fetchedParquet, previewOf, queryOf } from './reach.js';

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export const sqliteKind: SourceKind = {
  async test(target, options) {
    // Preparing parses the query and resolves its tables and columns; nothing is read.
    await withStatement(target, options, () => undefined);
  },

  async preview(target, limit, options): Promise<SourcePreview> {
    return withStatement(target, options, (statement, db, query) => {
      const columns = outputColumns(db, statement, query);
      const rows: unknown[][] = [];
      // Leaving the loop ends the iterator, freeing the connection.
      for (const row of statement.iterate() as IterableIterator<unknown[]>) {
        if (rows.length >= limit) break;
        rows.push(row);
      }
      return previewOf(columns, rows);
    });
  },

  async fetch(target, options: FetchOptions): Promise<FetchedFile> {
    return withStatement(target, options, async (statement, db, query) => {
      // Before the rows: while they are being iterated the connection can run nothing else.
      const columns = outputColumns(db, statement, query);
      // Batches are taken from SQLite synchronously; writing each yields to the event loop. The
      // iterator always ends here, or the connection could not be closed.
      async function* batches(): AsyncGenerator<RowBatch> {
        const rows = statement.iterate() as IterableIterator<unknown[]>;
        try {
          for (;;) {
            const batch: unknown[][] = [];
            for (let next = rows.next(); !next.done; next = rows.next()) {
              batch.push(next.value);
              if (batch.length === BATCH_ROWS) break;
            }
            if (batch.length > 0) yield batch;
            if (batch.length < BATCH_ROWS) return;
          }
        } finally {
          rows.return?.();
        }
      }
      return fetchedParquet('sqlite', columns, batches(), options);
    });
  },
};

/** The file checked and opened read-only, the query prepared (raw rows, exact integers). */
async function withStatement<T>(
  target: SourceTarget,
  options: ReachOptions,
  work: (statement: Database.Statement, db: Database.Database, query: string) => T | Promise<T>,
): Promise<T> {
  const file = target.url.startsWith('file:') ? fileURLToPath(target.url) : target.url;
  const query = queryOf(target, 'SQLite');
  await assertSqliteFile(file);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: options.timeoutMs });
  } catch (err) {
    throw sqliteError(err, file);
  }
  try {
    // A file from elsewhere may hold views or triggers that call functions: SQLite then allows only
    // those without side effects.
    db.pragma('trusted_schema = OFF');
    let statement: Database.Statement;
    try {
      statement = db.prepare(query);
    } catch (err) {
      // Preparing failed: the query itself cannot run (syntax, a column, several statements).
      throw queryError(err, file);
    }
    if (!statement.reader)
      throw new CairnError('invalid_argument', 'The query returns no rows: a source reads a SELECT');
    statement.raw(true).safeIntegers(true);
    return await work(statement, db, query);
  } catch (err) {
    throw sqliteError(err, file);
  } finally {
    db.close();
  }
}

/** Refuses a path that is missing, a folder, or a file that does not start as a SQLite database does. */
async function assertSqliteFile(file: string): Promise<void> {
  const name = path.basename(file);
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new CairnError('not_found', `No such file: ${file}`);
  if (!info.isFile()) throw new CairnError('invalid_argument', `${name} is not a file`);
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(HEADER.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < HEADER.length || !head.equals(HEADER)) {
      throw new CairnError('import_failed', `${name} is not a SQLite database`, { reason: 'format' });
    }
  } finally {
    await handle.close();
  }
}

/**
 * Each column's storage, from the classes its values have in this result (read in one pass) and
 * its declared type for text: a column of integers is BIGINT, of numbers DOUBLE; text declared as a
 * DATE or DATETIME is read as one (text that is not a date then stays text, said so); blobs and
 * columns mixing numbers with text are text, said so.
 */
function outputColumns(db: Database.Database, statement: Database.Statement, query: string): OutputColumn[] {
  const described = statement.columns();
  const names = described.map((_c, i) => `c${i}`);
  const checks = names.map((n) => `group_concat(DISTINCT typeof(${n}))`).join(', ');
  const classes = db
    .prepare(`WITH q(${names.join(', ')}) AS (${query}) SELECT ${checks} FROM q`)
    .raw(true)
    .get() as (string | null)[];
  return described.map((c, i) => {
    const declared = (c.type ?? '').toUpperCase();
    const seen = new Set((classes[i] ?? '').split(',').filter((k) => k && k !== 'null'));
    const sourceType = c.type ?? ([...seen].join(' and ') || 'no type');
    return { name: c.name, sourceType, ...storageOf(declared, seen) };
  });
}

function storageOf(declared: string, seen: Set<string>): { storeAs: string; converted?: string } {
  const has = (k: string) => seen.has(k);
  if (has('blob')) return { storeAs: 'VARCHAR', converted: 'converted to text (\\x and hex): it holds blobs' };
  if (has('text') && (has('integer') || has('real'))) {
    return { storeAs: 'VARCHAR', converted: 'converted to text: it mixes numbers and text' };
  }
  if (has('real')) return { storeAs: 'DOUBLE' };
  if (has('integer')) return { storeAs: /BOOL/.test(declared) ? 'BOOLEAN' : 'BIGINT' };
  if (/^DATE$/.test(declared)) return { storeAs: 'DATE' };
  if (/DATETIME|TIMESTAMP/.test(declared)) return { storeAs: 'TIMESTAMP' };
  if (has('text') && /INT|REAL|FLOA|DOUB|NUM|DEC/.test(declared)) {
    return { storeAs: 'VARCHAR', converted: 'converted to text: it holds text' };
  }
  return { storeAs: 'VARCHAR' };
}

function sqliteError(err: unknown, file: string): CairnError {
  if (err instanceof CairnError) return err;
  const code = (err as { code?: unknown }).code;
  const message = `SQLite (${path.basename(file)}): ${err instanceof Error ? err.message : String(err)}`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new CairnError('import_failed', message, { reason: 'format', code });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new CairnError('unauthorized', message, { code });
  }
  return new CairnError('import_failed', message, { reason: 'query', code });
}

function queryError(err: unknown, file: string): CairnError {
  const code = (err as { code?: unknown }).code;
  // A damaged file fails when SQLite first reads its schema, which is at the first prepare.
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return sqliteError(err, file);
  const message = `SQLite (${path.basename(file)}): ${err instanceof Error ? err.message : String(err)}`;
  if (/^no such table/i.test(err instanceof Error ? err.message : '')) return new CairnError('not_found', message);
  return new CairnError('invalid_argument', message);
}
