// A picture model on the endpoint: base64 instances and raw picture bodies score exactly what
// pixelsForModel makes of the picture (training's preprocessing), the format is read from the
// content, a decompression bomb is refused from its header, bad base64 and wrong instance shapes
// are 400s, tables and pictures sent to the wrong kind of model are clear 400s, and the request
// log keeps a picture's hash and statistics, never the picture.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PIXELS } from '../../../../../electron/core/datasets/images/decode-image.js';
import { pixelsForModel } from '../../../../../electron/core/datasets/images/model-input.js';
import { readLog } from '../../../../../electron/core/db/request-log-db.js';
import { RequestLogReader } from '../../../../../electron/core/db/request-log-reader.js';
import { startEndpoint, type RunningEndpoint } from '../../../../../electron/core/serving/endpoint.js';
import { DecodeSlots } from '../../../../../electron/core/serving/picture-input.js';
import { DEFAULT_LIMITS, type ServedModel } from '../../../../../electron/core/serving/protocol.js';
import { loadArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { tempDir } from '../helpers.js';
import { flower, post, trainServedModel } from './fixtures.js';
import { gradientPicture, PICTURE_CLASSES, PICTURE_INPUT, pngBomb, savePictureModel } from './picture-model.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let cleanup: () => Promise<void>;
let pets: ServedModel;
let flowers: ServedModel;
let e: RunningEndpoint;
let logFile: string;
let png: Buffer;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-serve-pictures-'));
  pets = await savePictureModel(path.join(dir, 'pets'));
  flowers = await trainServedModel(dir, 'flowers');
  logFile = path.join(dir, 'requests.db');
  e = await startEndpoint({ host: '127.0.0.1', port: 0, logFile, models: [pets, flowers] });
  png = await gradientPicture(40, 30, 1);
}, 120_000);

afterAll(async () => {
  await e?.close();
  await cleanup();
});

const b64 = (bytes: Buffer) => ({ image: { b64: bytes.toString('base64') } });

