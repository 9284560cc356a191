// What the database kinds' tests share: reading a fetched Parquet file back with DuckDB, a server
// that accepts connections and never answers (for the connect deadline), and a failure's shape.
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { expect } from 'vitest';
import { asText, literal, openDuck } from '../../../../../../electron/core/datasets/duck.js';
import { CairnError } from '../../../../../../electron/core/errors.js';
import type {
  FetchedFile,
  NotModified,
  SourceKind,
  SourceTarget,
} from '../../../../../../electron/core/sources/source-kind.js';

/** The file's column types and rows (as DuckDB's JS values), in file order. */
export async function readParquet(
  file: string,
): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const { instance, conn } = await openDuck();
  try {
    const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`)).getRowsJS();
    const types = Object.fromEntries(described.map((r) => [asText(r[0]), asText(r[1])]));
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet(${literal(file)})`);
    return { types, rows: reader.getRowObjectsJS() };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export function asFetched(result: FetchedFile | NotModified): FetchedFile {
  if ('notModified' in result) throw new Error('a database kind never answers notModified');
  return result;
}

/** A loopback server that accepts every connection and never sends a byte; `close` ends it. */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (taken and released). */
export async function closedPort(): Promise<number> {
  const { port, close } = await silentServer();
  await close();
  return port;
}

/** Awaits `work`, expecting a CairnError with `code` (and `reason`); returns it for more checks. */
export async function failure(work: Promise<unknown>, code: string, reason?: string): Promise<CairnError> {
  const err: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CairnError);
  const cairn = err as CairnError;
  expect({ code: cairn.code, reason: cairn.details?.reason }).toMatchObject(reason ? { code, reason } : { code });
  return cairn;
}

/**
 * Fetches `target` (a result of `total` rows), cancels once 30,000 rows are in, and checks the fetch
 * ends 'cancelled' before the end with nothing left in `tempDir`.
 */
export async function expectCancelMidStream(kind: SourceKind, target: SourceTarget, total: number, tempDir: string) {
  const controller = new AbortController();
  let seen = 0;
  await failure(
    kind.fetch(target, {
      signal: controller.signal,
      timeoutMs: 5000,
      tempDir,
      onProgress: (p) => {
        seen = p.rows ?? 0;
        if (seen >= 30_000) controller.abort();
      },
    }),
    'cancelled',
  );
  expect(seen).toBeGreaterThanOrEqual(30_000);
  expect(seen).toBeLessThan(total);
  expect(await readdir(tempDir)).toEqual([]);
}

/** Fetches `target`, expecting import_failed/empty with nothing left in `tempDir`. */
export async function expectEmpty(kind: SourceKind, target: SourceTarget, tempDir: string) {
  await failure(
    kind.fetch(target, { signal: new AbortController().signal, timeoutMs: 5000, tempDir }),
    'import_failed',
    'empty',
  );
  expect(await readdir(tempDir)).toEqual([]);
}
