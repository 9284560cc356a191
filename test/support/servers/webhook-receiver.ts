// A webhook receiver for tests: an HTTP server on a free loopback port that answers each POST
// with the next reply of a script (the last one repeats) and records what it was sent. Tests wait
// for a request by `received(n)`, never by sleeping.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceiverReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (the connection stays open until the receiver closes): a timeout's far end. */
  hang?: boolean;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>`; add a path such as `/services/T000/B000/secret`. */
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  /** Resolves once `n` requests arrived, with them; rejects after `timeoutMs`. */
  received(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(script: ReceiverReply[] = [{ status: 200 }]): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = script[Math.min(requests.length, script.length - 1)] ?? { status: 200 };
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      for (const w of waiting.filter((w) => requests.length >= w.n)) w.resolve();
      if (reply.hang) return;
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    received: (n, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        if (requests.length >= n) return resolve(requests.slice(0, n));
        const timer = setTimeout(
          () => reject(new Error(`the receiver got ${requests.length} requests, not ${n}`)),
          timeoutMs,
        );
        waiting.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(requests.slice(0, n));
          },
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