async function postRaw(url: string, bytes: Buffer | string, type: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** An error answer's code and message. */
const errorOf = (json: Record<string, unknown>) => {
  const { code, message } = json.error as { code: string; message: string };
  return [code, message];
};

type Prediction = { id: string; label: string; probabilities: Record<string, number> };
const predictionsOf = (json: Record<string, unknown>) =>
  (json.predictions as Prediction[]).map(({ label, probabilities }) => ({ label, probabilities }));

/** What the saved model makes of pixelsForModel's numbers, scored directly: training's view of the picture. */
async function scoredDirectly(pictures: Buffer[]) {
  const artifacts = await loadArtifacts(pets.dir, pets.sha256);
  try {
    const rows = await Promise.all(pictures.map((p) => pixelsForModel(p, PICTURE_INPUT)));
    const x = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
    rows.forEach((r, i) => x.set(r, i * r.length));
    const y = artifacts.predictor.predict(x, pictures.length);
    return pictures.map((_, i) => {
      const p = Array.from(y.subarray(i * 3, i * 3 + 3));
      return {
        label: PICTURE_CLASSES[p.indexOf(Math.max(...p))],
        probabilities: Object.fromEntries(PICTURE_CLASSES.map((c, k) => [c, p[k]])),
      };
    });
  } finally {
    artifacts.dispose();
  }
}

describe('a picture model on the endpoint', () => {
  it('scores base64 instances and a raw body identically, as pixelsForModel and the model do directly', async () => {
    const jpeg = await gradientPicture(64, 48, 2, 'jpeg');
    const webp = await gradientPicture(20, 20, 3, 'webp');
    const direct = await scoredDirectly([png, jpeg, webp]);
    // The pictures must tell apart: equal outputs for all three would prove nothing.
    expect(new Set(direct.map((d) => JSON.stringify(d))).size).toBe(3);

    const json = await post(`${e.url}/v1/models/pets/predict`, { instances: [b64(png), b64(jpeg), b64(webp)] });
    expect(json.status, JSON.stringify(json.json)).toBe(200);
    expect(predictionsOf(json.json)).toEqual(direct);

    const raws = [
      await postRaw(`${e.url}/v1/models/pets/predict`, png, 'image/png'),
      await postRaw(`${e.url}/v1/models/pets/versions/1/predict`, jpeg, 'image/jpeg'),
      await postRaw(`${e.url}/v1/models/pets/predict`, webp, 'image/webp'),
    ];
    expect(raws.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(raws.map((r) => predictionsOf(r.json)[0])).toEqual(direct);
    for (const r of raws) expect(r.json.model).toEqual({ name: 'pets', version: 1 });
  });

  it('reads the format from the content: a PNG sent as image/jpeg is scored, text sent as image/png is a 400', async () => {
    const asJpeg = await postRaw(`${e.url}/v1/models/pets/predict`, png, 'image/jpeg');
    expect(asJpeg.status).toBe(200);
    expect(predictionsOf(asJpeg.json)).toEqual(await scoredDirectly([png]));
    const text = await postRaw(`${e.url}/v1/models/pets/predict`, 'hello, not a picture', 'image/png');
    expect(text.status).toBe(400);
    expect(errorOf(text.json)).toEqual(['invalid_input', expect.stringMatching(/not a picture/) as string]);
    const empty = await postRaw(`${e.url}/v1/models/pets/predict`, Buffer.alloc(0), 'image/png');
    expect(empty.status).toBe(400);
  });

  it('refuses a decompression bomb from its header, without decoding it', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(4096);
    // Decoding 50,000² RGB pixels would take 7.5 GB and minutes: a quick answer means the header decided.
    const t0 = performance.now();
    const raw = await postRaw(`${e.url}/v1/models/pets/predict`, bomb, 'image/png');
    const inJson = await post(`${e.url}/v1/models/pets/predict`, { instances: [b64(png), b64(bomb)] });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(raw.status).toBe(413);
    expect(errorOf(raw.json)).toEqual([
      'payload_too_large',
      expect.stringMatching(/50,000 × 50,000 pixels is more than the 50,000,000/) as string,
    ]);
    expect(inJson.status).toBe(413);
    expect((inJson.json.error as { message: string }).message).toMatch(/^instance 1: /);
    expect(DEFAULT_LIMITS.maxImagePixels).toBe(MAX_PIXELS);
  });

  it('answers 400 to base64 that does not decode and to instances with missing or extra keys', async () => {
    const cases: [unknown, RegExp][] = [
      [{ image: { b64: 'not base64!' } }, /field "image" is not valid base64/],
      [{ image: { b64: '' } }, /field "image" is empty/],
      [{ image: { b64: png.toString('base64'), mime: 'image/png' } }, /field "image" must be \{"b64"/],
      [{ image: png.toString('base64') }, /field "image" must be \{"b64"/],
      [{ picture: { b64: png.toString('base64') } }, /field "picture" is not an input of this model/],
      [{ ...b64(png), label: 'cat' }, /field "label" is not an input of this model/],
      [{}, /field "image" is missing/],
      ['a string', /instance 0 is not an object/],
    ];
    for (const [instance, message] of cases) {
      const r = await post(`${e.url}/v1/models/pets/predict`, { instances: [instance] });
      expect(r.status, JSON.stringify(instance)).toBe(400);
      expect(errorOf(r.json)).toEqual(['invalid_input', expect.stringMatching(message) as string]);
    }
    const damaged = await post(`${e.url}/v1/models/pets/predict`, {
      instances: [b64(png), b64(png.subarray(0, png.length - 40))],
    });
    expect(damaged.status).toBe(400);
    expect(damaged.json.error).toMatchObject({ errors: [{ instance: 1, field: 'image' }] });
  });

  it('answers a clear 400 to a table row for a picture model and a picture for a table model', async () => {
    const row = await post(`${e.url}/v1/models/pets/predict`, { instances: [flower] });
    expect(row.status).toBe(400);
    expect((row.json.error as { message: string }).message).toMatch(
      /field "x1" is not an input of this model: a picture model takes \{"image": \{"b64"/,
    );
    const picture = await postRaw(`${e.url}/v1/models/flowers/predict`, png, 'image/png');
    expect(picture.status).toBe(400);
    expect((picture.json.error as { message: string }).message).toMatch(
      /"flowers" is a model of table rows, not of pictures/,
    );
    const asInstance = await post(`${e.url}/v1/models/flowers/predict`, { instances: [b64(png)] });
    expect(asInstance.status).toBe(400);
    expect((asInstance.json.error as { message: string }).message).toMatch(/field "x1" is missing/);
    // Tables keep their behaviour on the same endpoint.
    expect((await post(`${e.url}/v1/models/flowers/predict`, { instances: [flower] })).status).toBe(200);
  });

  it('answers 400 to ?explain=true on a picture model', async () => {
    const r = await post(`${e.url}/v1/models/pets/predict?explain=true`, { instances: [b64(png)] });
    expect(r.status).toBe(400);
    expect(errorOf(r.json)).toEqual([
      'cannot_explain',
      expect.stringMatching(/not available for picture models/) as string,
    ]);
  });

  it('describes the picture input in the OpenAPI document and the model metadata', async () => {
    const doc = (await (await fetch(`${e.url}/openapi.json`)).json()) as {
      paths: Record<string, { post: { requestBody: { content: Record<string, unknown> } } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
    };
    const content = doc.paths['/v1/models/{name}/predict']?.post.requestBody.content ?? {};
    expect(Object.keys(content).sort()).toEqual(['application/json', 'image/jpeg', 'image/png', 'image/webp']);
    expect(content['image/png']).toMatchObject({ schema: { type: 'string', format: 'binary' } });
    const pets = doc.components.schemas['pets.v1.Instance'];
    expect(pets?.required).toEqual(['image']);
    expect(pets?.properties.image).toMatchObject({
      required: ['b64'],
      properties: { b64: { type: 'string', contentEncoding: 'base64' } },
    });
    // The table model beside it keeps its fields.
    expect(doc.components.schemas['flowers.v1.Instance']?.required).toEqual(['x1', 'x2', 'color']);
    const meta = (await (await fetch(`${e.url}/v1/models/pets`)).json()) as { input: Record<string, unknown> };
    expect(meta.input).toMatchObject({
      fields: [],
      image: { size: 16, channels: 3, rawBody: ['image/png', 'image/jpeg', 'image/webp'] },
    });
  });

  it('logs a picture as its sha256 and statistics, never the picture', async () => {
    const { createHash } = await import('node:crypto');
    const white = await gradientPicture(10, 20, 0);
    const r = await postRaw(`${e.url}/v1/models/pets/predict`, white, 'image/png');
    expect(r.status).toBe(200);
    const [p] = r.json.predictions as Prediction[];
    const id = p?.id;
    // Live accuracy works as for tables: one right label and one wrong one.
    const feedback = (label: string) => post(`${e.url}/v1/models/pets/feedback`, { id, label });
    expect((await feedback(PICTURE_CLASSES.find((c) => c !== p?.label) as string)).status).toBe(200);
    const [q] = (await post(`${e.url}/v1/models/pets/predict`, { instances: [b64(png)] })).json
      .predictions as Prediction[];
    expect((await post(`${e.url}/v1/models/pets/feedback`, { id: q?.id, label: q?.label })).status).toBe(200);
    await e.close();
    const reader = new RequestLogReader(logFile);
    try {
      const [bucket] = reader.feedback({
        model: 'pets',
        version: null,
        from: 0,
        to: Date.now() + 1,
        origin: 0,
        bucketMs: Date.now() + 1,
      });
      expect(bucket).toMatchObject({ labelled: 2, correct: 1 });
      // Drift reads each logged picture's figures with the class it was given, as one flat record.
      const records = reader
        .samplePictureRecords({ model: 'pets', versions: [1], from: 0, to: Date.now() + 1 }, 1, 1000)
        .map((j) => JSON.parse(j) as Record<string, unknown>);
      expect(records.length).toBeGreaterThan(5);
      expect(records).toContainEqual(
        expect.objectContaining({ width: 10, height: 20, aspect: 0.5, 'predicted class': p?.label }),
      );
      for (const rec of records)
        expect(Object.keys(rec).sort()).toEqual([
          'aspect',
          'brightness',
          'contrast',
          'height',
          'predicted class',
          'sha256',
          'width',
        ]);
    } finally {
      reader.close();
    }
    const logged = readLog(logFile).find((row) => row.predictionId === id);
    const input = JSON.parse(logged?.inputJson ?? 'null') as { image: Record<string, number | string> };
    expect(Object.keys(input)).toEqual(['image']);
    expect(input.image).toMatchObject({
      sha256: createHash('sha256').update(white).digest('hex'),
      width: 10,
      height: 20,
      aspect: 0.5,
    });
    expect(input.image.brightness).toBeGreaterThan(0);
    expect(input.image.brightness).toBeLessThan(1);
    expect(input.image.contrast).toBeGreaterThan(0);
    expect(logged?.inputJson?.length).toBeLessThan(300);
    expect(logged?.inputJson).not.toContain(white.toString('base64').slice(0, 40));
    // No request left a picture in the log.
    for (const row of readLog(logFile)) expect(row.inputJson ?? '').not.toMatch(/b64|iVBOR/);
  });
});

describe('DecodeSlots', () => {
  it('runs at most its number of tasks at once, in arrival order', async () => {
    const slots = new DecodeSlots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const tasks = gates.map((g, i) =>
      slots.run(async () => {
        order.push(i);
        most = Math.max(most, ++running);
        await g.promise;
        running--;
      }),
    );
    for (const g of gates) {
      await Promise.resolve();
      g.resolve();
    }
    await Promise.all(tasks);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
