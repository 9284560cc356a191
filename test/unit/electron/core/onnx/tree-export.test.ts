// Gradient-boosted tree ensembles (trees.json, hand-grown at random here: the trainer is not in
// this test's scope) exported to ONNX and run in onnxruntime-node on raw columns give the
// predictions of the trees as tree-format.ts defines them: numeric splits x <= threshold
// (thresholds at and just below feature values), missing values by missingLeft, categorical
// splits by set membership on index-encoded columns.
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../../../../electron/core/onnx/export-onnx.js';
import { categoryKeys } from '../../../../../electron/core/onnx/preprocess-graph.js';
import { float32AtMost } from '../../../../../electron/core/onnx/tree-graph.js';
import {
  addNode,
  emptyTree,
  leafNode,
  TreeEnsembleJson as TreeEnsembleSchema,
  type FeatureKind,
  type TreeEnsembleJson,
  type TreeJson,
} from '../../../../../electron/core/training/gbdt/tree-format.js';
import type { PreprocessManifest } from '../../../../../electron/core/training/manifest.js';
import { stepWidth } from '../../../../../electron/core/training/manifest.js';
import { decodeLabel, decodeValues, transformRecords } from '../../../../../electron/core/training/preprocess.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { expectValuesClose, fitTable, makeTable, maxDifference, runOnnx, TEST_ROWS, type Table } from './fixture.js';

/** What exportOnnx takes to export `trees` with their preprocessing. */
function treesExport(manifest: PreprocessManifest, trees: TreeEnsembleJson) {
  return { name: 'trees', preprocess: manifest, model: { kind: 'trees' as const, trees }, producerVersion: '0' };
}

/** The manifest trees train with when they keep missing values (NaN; preprocess.ts's MissingPolicy). */
function treeManifest(manifest: PreprocessManifest, missingAsNaN: boolean): PreprocessManifest {
  return missingAsNaN ? { ...manifest, missing: 'keep' } : manifest;
}

function featureKinds(manifest: PreprocessManifest): FeatureKind[] {
  return manifest.features.flatMap((s) =>
    Array<FeatureKind>(stepWidth(s)).fill(s.kind === 'index' ? 'categorical' : 'numeric'),
  );
}

/** How often evaluation took each kind of branch: a test that never sends a row by missingLeft checks nothing about it. */
interface Routes {
  missing: number;
  inSet: number;
  notInSet: number;
  atThreshold: number;
}

/** Raw scores (rows × nOutputs), as tree-format.ts defines the walk. */
function rawScores(ensemble: TreeEnsembleJson, x: Float32Array, rows: number, routes: Routes): Float64Array {
  const width = ensemble.featureKinds.length;
  const k = ensemble.nOutputs;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < k; o++) out[r * k + o] = ensemble.baseScore[o] as number;
    ensemble.trees.forEach((tree, t) => {
      let node = 0;
      for (let f = tree.feature[node] as number; f >= 0; f = tree.feature[node] as number) {
        const v = x[r * width + f] as number;
        let left: boolean;
        if (Number.isNaN(v)) {
          left = tree.missingLeft[node] === 1;
          routes.missing++;
        } else if (ensemble.featureKinds[f] === 'categorical') {
          left = (tree.categories[node] as number[]).includes(v);
          routes[left ? 'inSet' : 'notInSet']++;
        } else {
          left = v <= (tree.threshold[node] as number);
          if (v === Math.fround(tree.threshold[node] as number)) routes.atThreshold++;
        }
        node = (left ? tree.left[node] : tree.right[node]) as number;
      }
      const o = r * k + (ensemble.treeOutputs[t] as number);
      out[o] = (out[o] as number) + (tree.value[node] as number);
    });
  }
  return out;
}

/**
 * A random tree over the features of `x` (rows × width): thresholds are values the rows hold, or
 * a hair below one (a double that rounds up to the float32 value), so rows sit on both sides of
 * the boundary; category sets are random subsets of 0..max (0 is missing or unknown unless kept as NaN).
 */
