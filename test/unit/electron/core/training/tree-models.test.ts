// Gradient-boosted trees as a model kind, end to end through the service: trained on a table with
// numbers, categories and missing values (kept missing, not imputed), scored by batch predict and
// by the endpoint's loader, explained (additivity on every kind), exported as a bundle and
// re-imported, and exported as ONNX that onnxruntime-node scores as Cairn does.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explanation, Run } from '../../../../../shared/api.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { loadArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { maxDifference, runOnnx } from '../onnx/fixture.js';
import { tempDir } from '../helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let home: string;
let cleanup: () => Promise<void>;
let service: CairnService;
let treeRun: Run;

const COLORS = ['red', 'green', 'blue', 'violet'];

/** label = "yes" when x1 + (colour is red or blue) − x2 > 0.3; x2 is missing in a tenth of the rows (and then counts as 1). */
function mixedCsv(rows: number, seed: number): string {
  const random = seededRandom(seed);
  const lines = ['x1,x2,color,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 4 - 2;
    const missing = random() < 0.1;
    const x2 = random() * 4 - 2;
    const color = COLORS[Math.floor(random() * COLORS.length)] as string;
    const score = x1 + (color === 'red' || color === 'blue' ? 1 : 0) - (missing ? 1 : x2);
    lines.push(`${x1.toFixed(3)},${missing ? '' : x2.toFixed(3)},${color},${score > 0.3 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-trees-'));
  home = path.join(dir, 'home');
  service = await CairnService.open({ home, host: 'cli' });
  await writeFile(path.join(dir, 'mixed.csv'), mixedCsv(600, 3));
  await service.invoke('datasets.importNow', { path: path.join(dir, 'mixed.csv') });
  treeRun = await service.invoke('runs.startNow', { dataset: 'mixed', target: 'label', model: 'gbdt', seed: 5 });
}, 120_000);
afterAll(async () => {
  await service.close();
  await cleanup();
});

function explanationOf(run: Run): Explanation {
  return (run.metrics as { explanation: Explanation }).explanation;
}

/** Base plus contributions is the explained output of every kept row, to 1e-6. */
function expectAdditive(e: Explanation): void {
  expect(e.rows.length).toBeGreaterThan(0);
  for (const row of e.rows) {
    const sum = Object.values(row.contributions).reduce((a, b) => a + b, 0);
    expect(Math.abs(row.base + sum - row.output)).toBeLessThan(1e-6);
  }
}

describe('gradient-boosted trees as a model kind', () => {
  it('trains on numbers, categories and missing values, kept missing, and learns the rule', () => {
    expect(treeRun.status).toBe('succeeded');
    expect(treeRun.modelKind).toBe('gbdt');
    expect(treeRun.backend).toBe('javascript');
    const test = (treeRun.metrics as { test: { accuracy: number } }).test;
    expect(test.accuracy).toBeGreaterThan(0.85);
    const boosting = (treeRun.metrics as { boosting: { rounds: number; bestIteration: number; trees: number } })
      .boosting;
    expect(boosting.trees).toBe(boosting.bestIteration);
    expect(treeRun.history).toHaveLength(boosting.rounds);
    expect(Object.keys(treeRun.history[0]?.logs ?? {}).sort()).toEqual(['loss', 'val_loss']);
    expect((treeRun.preprocess as { missing?: string }).missing).toBe('keep');
  });

  it('explains itself with exact TreeSHAP that adds up, and the colour and x1 matter more than nothing', () => {
    const e = explanationOf(treeRun);
    expect(e.method).toBe('tree_shap');
    expect(e.output).toBe('log_odds');
    expectAdditive(e);
    // The explained output is the predicted class's log-odds: positive for the class it predicts.
    for (const row of e.rows) expect(row.output).toBeGreaterThanOrEqual(0);
    expect(
      e.importance
        .map((i) => i.feature)
        .slice(0, 3)
        .sort(),
    ).toEqual(['color', 'x1', 'x2']);
    expect(e.treeImportance?.length).toBe(3);
    expect(e.worst.length).toBeGreaterThan(0);
    expect(e.partialDependence[0]?.average.length).toBeGreaterThan(1);
  });

  it('models.explain gives the first N test rows, as cairn explain prints them', async () => {
    const r = await service.invoke('models.explain', { name: 'mixed', rows: 3 });
    expect(r.model).toEqual({ name: 'mixed', version: 1 });
    expect(r.explanation.rows.map((x) => x.row)).toEqual([0, 1, 2]);
  });

  it('scores a missing x2 and an unknown colour by the trees, in batch predict as in the loaded model', async () => {
    const csv = 'x1,x2,color\n1.5,,red\n-1,0.5,purple\n0.2,-1.5,blue\n';
    await writeFile(path.join(dir, 'new.csv'), csv);
    const r = await service.invoke('models.predictFile', { model: 'mixed', path: path.join(dir, 'new.csv') });
    const loaded = await loadArtifacts(path.join(home, 'models', 'mixed', '1'));
    const x = Float32Array.from([1.5, Number.NaN, Number.NaN, -1, 0.5, Number.NaN, 0.2, -1.5, Number.NaN]);
    // Columns in the manifest's order; colours as index codes (unknown and missing: NaN).
    const codes = loaded.preprocess.features.map((f) => f.column);
    expect(codes).toEqual(['x1', 'x2', 'color']);
    const colorStep = loaded.preprocess.features[2] as { categories: string[] };
    x[2] = colorStep.categories.indexOf('red') + 1;
    x[8] = colorStep.categories.indexOf('blue') + 1;
    const expected = loaded.predictor.predict(x, 3);
    // yes/no kept as written: the classes are the file's own words.
    const classes = r.classes as string[];
    expect(classes).toEqual(['no', 'yes']);
    const got = (r.predictions as { probabilities: Record<string, number> }[]).flatMap((p) =>
      classes.map((c) => p.probabilities[c] as number),
    );
    expect(maxDifference(got, expected)).toBeLessThan(1e-6);
  });

  it('exports a bundle that imports again as a version scoring the same', async () => {
    const out = path.join(dir, 'mixed.zip');
    await service.invoke('models.export', { name: 'mixed', out });
    const imported = await service.invoke('models.import', { path: out, name: 'mixed-again' });
    const rows = path.join(dir, 'new.csv');
    const a = await service.invoke('models.predictFile', { model: 'mixed', path: rows });
    const b = await service.invoke('models.predictFile', { model: imported.name, path: rows });
    expect(b.predictions).toEqual(a.predictions);
  });

  it('exports ONNX whose onnxruntime outputs match Cairn on raw test columns, to 1e-5', async () => {
    const out = path.join(dir, 'mixed.onnx');
    const written = await service.invoke('models.export', { name: 'mixed', out, format: 'onnx' });
    expect(written.bytes).toBeGreaterThan(1000);
    const loaded = await loadArtifacts(path.join(home, 'models', 'mixed', '1'));
    const lines = mixedCsv(120, 11).trim().split('\n').slice(1);
    const records = lines.map((l) => {
      const [x1, x2, color] = l.split(',');
      return { x1: Number(x1), x2: x2 === '' ? null : Number(x2), color: color as string };
    });
    const onnx = await runOnnx(new Uint8Array(await readFile(out)), loaded.preprocess, records);
    const { transformRecords } = await import('../../../../../electron/core/training/preprocess.js');
    const expected = loaded.predictor.predict(transformRecords(loaded.preprocess, records), records.length);
    expect(maxDifference(onnx.probabilities as Float32Array, expected)).toBeLessThan(1e-5);
  });

  it('explanations add up for the network and linear kinds too', async () => {
    const mlp = await service.invoke('runs.startNow', {
      dataset: 'mixed',
      target: 'label',
      model: 'mlp',
      epochs: 3,
      hiddenLayers: [{ units: 4 }],
      modelName: 'mixed-mlp',
    });
    const e = explanationOf(mlp);
    expect(e.method).toBe('kernel_shap');
    expect(e.output).toBe('probability');
    expectAdditive(e);
    const logistic = await service.invoke('runs.startNow', {
      dataset: 'mixed',
      target: 'label',
      model: 'logistic_regression',
      epochs: 3,
      modelName: 'mixed-logistic',
    });
    expect(explanationOf(logistic).method).toBe('linear');
    expectAdditive(explanationOf(logistic));
  }, 60_000);
});
