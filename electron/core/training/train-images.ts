// The body of a 'train' job on pictures: read the image dataset version's index, split the
// pictures by label (stratified, seeded), decode each once to raw pixels through model-input.ts's
// rawPixels, fit the per-channel normalisation on the training pictures, train the CNN
// (cnn-model.ts) with the shared train loop (each batch augmented afresh, image-augment.ts),
// evaluate it on the test pictures and save it like any network: model.json + weights, a
// preprocess.json whose `image` is the ImageInput, a card. The test pictures' predictions are
// kept beside the model (IMAGE_PREDICTIONS_FILE) for the confusion matrix's cells and the most
// confident mistakes.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  IMAGE_LABEL_COLUMN,
  IMAGE_PREDICTIONS_FILE,
  type ImageFormat,
  type ImagePrediction,
  type ImagePredictions,
} from '../../../shared/api.js';
import { numberSchema } from '../../../shared/setting-schemas.js';
import { AUGMENT, CNN_PRESET, defaultImageSize, IMAGE_SIZE } from '../../../shared/training-settings.js';
import { z } from 'zod';
import { literal, openDuck } from '../datasets/duck.js';
import { pictureFile } from '../datasets/images/image-store.js';
import { inputLength, normalisePixels, rawPixels, type ImageInput } from '../datasets/images/model-input.js';
import { CairnError } from '../errors.js';
import { saveArtifacts } from './artifacts.js';
import { selectBackend, tfjsVersion } from './backend.js';
import { buildCnn, CNN_PRESETS, CnnPreset } from './cnn-model.js';
import { classificationMetrics, thinRocCurve } from './evaluation-metrics.js';
import { augmentPicture, type AugmentLevel } from './image-augment.js';
import type { PreprocessManifest } from './manifest.js';
import { networkPredictor } from './predictor.js';
import { CLASSIFICATION_LEARNING_RATE, MIN_ROWS, type TrainOutcome, type TrainProgress } from './run-training.js';
import { seededRandom } from './seeded-random.js';
import { DEFAULT_FRACTIONS, stratifiedSplit, type SplitFractions } from './splits.js';
import { scalarScores } from '../../../shared/metrics.js';
import { trainModel, type BatchFeatures } from './train-loop.js';
import { TrainParams } from './train-params.js';

/** A CNN's settings as a request gives them; the input size is chosen from the pictures when absent. */
export const CnnRequest = z.object({
  kind: z.literal('cnn'),
  preset: CnnPreset.default(CNN_PRESET.default),
  imageSize: numberSchema(IMAGE_SIZE).optional(),
  augment: z.enum(AUGMENT.options.map((o) => o.value) as [AugmentLevel, ...AugmentLevel[]]).default(AUGMENT.default),
});
export type CnnRequest = z.input<typeof CnnRequest>;

export interface ImageTrainInput {
  kind: 'images';
  /** Absolute path of the version's index (Parquet), and of its dataset's folder, where the pictures are. */
  indexFile: string;
  datasetDir: string;
  model: CnnRequest;
  train: Partial<TrainParams>;
  fractions?: SplitFractions;
  workDir: string;
}

/** One readable picture of the index. */
interface IndexedPicture {
  file: string;
  label: string;
  sha256: string;
  format: ImageFormat;
  width: number;
  height: number;
  colourMode: string;
}

/** Pictures decoded at once while loading (sharp works on its own threads). */
const DECODE_CONCURRENCY = 4;

function bad(message: string, details?: Record<string, unknown>): CairnError {
  return new CairnError('invalid_argument', message, details);
}

async function readIndex(indexFile: string, workDir: string): Promise<IndexedPicture[]> {
  const duck = await openDuck({ tempDir: path.join(workDir, 'duck-spill'), threads: 1 });
  try {
    const reader = await duck.conn.runAndReadAll(
      `SELECT file, label, sha256, format, width, height, colour_mode FROM read_parquet(${literal(indexFile)})
       WHERE error IS NULL ORDER BY label, file`,
    );
    // Every column read is VARCHAR or INTEGER, and readable rows have them all.
    return reader.getRowObjectsJS().map((r) => ({
      file: r.file as string,
      label: r.label as string,
      sha256: r.sha256 as string,
      format: r.format as ImageFormat,
      width: Number(r.width),
      height: Number(r.height),
      colourMode: r.colour_mode as string,
    }));
  } finally {
    duck.conn.closeSync();
    duck.instance.closeSync();
  }
}

