// The endpoint in this process (startEndpoint): API shape and errors, validation per field,
// micro-batching, overload and deadlines, body limits, hot swap under load, a corrupt model
// refused while others serve, the request log, API keys, and tensors back to baseline.
import { cp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from '../../../../../electron/core/db/request-log-db.js';
import {
  startEndpoint,
  type EndpointHooks,
  type RunningEndpoint,
} from '../../../../../electron/core/serving/endpoint.js';
import type { EndpointLimits, ServedModel } from '../../../../../electron/core/serving/protocol.js';
import { tempDir } from '../helpers.js';
import { flower, post, trainServed } from './fixtures.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let cleanup: () => Promise<void>;
let flowers1: ServedModel;
let flowers2: ServedModel;
let prices: ServedModel;
const open: RunningEndpoint[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-serve-'));
  [flowers1, flowers2, prices] = (await trainServed(dir, ['flowers:1', 'flowers:2', 'prices'])) as [
    ServedModel,
    ServedModel,
    ServedModel,
  ];
}, 120_000);

afterAll(async () => {
  for (const e of open) await e.close();
  await cleanup();
});

async function endpoint(
  models: ServedModel[],
  limits: Partial<EndpointLimits> = {},
  hooks: EndpointHooks = {},
  extra: { apiKey?: string } = {},
) {
  const e = await startEndpoint(
    { host: '127.0.0.1', port: 0, logFile: path.join(dir, `log-${open.length}.db`), models, limits, ...extra },
    hooks,
  );
  open.push(e);
  return e;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('prediction API', () => {
  let e: RunningEndpoint;
  beforeAll(async () => {
    e = await endpoint([
      { ...flowers1, isDefault: false, aliases: ['staging'] },
      { ...flowers2, isDefault: true },
      prices,
    ]);
  });

  it('predicts a class with probabilities and an id per instance, from the default version', async () => {
    const r = await post(`${e.url}/v1/models/flowers/predict`, {
      instances: [flower, { ...flower, x1: -2, x2: -1.5 }],
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.json.model).toEqual({ name: 'flowers', version: 2 });
    const preds = r.json.predictions as { id: string; label: string; probabilities: Record<string, number> }[];
    expect(preds).toHaveLength(2);
    expect(preds[0]?.label).toBe('true');
    expect(preds[1]?.label).toBe('false');
    expect(Object.keys(preds[0]?.probabilities ?? {}).sort()).toEqual(['false', 'true']);
    expect((preds[0]?.probabilities.true ?? 0) + (preds[0]?.probabilities.false ?? 0)).toBeCloseTo(1, 4);
    expect(preds[0]?.id).not.toBe(preds[1]?.id);
    expect([preds[0]?.id, preds[1]?.id].sort()).toEqual([preds[0]?.id, preds[1]?.id]);
  });

  it('serves a version by number and by alias, and regression values', async () => {
    const v = await post(`${e.url}/v1/models/flowers/versions/1/predict`, { instances: [flower] });
    expect(v.json.model).toEqual({ name: 'flowers', version: 1 });
    const a = await post(`${e.url}/v1/models/FLOWERS/aliases/Staging/predict`, { instances: [flower] });
    expect(a.json.model).toEqual({ name: 'flowers', version: 1 });
    const p = await post(`${e.url}/v1/models/prices/predict`, { instances: [{ x1: 1, x2: 0 }] });
    expect(p.status).toBe(200);
    const pred = (p.json.predictions as { value: number; id: string }[])[0];
    expect(pred?.value).toBeGreaterThan(1.5);
    expect(pred?.value).toBeLessThan(6.5);
    expect(typeof pred?.id).toBe('string');
  });

  it('answers 404 for an unknown model, version or alias', async () => {
    for (const p of [
      'nope/predict',
      'flowers/versions/9/predict',
      'flowers/versions/x/predict',
      'flowers/aliases/nope/predict',
    ]) {
      const r = await post(`${e.url}/v1/models/${p}`, { instances: [flower] });
      expect(r.status, p).toBe(404);
      expect((r.json.error as { code: string }).code).toBe('not_found');
    }
    expect((await fetch(`${e.url}/v1/models/nope`)).status).toBe(404);
  });

  it('checks every field: missing, extra, wrongly typed, non-finite and unknown categories get 400 with an error each', async () => {
    const r = await post(
      `${e.url}/v1/models/flowers/predict`,
      `{"instances":[{"x1":"1","x2":1e999,"color":"purple","extra":1},{"x2":null,"color":null,"x1":true},7]}`,
    );
    expect(r.status).toBe(400);
    const err = r.json.error as {
      code: string;
      errors: { instance: number; field: string; message: string }[];
      total: number;
    };
    expect(err.code).toBe('invalid_input');
    const got = err.errors.map((x) => `${x.instance}:${x.field}`).sort();
    expect(got).toEqual(['0:color', '0:extra', '0:x1', '0:x2', '1:x1', '2:'].sort());
    expect(err.errors.find((x) => x.field === 'color')?.message).toMatch(/not a known category.*"blue"/);
    expect(err.errors.find((x) => x.field === 'x2')?.message).toMatch(/finite/);
    expect(err.errors.find((x) => x.field === 'extra')?.message).toMatch(/not an input/);
    const missing = await post(`${e.url}/v1/models/flowers/predict`, { instances: [{ x1: 1, color: 'red' }] });
    expect((missing.json.error as { errors: { field: string; message: string }[] }).errors).toEqual([
      { instance: 0, field: 'x2', message: 'is missing (send null for an unknown value)' },
    ]);
    // null is an unknown value, imputed as in training; columns the model dropped are ignored.
    const nulls = await post(`${e.url}/v1/models/flowers/predict`, {
      instances: [{ x1: null, x2: null, color: null }],
    });
    expect(nulls.status).toBe(200);
    expect((await post(`${e.url}/v1/models/flowers/predict`, { instances: [] })).status).toBe(400);
    expect((await post(`${e.url}/v1/models/flowers/predict`, { rows: [flower] })).status).toBe(400);
  });

  it('answers 415 for a body not sent as JSON, and 400 for one that claims to be JSON and is not', async () => {
    const text = await fetch(`${e.url}/v1/models/flowers/predict`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x1=1',
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    const bad = await post(`${e.url}/v1/models/flowers/predict`, '{"instances": [');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_json', message: 'the body is not valid JSON' });
    const empty = await post(`${e.url}/v1/models/flowers/predict`, '');
    expect(empty.status).toBe(400);
    expect(empty.json.error).toMatchObject({ code: 'invalid_json', message: 'the body is empty, not JSON' });
  });

  it('counts refusals made before a prediction route in its live traffic (no such route, not JSON)', async () => {
    const refused = () => {
      const now = Date.now();
      return e.metrics.live.window(now - 60_000, now + 1_000, 61_000).total.errors;
    };
    const before = refused();
    expect((await fetch(`${e.url}/v2/nothing`, { method: 'POST' })).status).toBe(404);
    expect((await post(`${e.url}/v1/models/flowers/predict`, '{"instances": [')).status).toBe(400);
    expect(refused() - before).toBe(2);
  });

  it('answers 413 to an over-limit body from its Content-Length, without reading the body', async () => {
    const port = e.port;
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /v1/models/flowers/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n{"instances":[`,
        );
      });
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
        if (data.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(data);
        }
      });
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('describes models, the API and its health; counts requests in Prometheus format', async () => {
    const m = (await (await fetch(`${e.url}/v1/models/flowers`)).json()) as Record<string, unknown>;
    expect(m).toMatchObject({
      name: 'flowers',
      version: 2,
      task: 'classification',
      target: 'label',
      classes: ['false', 'true'],
    });
    const fields = (m.input as { fields: { name: string; type: string; categories?: string[] }[] }).fields;
    expect(fields.map((f) => [f.name, f.type])).toEqual([
      ['x1', 'number'],
      ['x2', 'number'],
      ['color', 'category'],
    ]);
    expect(fields[2]?.categories).toEqual(['blue', 'green', 'red']);
    const doc = (await (await fetch(`${e.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/models/{name}/predict',
        '/v1/models/{name}/versions/{version}/predict',
        '/v1/models/{name}/aliases/{alias}/predict',
      ]),
    );
    const health = await fetch(`${e.url}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${e.url}/metrics`)).text();
    expect(metrics).toMatch(/# TYPE cairn_requests_total counter/);
    expect(metrics).toMatch(/cairn_requests_total\{model="flowers",version="2",status="200"\} \d+/);
    expect(metrics).toMatch(/cairn_request_duration_ms_bucket\{model="flowers",version="2",le="\+Inf"\}/);
    expect(Number(/^process_cpu_seconds_total (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
  });
});

describe('batching, overload and deadlines', () => {
  it('scores concurrent requests in fewer model calls', async () => {
    const e = await endpoint([flowers1], { maxBatchDelayMs: 2 });
    const before = e.metrics.modelCalls;
    const rs = await Promise.all(
      Array.from({ length: 48 }, () => post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] })),
    );
    expect(rs.every((r) => r.status === 200)).toBe(true);
    const calls = e.metrics.modelCalls - before;
    expect(calls).toBeLessThan(24);
    expect(calls).toBeGreaterThan(0);
  });

  it('past capacity answers 503 with Retry-After at once, and only 200 or 503', async () => {
    const e = await endpoint(
      [flowers1],
      { maxInFlight: 4, maxBatch: 2 },
      { beforeModelCall: async () => void (await delay(30)) },
    );
    const started = Date.now();
    const rs = await Promise.all(
      Array.from({ length: 40 }, () => post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] })),
    );
    const statuses = new Set(rs.map((r) => r.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    const refused = rs.find((r) => r.status === 503);
    expect(refused?.headers.get('retry-after')).toBe('1');
    expect((refused?.json.error as { code: string }).code).toBe('overloaded');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 504 to a request still waiting at its deadline', async () => {
    const e = await endpoint(
      [flowers1],
      { requestDeadlineMs: 100, maxBatch: 1 },
      { beforeModelCall: async () => void (await delay(400)) },
    );
    const started = Date.now();
    const rs = await Promise.all(
      Array.from({ length: 4 }, () => post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] })),
    );
    const statuses = rs.map((r) => r.status).sort();
    expect(statuses).toContain(504);
    expect(statuses.every((s) => s === 200 || s === 504)).toBe(true);
    expect((rs.find((r) => r.status === 504)?.json.error as { code: string }).code).toBe('deadline_exceeded');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('models', () => {
  it('hot-swaps the default version under load with zero failed requests', async () => {
    const e = await endpoint([{ ...flowers1, isDefault: true }]);
    let swapped = false;
    const versions = new Set<number>();
    const failures: number[] = [];
    const client = async () => {
      for (let i = 0; i < 400 && !(swapped && versions.has(2) && i > 40); i++) {
        const r = await post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] });
        if (r.status !== 200) failures.push(r.status);
        else versions.add((r.json.model as { version: number }).version);
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, client));
    await delay(100);
    const states = await e.swap([{ ...flowers2, isDefault: true }]);
    swapped = true;
    expect(states).toEqual([{ name: 'flowers', version: 2, aliases: [], isDefault: true }]);
    await load;
    expect(failures).toEqual([]);
    expect([...versions].sort()).toEqual([1, 2]);
    const after = await post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] });
    expect(after.json.model).toEqual({ name: 'flowers', version: 2 });
    expect((await post(`${e.url}/v1/models/flowers/versions/1/predict`, { instances: [flower] })).status).toBe(404);
  });

  it('refuses a corrupt model with a clear error while the others keep serving; a bad swap keeps the old default', async () => {
    const broken = path.join(dir, 'broken');
    await cp(flowers1.dir, broken, { recursive: true });
    await writeFile(path.join(broken, 'weights.bin'), Buffer.from('not the weights'));
    const e = await endpoint([{ ...flowers1, name: 'broken', dir: broken }, prices]);
    const r = await post(`${e.url}/v1/models/broken/predict`, { instances: [flower] });
    expect(r.status).toBe(503);
    expect((r.json.error as { message: string }).message).toMatch(
      /broken version 1 could not be loaded: .*weights\.bin was modified/,
    );
    expect((await post(`${e.url}/v1/models/prices/predict`, { instances: [{ x1: 1, x2: 2 }] })).status).toBe(200);
    const health = (await (await fetch(`${e.url}/healthz`)).json()) as { models: { name: string; error?: string }[] };
    expect(health.models.find((m) => m.name === 'broken')?.error).toMatch(/failed their check/);
    // Moving the default of a serving model to a corrupt version keeps the previous one serving.
    const states = await e.swap([prices, { ...prices, version: 2, dir: broken, isDefault: true }]);
    expect(states.find((s) => s.version === 2)?.error).toMatch(/could not be loaded/);
    const still = await post(`${e.url}/v1/models/prices/predict`, { instances: [{ x1: 1, x2: 2 }] });
    expect(still.status).toBe(200);
    expect(still.json.model).toEqual({ name: 'prices', version: 1 });
  });

  it('requires an API key off loopback, and checks it', async () => {
    await expect(
      startEndpoint({ host: '0.0.0.0', port: 0, logFile: path.join(dir, 'k.db'), models: [] }),
    ).rejects.toThrow(/API key/);
    const e = await endpoint([prices], {}, {}, { apiKey: 'secret-key' });
    expect((await post(`${e.url}/v1/models/prices/predict`, { instances: [{ x1: 1, x2: 2 }] })).status).toBe(401);
    const ok = await post(
      `${e.url}/v1/models/prices/predict`,
      { instances: [{ x1: 1, x2: 2 }] },
      { authorization: 'Bearer secret-key' },
    );
    expect(ok.status).toBe(200);
    expect((await fetch(`${e.url}/healthz`)).status).toBe(200);
    // The refused call is counted and logged under "-", not the model it named: callers without
    // the key choose no labels (test/security/cardinality.test.ts).
    expect(await (await fetch(`${e.url}/metrics`, { headers: { authorization: 'Bearer secret-key' } })).text()).toMatch(
      /cairn_requests_total\{model="-",version="",status="401"\} 1/,
    );
    await e.close();
    const rows = readLog(path.join(dir, `log-${open.indexOf(e)}.db`));
    expect(rows.filter((r) => r.status === 401)).toMatchObject([
      { model: '-', version: null, error: 'missing or wrong API key', predictionId: null },
    ]);
  });
});

