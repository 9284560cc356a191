// POST /v1/models/{name}/feedback on a real endpoint: one label (200, 404 for an unknown id or
// another model's, 400 for a label of the wrong kind), a batch with per-item problems, malformed
// bodies, the stored judgement (right or wrong; absolute error), and the route in the OpenAPI document.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLogReader } from '../../../../../electron/core/db/request-log-reader.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { startEndpoint, type RunningEndpoint } from '../../../../../electron/core/serving/endpoint.js';
import { parseFeedbackBody } from '../../../../../electron/core/serving/feedback-route.js';
import { tempDirFor } from '../helpers.js';
import { flower, post, served, trainModels } from './fixtures.js';

process.env.CAIRN_BACKEND = 'cpu';

const tmp = tempDirFor('file', 'cairn-feedback-');
let e: RunningEndpoint;
let logFile: string;

beforeAll(async () => {
  const service = await CairnService.open({ home: path.join(tmp.dir, 'home'), host: 'cli' });
  try {
    await trainModels(service, tmp.dir);
    logFile = path.join(tmp.dir, 'requests.db');
    e = await startEndpoint({ host: '127.0.0.1', port: 0, logFile, models: served(service, ['flowers', 'prices']) });
  } finally {
    await service.close();
  }
}, 120_000);

afterAll(async () => {
  await e?.close();
});

async function predict(model: string, instances: Record<string, unknown>[]) {
  const r = await post(`${e.url}/v1/models/${model}/predict`, { instances });
  expect(r.status).toBe(200);
  return r.json.predictions as ({ id: string; label: string } & { value: number })[];
}

const feedback = (model: string, body: unknown) => post(`${e.url}/v1/models/${model}/feedback`, body);

describe('feedback route', () => {
  it('takes one label for a prediction made a moment ago, and judges it', async () => {
    const [p] = await predict('flowers', [flower]);
    const other = p!.label === 'true' ? 'false' : 'true';
    expect(await feedback('flowers', { id: p!.id, label: p!.label })).toMatchObject({
      status: 200,
      json: { accepted: 1 },
    });
    const [q] = await predict('flowers', [flower]);
    expect((await feedback('FLOWERS', { id: q!.id, label: other })).status).toBe(200);
    // A second label replaces the first.
    expect((await feedback('flowers', { id: q!.id, label: other })).status).toBe(200);
    await e.close();
    const reader = new RequestLogReader(logFile);
    try {
      const [bucket] = reader.feedback({
        model: 'flowers',
        version: null,
        from: 0,
        to: Date.now() + 1,
        origin: 0,
        bucketMs: Date.now() + 1,
      });
      expect(bucket).toMatchObject({ labelled: 2, correct: 1 });
    } finally {
      reader.close();
    }
  });
});

describe('feedback route errors', () => {
  beforeAll(async () => {
    const service = await CairnService.open({ home: path.join(tmp.dir, 'home'), host: 'cli' });
    try {
      e = await startEndpoint({ host: '127.0.0.1', port: 0, logFile, models: served(service, ['flowers', 'prices']) });
    } finally {
      await service.close();
    }
  });

  it("answers 404 for an unknown id, another model's prediction or a model it does not serve", async () => {
    const [price] = await predict('prices', [{ x1: 1, x2: 0.5 }]);
    expect(await feedback('flowers', { id: 'nope', label: 'true' })).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found' } },
    });
    expect((await feedback('flowers', { id: price!.id, label: 'true' })).status).toBe(404);
    expect((await feedback('wine', { id: price!.id, label: 1 })).status).toBe(404);
  });

  it('answers 400 for a label of the wrong kind, naming what is wanted', async () => {
    const [p] = await predict('flowers', [flower]);
    const notAClass = await feedback('flowers', { id: p!.id, label: 'purple' });
    expect(notAClass.status).toBe(400);
    expect(JSON.stringify(notAClass.json)).toMatch(/not one of the model's classes \(false, true\)/);
    expect((await feedback('flowers', { id: p!.id, label: { x: 1 } })).status).toBe(400);
    const [price] = await predict('prices', [{ x1: 1, x2: 0.5 }]);
    const text = await feedback('prices', { id: price!.id, label: '3.5' });
    expect(text.status).toBe(400);
    expect(JSON.stringify(text.json)).toMatch(/finite number/);
    expect(await feedback('prices', { id: price!.id, label: price!.value + 2 })).toMatchObject({
      status: 200,
      json: { accepted: 1 },
    });
  });

  it('answers 400 for malformed bodies', async () => {
    for (const body of [
      [],
      '"x"',
      42,
      { id: 'a' },
      { feedback: [] },
      { feedback: 'a' },
      { feedback: [{ id: 'a', label: 1 }], extra: 1 },
      { id: 'a', label: 1, more: 2 },
    ]) {
      const r = await feedback('flowers', body);
      expect([r.status, body]).toEqual([400, body]);
    }
  });

  it('takes a batch, reporting unknown ids and refused items by their index', async () => {
    const preds = await predict('flowers', [flower, flower, flower]);
    const r = await feedback('flowers', {
      feedback: [
        { id: preds[0]!.id, label: 'true' },
        { id: 'missing', label: 'true' },
        { id: preds[1]!.id, label: 'violet' },
        { label: 'true' },
        { id: preds[2]!.id, label: false },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json.accepted).toBe(2);
    expect(r.json.unknown).toEqual(['missing']);
    expect((r.json.invalid as { row: number; id: string | null }[]).map((i) => [i.row, i.id])).toEqual([
      [2, preds[1]!.id],
      [3, null],
    ]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${e.url}/openapi.json`)).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(doc.paths['/v1/models/{name}/feedback']?.post?.responses ?? {})).toEqual([
      '200',
      '400',
      '401',
      '404',
    ]);
  });
});

describe('parseFeedbackBody', () => {
  it('tells a single label from a batch', () => {
    expect(parseFeedbackBody({ id: 'a', label: 'x' })).toEqual({ single: { id: 'a', label: 'x' } });
    expect(parseFeedbackBody({ feedback: [{ id: 'a', label: 2 }, 3] })).toEqual({
      batch: [{ id: 'a', label: 2 }],
      positions: [0],
      malformed: [{ row: 1, id: null, message: 'each item must be an object {"id": ..., "label": ...}' }],
    });
    expect(parseFeedbackBody(null)).toHaveProperty('error');
  });

  it("checks items by the contract's FeedbackItem, its 200-character id limit included", () => {
    const long = 'x'.repeat(201);
    expect(
      parseFeedbackBody({
        feedback: [
          { id: long, label: 1 },
          { id: 'y'.repeat(200), label: 1 },
          { id: '', label: 1 },
          { id: 'a' },
          { id: 'a', label: [1] },
          { id: 'a', label: 1, why: 2 },
        ],
      }),
    ).toEqual({
      batch: [{ id: 'y'.repeat(200), label: 1 }],
      positions: [1],
      malformed: [
        { row: 0, id: long, message: '"id" must be a prediction id of at most 200 characters' },
        { row: 2, id: '', message: '"id" must be the prediction id (a non-empty string) the predict call returned' },
        { row: 3, id: 'a', message: '"label" is missing' },
        { row: 4, id: 'a', message: '"label" must be a class name or a number' },
        { row: 5, id: 'a', message: 'unknown field: why' },
      ],
    });
    expect(parseFeedbackBody({ id: long, label: 'x' })).toEqual({
      error: '"id" must be a prediction id of at most 200 characters',
    });
  });
});
