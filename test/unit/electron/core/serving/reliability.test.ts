// The endpoint process under sustained load, read from outside through its /metrics as an
// operator would: at twice its capacity it answers only 200 or 503 (with Retry-After), stays up
// and its resident memory stays flat across rounds; after 10,000 requests its live tensors are
// exactly back to baseline and its memory near it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEndpointSpawner } from '../../../../../electron/core/serving/fork-spawner.js';
import type { EndpointLimits, EndpointProcess, ServedModel } from '../../../../../electron/core/serving/protocol.js';
import { tempDirFor } from '../helpers.js';
import { flower, trainServedModel } from './fixtures.js';

process.env.CAIRN_BACKEND = 'cpu';

const MiB = 1024 * 1024;
const tmp = tempDirFor('file', 'cairn-reliability-');
let flowers: ServedModel;
const running: EndpointProcess[] = [];

beforeAll(async () => {
  flowers = await trainServedModel(tmp.dir, 'flowers', {
    epochs: 3,
    learningRate: undefined,
    hiddenLayers: [{ units: 8 }],
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(
    running.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.pid === undefined) return resolve();
          p.onExit(() => resolve());
          p.terminate();
        }),
    ),
  );
});

/** An endpoint process from sources, as the supervisor starts it; resolves with its URL. */
async function endpointProcess(
  name: string,
  limits: Partial<EndpointLimits>,
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; proc: EndpointProcess; exits: (number | null)[] }> {
  const proc = forkEndpointSpawner({ ...process.env, ...env })();
  running.push(proc);
  const exits: (number | null)[] = [];
  proc.onExit((code) => exits.push(code));
  const url = await new Promise<string>((resolve, reject) => {
    proc.onMessage((m) => (m.type === 'listening' ? resolve(m.url) : reject(new Error(JSON.stringify(m)))));
    proc.send({
      type: 'start',
      config: { host: '127.0.0.1', port: 0, logFile: path.join(tmp.dir, `${name}.db`), models: [flowers], limits },
    });
  });
  return { url, proc, exits };
}

/** A gauge or counter from the endpoint's Prometheus exposition. */
async function gauge(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`no ${name} in /metrics`);
  return Number(m[1]);
}

async function predict(url: string): Promise<{ status: number; retryAfter: string | null }> {
  const res = await fetch(`${url}/v1/models/flowers/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instances: [flower] }),
  });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

describe('endpoint process under load', () => {
  it('at twice capacity answers only 200 or 503 + Retry-After, stays up, and its memory stays flat across rounds', async () => {
    const capacity = 8;
    // A slow model (20 ms per call of at most 2 rows) keeps the endpoint full.
    const { url, exits } = await endpointProcess(
      'overload',
      { maxInFlight: capacity, maxBatch: 2 },
      { CAIRN_SERVE_TEST_DELAY_MS: '20' },
    );
    const round = () => Promise.all(Array.from({ length: 2 * capacity }, () => predict(url)));
    for (let i = 0; i < 3; i++) await round();
    const rssBefore = await gauge(url, 'process_resident_memory_bytes');
    const rejectedBefore = await gauge(url, 'cairn_rejected_overload_total');
    const counts = { 200: 0, 503: 0 };
    const rss: number[] = [];
    for (let i = 0; i < 25; i++) {
      for (const r of await round()) {
        expect([200, 503]).toContain(r.status);
        if (r.status === 503) expect(r.retryAfter).toBe('1');
        counts[r.status as 200 | 503]++;
      }
      rss.push(await gauge(url, 'process_resident_memory_bytes'));
    }
    // Both answers happened: the endpoint served what it could and refused the rest at once.
    expect(counts[200]).toBeGreaterThanOrEqual(25 * capacity * 0.5);
    expect(counts[503]).toBeGreaterThan(0);
    expect((await gauge(url, 'cairn_rejected_overload_total')) - rejectedBefore).toBe(counts[503]);
    expect(await gauge(url, 'cairn_in_flight')).toBe(0);
    expect(exits).toEqual([]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const growth = Math.max(...rss) - rssBefore;
    console.log(
      `overload: ${counts[200]} x 200, ${counts[503]} x 503; RSS ${(rssBefore / MiB).toFixed(1)} MiB, peak growth ${(growth / MiB).toFixed(1)} MiB`,
    );
    expect(growth).toBeLessThan(24 * MiB);
  });

  it('after 10,000 requests its tensors are back to baseline and its memory near it', async () => {
    const { url, exits } = await endpointProcess('soak', {});
    // Warm-up: JIT, fastify's serializers, the log writer's first batches.
    const clients = (n: number, each: number) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          for (let i = 0; i < each; i++) expect((await predict(url)).status).toBe(200);
        }),
      );
    await clients(16, 40);
    const tensorsBefore = await gauge(url, 'cairn_tensors');
    const rssBefore = await gauge(url, 'process_resident_memory_bytes');
    await clients(16, 625);
    expect(await gauge(url, 'cairn_tensors')).toBe(tensorsBefore);
    expect(tensorsBefore).toBeGreaterThan(0);
    const rssAfter = await gauge(url, 'process_resident_memory_bytes');
    console.log(
      `soak: tensors ${tensorsBefore}; RSS ${(rssBefore / MiB).toFixed(1)} -> ${(rssAfter / MiB).toFixed(1)} MiB`,
    );
    expect(rssAfter - rssBefore).toBeLessThan(32 * MiB);
    expect(await gauge(url, 'cairn_request_log_dropped_total')).toBe(0);
    expect(exits).toEqual([]);
  });
});
