// Quality bar from the issue: on the shipped classification samples, training with default settings
// (dataset and target only) scores a test accuracy within two points of scikit-learn's
// LogisticRegression fitted on the same training rows and scored on the same test rows.
//
// One split is too coarse a ruler for that: iris's test split has 23 rows, so one row is 4.3
// points. Each dataset is therefore judged on the mean over SPLITS seeded splits: the default run
// through CairnService (seed 42, as the app and CLI train it), and further seeds trained in this
// process by runTraining, the job's own code, whose seed-42 result must equal the service's. The
// rows given to scikit-learn come from the project's stratifiedSplit with each run's recorded seed
// and fractions, over the dataset version's Parquet file as training reads it.
// scikit-learn runs in Debian's python (python3-sklearn); without it the test says so and skips.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult, Run } from '../../shared/api.js';
import { openDuck } from '../../electron/core/datasets/duck.js';
import { SAMPLES, samplePath, type Sample } from '../../electron/core/samples.js';
import { CairnService } from '../../electron/core/service.js';
import { readColumns, type ColumnData, type ColumnSet } from '../../electron/core/training/columns.js';
import type { PreprocessManifest } from '../../electron/core/training/manifest.js';
import { runTraining } from '../../electron/core/training/run-training.js';
import { stratifiedSplit, type SplitFractions } from '../../electron/core/training/splits.js';
import { tempDir } from '../unit/electron/core/helpers.js';

/** "A couple of points" of accuracy. */
const TOLERANCE = 0.02;
/** Splits per dataset: the default run's and SPLITS - 1 more, seeded 1, 2, ... */
const SPLITS = 10;
const PYTHON = process.env.CAIRN_SKLEARN_PYTHON ?? '/usr/bin/python3';

// The same pipeline as Cairn's preprocessing (median / most-frequent imputation, standardised
// numbers, one-hot categories; all fitted on the training rows), then LogisticRegression; one fit
// per split.
const SKLEARN = String.raw`
import json, sys
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

d = json.load(open(sys.argv[1]))
feats = d["features"]
X = np.empty((len(d["y"]), len(feats)), dtype=object)
for j, f in enumerate(feats):
    X[:, j] = [np.nan if v is None else (float(v) if f["kind"] == "numeric" else str(v)) for v in f["values"]]
y = np.array(d["y"], dtype=object)
num = [j for j, f in enumerate(feats) if f["kind"] == "numeric"]
cat = [j for j, f in enumerate(feats) if f["kind"] == "categorical"]
scores = []
for split in d["splits"]:
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), cat),
    ])
    model = make_pipeline(pre, LogisticRegression(max_iter=1000))
    train, test = np.array(split["train"]), np.array(split["test"])
    model.fit(X[train], y[train])
    scores.append(float(model.score(X[test], y[test])))
print(json.dumps(scores))
`;

function probeSklearn(): { version?: string; reason?: string } {
  const r = spawnSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
  if (r.status === 0) return { version: r.stdout.trim() };
  const why = r.error?.message ?? r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`;
  return {
    reason: `scikit-learn is not importable by ${PYTHON} (${why}); install Debian's python3-sklearn to run this check`,
  };
}

const sklearn = probeSklearn();
if (sklearn.reason) console.warn(`sklearn parity: SKIPPED: ${sklearn.reason}`);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

let dir: string;
let cleanup: () => Promise<void>;
let service: CairnService;
const table: string[] = [];

beforeAll(async () => {
  if (sklearn.reason) return;
  ({ dir, cleanup } = await tempDir('cairn-parity-'));
  service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
});
afterAll(async () => {
  if (sklearn.reason) return;
  await service.close();
  await cleanup();
  console.log(
    `sklearn parity: test accuracy, Cairn defaults vs scikit-learn ${sklearn.version} LogisticRegression(max_iter=1000), same rows\n` +
      table.join('\n'),
  );
});

