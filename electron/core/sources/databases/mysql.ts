// MySQL and MariaDB as a source kind (npm `mysql2`). The query's rows stream as the server sends
// them; the connection is paused while two batches wait to be written, so memory stays bounded
// whatever the result's size. The session is READ ONLY (a source never changes the database; one
// statement per query, mysql2's default) and its time_zone is UTC, so a TIMESTAMP column is read
// and stored as a UTC instant; DATETIME, which has no zone, is stored as written.
import mysql, { type FieldPacket, type QueryError } from 'mysql2';
import { CairnError } from '../../errors.js';
import { readCancelled, type OutputColumn, type RowBatch } from '../rows-to-parquet.js';
import type {
  FetchedFile,
  FetchOptions,
  ReachOptions,
  SourceKind,
  SourcePreview,
  SourceTarget,
} from '../source-kind.js';
import {
  BATCH_ROWS,
  fetchedParquet,
  parseDatabaseUrl,
  previewOf,
  queryOf,
  reachError,
  withDeadline,
  withoutSecrets,
} from './reach.js';

/** MySQL's column type codes (mysql2's constants/types), with the name shown and how each is stored. */
const TYPES: Record<number, [string, string, string?]> = {
  1: ['TINYINT', 'INTEGER'],
  2: ['SMALLINT', 'INTEGER'],
  9: ['MEDIUMINT', 'INTEGER'],
  3: ['INT', 'INTEGER'],
  8: ['BIGINT', 'BIGINT'],
  4: ['FLOAT', 'DOUBLE'],
  5: ['DOUBLE', 'DOUBLE'],
  13: ['YEAR', 'INTEGER'],
  10: ['DATE', 'DATE'],
  14: ['DATE', 'DATE'],
  12: ['DATETIME', 'TIMESTAMP'],
  7: ['TIMESTAMP', 'TIMESTAMPTZ'],
  // MySQL's TIME is a duration of up to 838 hours, not a time of day.
  11: ['TIME', 'VARCHAR', 'converted to text (a duration)'],
  6: ['NULL', 'VARCHAR'],
  15: ['VARCHAR', 'VARCHAR'],
  253: ['VARCHAR', 'VARCHAR'],
  254: ['CHAR', 'VARCHAR'],
  249: ['TINYTEXT', 'VARCHAR'],
  250: ['MEDIUMTEXT', 'VARCHAR'],
  251: ['LONGTEXT', 'VARCHAR'],
  252: ['TEXT', 'VARCHAR'],
  16: ['BIT', 'VARCHAR', 'converted to text (\\x and hex)'],
  245: ['JSON', 'VARCHAR', 'converted to text'],
  255: ['GEOMETRY', 'VARCHAR', 'converted to text (JSON of its coordinates)'],
};
const DECIMAL = new Set([0, 246]);
const FLAG_UNSIGNED = 32;
const FLAG_ENUM = 256;
const FLAG_SET = 2048;
const BINARY_CHARSET = 63;
const MAX_DECIMAL_DIGITS = 38;
/** Batches held while the file is written before the connection is paused. */
const HELD_BATCHES = 2;

export const mysqlKind: SourceKind = {
  async test(target, options) {
    // A prepared statement is parsed, and its tables, columns and privileges checked, by the
    // server; it is never executed.
    await withConnection(target, options, async (conn, query) => {
      const columns = await new Promise<number>((resolve, reject) =>
        conn.prepare(query, (err, statement) => {
          if (err) return reject(err);
          // mysql2's PreparedStatementInfo has the result's columns; its types leave them out.
          const count = (statement as unknown as { columns: unknown[] }).columns.length;
          statement.close();
          resolve(count);
        }),
      );
      if (columns === 0) throw new CairnError('invalid_argument', 'The query returns no rows: a source reads a SELECT');
    });
  },

  async preview(target, limit, options): Promise<SourcePreview> {
    return withConnection(target, options, async (conn, query) => {
      const stream = streamRows(conn, query, Math.max(1, Math.min(limit, BATCH_ROWS)));
      const fields = await stream.fields;
      const rows: (readonly unknown[])[] = [];
      for await (const batch of stream.batches) {
        rows.push(...batch.slice(0, limit - rows.length));
        if (rows.length >= limit) break;
      }
      // The rest of the result is not wanted: the connection is closed rather than drained.
      conn.destroy();
      return previewOf(fields.map(outputColumn), rows);
    });
  },

  async fetch(target, options: FetchOptions): Promise<FetchedFile> {
    return withConnection(target, options, async (conn, query) => {
      const stream = streamRows(conn, query, BATCH_ROWS);
      const columns = (await stream.fields).map(outputColumn);
      return fetchedParquet('mysql', columns, stream.batches, options);
    });
  },
};

