// Drift of a picture model: luminance statistics as numpy computes them, the training reference
// made from an imported image dataset version (sizes from its index, brightness and contrast from
// its pictures' pixels at the model's size, label shares), and the drift report over logged
// picture summaries: the same pictures do not drift, darker pictures and a shifted class do.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../../../shared/api.js';
import { openDuck } from '../../../../../electron/core/datasets/duck.js';
import { luminance } from '../../../../../electron/core/datasets/images/picture-stats.js';
import { driftReport, type DriftReference } from '../../../../../electron/core/monitoring/drift-report.js';
import {
  PICTURE_DRIFT_FIELDS,
  PREDICTED_CLASS,
  pictureReference,
} from '../../../../../electron/core/monitoring/picture-drift.js';
import type { CairnService } from '../../../../../electron/core/service.js';
import { makePictureFolder } from '../datasets/images/picture-folders.js';
import { freshService, tempDir } from '../helpers.js';

let service: CairnService;
let home: string;
let close: () => Promise<void>;
let dir: string;
let cleanup: () => Promise<void>;
let reference: DriftReference;

const input = { kind: 'image' as const, size: 8, channels: 3 as const, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };

beforeAll(async () => {
  ({ service, home, close } = await freshService());
  ({ dir, cleanup } = await tempDir());
  await makePictureFolder(path.join(dir, 'shapes'));
  const reply = await service.call('datasets.importNow', { path: path.join(dir, 'shapes') });
  if (!reply.ok) throw new Error(reply.error.message);
  const imported = reply.result as ImportResult;
  const datasetDir = path.join(home, 'datasets', imported.datasetId);
  const index = (await readdir(datasetDir)).find((f) => f.endsWith('.parquet'));
  const { instance, conn } = await openDuck();
  try {
    reference = await pictureReference(conn, path.join(datasetDir, index as string), datasetDir, input);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}, 60_000);

afterAll(async () => {
  await close();
  await cleanup();
});

describe('luminance', () => {
  it('is the mean and standard deviation of Rec. 601 luma on the 0..1 scale (numpy: y.mean()/255, y.std()/255)', () => {
    // Two pixels: black and (255, 128, 0). y = [0, 0.299·255 + 0.587·128] = [0, 151.381].
    const l = luminance(Uint8Array.from([0, 0, 0, 255, 128, 0]), 3);
    expect(l.brightness).toBeCloseTo(151.381 / 2 / 255, 10);
    expect(l.contrast).toBeCloseTo(151.381 / 2 / 255, 10);
    expect(luminance(Uint8Array.from([51, 51, 51, 51]), 1)).toEqual({ brightness: 0.2, contrast: 0 });
  });
});

describe('a picture model’s training reference', () => {
  it('holds every readable picture’s size and aspect, their pixels’ brightness and contrast, and the label shares', () => {
    expect(reference.rows).toBe(12);
    expect(reference.features.map((f) => f.name)).toEqual(PICTURE_DRIFT_FIELDS.map((f) => f.name));
    const byName = new Map(reference.features.map((f) => [f.name, f]));
    // 11 squares of 8 px and one TIFF of 16 px, all square.
    expect(Array.from(byName.get('width')?.sample ?? [])).toEqual([...new Array<number>(11).fill(8), 16]);
    expect(Array.from(byName.get('aspect')?.sample ?? [])).toEqual(new Array(12).fill(1));
    // Solid squares: no contrast; brightness the luma of each colour, e.g. red 200 → 0.299·200/255.
    expect(Math.max(...(byName.get('contrast')?.sample ?? []))).toBeLessThan(0.01);
    const brightness = Array.from(byName.get('brightness')?.sample ?? []);
    expect(brightness).toHaveLength(12);
    expect(brightness.some((b) => Math.abs(b - (0.299 * 200) / 255) < 0.01)).toBe(true);
    const classes = byName.get(PREDICTED_CLASS);
    expect(classes?.categories).toEqual(['green', 'red', 'blue']);
    expect(classes?.shares.slice(0, 3).map((s) => s * 12)).toEqual([5, 4, 3]);
  });
});

/** Logged picture records (as samplePictureRecords reads them) drawn like the training pictures, or shifted. */
function live(n: number, shift: { darker?: boolean; label?: string } = {}): string[] {
  const byName = new Map(reference.features.map((f) => [f.name, f]));
  const pick = (name: string, i: number) => {
    const s = byName.get(name)?.sample as Float64Array;
    return s[i % s.length] as number;
  };
  const labels = ['green', 'green', 'green', 'green', 'green', 'red', 'red', 'red', 'red', 'blue', 'blue', 'blue'];
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      sha256: 'x',
      width: pick('width', i),
      height: pick('height', i),
      aspect: pick('aspect', i),
      brightness: shift.darker ? pick('brightness', i) / 4 : pick('brightness', i),
      contrast: pick('contrast', i),
      [PREDICTED_CLASS]: shift.label ?? labels[i % labels.length],
    }),
  );
}

describe('drift of a picture model', () => {
  it('finds no drift in pictures like the training set’s', () => {
    const r = driftReport(PICTURE_DRIFT_FIELDS, reference, live(240), 240);
    expect(r.drifted).toEqual([]);
    expect(r.features.every((f) => f.liveCount === 240)).toBe(true);
  });

  it('finds darker pictures and a shifted predicted class', () => {
    const r = driftReport(PICTURE_DRIFT_FIELDS, reference, live(240, { darker: true, label: 'blue' }), 240);
    expect(r.drifted.sort()).toEqual(['brightness', PREDICTED_CLASS].sort());
    const classes = r.features.find((f) => f.feature === PREDICTED_CLASS);
    expect(classes?.bins.find((b) => b.label === 'blue')).toMatchObject({ training: 0.25, live: 1 });
  });
});
