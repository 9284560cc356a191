// scikit-learn's HistGradientBoostingClassifier/Regressor as the reference the GBDT is checked
// against: fitted in Debian's python (python3-sklearn) on the same rows with the same settings,
// early stopping off, its predictions read back. Shared by the unit and quality tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureKind } from '../../../../../../electron/core/training/gbdt/tree-format.js';

export const PYTHON = process.env.CAIRN_SKLEARN_PYTHON ?? '/usr/bin/python3';

export interface HgbSettings {
  maxIter: number;
  learningRate: number;
  maxLeafNodes: number;
  minSamplesLeaf: number;
  l2: number;
  maxBins: number;
  /** Regression loss (sklearn's names). */
  loss?: 'squared_error' | 'absolute_error';
}

export interface HgbRequest {
  task: 'classification' | 'regression';
  featureKinds: FeatureKind[];
  settings: HgbSettings;
  /** Row-major feature matrices (NaN missing, category ids for categorical features). */
  train: { x: Float32Array; y: ArrayLike<number>; sampleWeight?: Float32Array };
  test: Float32Array;
}

/** What sklearn predicts for the test rows: probabilities (classification, n × classes) or values. */
export interface HgbResult {
  predictions: number[][];
  /** Classification: class labels in the order of the probability columns. */
  classes?: number[];
}

const SCRIPT = String.raw`
import json, sys
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
out = []
for d in json.load(open(sys.argv[1])):
    k = len(d["featureKinds"])
    def mat(v):
        return np.array([np.nan if a is None else a for a in v], dtype=np.float64).reshape(-1, k)
    s = d["settings"]
    common = dict(max_iter=s["maxIter"], learning_rate=s["learningRate"], max_leaf_nodes=s["maxLeafNodes"],
                  min_samples_leaf=s["minSamplesLeaf"], l2_regularization=s["l2"], max_bins=s["maxBins"],
                  early_stopping=False, categorical_features=np.array([f == "categorical" for f in d["featureKinds"]]))
    X, Xt = mat(d["x"]), mat(d["test"])
    w = None if d.get("w") is None else np.array(d["w"], dtype=np.float64)
    if d["task"] == "classification":
        m = HistGradientBoostingClassifier(loss="log_loss", **common)
        m.fit(X, np.array(d["y"], dtype=np.int64), sample_weight=w)
        out.append({"predictions": m.predict_proba(Xt).tolist(), "classes": m.classes_.tolist()})
    else:
        m = HistGradientBoostingRegressor(loss=s.get("loss") or "squared_error", **common)
        m.fit(X, np.array(d["y"], dtype=np.float64), sample_weight=w)
        out.append({"predictions": [[v] for v in m.predict(Xt).tolist()]})
print(json.dumps(out))
`;

const nulls = (a: ArrayLike<number>): (number | null)[] => Array.from(a, (v) => (Number.isNaN(v) ? null : v));

/** Fits and predicts each request, all in one python process (importing sklearn costs seconds). */
export function sklearnHgb(requests: HgbRequest[]): HgbResult[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-hgb-'));
  try {
    const file = path.join(dir, 'data.json');
    writeFileSync(
      file,
      JSON.stringify(
        requests.map((req) => ({
          task: req.task,
          featureKinds: req.featureKinds,
          settings: req.settings,
          x: nulls(req.train.x),
          y: Array.from(req.train.y),
          w: req.train.sampleWeight ? Array.from(req.train.sampleWeight) : null,
          test: nulls(req.test),
        })),
      ),
    );
    // One thread: on tables this small OpenMP's threads only wait on each other, the more so on a
    // busy machine; the fitted trees are the same.
    const py = spawnSync(PYTHON, ['-c', SCRIPT, file], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (py.status !== 0) throw new Error(`scikit-learn failed: ${py.error?.message ?? py.stderr}`);
    return JSON.parse(py.stdout) as HgbResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