/** One channel when every picture is grey (with or without alpha, which is flattened on white), else three. */
export function channelsFor(pictures: readonly Pick<IndexedPicture, 'colourMode'>[]): 1 | 3 {
  return pictures.every((p) => p.colourMode === 'grey' || p.colourMode === 'grey-alpha') ? 1 : 3;
}

/** Decodes every picture once to raw pixels at the model's size (a picture stored twice is decoded once). */
async function loadPixels(
  pictures: readonly IndexedPicture[],
  datasetDir: string,
  input: Pick<ImageInput, 'size' | 'channels'>,
): Promise<Uint8Array[]> {
  const bySha = new Map<string, Promise<Uint8Array>>();
  const out: Uint8Array[] = new Array<Uint8Array>(pictures.length);
  let next = 0;
  const worker = async () => {
    while (next < pictures.length) {
      const i = next++;
      const p = pictures[i]!;
      let pixels = bySha.get(p.sha256);
      if (!pixels) {
        pixels = readFile(path.join(datasetDir, pictureFile(p.sha256, p.format))).then((bytes) =>
          rawPixels(bytes, input),
        );
        bySha.set(p.sha256, pixels);
      }
      out[i] = await pixels;
    }
  };
  await Promise.all(Array.from({ length: DECODE_CONCURRENCY }, worker));
  return out;
}

/** Per-channel mean and standard deviation of the pictures' pixels on the 0..1 scale. */
export function fitNormalisation(raws: readonly Uint8Array[], channels: 1 | 3): Pick<ImageInput, 'mean' | 'std'> {
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  let count = 0;
  for (const raw of raws) {
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i]! / 255;
      sum[i % channels]! += v;
      squares[i % channels]! += v * v;
    }
    count += raw.length / channels;
  }
  const mean = Array.from(sum, (s) => s / count);
  // A channel of one value everywhere would divide by zero: it is then only centred.
  const std = Array.from(squares, (q, c) => Math.sqrt(Math.max(0, q / count - mean[c]! ** 2))).map((s) =>
    s > 1e-3 ? s : 1,
  );
  return { mean, std };
}

