// Slow clients must not starve the endpoint (issue 17, item 3). 2,000 sockets that send their
// headers slowly and reconnect when closed, from other loopback addresses than the real client,
// must leave every one of the real client's requests answered; and each defence is checked on its
// own: the connection cap counts only connections whose headers are complete, slow-header
// connections have their own budget shed oldest-first, and one address holds a bounded number.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type RunningEndpoint } from '../../electron/core/serving/endpoint.js';
import type { EndpointLimits, ServedModel } from '../../electron/core/serving/protocol.js';
import { tempDir } from '../unit/electron/core/helpers.js';
import { trainPrices } from './served-model.js';
import { startSlowClients } from './slow-clients.js';

process.env.CAIRN_BACKEND = 'cpu';

const CLIENT = '127.0.0.1';
const BODY = JSON.stringify({ instances: [{ x1: 1, x2: 2 }] });

let dir: string;
let cleanup: () => Promise<void>;
let prices: ServedModel;
const endpoints: RunningEndpoint[] = [];
const sockets: net.Socket[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-slowloris-'));
  prices = await trainPrices(dir);
}, 120_000);

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const e of endpoints.splice(0)) await e.close();
});

afterAll(async () => {
  await cleanup();
});

async function endpoint(limits: Partial<EndpointLimits> = {}): Promise<RunningEndpoint> {
  const e = await startEndpoint({
    host: '127.0.0.1',
    port: 0,
    logFile: path.join(dir, `log-${Date.now()}-${endpoints.length}.db`),
    models: [prices],
    limits,
  });
  endpoints.push(e);
  return e;
}

/** One prediction on a new connection from `localAddress`: its status, or the error that ended it. */
function predict(port: number, localAddress = CLIENT, timeoutMs = 10_000): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        agent: false,
        method: 'POST',
        path: '/v1/models/prices/predict',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', (err) => resolve(err.message));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message));
    req.end(BODY);
  });
}

/** A connection from `localAddress` that sends a request line and one header, then nothing. */
function slowSocket(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress });
    sockets.push(s);
    s.on('error', () => undefined);
    s.once('connect', () => {
      s.write('POST /v1/models/prices/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      resolve(s);
    });
    s.once('close', () => reject(new Error('closed before connecting')));
  });
}

/** Resolves when the endpoint's connection counts satisfy `ok` (checked after each I/O turn, at most 10 s). */
async function until(
  e: RunningEndpoint,
  ok: (c: ReturnType<RunningEndpoint['connections']>) => boolean,
): Promise<void> {
  const end = Date.now() + 10_000;
  while (!ok(e.connections())) {
    if (Date.now() > end) throw new Error(`connections stayed ${JSON.stringify(e.connections())}`);
    await new Promise((r) => setImmediate(r));
  }
}

const closed = (s: net.Socket) =>
  new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe('slow clients', () => {
  it('answers every request of a real client while 2,000 slow-header sockets run', async () => {
    const e = await endpoint();
    // 16 attacker addresses, 125 sockets each: under the per-address limit, so the slow-header
    // budget and header timeout are what keep the real client served.
    const addresses = Array.from({ length: 16 }, (_, i) => `127.0.0.${i + 2}`);
    const attack = await startSlowClients({ port: e.port, sockets: 2_000, addresses, dripMs: 1_000 });
    const results: (number | string)[] = [];
    try {
      for (let i = 0; i < 72; i++) results.push(await predict(e.port));
    } finally {
      await attack.stop();
    }
    const answered = results.filter((r) => r === 200).length;
    console.log(`slowloris: ${answered} of ${results.length} real requests answered 200 while 2,000 slow sockets ran`);
    expect(results).toEqual(results.map(() => 200));
  }, 120_000);

  it('counts only connections with complete headers against the connection cap', async () => {
    const e = await endpoint({ maxConnections: 4 });
    for (let i = 0; i < 8; i++) await slowSocket(e.port, '127.0.0.2');
    await until(e, (c) => c.pending === 8);
    expect(await predict(e.port)).toBe(200);
  });

  it('answers 503 past the cap of connections with complete headers', async () => {
    const e = await endpoint({ maxConnections: 1 });
    // A keep-alive connection that has been answered once holds the one place.
    const held = await slowSocket(e.port, '127.0.0.2');
    const answered = new Promise<void>((resolve) => held.once('data', () => resolve()));
    held.write(`Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`);
    await answered;
    await until(e, (c) => c.established === 1);
    expect(await predict(e.port)).toBe(503);
    held.destroy();
    await until(e, (c) => c.established === 0);
    expect(await predict(e.port)).toBe(200);
  });

  it('sheds the oldest slow-header connection when their budget is full', async () => {
    const e = await endpoint({ maxPendingConnections: 3 });
    const first = await slowSocket(e.port, '127.0.0.2');
    for (let i = 0; i < 2; i++) await slowSocket(e.port, '127.0.0.3');
    await until(e, (c) => c.pending === 3);
    await slowSocket(e.port, '127.0.0.4');
    await closed(first);
    await until(e, (c) => c.pending === 3);
    expect(await predict(e.port)).toBe(200);
  });

  it('closes a connection past the limit of its client address, and serves other addresses', async () => {
    const e = await endpoint({ maxConnectionsPerAddress: 3 });
    for (let i = 0; i < 3; i++) await slowSocket(e.port, '127.0.0.2');
    await until(e, (c) => c.pending === 3);
    const extra = await slowSocket(e.port, '127.0.0.2');
    await closed(extra);
    expect(e.connections().pending).toBe(3);
    expect(await predict(e.port)).toBe(200);
    // From the limited address too, once its slow connections are gone.
    for (const s of sockets.splice(0)) s.destroy();
    await until(e, (c) => c.pending === 0);
    expect(await predict(e.port, '127.0.0.2')).toBe(200);
  });
});