async function withConnection<T>(
  target: SourceTarget,
  options: ReachOptions,
  work: (conn: mysql.Connection, query: string) => Promise<T>,
): Promise<T> {
  const address = parseDatabaseUrl(target.url, ['mysql', 'mariadb'], 3306);
  const query = queryOf(target, 'MySQL');
  const secret = target.secret ?? address.password;
  const where = `MySQL at ${address.host}:${address.port}`;
  if (options.signal.aborted) throw readCancelled();
  const conn = mysql.createConnection({
    host: address.host,
    port: address.port,
    user: address.user,
    password: secret,
    database: address.database,
    connectTimeout: options.timeoutMs,
    // Exact values as text where JS numbers would round or move them: DuckDB parses them.
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    rowsAsArray: true,
  });
  conn.on('error', () => undefined);
  const abort = () => conn.destroy();
  options.signal.addEventListener('abort', abort);
  try {
    await withDeadline(
      new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))),
      options.timeoutMs + 1000,
      where,
      abort,
    );
    await run(conn, `SET time_zone = '+00:00'`);
    await run(conn, 'SET SESSION TRANSACTION READ ONLY');
    await run(conn, 'START TRANSACTION READ ONLY');
    const result = await work(conn, query);
    return result;
  } catch (err) {
    if (options.signal.aborted) throw readCancelled();
    throw mysqlError(err, where, secret, options.timeoutMs);
  } finally {
    options.signal.removeEventListener('abort', abort);
    // Nothing was written, so there is nothing to commit: closing the socket ends the transaction.
    conn.destroy();
  }
}

function run(conn: mysql.Connection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => conn.query(sql, (err) => (err ? reject(err) : resolve())));
}

/**
 * The query's rows in batches of `batchRows`: `fields` resolves with the columns (before any row,
 * also for an empty result); `batches` yields as rows arrive and pauses the connection while
 * HELD_BATCHES wait, resuming as they are taken.
 */
