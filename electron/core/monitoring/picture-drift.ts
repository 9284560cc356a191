// Drift of a picture model: the endpoint logs each picture's summary (picture-stats.ts) instead of
// the picture, so drift compares those figures (width, height, aspect, brightness, contrast) and
// the predicted class's shares with the same figures over the training pictures and their labels'
// shares, through the tabular drift report (PSI and KS per figure, PSI for the classes). Width and
// height come from the dataset version's index; brightness and contrast need the pixels, so an
// evenly spaced sample of the pictures is decoded once per version (VersionViews keeps the result).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ImageFormat, InputField } from '../../../shared/api.js';
import { literal } from '../datasets/duck.js';
import { UnreadableImage } from '../datasets/images/decode-image.js';
import { pictureFile } from '../datasets/images/image-store.js';
import { rawPixels, type ImageInput } from '../datasets/images/model-input.js';
import { luminance, PICTURE_FIGURES } from '../datasets/images/picture-stats.js';
import { categorical, numericReference, TRAINING_SAMPLE_MAX, type DriftReference } from './drift-report.js';
import { evenlySpaced } from './training-rows.js';

/** The drift report's name for the predicted class (live) and the label (training). */
export const PREDICTED_CLASS = 'predicted class';

/** What drift compares for a picture model: the logged figures, then the predicted class. */
export const PICTURE_DRIFT_FIELDS: InputField[] = [
  ...PICTURE_FIGURES.map((name) => ({ name, kind: 'numeric' as const })),
  { name: PREDICTED_CLASS, kind: 'categorical' },
];

interface IndexedPicture {
  sha256: string;
  format: ImageFormat;
  label: string;
  width: number;
  height: number;
}

/**
 * The training reference of a picture model from its dataset version: `indexFile` is the
 * version's Parquet index, `datasetDir` the dataset's folder (its pictures are stored there by hash).
 */
export async function pictureReference(
  conn: DuckDBConnection,
  indexFile: string,
  datasetDir: string,
  input: ImageInput,
): Promise<DriftReference> {
  const rows = (
    await conn.runAndReadAll(
      `SELECT sha256, format, label, width, height FROM read_parquet(${literal(indexFile)})
       WHERE error IS NULL ORDER BY file`,
    )
  ).getRowObjectsJS() as unknown as IndexedPicture[];
  const width = rows.map((r) => Number(r.width));
  const height = rows.map((r) => Number(r.height));
  const aspect = rows.map((r) => Number(r.width) / Number(r.height));
  const sampled = evenlySpaced(
    Uint32Array.from({ length: rows.length }, (_, i) => i),
    TRAINING_SAMPLE_MAX,
  );
  const brightness: number[] = [];
  const contrast: number[] = [];
  for (const i of sampled) {
    const r = rows[i] as IndexedPicture;
    try {
      const bytes = await readFile(path.join(datasetDir, pictureFile(r.sha256, r.format)));
      const l = luminance(await rawPixels(bytes, input), input.channels);
      brightness.push(l.brightness);
      contrast.push(l.contrast);
    } catch (err) {
      // A picture the import read and that no longer decodes (a changed sharp): left out.
      if (!(err instanceof UnreadableImage) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const pick = (all: number[]) => Array.from(sampled, (i) => all[i] as number);
  const labels = new Map<string, number>();
  for (const r of rows) labels.set(r.label, (labels.get(r.label) ?? 0) + 1);
  return {
    source: 'training_rows',
    rows: rows.length,
    features: [
      numericReference('width', width, pick(width)),
      numericReference('height', height, pick(height)),
      numericReference('aspect', aspect, pick(aspect)),
      numericReference('brightness', brightness, brightness),
      numericReference('contrast', contrast, contrast),
      categorical(PREDICTED_CLASS, labels),
    ],
  };
}
