import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointStats, InputField, TrainingDataSummary } from '../../../../../shared/api.js';
import {
  curlSnippet,
  defaultValues,
  fileBase64,
  isLoopback,
  pictureCurlSnippet,
  maskKey,
  modelRef,
  routesOf,
  toInstance,
} from '../../../../../renderer/src/pages/endpoints/console-form.js';
import {
  applyList,
  applyStatus,
  describeEvent,
  MAX_EVENTS,
  type EndpointMap,
} from '../../../../../renderer/src/pages/endpoints/endpoint-log.js';
import { trafficOption, trafficSeries } from '../../../../../renderer/src/pages/endpoints/traffic-chart.js';

const fields: InputField[] = [
  { name: 'sepal_length', kind: 'numeric' },
  { name: 'petals', kind: 'integer' },
  { name: 'wild', kind: 'boolean' },
  { name: 'colour', kind: 'categorical', categories: ['red', 'blue'] },
  { name: 'seen', kind: 'datetime' },
];

const data: TrainingDataSummary = {
  dataset: { name: 'flowers', version: 1, hash: 'h' },
  rows: 150,
  columns: [
    { name: 'sepal_length', type: 'number', missing: 0, distinct: 30, mean: 5.843333, min: 4.3, max: 7.9 },
    { name: 'petals', type: 'integer', missing: 0, distinct: 4, mean: 4.6 },
    { name: 'wild', type: 'boolean', missing: 0, distinct: 2, topValues: [{ value: 'true', count: 90 }] },
    { name: 'colour', type: 'category', missing: 0, distinct: 2, topValues: [{ value: 'blue', count: 80 }] },
  ],
} as TrainingDataSummary;

describe('console form', () => {
  it('prefills typical values from the training data', () => {
    expect(defaultValues(fields, data)).toEqual({
      sepal_length: '5.84',
      petals: '5',
      wild: true,
      colour: 'blue',
      seen: '',
    });
    expect(defaultValues(fields, null)).toEqual({ sepal_length: '', petals: '', wild: false, colour: 'red', seen: '' });
  });

  it('turns values into an instance: numbers, flags, categories, times; empty is null', () => {
    expect(
      toInstance(fields, { sepal_length: ' 5.1 ', petals: '3', wild: false, colour: 'red', seen: '2024-05-01T12:30' }),
    ).toEqual({
      instance: { sepal_length: 5.1, petals: 3, wild: false, colour: 'red', seen: '2024-05-01T12:30' },
    });
    expect(toInstance(fields, { sepal_length: '', petals: '', wild: true, colour: '', seen: '' })).toEqual({
      instance: { sepal_length: null, petals: null, wild: true, colour: null, seen: null },
    });
  });

  it('says which fields cannot be sent', () => {
    expect(toInstance(fields, { sepal_length: 'abc', petals: '2.5', wild: false, colour: 'red', seen: '' })).toEqual({
      errors: { sepal_length: 'not a number', petals: 'not a whole number' },
    });
    expect(toInstance(fields, { sepal_length: 'Infinity', petals: '1', wild: false, colour: 'red', seen: '' })).toEqual(
      { errors: { sepal_length: 'not a number' } },
    );
  });

  it('writes model references', () => {
    expect(modelRef('iris', { kind: 'default' })).toBe('iris');
    expect(modelRef('iris', { kind: 'alias', alias: 'staging' })).toBe('iris@staging');
    expect(modelRef('iris', { kind: 'version', version: 3 })).toBe('iris:3');
  });

  it('writes a curl command, with the key when the endpoint has one', () => {
    const instances = [{ sepal_length: 5.1, colour: "it's red" }];
    expect(curlSnippet({ url: 'http://127.0.0.1:8080/', model: 'iris', instances })).toBe(
      [
        `curl -sS -X POST 'http://127.0.0.1:8080/v1/models/iris/predict' \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -d '{"instances":[{"sepal_length":5.1,"colour":"it'\\''s red"}]}'`,
      ].join('\n'),
    );
    const keyed = curlSnippet({
      url: 'http://10.0.0.2:9000',
      model: 'my model',
      target: { alias: 'production' },
      instances,
      apiKey: 'abc',
      keyPlaceholder: '$CAIRN_API_KEY',
    });
    expect(keyed).toContain(`'http://10.0.0.2:9000/v1/models/my%20model/aliases/production/predict'`);
    expect(keyed).toContain(`-H 'Authorization: Bearer $CAIRN_API_KEY'`);
    expect(curlSnippet({ url: 'http://h:1', model: 'm', target: { version: 2 }, instances, apiKey: 'abc' })).toContain(
      `'Authorization: Bearer abc'`,
    );
    expect(curlSnippet({ url: 'http://h:1', model: 'm', target: { version: 2 }, instances })).toContain(
      `/v1/models/m/versions/2/predict'`,
    );
    expect(curlSnippet({ url: 'http://h:1', model: 'm', target: { version: 2 }, instances, explain: true })).toContain(
      `/v1/models/m/versions/2/predict?explain=true'`,
    );
  });

  it('sends a picture as the raw body with --data-binary, its type from the file (PNG when not one the endpoint takes raw)', () => {
    const file = { name: "cat's photo.jpg", type: 'image/jpeg' };
    expect(
      pictureCurlSnippet({ url: 'http://127.0.0.1:8080', model: 'pets', file, apiKey: 'k', keyPlaceholder: '$K' }),
    ).toBe(
      [
        `curl -sS -X POST 'http://127.0.0.1:8080/v1/models/pets/predict' \\`,
        `  -H 'Content-Type: image/jpeg' \\`,
        `  -H 'Authorization: Bearer $K' \\`,
        `  --data-binary '@cat'\\''s photo.jpg'`,
      ].join('\n'),
    );
    const gif = pictureCurlSnippet({ url: 'http://h:1', model: 'm', file: { name: 'a.gif', type: 'image/gif' } });
    expect(gif).toContain(`-H 'Content-Type: image/png'`);
    expect(pictureCurlSnippet({ url: 'http://h:1', model: 'm', file: undefined })).toContain(
      `--data-binary '@file.png'`,
    );
  });

  it('reads a file as base64 in slices, byte for byte', async () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256);
    expect(await fileBase64(new Blob([bytes]))).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('knows loopback addresses and masks keys', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '192.168.1.5', '::'].map(isLoopback)).toEqual([false, false, false]);
    expect(maskKey('abcdefghijkl')).toBe('••••••••ijkl');
    expect(maskKey('abc')).toBe('••••abc');
  });
});