function randomTree(
  random: () => number,
  x: Float32Array,
  width: number,
  kinds: FeatureKind[],
  depth: number,
): TreeJson {
  const tree = emptyTree();
  const rows = x.length / width;
  const grow = (level: number): number => {
    const missingLeft = random() < 0.5 ? 1 : 0;
    const at = addNode(tree, { ...leafNode(random() * 2 - 1, 1), missingLeft });
    if (level === depth || random() < 0.15) return at;
    const f = Math.floor(random() * width);
    tree.feature[at] = f;
    tree.value[at] = 0;
    if (kinds[f] === 'categorical') {
      let max = 0;
      // Missing codes are NaN where the manifest keeps them: they take no part in the range.
      for (let r = 0; r < rows; r++)
        if (!Number.isNaN(x[r * width + f])) max = Math.max(max, x[r * width + f] as number);
      const set: number[] = [];
      for (let c = 0; c <= max; c++) if (random() < 0.4) set.push(c);
      tree.categories[at] = set;
    } else {
      let v = Number.NaN;
      for (let tries = 0; Number.isNaN(v) && tries < 50; tries++)
        v = x[Math.floor(random() * rows) * width + f] as number;
      if (Number.isNaN(v)) v = 0;
      tree.threshold[at] = random() < 0.3 ? v - Math.abs(v) * 1e-9 - 1e-12 : v;
    }
    tree.left[at] = grow(level + 1);
    tree.right[at] = grow(level + 1);
    return at;
  };
  grow(0);
  return tree;
}

function randomEnsemble(
  seed: number,
  manifest: PreprocessManifest,
  x: Float32Array,
  objective: TreeEnsembleJson['objective'],
  nOutputs: number,
): TreeEnsembleJson {
  const random = seededRandom(seed);
  const kinds = featureKinds(manifest);
  const trees = Array.from({ length: 12 * nOutputs }, () => randomTree(random, x, kinds.length, kinds, 4));
  return TreeEnsembleSchema.parse({
    format: 'cairn-trees/1',
    objective,
    featureKinds: kinds,
    nOutputs,
    baseScore: Array.from({ length: nOutputs }, () => random() - 0.5),
    trees,
    treeOutputs: trees.map((_, i) => i % nOutputs),
  });
}

async function checkClassifier(
  table: Table,
  seed: number,
  objective: 'binary_logloss' | 'softmax',
  missingAsNaN: boolean,
) {
  const manifest = treeManifest(fitTable(table, 'classification'), missingAsNaN);
  const classes = manifest.target?.task === 'classification' ? manifest.target.classes : [];
  const k = classes.length;
  // Thresholds come from all rows' features, the training rows' included.
  const x = transformRecords(manifest, table.records);
  const ensemble = randomEnsemble(seed, manifest, x, objective, objective === 'softmax' ? k : 1);
  const routes: Routes = { missing: 0, inSet: 0, notInSet: 0, atThreshold: 0 };
  const raw = rawScores(ensemble, x, TEST_ROWS, routes);
  const expected = new Float32Array(TEST_ROWS * k);
  for (let r = 0; r < TEST_ROWS; r++) {
    if (objective === 'binary_logloss') {
      const p = 1 / (1 + Math.exp(-(raw[r] as number)));
      expected[r * 2] = 1 - p;
      expected[r * 2 + 1] = p;
    } else {
      const row = Array.from(raw.subarray(r * k, (r + 1) * k));
      const max = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
      row.forEach((v, c) => (expected[r * k + c] = Math.exp(v - max) / sum));
    }
  }
  const bytes = exportOnnx(treesExport(manifest, ensemble));
  const got = await runOnnx(bytes, manifest, table.records);
  expect(got.dims.probabilities).toEqual([TEST_ROWS, k]);
  expect(maxDifference(got.probabilities as Float32Array, expected)).toBeLessThan(1e-5);
  const labels = Array.from({ length: TEST_ROWS }, (_, r) => {
    const row = Array.from(expected.subarray(r * k, (r + 1) * k));
    return decodeLabel(manifest, row.indexOf(Math.max(...row)));
  });
  expect(got.label).toEqual(labels);
  expect(new Set(labels).size).toBeGreaterThan(1);
  return routes;
}

