// A local HTTP server of files a test sets and changes, for url sources: each answer carries an
// ETag of its content and answers 304 to a matching If-None-Match, as a web server does. Optional
// Basic authentication; a path not set is a 404. Free loopback port; stop() closes it.
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpFiles {
  /** `http://127.0.0.1:port` */
  base: string;
  /** `etag` overrides the one made from the content (a server whose ETags change with identical bytes). */
  set(path: string, body: string, contentType?: string, etag?: string): void;
  remove(path: string): void;
  /** Requests answered so far, by path (a 304 counts). */
  hits(path: string): number;
  stop(): Promise<void>;
}

export async function startHttpFiles(auth?: { user: string; password: string }): Promise<HttpFiles> {
  const files = new Map<string, { body: string; type: string; etag?: string | undefined }>();
  const hits = new Map<string, number>();
  const open = new Set<ServerResponse>();
  const expected = auth ? `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` : undefined;
  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    if (expected && req.headers.authorization !== expected) return void res.writeHead(401).end();
    const f = files.get(p);
    if (!f) return void res.writeHead(404).end();
    const etag = f.etag ?? `"${createHash('sha256').update(f.body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': f.type, etag, 'content-length': Buffer.byteLength(f.body) }).end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    set: (path, body, type = 'text/csv', etag) => void files.set(path, { body, type, etag }),
    remove: (path) => void files.delete(path),
    hits: (path) => hits.get(path) ?? 0,
    stop: async () => {
      for (const res of open) res.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