/** Trains, evaluates and saves a CNN on an image dataset version; see the file comment. */
export async function runImageTraining(
  input: ImageTrainInput,
  onProgress: (p: TrainProgress) => void,
): Promise<TrainOutcome> {
  const cnn = CnnRequest.parse(input.model);
  const train = TrainParams.parse({
    ...input.train,
    learningRate: input.train.learningRate ?? CLASSIFICATION_LEARNING_RATE.cnn,
  });
  const pictures = await readIndex(input.indexFile, input.workDir);
  if (pictures.length < MIN_ROWS)
    throw bad(`Too few pictures to train: ${pictures.length} could be read, at least ${MIN_ROWS} are needed.`, {
      rows: pictures.length,
    });
  const classes = [...new Set(pictures.map((p) => p.label))].sort();
  if (classes.length < 2)
    throw bad(`The pictures have only one label (${JSON.stringify(classes[0])}): a classifier needs at least two.`);
  const classOf = new Map(classes.map((c, i) => [c, i]));
  const labels = Int32Array.from(pictures, (p) => classOf.get(p.label)!);
  const fractions = input.fractions ?? DEFAULT_FRACTIONS;
  const splits = stratifiedSplit(
    { name: IMAGE_LABEL_COLUMN, type: 'categorical', kind: 'codes', codes: labels, dictionary: classes },
    train.seed,
    { fractions },
  );
  if (splits.test.length === 0) throw bad('The test split has no pictures to evaluate on: use a larger test fraction.');

  const backend = (await selectBackend()).name;
  const largest = pictures.reduce(
    (m, p) => ({ width: Math.max(m.width, p.width), height: Math.max(m.height, p.height) }),
    { width: 0, height: 0 },
  );
  const shape = { size: cnn.imageSize ?? defaultImageSize(largest), channels: channelsFor(pictures) };
  const raws = await loadPixels(pictures, input.datasetDir, shape);
  const image: ImageInput = {
    kind: 'image',
    ...shape,
    ...fitNormalisation(
      Array.from(splits.train, (r) => raws[r]!),
      shape.channels,
    ),
  };
  const width = inputLength(image);
  const preprocess: PreprocessManifest = {
    format: 'cairn-preprocess/1',
    features: [],
    featureNames: [],
    dropped: [],
    target: { task: 'classification', column: IMAGE_LABEL_COLUMN, classes },
    fittedRows: splits.train.length,
    image,
  };

  // Features of a split's rows, written straight into the batch: augmented for training only.
  const random = seededRandom(train.seed ^ 0x5eed);
  const scratch = new Uint8Array(width);
  const features =
    (rows: Uint32Array, level: AugmentLevel): BatchFeatures =>
    (batchRows, out) => {
      for (let i = 0; i < batchRows.length; i++) {
        const raw = raws[rows[batchRows[i]!]!]!;
        normalisePixels(
          level === 'none' ? raw : augmentPicture(raw, image, level, random, scratch),
          image,
          out,
          i * width,
        );
      }
    };
  const labelsOf = (rows: Uint32Array) => Int32Array.from(rows, (r) => labels[r]!);

  const history: TrainOutcome['history'] = [];
  const model = buildCnn({ preset: cnn.preset }, image, classes.length, train.seed);
  const predictor = networkPredictor(model, width, classes.length);
  try {
    await trainModel({
      ...train,
      model,
      nFeatures: width,
      task: 'classification',
      x: features(splits.train, cnn.augment),
      y: labelsOf(splits.train),
      validation:
        splits.validation.length > 0
          ? { x: features(splits.validation, 'none'), y: labelsOf(splits.validation) }
          : undefined,
      onEpoch: (epoch, logs, etaMs) => {
        history.push({ epoch: epoch + 1, logs });
        onProgress({ epoch: epoch + 1, epochs: train.epochs, logs, etaMs, fraction: (epoch + 1) / train.epochs });
      },
    });

    const score = (rows: Uint32Array) => {
      const x = new Float32Array(rows.length * width);
      features(rows, 'none')(
        Uint32Array.from(rows, (_r, i) => i),
        x,
      );
      const scores = predictor.predict(x, rows.length);
      const full = classificationMetrics(labelsOf(rows), scores, classes.length);
      return { scores, metrics: { ...full, roc: full.roc.map((c) => thinRocCurve(c)), classes, rows: rows.length } };
    };
    const test = score(splits.test);
    const validation = splits.validation.length > 0 ? scalarScores(score(splits.validation).metrics) : undefined;
    const k = classes.length;
    const testPictures: ImagePrediction[] = Array.from(splits.test, (r, i) => {
      const row = test.scores.subarray(i * k, (i + 1) * k);
      let best = 0;
      for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
      const p = pictures[r]!;
      return {
        id: p.sha256,
        file: p.file,
        label: p.label,
        predicted: classes[best]!,
        confidence: row[best]!,
        probabilities: Array.from(row),
      };
    });

    const modelParams = {
      kind: 'cnn',
      preset: cnn.preset,
      ...CNN_PRESETS[cnn.preset],
      imageSize: image.size,
      channels: image.channels,
      augment: cnn.augment,
    };
    const artifactDir = path.join(input.workDir, 'model');
    const saved = await saveArtifacts(artifactDir, { network: model }, preprocess, {
      format: 'cairn-model-card/1',
      task: 'classification',
      target: IMAGE_LABEL_COLUMN,
      classes,
      features: [],
      metrics: { test: test.metrics },
      modelKind: 'cnn',
      backend,
      tfjsVersion: tfjsVersion(),
      createdAt: new Date().toISOString(),
    });
    // Beside the model, not in its artifact manifest: the run's own evaluation, read by
    // runs.imagePredictions from this run's folder only, and not carried by a bundle.
    const predictions: ImagePredictions = { classes, items: testPictures };
    await writeFile(path.join(artifactDir, IMAGE_PREDICTIONS_FILE), JSON.stringify(predictions));
    return {
      task: 'classification',
      modelKind: 'cnn',
      backend,
      tfjsVersion: tfjsVersion(),
      params: {
        model: modelParams,
        train,
        split: {
          seed: train.seed,
          fractions,
          method: 'stratified',
          rows: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length },
        },
        features: [],
      },
      preprocess,
      history,
      metrics: {
        test: test.metrics,
        ...(validation ? { validation } : {}),
      },
      artifactDir,
      artifactSha256: saved.sha256,
    };
  } finally {
    predictor.dispose();
  }
}
