// A finished picture model's run without training one: its run record and registered model version
// in app.db (through RunsRepo, as the run queue records a success) and a model folder holding
// image-predictions.json. For the predictions' unit tests, and the e2e's run page.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_PREDICTIONS_FILE, type ImagePredictions } from '../../../../../shared/api.js';
import { openDb } from '../../../../../electron/core/db/open.js';
import { RunsRepo } from '../../../../../electron/core/db/runs-repo.js';

export interface ImageRunFixture {
  runId: string;
  /** The model folder, absolute. */
  dir: string;
}

/**
 * Records a succeeded run of `modelName` v1 on a dataset version, with a model folder holding
 * `predictions` (or `raw` text as the file) and the test metrics a run page shows for them.
 */
export async function seedImageRun(
  home: string,
  opts: {
    datasetVersionId: string;
    datasetHash: string;
    modelName: string;
    predictions: ImagePredictions;
    raw?: string;
  },
): Promise<ImageRunFixture> {
  const { classes, items } = opts.predictions;
  const relative = path.join('models', opts.modelName, '1');
  const dir = path.join(home, relative);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, IMAGE_PREDICTIONS_FILE), opts.raw ?? JSON.stringify(opts.predictions));
  const confusion = classes.map((t) =>
    classes.map((p) => items.filter((i) => i.label === t && i.predicted === p).length),
  );
  const right = items.filter((i) => i.label === i.predicted).length;
  const db = openDb(path.join(home, 'app.db'));
  try {
    const runs = new RunsRepo(db);
    const runId = randomUUID();
    const now = new Date().toISOString();
    runs.create(
      {
        id: runId,
        datasetVersionId: opts.datasetVersionId,
        target: 'label',
        task: 'classification',
        modelKind: 'cnn',
        params: {},
        datasetHash: opts.datasetHash,
        hostPid: process.pid,
      },
      now,
    );
    runs.markRunning(runId, now);
    runs.succeed(
      runId,
      {
        task: 'classification',
        modelKind: 'cnn',
        params: {},
        preprocess: {},
        history: [],
        metrics: { test: { rows: items.length, accuracy: right / Math.max(1, items.length), classes, confusion } },
        backend: 'wasm',
        tfjsVersion: 'fixture',
      },
      { id: randomUUID(), name: opts.modelName, version: 1, dir: relative, sha256: 'fixture' },
      now,
    );
    return { runId, dir };
  } finally {
    db.close();
  }
}

/** Predictions over `ids` (picture hashes, in order) of three classes: every third one is a mistake (taken for the class before it). */
export function fixturePredictions(ids: readonly { id: string; label: string; file: string }[]): ImagePredictions {
  const classes = [...new Set(ids.map((i) => i.label))].sort();
  return {
    classes,
    items: ids.map(({ id, label, file }, n) => {
      const wrong = n % 3 === 0;
      const t = classes.indexOf(label);
      const p = wrong ? (t + classes.length - 1) % classes.length : t;
      const confidence = wrong ? 0.5 + ((n * 37) % 50) / 100 : 0.9;
      const rest = (1 - confidence) / (classes.length - 1);
      return {
        id,
        file,
        label,
        predicted: classes[p] as string,
        confidence,
        probabilities: classes.map((_, c) => (c === p ? confidence : rest)),
      };
    }),
  };
}
