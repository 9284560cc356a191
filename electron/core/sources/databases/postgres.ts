// PostgreSQL as a source kind (npm `pg`). The query runs as a server-side cursor (DECLARE ... NO
// SCROLL CURSOR, then FETCH 10,000 rows at a time) inside a READ ONLY transaction, so a result of
// any size streams with bounded memory and a source can never change the database: DECLARE takes
// only a SELECT or VALUES (no data-modifying WITH), is parsed as one statement, and the transaction
// refuses writes a function might attempt. Values arrive as PostgreSQL's own text and DuckDB parses
// them (rows-to-parquet.ts). The session's TimeZone is UTC, so a timestamptz is read as a UTC
// instant and stored as one (Parquet TIMESTAMP adjusted to UTC); a timestamp without time zone is
// stored as written.
import pg from 'pg';
import { CairnError } from '../../errors.js';
import { readCancelled, type OutputColumn, type RowBatch } from '../rows-to-parquet.js';
import type {
  FetchOptions,
  FetchedFile,
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

const CURSOR = 'cairn_source';
/** Every value as the text PostgreSQL sends: DuckDB parses it once, exactly (bigints, numerics). */
const AS_TEXT = { getTypeParser: () => (value: string) => value };

/** How each built-in type is stored: OID -> [type name, DuckDB type, what was done if converted]. */
const BUILT_IN: Record<number, [string, string, string?]> = {
  16: ['boolean', 'BOOLEAN'],
  20: ['bigint', 'BIGINT'],
  21: ['smallint', 'SMALLINT'],
  23: ['integer', 'INTEGER'],
  26: ['oid', 'BIGINT'],
  700: ['real', 'DOUBLE'],
  701: ['double precision', 'DOUBLE'],
  18: ['"char"', 'VARCHAR'],
  19: ['name', 'VARCHAR'],
  25: ['text', 'VARCHAR'],
  1042: ['character', 'VARCHAR'],
  1043: ['character varying', 'VARCHAR'],
  1082: ['date', 'DATE'],
  1083: ['time without time zone', 'TIME'],
  1114: ['timestamp without time zone', 'TIMESTAMP'],
  1184: ['timestamp with time zone', 'TIMESTAMPTZ'],
  17: ['bytea', 'VARCHAR', 'converted to text (\\x and hex)'],
  114: ['json', 'VARCHAR', 'converted to text'],
  3802: ['jsonb', 'VARCHAR', 'converted to text'],
  2950: ['uuid', 'VARCHAR', 'converted to text'],
  1186: ['interval', 'VARCHAR', 'converted to text (ISO 8601 durations)'],
  1266: ['time with time zone', 'VARCHAR', 'converted to text'],
  790: ['money', 'VARCHAR', 'converted to text'],
};
const NUMERIC = 1700;
/** The widest decimal Parquet (and DuckDB) holds exactly. */
const MAX_DECIMAL_DIGITS = 38;

interface Session {
  client: pg.Client;
  secret: string | undefined;
  where: string;
}

export const postgresKind: SourceKind = {
  async test(target, options) {
    // DECLARE parses, plans and checks privileges (ExecutorStart) without fetching a row.
    await withCursor(target, options, async () => undefined);
  },

  async preview(target, limit, options): Promise<SourcePreview> {
    return withCursor(target, options, async (session) => {
      const first = await fetchBatch(session, Math.max(0, limit));
      const columns = await outputColumns(session, first.fields);
      return previewOf(columns, first.rows);
    });
  },

  async fetch(target, options: FetchOptions): Promise<FetchedFile> {
    return withCursor(target, options, async (session) => {
      const first = await fetchBatch(session, BATCH_ROWS);
      const columns = await outputColumns(session, first.fields);
      // The next FETCH is sent before this batch is written, so the server makes rows while we
      // write them (pg queues it on the connection; it is always awaited or the session ended).
      const dates = columns.flatMap((c, i) => (c.storeAs === 'DATE' ? [i] : []));
      async function* batches(): AsyncGenerator<RowBatch> {
        let batch = first;
        for (;;) {
          const next = batch.rows.length === BATCH_ROWS ? fetchBatch(session, BATCH_ROWS) : undefined;
          next?.catch(() => undefined);
          if (dates.length > 0) markEra(batch.rows, dates);
          yield batch.rows;
          if (!next) return;
          batch = await next;
        }
      }
      return fetchedParquet('postgres', columns, batches(), options);
    });
  },
};

/**
 * Connects, opens the cursor in a read-only transaction, runs `work`, and always ends the session.
 * A cancel destroys the socket, which fails whatever is waiting on the server.
 */
async function withCursor<T>(
  target: SourceTarget,
  options: ReachOptions,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const address = parseDatabaseUrl(target.url, ['postgres', 'postgresql'], 5432);
  const query = queryOf(target, 'PostgreSQL');
  const secret = target.secret ?? address.password;
  const where = `PostgreSQL at ${address.host}:${address.port}`;
  if (options.signal.aborted) throw readCancelled();
  const client = new pg.Client({
    host: address.host,
    port: address.port,
    user: address.user,
    database: address.database ?? address.user,
    password: secret,
    ssl: sslOf(address.params.get('sslmode')),
    connectionTimeoutMillis: options.timeoutMs,
    // UTC and ISO dates: the text DuckDB reads is then unambiguous.
    options: '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601',
    application_name: 'cairn',
    types: AS_TEXT,
  });
  // A socket error after connecting is also the pending query's rejection; this only keeps the
  // client's 'error' event from being unhandled.
  client.on('error', () => undefined);
  const session: Session = { client, secret, where };
  const abort = () => destroy(client);
  options.signal.addEventListener('abort', abort);
  try {
    await withDeadline(client.connect(), options.timeoutMs + 1000, where, abort);
    await client.query('BEGIN TRANSACTION READ ONLY');
    // Extended protocol: one statement only, whatever the text holds after a semicolon.
    // (`queryMode` is pg's since 8.11; its types do not list it yet.)
    const declare = { text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${query}`, queryMode: 'extended' };
    await client.query(declare as pg.QueryConfig);
    const result = await work(session);
    await client.query('ROLLBACK');
    return result;
  } catch (err) {
    if (options.signal.aborted) throw readCancelled();
    throw postgresError(err, session, options.timeoutMs);
  } finally {
    options.signal.removeEventListener('abort', abort);
    await client.end().catch(() => undefined);
  }
}

/** libpq's sslmode, as far as `pg` goes: require encrypts, verify-ca/verify-full also check the certificate. */
function sslOf(mode: string | null): pg.ClientConfig['ssl'] {
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-ca' || mode === 'verify-full') return true;
  return false;
}

function destroy(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/**
 * PostgreSQL writes a date before year 1 as `0044-03-15 BC`; DuckDB reads that as AD 44 unless the
 * era is in parentheses. (A timestamp BC fails DuckDB's cast instead, so the writer keeps it as text.)
 */
function markEra(rows: string[][], dates: number[]): void {
  for (const row of rows) {
    for (const i of dates) {
      const value = row[i];
      if (value?.endsWith(' BC')) row[i] = `${value.slice(0, -3)} (BC)`;
    }
  }
}

interface Batch {
  fields: pg.FieldDef[];
  rows: string[][];
}

async function fetchBatch(session: Session, rows: number): Promise<Batch> {
  const result = await session.client.query<string[]>({
    text: `FETCH FORWARD ${rows} FROM ${CURSOR}`,
    rowMode: 'array',
  });
  return { fields: result.fields, rows: result.rows };
}

/** Each field's storage: built-in types by OID; the rest (domains, enums, arrays, extensions) from pg_type. */
async function outputColumns(session: Session, fields: pg.FieldDef[]): Promise<OutputColumn[]> {
  const unknown = [...new Set(fields.map((f) => f.dataTypeID).filter((oid) => !(oid in BUILT_IN) && oid !== NUMERIC))];
  const catalog = new Map<number, { name: string; base: number; kind: string }>();
  if (unknown.length > 0) {
    const { rows } = await session.client.query<string[]>({
      text: `SELECT t.oid, format_type(t.oid, NULL), coalesce(nullif(t.typbasetype, 0), t.oid),
                    CASE WHEN t.typcategory = 'A' THEN 'array' WHEN t.typtype = 'e' THEN 'enum' ELSE t.typtype::text END
             FROM pg_type t WHERE t.oid = ANY($1::oid[])`,
      values: [unknown],
      rowMode: 'array',
    });
    for (const [oid, name, base, kind] of rows) {
      catalog.set(Number(oid), { name: String(name), base: Number(base), kind: String(kind) });
    }
  }
  return fields.map((f) => {
    const known = catalog.get(f.dataTypeID);
    // A domain is stored as its base type and shown by its own name.
    const oid = known && known.base !== f.dataTypeID ? known.base : f.dataTypeID;
    const column = storageOf(f.name, oid, f.dataTypeModifier);
    if (!known) return column;
    if (oid !== f.dataTypeID) return { ...column, sourceType: known.name };
    const what =
      known.kind === 'array' ? 'an array' : known.kind === 'enum' ? 'an enum' : 'a type Parquet has no match for';
    return { name: f.name, sourceType: known.name, storeAs: 'VARCHAR', converted: `converted to text (${what})` };
  });
}

function storageOf(name: string, oid: number, typmod: number): OutputColumn {
  if (oid === NUMERIC) {
    // numeric(p,s) keeps p and s in its typmod, offset by 4; -1 is a numeric without limits.
    const precision = typmod >= 4 ? ((typmod - 4) >> 16) & 0xffff : undefined;
    const scale = typmod >= 4 ? (typmod - 4) & 0xffff : undefined;
    if (precision !== undefined && scale !== undefined && precision <= MAX_DECIMAL_DIGITS) {
      return { name, sourceType: `numeric(${precision},${scale})`, storeAs: `DECIMAL(${precision},${scale})` };
    }
    const why = precision === undefined ? 'it has no declared precision' : `it may hold ${precision} digits`;
    return {
      name,
      sourceType: precision === undefined ? 'numeric' : `numeric(${precision},${scale})`,
      storeAs: 'DOUBLE',
      converted: `converted to double: ${why}, more than the ${MAX_DECIMAL_DIGITS} Parquet holds exactly, so values may be rounded`,
    };
  }
  const known = BUILT_IN[oid];
  if (known) {
    const [sourceType, storeAs, converted] = known;
    return converted ? { name, sourceType, storeAs, converted } : { name, sourceType, storeAs };
  }
  return { name, sourceType: `type ${oid}`, storeAs: 'VARCHAR', converted: 'converted to text' };
}

/** A driver or server failure as the seam's CairnError, with PostgreSQL's own words and no secret. */
function postgresError(err: unknown, session: Session, timeoutMs: number): CairnError {
  if (err instanceof CairnError) return err;
  // The server's own errors carry a SQLSTATE (and may well say "timeout": a statement_timeout).
  if (!(err instanceof pg.DatabaseError)) {
    const reach = reachError(err, session.where, timeoutMs);
    if (reach) return reach;
  }
  const message = `PostgreSQL: ${withoutSecrets(err instanceof Error ? err.message : String(err), session.secret)}`;
  const sqlstate = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
  const details = { sqlstate };
  if (sqlstate === '28P01' || sqlstate === '28000' || sqlstate === '42501')
    return new CairnError('unauthorized', message, details);
  if (sqlstate === '3D000' || sqlstate === '42P01') return new CairnError('not_found', message, details);
  // Class 42 (syntax, unknown column...), 0A (not supported), 34 (cursor): the query cannot run.
  if (/^(42|0A|34)/.test(sqlstate)) return new CairnError('invalid_argument', message, details);
  if (/terminated|closed|ended/i.test(message) && !sqlstate) {
    return new CairnError('import_failed', `${session.where} closed the connection`, { reason: 'unreachable' });
  }
  return new CairnError('import_failed', message, { reason: 'query', ...details });
}
