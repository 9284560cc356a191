// An endpoint's chart data: a window aligned to whole buckets asked of the endpoint's process
// (here a LiveTraffic standing in for it), empty buckets when it has nothing to tell; and the
// test console's requests to a running endpoint.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../../../shared/api.js';
import {
  bucketSecondsFor,
  endpointStats,
  type TrafficSource,
} from '../../../../../electron/core/serving/endpoint-stats.js';
import { LiveTraffic } from '../../../../../electron/core/serving/live-traffic.js';
import { testPredict } from '../../../../../electron/core/serving/test-predict.js';
import { predictPath } from '../../../../../shared/endpoint-routes.js';

const T0 = 1_700_000_000_000; // a multiple of 10 s

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

describe('endpointStats', () => {
  const live = new LiveTraffic();
  for (let i = 1; i <= 100; i++) live.record(T0 + (i % 1000), 200, i, 1);
  live.record(T0 + 1_100, 400, 0.4, 0);
  const asked: [number, number, number][] = [];
  const source: TrafficSource = async (from, to, bucketMs) => {
    asked.push([from, to, bucketMs]);
    return live.window(from, to, bucketMs);
  };

  it('asks the endpoint for a window aligned to whole buckets, ending with the bucket now is in', async () => {
    const stats = await endpointStats(
      source,
      endpoint(['iris'], T0 - 1_000),
      { windowSeconds: 10, bucketSeconds: 1 },
      T0 + 2_500,
    );
    expect(asked.at(-1)).toEqual([T0 - 7_000, T0 + 3_000, 1_000]);
    expect(stats).toMatchObject({ endpointId: 'ep1', bucketSeconds: 1, from: T0 - 7_000, to: T0 + 3_000 });
    expect(stats.buckets.map((b) => b.requests)).toEqual([0, 0, 0, 0, 0, 0, 0, 100, 1, 0]);
    expect(stats.total).toMatchObject({ requests: 101, errors: 1, predictions: 100 });
  });

  it('picks about 150 buckets when no width is given', async () => {
    expect(bucketSecondsFor(300)).toBe(2);
    expect(bucketSecondsFor(60)).toBe(1);
    const stats = await endpointStats(source, endpoint(['iris'], T0), { windowSeconds: 300 }, T0 + 2_500);
    expect(stats.buckets).toHaveLength(150);
  });

  it('shows empty buckets for an endpoint with nothing to tell (not running)', async () => {
    const stats = await endpointStats(async () => undefined, endpoint(['iris'], T0), { windowSeconds: 60 }, T0 + 2_500);
    expect(stats.buckets).toHaveLength(60);
    expect(stats.buckets.every((b) => b.requests === 0 && b.p99 === null)).toBe(true);
    expect(stats.buckets[1]!.t - stats.buckets[0]!.t).toBe(1_000);
    expect(stats.total.requests).toBe(0);
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
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 'not_found', message: 'no such version' } }));
        } else
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ predictions: [{ label: 'setosa' }] }));
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
    expect(res).toMatchObject({
      url: `${url}/v1/models/iris/predict`,
      status: 200,
      body: { predictions: [{ label: 'setosa' }] },
    });
    expect(res.latencyMs).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({
      url: '/v1/models/iris/predict',
      auth: 'Bearer k3y',
      body: '{"instances":[{"a":1}]}',
    });
    const refused = await testPredict(ep, { endpointId: ep.id, model: 'iris', version: 9, instances: [{ a: 1 }] });
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('refuses an endpoint that is not running, and says when it cannot reach one', async () => {
    await expect(
      testPredict(
        { ...endpoint(['iris'], T0), status: 'restarting' },
        { endpointId: 'ep1', model: 'iris', instances: [{}] },
      ),
    ).rejects.toThrow(/restarting/);
    await expect(
      testPredict(
        { ...endpoint(['iris'], T0), url: 'http://127.0.0.1:1' },
        { endpointId: 'ep1', model: 'iris', instances: [{}] },
      ),
    ).rejects.toThrow(/could not reach/);
  });
});
