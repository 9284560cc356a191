// Endpoint traffic from the request log: requests (rows of one request grouped back), errors,
// predictions and nearest-rank latency percentiles per bucket, aggregated in SQLite over a
// read-only connection; the endpoint's models and start time filter the log.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../../../shared/api.js';
import { RequestLogDb, requestStats, type LogRow } from '../../../../../electron/core/db/request-log-db.js';
import { bucketSecondsFor, endpointStats } from '../../../../../electron/core/serving/endpoint-stats.js';
import { testPredict } from '../../../../../electron/core/serving/test-predict.js';
import { predictPath } from '../../../../../shared/endpoint-routes.js';
import { tempDir } from '../helpers.js';

const T0 = 1_700_000_000_000; // a multiple of 10 s
let dir: string;
let file: string;
let cleanup: () => Promise<void>;

function row(at: number, model: string, latencyMs: number, status = 200, version: number | null = 1): LogRow {
  return { at, model, version, status, latencyMs, predictionId: status === 200 ? `p${at}${latencyMs}${Math.random()}` : null, inputJson: '{}', outputJson: '{}', answer: null, error: status === 200 ? null : 'refused' };
}

function endpoint(models: string[], startedAt: number): Endpoint {
  return {
    id: 'ep1',
    url: 'http://127.0.0.1:1',
    host: '127.0.0.1',
    port: 1,
    status: 'running',
    refs: models,
    models: models.map((name) => ({ name, version: 1, aliases: [], isDefault: true })),
    pid: 1,
    restarts: 0,
    startedAt: new Date(startedAt).toISOString(),
    apiKey: null,
    message: null,
  };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-stats-'));
  file = path.join(dir, 'logs', 'requests.db');
  const db = new RequestLogDb(file);
  const rows: LogRow[] = [];
  // Bucket [T0, T0+1s): latencies 1..100 ms for iris, one request each.
  for (let i = 1; i <= 100; i++) rows.push(row(T0 + (i % 1000), 'iris', i));
  // Bucket [T0+1s, T0+2s): one request of three instances (same at, latency), one 400, one 503.
  for (let k = 0; k < 3; k++) rows.push(row(T0 + 1_100, 'iris', 7.5));
  rows.push(row(T0 + 1_200, 'IRIS', 0.4, 400));
  rows.push(row(T0 + 1_300, 'iris', 0.2, 503));
  // Another model, not served by the endpoint; and iris traffic before the endpoint started.
  rows.push(row(T0 + 1_500, 'wine', 3));
  rows.push(row(T0 - 5_000, 'iris', 9));
  db.append(rows);
  db.close();
});

afterAll(async () => {
  await cleanup();
});

describe('requestStats', () => {
  it('aggregates per bucket: requests, errors, predictions and percentiles', () => {
    const rows = requestStats(file, { models: ['iris'], from: T0, to: T0 + 3_000, bucketMs: 1_000 });
    expect(rows).toEqual([
      { t: T0, requests: 100, errors: 0, predictions: 100, p50: 50, p95: 95, p99: 99 },
      // Latency percentiles count answered requests only: the 3-instance request is one request.
      { t: T0 + 1_000, requests: 3, errors: 2, predictions: 3, p50: 7.5, p95: 7.5, p99: 7.5 },
    ]);
  });

  it('counts every model named, case-insensitively, and none other', () => {
    const [all] = requestStats(file, { models: ['Iris', 'wine'], from: T0 - 10_000, to: T0 + 10_000, bucketMs: 20_000 });
    expect(all).toMatchObject({ t: T0 - 10_000, requests: 105, errors: 2, predictions: 105 });
    expect(requestStats(file, { models: ['nope'], from: T0, to: T0 + 3_000, bucketMs: 1_000 })).toEqual([]);
  });

  it('aligns buckets on the origin', () => {
    const rows = requestStats(file, { models: ['iris'], from: T0 + 1_000, to: T0 + 2_000, bucketMs: 10_000, origin: T0 - 5_000 });
    expect(rows).toEqual([expect.objectContaining({ t: T0 - 5_000, requests: 3 })]);
  });

  it('is empty when there is no log yet', () => {
    expect(requestStats(path.join(dir, 'none.db'), { models: ['iris'], from: 0, to: 1, bucketMs: 1 })).toEqual([]);
  });
});

