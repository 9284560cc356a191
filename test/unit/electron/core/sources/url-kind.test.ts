// The url kind against a local HTTP server: conditional re-fetch (304), a redirect to another host
// refused unless allowed, the size limit said before downloading, bodies that are not data files,
// a missing file, and a host that never answers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlKind } from '../../../../../electron/core/sources/kinds/url.js';
import type { FetchedFile, SourceTarget } from '../../../../../electron/core/sources/source-kind.js';
import { tempDirFor } from '../helpers.js';

const CSV = 'a,b\n1,x\n2,y\n';
const ETAG = '"v1"';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const routes: Record<string, Route> = {
  '/data.csv': (req, res) => {
    if (req.headers['if-none-match'] === ETAG) return void res.writeHead(304, { etag: ETAG }).end();
    res.writeHead(200, { 'content-type': 'text/csv', etag: ETAG, 'content-length': Buffer.byteLength(CSV) }).end(CSV);
  },
  '/auth.csv': (req, res) => {
    const expected = `Basic ${Buffer.from('reader:s3cret').toString('base64')}`;
    if (req.headers.authorization !== expected) return void res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
  },
  '/page': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>hi</body></html>'),
  '/page-as-csv.csv': (_req, res) =>
    void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('<!DOCTYPE html><html></html>'),
  '/huge.csv': (_req, res) => {
    // Announces 10 GB and sends a little: a client that reads the body before checking would hang on it.
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(10 * 1024 ** 3) });
    res.write('a,b\n');
  },
  '/chunked.csv': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.end(`a\n${'1\n'.repeat(5000)}`);
  },
  '/silent': () => undefined,
  '/stall.csv': (_req, res) => {
    // The first bytes, then nothing: only a cancel ends this download.
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.write('a,b\n1,2\n');
  },
};

let server: Server;
let base: string;
/** The same server under another host name: a redirect there changes host. */
let otherBase: string;
const open: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    open.push(res);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/moved') return void res.writeHead(302, { location: `${otherBase}/data.csv` }).end();
    if (url.pathname === '/moved-here') return void res.writeHead(301, { location: '/data.csv' }).end();
    const route = routes[url.pathname];
    if (!route) return void res.writeHead(404).end();
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  otherBase = `http://localhost:${port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const folder = tempDirFor('each test', 'cairn-url-kind-');

function target(p: string, extra: Partial<SourceTarget> = {}): SourceTarget {
  return { kind: 'url', url: `${base}${p}`, ...extra };
}

function options(extra: { previous?: { etag?: string } } = {}) {
  return { signal: new AbortController().signal, timeoutMs: 2000, tempDir: folder.dir, ...extra };
}

describe('url kind', () => {
  it('downloads a CSV with its ETag, then a conditional fetch downloads nothing (304)', async () => {
    const first = (await urlKind.fetch(target('/data.csv'), options())) as FetchedFile;
    expect(first.format).toBe('csv');
    expect(first.etag).toBe(ETAG);
    expect(await readFile(first.path, 'utf8')).toBe(CSV);
    const again = await urlKind.fetch(target('/data.csv'), options({ previous: { etag: ETAG } }));
    expect(again).toMatchObject({ notModified: true, etag: ETAG });
  });

  it('sends the user name in the URL with the secret as Basic authentication', async () => {
    const t = target('/auth.csv', { url: `${base.replace('http://', 'http://reader@')}/auth.csv`, secret: 's3cret' });
    const got = (await urlKind.fetch(t, options())) as FetchedFile;
    expect(await readFile(got.path, 'utf8')).toBe(CSV);
    await expect(urlKind.fetch({ ...t, secret: 'wrong' }, options())).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses a redirect to another host unless the source allows it; follows one on the same host', async () => {
    await expect(urlKind.fetch(target('/moved'), options())).rejects.toMatchObject({
      code: 'import_failed',
      details: { reason: 'redirect' },
    });
    const allowed = target('/moved', { limits: { maxBytes: 1e9, allowRedirects: true } });
    expect(((await urlKind.fetch(allowed, options())) as FetchedFile).format).toBe('csv');
    expect(((await urlKind.fetch(target('/moved-here'), options())) as FetchedFile).format).toBe('csv');
  });

  it('says a file is over the size limit from its Content-Length, before downloading it', async () => {
    const err = await urlKind.fetch(target('/huge.csv'), options()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'import_failed', details: { reason: 'too_large' } });
    expect((err as Error).message).toMatch(/10 GB, over the source's limit of 5 GB: nothing was downloaded/);
    expect(await readdir(folder.dir)).toEqual([]);
  });

  it('stops a body without a length once it passes the limit', async () => {
    const small = target('/chunked.csv', { limits: { maxBytes: 1000, allowRedirects: false } });
    await expect(urlKind.fetch(small, options())).rejects.toMatchObject({ details: { reason: 'too_large' } });
  });

  it('refuses a web page, by its type or by its first bytes', async () => {
    await expect(urlKind.fetch(target('/page'), options())).rejects.toThrow(/text\/html, not a CSV, Parquet or JSON/);
    await expect(urlKind.fetch(target('/page-as-csv.csv'), options())).rejects.toThrow(/web page or XML/);
  });

  it('says a missing file is not_found, and a host that never answers within the deadline', async () => {
    await expect(urlKind.fetch(target('/nope.csv'), options())).rejects.toMatchObject({ code: 'not_found' });
    const started = Date.now();
    await expect(urlKind.fetch(target('/silent'), { ...options(), timeoutMs: 300 })).rejects.toMatchObject({
      details: { reason: 'timeout' },
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops a download when cancelled, as its first bytes arrive', async () => {
    const controller = new AbortController();
    const got = urlKind.fetch(target('/stall.csv'), {
      ...options(),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(got).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('previews the first rows with their types, and tests without downloading', async () => {
    const p = await urlKind.preview(target('/data.csv'), 1, options());
    expect(p.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(p.rows).toEqual([[1, 'x']]);
    await urlKind.test(target('/data.csv'), options());
    await expect(urlKind.test(target('/page'), options())).rejects.toMatchObject({ details: { reason: 'format' } });
    expect(path.isAbsolute(folder.dir)).toBe(true);
  });
});
