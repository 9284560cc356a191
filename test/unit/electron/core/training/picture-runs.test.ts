// Training runs on an image dataset through CairnService (a job process each, on wasm): 'auto'
// on pictures trains the CNN and records it like any run, with each test picture's prediction;
// a table model on pictures, the CNN on a table, and table settings on pictures are refused
// before anything is queued.
import { describe, expect, it } from 'vitest';
import { usePictureService } from './picture-service.js';

const app = usePictureService('cairn-picture-runs-');

async function refusal(arg: Record<string, unknown>): Promise<string> {
  const reply = await app.service.call('runs.start', arg);
  if (reply.ok) throw new Error('expected a refusal');
  expect(reply.error.code).toBe('invalid_argument');
  return reply.error.message;
}

describe('runs on pictures', () => {
  it('trains the CNN when asked for auto, recorded with its picture input and test predictions', async () => {
    const run = await app.service.invoke('runs.startNow', {
      dataset: 'shapes',
      target: 'label',
      model: 'auto',
      epochs: 2,
      batchSize: 4,
      imageSize: 16,
      augment: 'none',
    });
    expect(run).toMatchObject({
      status: 'succeeded',
      modelKind: 'cnn',
      task: 'classification',
      backend: 'wasm',
      model: { name: 'shapes', version: 1 },
      preprocess: { image: { kind: 'image', size: 16, channels: 3 } },
      params: { model: { kind: 'cnn', preset: 'small', imageSize: 16, augment: 'none' } },
    });
    expect(run.history.map((h) => h.epoch)).toEqual([1, 2]);
    const test = run.metrics?.test as { rows: number; classes: string[] };
    expect(test.classes).toEqual(['circle', 'square']);
    // The test pictures' predictions, as the run page pages them (runs.imagePredictions).
    const page = await app.service.invoke('runs.imagePredictions', { runId: run.id, limit: 500 });
    expect(page.total).toBe(test.rows);
    const pictures = page.items;
    const explain = await app.service.call('models.explain', { name: 'shapes', rows: 5 });
    expect(explain.ok ? undefined : explain.error.message).toBe(
      'version 1 of "shapes" is a picture model: explanations are not available for pictures',
    );
    for (const p of pictures) {
      expect(p.id).toMatch(/^[0-9a-f]{64}$/);
      expect(p.file.startsWith(`${p.label}/`)).toBe(true);
      expect(['circle', 'square']).toContain(p.predicted);
      expect(p.confidence).toBeGreaterThanOrEqual(0.5);
      expect(p.probabilities).toHaveLength(2);
    }
  });

  it('refuses a table model on pictures, the CNN on a table, and settings of the other kind', async () => {
    expect(await refusal({ dataset: 'shapes', target: 'label', model: 'gbdt' })).toMatch(
      /shapes holds pictures: train a convolutional network on it \(model cnn\); Gradient-boosted trees reads tables/,
    );
    expect(await refusal({ dataset: 'table', target: 'label', model: 'cnn' })).toMatch(
      /A convolutional network trains on pictures, and table is a table/,
    );
    expect(await refusal({ dataset: 'table', target: 'label', model: 'mlp', imageSize: 32 })).toMatch(
      /imageSize apply to pictures only/,
    );
    expect(await refusal({ dataset: 'shapes', target: 'colour', model: 'cnn' })).toMatch(
      /A picture dataset's target is each picture's label, not "colour"/,
    );
    expect(await refusal({ dataset: 'shapes', target: 'label', model: 'cnn', features: ['x'] })).toMatch(
      /features apply to tables only/,
    );
    const runs = await app.service.invoke('runs.list', {});
    expect(runs).toHaveLength(1);
  });
});