/** A column as JSON for Python: numbers or category names, null where missing. */
function columnValues(col: ColumnData): (number | string | null)[] {
  if (col.kind === 'number') return Array.from(col.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(col.codes, (c) => (c < 0 ? null : (col.dictionary[c] as string)));
}

/** The columns a run used, read from the version's Parquet file as training reads them. */
async function readVersion(imported: ImportResult, names: string[]): Promise<{ file: string; data: ColumnSet }> {
  // Where the service keeps a version's data: datasets/<datasetId>/<versionId>.parquet under its home.
  const file = path.join(service.home, 'datasets', imported.datasetId, `${imported.versionId}.parquet`);
  const duck = await openDuck({ threads: 1 });
  try {
    return {
      file,
      data: await readColumns(
        duck.conn,
        file,
        imported.columns.filter((c) => names.includes(c.name)),
      ),
    };
  } finally {
    duck.conn.closeSync();
    duck.instance.closeSync();
  }
}

/** Test accuracy of a default-settings training on another seed's split, in this process. */
async function trainHere(
  sample: Sample,
  run: Run,
  imported: ImportResult,
  file: string,
  seed: number,
): Promise<number> {
  const workDir = path.join(dir, 'work', `${sample.id}-${seed}`);
  await mkdir(workDir, { recursive: true });
  const columns = imported.columns.map((c) => ({ name: c.name, storageType: c.storageType, type: c.type }));
  // What the service sends for a request naming only the dataset and target (service.ts executeRun);
  // scores only, so no explanation (it changes no score and costs KernelSHAP's time).
  const out = await runTraining(
    {
      dataFile: file,
      columns,
      target: sample.target,
      model: { kind: run.modelKind },
      train: { seed },
      workDir,
      explain: false,
    },
    () => undefined,
  );
  return (out.metrics.test as { accuracy: number }).accuracy;
}

describe(`default settings vs scikit-learn LogisticRegression${sklearn.reason ? ` (skipped: ${sklearn.reason})` : ''}`, () => {
  const classification = SAMPLES.filter((s) => s.task === 'classification');
  it.skipIf(sklearn.reason !== undefined).each(classification.map((s) => [s.id, s] as const))(
    `%s: mean test accuracy over ${SPLITS} splits within two points of LogisticRegression on the same rows`,
    async (_id, sample) => {
      const imported = await service.invoke('datasets.importNow', { path: samplePath(sample.id), name: sample.id });
      const run = await service.invoke('runs.startNow', { dataset: sample.id, target: sample.target });
      expect(run).toMatchObject({ status: 'succeeded', task: 'classification' });
      const split = run.params.split as {
        seed: number;
        fractions: SplitFractions;
        method: string;
        rows: Record<string, number>;
      };
      expect(split.method).toBe('stratified');
      const features = (run.preprocess as unknown as PreprocessManifest).features.map((f) => ({
        name: f.column,
        kind: f.kind === 'numeric' ? 'numeric' : 'categorical',
      }));
      const { file, data } = await readVersion(imported, [sample.target, ...features.map((f) => f.name)]);
      const target = data.columns.get(sample.target) as ColumnData;

      const seeds = [split.seed, ...Array.from({ length: SPLITS - 1 }, (_v, i) => i + 1)];
      // Exactly as run-training's plan() splits a classification target.
      const splits = seeds.map((seed) => stratifiedSplit(target, seed, { fractions: split.fractions }));
      const own = splits[0]!;
      expect({ train: own.train.length, validation: own.validation.length, test: own.test.length }).toEqual(split.rows);

      const serviceAccuracy = (run.metrics as { test: { accuracy: number; rows: number } }).test.accuracy;
      const cairn: number[] = [];
      for (const seed of seeds) cairn.push(await trainHere(sample, run, imported, file, seed));
      // The in-process runs are the app's runs: the same seed gives the service's result.
      expect(cairn[0]).toBe(serviceAccuracy);

      const input = path.join(dir, `${sample.id}.json`);
      await writeFile(
        input,
        JSON.stringify({
          features: features.map((f) => ({ ...f, values: columnValues(data.columns.get(f.name) as ColumnData) })),
          y: columnValues(target),
          splits: splits.map((s) => ({ train: Array.from(s.train), test: Array.from(s.test) })),
        }),
      );
      const py = spawnSync(PYTHON, ['-c', SKLEARN, input], { encoding: 'utf8' });
      if (py.status !== 0) throw new Error(`scikit-learn failed: ${py.stderr}`);
      const reference = JSON.parse(py.stdout) as number[];

      table.push(
        `  ${sample.id.padEnd(14)} test rows ${String(own.test.length).padStart(3)}  default run (seed ${split.seed}): cairn ${serviceAccuracy.toFixed(4)} sklearn ${reference[0]!.toFixed(4)}` +
          `  mean of ${SPLITS}: cairn ${mean(cairn).toFixed(4)} sklearn ${mean(reference).toFixed(4)}`,
      );
      expect(mean(cairn)).toBeGreaterThanOrEqual(mean(reference) - TOLERANCE);
    },
  );
});