function ep(over: Partial<Endpoint> = {}): Endpoint {
  return {
    id: 'e1',
    url: 'http://127.0.0.1:8080',
    host: '127.0.0.1',
    port: 8080,
    status: 'running',
    refs: ['iris'],
    models: [{ name: 'iris', version: 1, aliases: [], isDefault: true }],
    pid: 10,
    restarts: 0,
    startedAt: '2024-01-01T00:00:00Z',
    apiKey: null,
    message: null,
    ...over,
  };
}

describe('endpoint log', () => {
  it('logs status changes, restarts and messages once each, newest first', () => {
    let m: EndpointMap = new Map();
    m = applyStatus(m, ep({ status: 'starting', url: null }), 1);
    m = applyStatus(m, ep(), 2);
    m = applyStatus(m, ep(), 3);
    m = applyStatus(
      m,
      ep({ status: 'restarting', pid: null, message: 'the endpoint process died (SIGKILL); restarting in 0.3 s' }),
      4,
    );
    m = applyStatus(m, ep({ restarts: 1, message: 'restarted (restart 1)' }), 5);
    const t = m.get('e1');
    expect(t?.endpoint.restarts).toBe(1);
    expect(t?.events.map((e) => [e.at, e.status])).toEqual([
      [5, 'running'],
      [4, 'restarting'],
      [2, 'running'],
      [1, 'starting'],
    ]);
    expect(t?.events.map(describeEvent)).toEqual(['Running again (restart 1)', 'Process died', 'Running', 'Starting']);
  });

  it('shows a message on the event that brought it, not again on later ones', () => {
    let m: EndpointMap = applyStatus(new Map(), ep({ restarts: 1, message: 'restarted (restart 1)' }), 1);
    m = applyStatus(m, ep({ status: 'stopping', restarts: 1, message: 'restarted (restart 1)' }), 2);
    expect(m.get('e1')?.events.map((e) => [e.status, e.message])).toEqual([
      ['stopping', null],
      ['running', 'restarted (restart 1)'],
    ]);
  });

  it('keeps at most MAX_EVENTS lines', () => {
    let m: EndpointMap = new Map();
    for (let i = 0; i < MAX_EVENTS + 10; i++) m = applyStatus(m, ep({ message: `swap ${i}` }), i);
    expect(m.get('e1')?.events).toHaveLength(MAX_EVENTS);
    expect(m.get('e1')?.events[0]?.message).toBe(`swap ${MAX_EVENTS + 9}`);
  });

  it('marks live endpoints missing from a fresh list as stopped, and adds new ones', () => {
    let m: EndpointMap = applyStatus(new Map(), ep(), 1);
    m = applyStatus(m, ep({ id: 'old', status: 'stopped' }), 1);
    m = applyList(m, [ep({ id: 'e2', port: 8081 })], 2);
    expect([...m.values()].map((t) => [t.endpoint.id, t.endpoint.status])).toEqual([
      ['e1', 'stopped'],
      ['old', 'stopped'],
      ['e2', 'running'],
    ]);
    expect(m.get('old')?.events).toHaveLength(1);
  });
});