describe('ONNX export of tree ensembles', () => {
  it('binary (one raw score, LOGISTIC): both class probabilities; missing numbers routed by missingLeft', async () => {
    const routes = await checkClassifier(makeTable('binary', 21), 21, 'binary_logloss', true);
    expect(routes.missing).toBeGreaterThan(0);
    expect(routes.inSet).toBeGreaterThan(0);
    expect(routes.notInSet).toBeGreaterThan(0);
    expect(routes.atThreshold).toBeGreaterThan(0);
  });

  it('multi-class (one tree per class per round, SOFTMAX) on imputed features', async () => {
    const routes = await checkClassifier(makeTable('multiclass', 22), 22, 'softmax', false);
    expect(routes.missing).toBe(0);
    expect(routes.inSet).toBeGreaterThan(0);
    expect(routes.atThreshold).toBeGreaterThan(0);
  });

  it('regression: raw score plus base, back in target units', async () => {
    const table = makeTable('regression', 23);
    const manifest = treeManifest(fitTable(table, 'regression'), true);
    const x = transformRecords(manifest, table.records);
    const ensemble = randomEnsemble(23, manifest, x, 'squared_error', 1);
    const routes: Routes = { missing: 0, inSet: 0, notInSet: 0, atThreshold: 0 };
    const expected = decodeValues(manifest, Float32Array.from(rawScores(ensemble, x, TEST_ROWS, routes)));
    expect(routes.missing).toBeGreaterThan(0);
    const bytes = exportOnnx(treesExport(manifest, ensemble));
    const got = await runOnnx(bytes, manifest, table.records);
    expectValuesClose(got, expected);
  });

  it('refuses trees that do not fit the preprocessing or the target', () => {
    const table = makeTable('binary', 24);
    const manifest = fitTable(table, 'classification');
    const x = transformRecords(manifest, table.records);
    const ensemble = randomEnsemble(24, manifest, x, 'binary_logloss', 1);
    const input = (trees: TreeEnsembleJson) => treesExport(manifest, trees);
    expect(() => exportOnnx(input({ ...ensemble, featureKinds: ensemble.featureKinds.slice(1) }))).toThrow(/features/);
    expect(() => exportOnnx(input({ ...ensemble, objective: 'squared_error' }))).toThrow(/does not fit/);
    expect(() => exportOnnx(input({ ...ensemble, trees: [], treeOutputs: [] }))).toThrow(/no trees/);
  });
});

describe('float32AtMost', () => {
  it('is the largest float32 at most the number, so float32 x <= it exactly when x <= the number', () => {
    for (const t of [1.1, -1.1, 0.1, -0.1, 1e-50, -1e-50, 3.4e39, 16777217, 2, -0, 0]) {
      const f = float32AtMost(t);
      expect(Math.fround(f)).toBe(f);
      expect(f).toBeLessThanOrEqual(t);
      // The next float32 up is above t.
      const cell = new Float32Array([f]);
      const bits = new Int32Array(cell.buffer);
      if (f >= 0 && !Object.is(f, -0)) bits[0] = (bits[0] as number) + 1;
      else if (f === 0) bits[0] = 1;
      else bits[0] = (bits[0] as number) - 1;
      expect(cell[0]).toBeGreaterThan(t);
    }
  });
});

describe('categoryKeys', () => {
  it('maps each category and, for number categories, the text of the JSON number, unless two share a value', () => {
    expect([...categoryKeys(['1.0', '2.50', 'x'])]).toEqual([
      ['1.0', 0],
      ['2.50', 1],
      ['x', 2],
      ['1', 0],
      ['2.5', 1],
    ]);
    expect(categoryKeys(['1', '1.0'])).toEqual(
      new Map([
        ['1', 0],
        ['1.0', 1],
      ]),
    );
    expect(categoryKeys(['3', '03']).get('3')).toBe(0);
  });
});