function streamRows(
  conn: mysql.Connection,
  sql: string,
  batchRows: number,
): { fields: Promise<FieldPacket[]>; batches: AsyncGenerator<RowBatch> } {
  const ready: unknown[][][] = [];
  let current: unknown[][] = [];
  let ended = false;
  let failed: QueryError | undefined;
  let paused = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let resolveFields!: (fields: FieldPacket[]) => void;
  let rejectFields!: (err: unknown) => void;
  const fields = new Promise<FieldPacket[]>((resolve, reject) => {
    resolveFields = resolve;
    rejectFields = reject;
  });
  fields.catch(() => undefined);
  conn
    .query({ sql, rowsAsArray: true })
    .on('fields', (f: FieldPacket[]) => resolveFields(f))
    .on('result', (row: unknown) => {
      current.push(row as unknown[]);
      if (current.length < batchRows) return;
      ready.push(current);
      current = [];
      if (ready.length >= HELD_BATCHES && !paused) {
        paused = true;
        conn.pause();
      }
      notify();
    })
    .on('error', (err: QueryError) => {
      failed = err;
      rejectFields(err);
      notify();
    })
    .on('end', () => {
      ended = true;
      if (current.length > 0) ready.push(current);
      current = [];
      notify();
    });
  async function* batches(): AsyncGenerator<RowBatch> {
    for (;;) {
      const batch = ready.shift();
      if (batch) {
        if (paused && ready.length < HELD_BATCHES) {
          paused = false;
          conn.resume();
        }
        yield batch;
        continue;
      }
      if (failed) throw failed;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return { fields, batches: batches() };
}

function outputColumn(field: FieldPacket): OutputColumn {
  const code = field.columnType ?? field.type ?? 6;
  const flags = typeof field.flags === 'number' ? field.flags : 0;
  const unsigned = (flags & FLAG_UNSIGNED) !== 0;
  const name = field.name;
  if (DECIMAL.has(code)) {
    const scale = field.decimals;
    const precision = (field.columnLength ?? 0) - (scale > 0 ? 1 : 0) - (unsigned ? 0 : 1);
    const sourceType = `DECIMAL(${precision},${scale})`;
    if (precision > 0 && precision <= MAX_DECIMAL_DIGITS)
      return { name, sourceType, storeAs: `DECIMAL(${precision},${scale})` };
    return {
      name,
      sourceType,
      storeAs: 'DOUBLE',
      converted: `converted to double: more than the ${MAX_DECIMAL_DIGITS} digits Parquet holds exactly, so values may be rounded`,
    };
  }
  if (flags & FLAG_ENUM)
    return { name, sourceType: 'ENUM', storeAs: 'VARCHAR', converted: 'converted to text (an enum)' };
  if (flags & FLAG_SET) return { name, sourceType: 'SET', storeAs: 'VARCHAR', converted: 'converted to text (a set)' };
  // MariaDB names its own types (uuid, inet6, json over LONGTEXT) in extended metadata.
  const extended = field.extendedTypeName ?? (field.extendedFormat === 'json' ? 'json' : undefined);
  if (extended) return { name, sourceType: extended, storeAs: 'VARCHAR', converted: 'converted to text' };
  const [typeName, storeAs, converted] = TYPES[code] ?? [`type ${code}`, 'VARCHAR', 'converted to text'];
  const sourceType = unsigned ? `${typeName} UNSIGNED` : typeName;
  if (storeAs === 'VARCHAR' && !converted && field.characterSet === BINARY_CHARSET && code !== 6) {
    const binary = typeName
      .replace('TEXT', 'BLOB')
      .replace(/^VARCHAR$/, 'VARBINARY')
      .replace(/^CHAR$/, 'BINARY');
    return { name, sourceType: binary, storeAs, converted: 'converted to text (\\x and hex)' };
  }
  // Unsigned integers one size up, so the largest values fit.
  const widened = unsigned ? (code === 8 ? 'UBIGINT' : code === 3 ? 'BIGINT' : storeAs) : storeAs;
  return converted ? { name, sourceType, storeAs: widened, converted } : { name, sourceType, storeAs: widened };
}

/** A driver or server failure as the seam's CairnError, with the server's own words and no secret. */
function mysqlError(err: unknown, where: string, secret: string | undefined, timeoutMs: number): CairnError {
  if (err instanceof CairnError) return err;
  const e = err as { errno?: number; sqlState?: string; code?: string; message?: string };
  // The server's own errors carry a SQLSTATE (and may well say "timeout": a lock wait).
  if (!e.sqlState) {
    const reach = reachError(err, where, timeoutMs);
    if (reach) return reach;
  }
  const message = `MySQL: ${withoutSecrets(e.message ?? String(err), secret)}`;
  const details = { errno: e.errno, sqlState: e.sqlState };
  if (e.code === 'PROTOCOL_CONNECTION_LOST') {
    return new CairnError('import_failed', `${where} closed the connection`, { reason: 'unreachable' });
  }
  // Access denied: login (1045), database (1044), table (1142), column (1143).
  if (e.errno === 1045 || e.errno === 1044 || e.errno === 1142 || e.errno === 1143) {
    return new CairnError('unauthorized', message, details);
  }
  // Unknown database (1049), no such table (1146).
  if (e.errno === 1049 || e.errno === 1146) return new CairnError('not_found', message, details);
  if (e.sqlState?.startsWith('42')) return new CairnError('invalid_argument', message, details);
  return new CairnError('import_failed', message, { reason: 'query', ...details });
}