describe('request log and resources', () => {
  it('logs every request in batches, with its prediction ids and outputs', async () => {
    const e = await endpoint([prices]);
    const r = await post(`${e.url}/v1/models/prices/predict`, {
      instances: [
        { x1: 1, x2: 2 },
        { x1: 0, x2: 0 },
      ],
    });
    await post(`${e.url}/v1/models/prices/predict`, { instances: [{ x1: 'a', x2: 2 }] });
    await e.close();
    const rows = readLog(path.join(dir, `log-${open.indexOf(e)}.db`));
    const ids = (r.json.predictions as { id: string }[]).map((p) => p.id);
    expect(rows.filter((x) => x.status === 200).map((x) => x.predictionId)).toEqual(ids);
    expect(rows[0]).toMatchObject({ model: 'prices', version: 1, status: 200, inputJson: '{"x1":1,"x2":2}' });
    expect(JSON.parse(rows[0]?.outputJson ?? '{}')).toHaveProperty('value');
    expect(rows.find((x) => x.status === 400)?.error).toMatch(/invalid field/);
  });

  it('leaves no tensors behind after thousands of requests', async () => {
    const e = await endpoint([flowers1, prices]);
    await post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] });
    const baseline = tf.memory().numTensors;
    const client = async () => {
      for (let i = 0; i < 125; i++) await post(`${e.url}/v1/models/flowers/predict`, { instances: [flower, flower] });
    };
    await Promise.all(Array.from({ length: 16 }, client));
    expect(tf.memory().numTensors).toBe(baseline);
    const metrics = await (await fetch(`${e.url}/metrics`)).text();
    expect(metrics).toContain(`cairn_tensors ${baseline}`);
  });
});