describe('traffic chart', () => {
  const stats: EndpointStats = {
    endpointId: 'e1',
    from: 0,
    to: 6000,
    bucketSeconds: 2,
    buckets: [
      { t: 0, requests: 10, errors: 2, predictions: 12, p50: 1.5, p95: 3, p99: 4 },
      { t: 2000, requests: 0, errors: 0, predictions: 0, p50: null, p95: null, p99: null },
      { t: 4000, requests: 3, errors: 0, predictions: 3, p50: 2, p95: 2, p99: 2 },
    ],
    total: { requests: 13, errors: 2, predictions: 15, p50: 1.5, p95: 3, p99: 4 },
  };

  it('gives rates per second and leaves gaps where no request was answered', () => {
    expect(trafficSeries(stats)).toEqual({
      ok: [
        [0, 4],
        [2000, 0],
        [4000, 1.5],
      ],
      errors: [
        [0, 1],
        [2000, 0],
        [4000, 0],
      ],
      p50: [
        [0, 1.5],
        [2000, null],
        [4000, 2],
      ],
      p99: [
        [0, 4],
        [2000, null],
        [4000, 2],
      ],
    });
    const option = trafficOption(stats) as { series: { name: string }[]; xAxis: { min: number; max: number }[] };
    expect(option.series.map((s) => s.name)).toEqual(['answered / s', 'errors / s', 'p50', 'p99']);
    expect(option.xAxis[1]).toMatchObject({ min: 0, max: 6000 });
  });

  it('keeps a scale on an idle window', () => {
    const idle = {
      ...stats,
      buckets: stats.buckets.map((b) => ({ ...b, requests: 0, errors: 0, p50: null, p95: null, p99: null })),
    };
    const axes = (s: EndpointStats) => (trafficOption(s) as { yAxis: { max?: number }[] }).yAxis.map((a) => a.max);
    expect(axes(idle)).toEqual([1, 1]);
    expect(axes(stats)).toEqual([undefined, undefined]);
  });
});

describe('console routes', () => {
  it("offers each model's default, then each served version and its aliases", () => {
    const e = ep({
      models: [
        { name: 'iris', version: 2, aliases: ['production'], isDefault: true },
        { name: 'iris', version: 1, aliases: ['staging'], isDefault: false },
        { name: 'wine', version: 1, aliases: [], isDefault: true, error: 'its files failed their check' },
      ],
    });
    expect(routesOf(e).map((r) => [r.key, r.version, r.target])).toEqual([
      ['iris', 2, {}],
      ['iris:2', 2, { version: 2 }],
      ['iris@production', 2, { alias: 'production' }],
      ['iris:1', 1, { version: 1 }],
      ['iris@staging', 1, { alias: 'staging' }],
    ]);
  });
});
