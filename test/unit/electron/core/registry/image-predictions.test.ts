// runs.imagePredictions through CairnService: a picture model's held-out predictions read from its
// run's own model folder, filtered to a confusion matrix cell or to mistakes, sorted by confidence
// or file, with thumbnails of the run's dataset; a run without the file, a damaged file and a file
// that leads out of the folder are refused with a clear message.
import { rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PREDICTIONS_FILE, type ImagePredictions, type ImportResult } from '../../../../../shared/api.js';
import { thumbnailForUrl } from '../../../../../electron/core/datasets/images/image-store.js';
import type { CairnService } from '../../../../../electron/core/service.js';
import { freshService } from '../helpers.js';
import { makePictureFolder } from '../datasets/images/picture-folders.js';
import { fixturePredictions, seedImageRun, type ImageRunFixture } from './image-run-fixture.js';

let service: CairnService;
let home: string;
let close: () => Promise<void>;
let shapes: ImportResult;
let predictions: ImagePredictions;
let run: ImageRunFixture;
let seeded = 0;

beforeAll(async () => {
  ({ service, home, close } = await freshService());
  const folder = path.join(home, '..', 'shapes');
  await makePictureFolder(folder);
  shapes = await service.invoke('datasets.importNow', { path: folder });
  const page = await service.invoke('datasets.images', { versionId: shapes.versionId, limit: 500 });
  predictions = fixturePredictions(page.items);
  run = await seed(predictions);
});
afterAll(async () => close());

async function seed(doc: ImagePredictions, raw?: string): Promise<ImageRunFixture> {
  const { version } = await service.invoke('datasets.get', { ref: shapes.datasetId });
  return seedImageRun(home, {
    datasetVersionId: shapes.versionId,
    datasetHash: version.contentHash,
    modelName: `pictures-${++seeded}`,
    predictions: doc,
    ...(raw === undefined ? {} : { raw }),
  });
}

const page = (arg: Record<string, unknown>) => service.invoke('runs.imagePredictions', { runId: run.runId, ...arg });

async function refusal(arg: Record<string, unknown>): Promise<{ code: string; message: string }> {
  const reply = await service.call('runs.imagePredictions', arg);
  if (reply.ok) throw new Error('expected a refusal');
  return reply.error;
}

describe('runs.imagePredictions', () => {
  it('pages every held-out picture by file, with thumbnails the host serves for the run dataset', async () => {
    const all = await page({ limit: 500 });
    expect(all.classes).toEqual(['blue', 'green', 'red']);
    expect(all.total).toBe(predictions.items.length);
    const files = all.items.map((i) => i.file);
    expect(files).toEqual([...files].sort());
    for (const item of all.items) {
      const file = thumbnailForUrl(path.join(home, 'datasets'), item.thumbnailUrl);
      expect(file).toContain(path.join('datasets', shapes.datasetId, 'thumbnails'));
    }
    const second = await page({ offset: 2, limit: 3 });
    expect(second.items.map((i) => i.file)).toEqual(files.slice(2, 5));
    expect(second.offset).toBe(2);
  });

  it('keeps one confusion matrix cell: true class and predicted class', async () => {
    const cell = await page({ label: 'green', predicted: 'blue', limit: 500 });
    const expected = predictions.items.filter((i) => i.label === 'green' && i.predicted === 'blue');
    expect(expected.length).toBeGreaterThan(0);
    expect(cell.total).toBe(expected.length);
    expect(cell.items.every((i) => i.label === 'green' && i.predicted === 'blue')).toBe(true);
    expect(cell.items[0]?.probabilities).toHaveLength(3);
  });

  it('sorts mistakes most confident first', async () => {
    const mistakes = await page({ mistakesOnly: true, sort: 'confidence', limit: 500 });
    const wrong = predictions.items.filter((i) => i.label !== i.predicted);
    expect(mistakes.total).toBe(wrong.length);
    expect(mistakes.items.every((i) => i.label !== i.predicted)).toBe(true);
    const confidences = mistakes.items.map((i) => i.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(confidences[0]).toBe(Math.max(...wrong.map((i) => i.confidence)));
  });

  it('says a run without the file is not a picture model', async () => {
    await rm(path.join(run.dir, IMAGE_PREDICTIONS_FILE));
    try {
      const err = await refusal({ runId: run.runId });
      expect(err.code).toBe('not_found');
      expect(err.message).toMatch(/only a picture model/);
    } finally {
      await writeFile(path.join(run.dir, IMAGE_PREDICTIONS_FILE), JSON.stringify(predictions));
    }
  });

  it('refuses a file that is not JSON, or of the wrong shape, saying which', async () => {
    const notJson = await seed(predictions, '{"classes": [');
    const err = await refusal({ runId: notJson.runId });
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(/image-predictions\.json cannot be read: it is not JSON/);
    const [first] = predictions.items;
    const badClass = await seed({ ...predictions, items: [{ ...first!, predicted: 'purple' }] });
    expect((await refusal({ runId: badClass.runId })).message).toMatch(/items\.0: names a class/);
    const short = await seed({ ...predictions, items: [{ ...first!, probabilities: [1] }] });
    expect((await refusal({ runId: short.runId })).message).toMatch(/probabilities: needs one per class/);
  });

  it('reads only the model folder own file: a link out of it is refused', async () => {
    const outside = path.join(home, '..', 'elsewhere.json');
    await writeFile(outside, JSON.stringify(predictions));
    const linked = await seed(predictions);
    await rm(path.join(linked.dir, IMAGE_PREDICTIONS_FILE));
    await symlink(outside, path.join(linked.dir, IMAGE_PREDICTIONS_FILE));
    const err = await refusal({ runId: linked.runId });
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(/not a regular file/);
  });

  it('refuses an unknown run', async () => {
    expect((await refusal({ runId: 'no-such-run' })).code).toBe('not_found');
  });
});
