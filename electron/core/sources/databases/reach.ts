// What the database kinds share about reaching a server and saying why they could not: the
// connection URL, network failures as 'unreachable' or 'timeout', the secret kept out of every
// message, and the first rows shaped for a preview.
import { CairnError } from '../../errors.js';
import path from 'node:path';
import { bytesAsText, rowsToParquet, type OutputColumn, type RowBatch } from '../rows-to-parquet.js';
import type { FetchedFile, FetchOptions, SourcePreview, SourceTarget } from '../source-kind.js';

/** Rows per batch read from a server and written to the staging file. */
export const BATCH_ROWS = 10_000;

export interface DatabaseAddress {
  host: string;
  port: number;
  user: string;
  /** A password written into the URL, if any (a source's own secret is given apart). */
  password?: string;
  database?: string;
  params: URLSearchParams;
}

/** Reads `scheme://user@host:port/database?params`; `schemes` are the accepted ones, the first the kind's name. */
export function parseDatabaseUrl(url: string, schemes: string[], defaultPort: number): DatabaseAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CairnError('invalid_argument', `Not a connection URL: expected ${schemes[0]}://user@host:port/database`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme) || !parsed.hostname) {
    throw new CairnError('invalid_argument', `Not a connection URL: expected ${schemes[0]}://user@host:port/database`);
  }
  const address: DatabaseAddress = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : defaultPort,
    user: decodeURIComponent(parsed.username),
    params: parsed.searchParams,
  };
  if (parsed.password) address.password = decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database) address.database = database;
  return address;
}

/** The target's query without trailing semicolons; a database source must have one. */
export function queryOf(target: SourceTarget, database: string): string {
  const query = target.query?.trim().replace(/;+\s*$/, '');
  if (!query) throw new CairnError('invalid_argument', `A ${database} source needs a query`);
  return query;
}

/** A fetch's rows written as `<name>.parquet` in the fetch's temp folder, progress in rows. */
export async function fetchedParquet(
  name: string,
  columns: OutputColumn[],
  batches: AsyncIterable<RowBatch>,
  options: FetchOptions,
): Promise<FetchedFile> {
  const file = path.join(options.tempDir, `${name}.parquet`);
  const written = await rowsToParquet(columns, batches, {
    path: file,
    tempDir: options.tempDir,
    signal: options.signal,
    onProgress: (rows) => options.onProgress?.({ rows }),
  });
  return { path: file, format: 'parquet', rows: written.rows, notes: written.notes };
}

/** `message` with every occurrence of the secrets replaced by ***: drivers may echo what they were given. */
export function withoutSecrets(message: string, ...secrets: (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) if (secret) out = out.replaceAll(secret, '***');
  return out;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
]);

/**
 * A network failure before the server answered, as the seam names it; undefined for anything
 * else (the server's own errors, which each kind maps).
 */
export function reachError(err: unknown, where: string, timeoutMs: number): CairnError | undefined {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ETIMEDOUT' || /timeout|timed out/i.test(message)) {
    return new CairnError('import_failed', `${where} did not answer within ${timeoutMs} ms`, { reason: 'timeout' });
  }
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    const why =
      code === 'ECONNREFUSED'
        ? 'the connection was refused'
        : code.startsWith('EAI') || code === 'ENOTFOUND'
          ? 'no such host'
          : message;
    return new CairnError('import_failed', `${where} cannot be reached: ${why}`, { reason: 'unreachable', code });
  }
  return undefined;
}

/** Rejects with a 'timeout' error if `work` has not settled within `timeoutMs` (after calling `giveUp`). */
export async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  where: string,
  giveUp: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      giveUp();
      reject(new CairnError('import_failed', `${where} did not answer within ${timeoutMs} ms`, { reason: 'timeout' }));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A preview of the first rows: each value as JSON carries it, numbers and booleans as such when the
 * file will store them so (a bigint beyond 2^53 stays text, exact), everything else as its text.
 */
export function previewOf(columns: OutputColumn[], rows: readonly (readonly unknown[])[]): SourcePreview {
  return {
    columns: columns.map((c) => ({ name: c.name, type: c.sourceType })),
    rows: rows.map((row) => columns.map((c, i) => previewCell(row[i], c.storeAs))),
  };
}

function previewCell(value: unknown, storeAs: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return bytesAsText(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (storeAs === 'BOOLEAN') return ['t', 'true', '1'].includes(text.toLowerCase());
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UBIGINT|DOUBLE)$/.test(storeAs)) {
    const n = Number(text);
    return Number.isFinite(n) && (storeAs === 'DOUBLE' || Number.isSafeInteger(n)) ? n : text;
  }
  return text;
}