describe('endpointStats', () => {
  it('fills every bucket of the window and leaves out traffic from before the endpoint started', () => {
    const stats = endpointStats(file, endpoint(['iris'], T0 - 1_000), { windowSeconds: 10, bucketSeconds: 1 }, T0 + 2_500);
    expect(stats.bucketSeconds).toBe(1);
    expect(stats.to).toBe(T0 + 3_000);
    expect(stats.from).toBe(T0 - 7_000);
    expect(stats.buckets).toHaveLength(10);
    expect(stats.buckets.map((b) => b.requests)).toEqual([0, 0, 0, 0, 0, 0, 0, 100, 3, 0]);
    expect(stats.buckets[9]).toEqual({ t: T0 + 2_000, requests: 0, errors: 0, predictions: 0, p50: null, p95: null, p99: null });
    expect(stats.total).toEqual({ requests: 103, errors: 2, predictions: 103, p50: 50, p95: 95, p99: 99 });
    // Started earlier: the old row counts too.
    const earlier = endpointStats(file, endpoint(['iris'], T0 - 60_000), { windowSeconds: 10, bucketSeconds: 1 }, T0 + 2_500);
    expect(earlier.buckets.map((b) => b.requests)).toEqual([0, 0, 1, 0, 0, 0, 0, 100, 3, 0]);
  });

  it('picks about 150 buckets when no width is given', () => {
    expect(bucketSecondsFor(300)).toBe(2);
    expect(bucketSecondsFor(60)).toBe(1);
    const stats = endpointStats(file, endpoint(['iris'], T0), { windowSeconds: 300 }, T0 + 2_500);
    expect(stats.buckets).toHaveLength(150);
  });
});

describe('testPredict', () => {
  let server: Server;
  let url: string;
  const seen: { url?: string; auth?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url, auth: req.headers.authorization, body });
        if (req.url?.includes('/versions/9/')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'no such version' } }));
        } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ predictions: [{ label: 'setosa' }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('builds the route for the default, a version or an alias', () => {
    expect(predictPath('iris')).toBe('/v1/models/iris/predict');
    expect(predictPath('iris', { version: 2 })).toBe('/v1/models/iris/versions/2/predict');
    expect(predictPath('my model', { alias: 'production' })).toBe('/v1/models/my%20model/aliases/production/predict');
  });

  it('posts the instances with the API key and returns status, body and latency', async () => {
    const ep = { ...endpoint(['iris'], T0), url, apiKey: 'k3y' };
    const res = await testPredict(ep, { endpointId: ep.id, model: 'iris', instances: [{ a: 1 }] });
    expect(res).toMatchObject({ url: `${url}/v1/models/iris/predict`, status: 200, body: { predictions: [{ label: 'setosa' }] } });
    expect(res.latencyMs).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({ url: '/v1/models/iris/predict', auth: 'Bearer k3y', body: '{"instances":[{"a":1}]}' });
    const refused = await testPredict(ep, { endpointId: ep.id, model: 'iris', version: 9, instances: [{ a: 1 }] });
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('refuses an endpoint that is not running, and says when it cannot reach one', async () => {
    await expect(testPredict({ ...endpoint(['iris'], T0), status: 'restarting' }, { endpointId: 'ep1', model: 'iris', instances: [{}] })).rejects.toThrow(/restarting/);
    await expect(testPredict({ ...endpoint(['iris'], T0), url: 'http://127.0.0.1:1' }, { endpointId: 'ep1', model: 'iris', instances: [{}] })).rejects.toThrow(/could not reach/);
  });
});
