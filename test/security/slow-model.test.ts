// A slow model must not hold the endpoint hostage: while one model's call is stuck, another model
// and /healthz answer, and every request of the stuck model is answered 504 at its deadline, the
// one in the stuck call included. A request with many rows is scored in calls bounded by the
// model's cost per row, with other requests answered between them, and the same numbers as one call.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type EndpointHooks, type RunningEndpoint } from '../../electron/core/serving/endpoint.js';
import { loadServedModel } from '../../electron/core/serving/loaded-model.js';
import type { EndpointLimits, ServedModel } from '../../electron/core/serving/protocol.js';
import { tempDir } from '../unit/electron/core/helpers.js';
import { flower, post, trainServed } from '../unit/electron/core/serving/fixtures.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let cleanup: () => Promise<void>;
let flowers: ServedModel;
let prices: ServedModel;
const open: RunningEndpoint[] = [];
/** Releases every held model call, so a failed test still lets its endpoint close. */
const releases: (() => void)[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-slow-model-'));
  [flowers, prices] = (await trainServed(dir, ['flowers:1', 'prices'])) as [ServedModel, ServedModel];
}, 120_000);

afterAll(async () => {
  for (const release of releases) release();
  for (const e of open) await e.close();
  await cleanup();
});

async function endpoint(
  models: ServedModel[],
  limits: Partial<EndpointLimits>,
  hooks: EndpointHooks = {},
): Promise<RunningEndpoint> {
  const e = await startEndpoint(
    { host: '127.0.0.1', port: 0, logFile: path.join(dir, `log-${open.length}.db`), models, limits },
    hooks,
  );
  open.push(e);
  return e;
}

describe('a model whose call does not finish', () => {
  it('leaves the other model and /healthz answering, and every one of its requests gets 504 at the deadline', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    releases.push(release);
    let heldCalls = 0;
    const e = await endpoint(
      [flowers, prices],
      { requestDeadlineMs: 300, maxBatch: 2 },
      {
        // flowers' calls wait until released; prices' run at once.
        beforeModelCall: (_rows, model) => {
          if (model.name !== 'flowers') return;
          heldCalls++;
          return held;
        },
      },
    );
    const stuck = Array.from({ length: 6 }, () => post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] }));
    // Answered while flowers' call is still held.
    const other = await post(`${e.url}/v1/models/prices/predict`, { instances: [{ x1: 0.5, x2: -1 }] });
    expect(other.status).toBe(200);
    const health = await fetch(`${e.url}/healthz`);
    expect(health.status).toBe(200);
    const answers = await Promise.all(stuck);
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(504));
    expect(answers.map((r) => (r.json.error as { code: string }).code)).toEqual(Array(6).fill('deadline_exceeded'));
    expect(heldCalls).toBe(1);
    release();
    // Once the model answers again, so does the endpoint.
    expect((await post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] })).status).toBe(200);
  }, 20_000);
});

describe('a request with more rows than one call may take', () => {
  it('is scored in calls of at most the rows its cost allows, /healthz answered between them, same numbers as one call', async () => {
    const model = await loadServedModel(flowers);
    const perCall = 3;
    const limits = { maxCallFlops: perCall * model.cost.flopsPerRow, maxInstances: 1000 };
    model.dispose();
    const calls: number[] = [];
    let health: Promise<Response> | undefined;
    let healthAnsweredAt: number | undefined;
    const e = await endpoint([flowers], limits, {
      beforeModelCall: (rows) => {
        calls.push(rows);
        // Asked during the first call; answered once the event loop turns between calls.
        health ??= fetch(`${e.url}/healthz`).then((r) => {
          healthAnsweredAt = calls.length;
          return r;
        });
      },
    });
    const instances = Array.from({ length: 600 }, (_, i) => ({ ...flower, x1: (i % 37) / 10 - 1.5 }));
    const sliced = await post(`${e.url}/v1/models/flowers/predict`, { instances });
    expect(sliced.status).toBe(200);
    expect(calls.every((rows) => rows <= perCall)).toBe(true);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(600);
    expect((await health)?.status).toBe(200);
    expect(healthAnsweredAt).toBeLessThan(calls.length);

    const whole = await endpoint([flowers], { maxInstances: 1000 });
    const one = await post(`${whole.url}/v1/models/flowers/predict`, { instances });
    const strip = (r: { json: Record<string, unknown> }) =>
      (r.json.predictions as { id: string }[]).map(({ id: _id, ...p }) => p);
    expect(strip(sliced)).toEqual(strip(one));
  });
});
