// ?explain=true on the endpoint: each prediction's base plus its contributions is the model's raw
// output for the predicted class (a tree's or logistic model's log-odds, a linear model's value, to
// 1e-6), computed here independently of the explainers; a network's KernelSHAP contributions are the
// Shapley values over its saved background within the bound it states. Off by default; bounded in
// instances; a network saved before explain.json is refused with a clear error.
import { createHash } from 'node:crypto';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureGroups } from '../../../../../electron/core/explain/feature-groups.js';
import { loadArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { denseChain } from '../../../../../electron/core/training/dense-forward.js';
import { compileTrees, predictRaw } from '../../../../../electron/core/training/gbdt/predict-trees.js';
import { targetScale } from '../../../../../electron/core/training/preprocess.js';
import { compileValidator } from '../../../../../electron/core/serving/validator.js';
import { startEndpoint, type RunningEndpoint } from '../../../../../electron/core/serving/endpoint.js';
import type { ServedModel } from '../../../../../electron/core/serving/protocol.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { bruteShapley } from '../explain/brute-shapley.js';
import { tempDir } from '../helpers.js';
import { classificationCsv, regressionCsv } from '../training/data.js';
import { post, served } from './fixtures.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let cleanup: () => Promise<void>;
let e: RunningEndpoint;
/** flowers: 1 gbdt, 2 logistic, 3 mlp; prices: 1 linear, 2 gbdt; old: the mlp without explain.json. */
let models: ServedModel[];

const flowers = [
  { x1: 1.2, x2: 0.5, color: 'red' },
  { x1: -1.5, x2: -0.2, color: 'blue' },
  { x1: 0.1, x2: -0.3, color: 'green' },
];
const prices = [
  { x1: 1.2, x2: 0.5 },
  { x1: -1.5, x2: 1.8 },
];

interface Explained {
  label?: string;
  value?: number;
  probabilities?: Record<string, number>;
  base: number;
  contributions: Record<string, number>;
  explained: { method: string; output: string; class: string | null; errorBound: number | null };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-explain-serve-'));
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  try {
    await writeFile(path.join(dir, 'flowers.csv'), classificationCsv());
    await writeFile(path.join(dir, 'prices.csv'), regressionCsv());
    await service.invoke('datasets.importNow', { path: path.join(dir, 'flowers.csv') });
    await service.invoke('datasets.importNow', { path: path.join(dir, 'prices.csv') });
    const run = (dataset: string, target: string, more: Record<string, unknown>) =>
      service.invoke('runs.startNow', { dataset, target, epochs: 6, learningRate: 0.05, ...more });
    await run('flowers', 'label', { model: 'gbdt', trees: 8 });
    await run('flowers', 'label', { model: 'logistic_regression' });
    await run('flowers', 'label', { model: 'mlp', hiddenLayers: [{ units: 6 }] });
    await run('prices', 'y', { model: 'linear_regression' });
    await run('prices', 'y', { model: 'gbdt', trees: 8 });
    models = served(service, ['flowers:1', 'flowers:2', 'flowers:3', 'prices:1', 'prices:2']).map((m) => ({
      ...m,
      isDefault: false,
    }));
  } finally {
    await service.close();
  }
  models.push(await withoutExplainJson(models[2]!, path.join(dir, 'old-mlp'), 'old'));
  e = await startEndpoint({ host: '127.0.0.1', port: 0, logFile: path.join(dir, 'log.db'), models });
}, 120_000);

afterAll(async () => {
  await e?.close();
  await cleanup();
});

/** A copy of a served version as a model saved before explain.json: the file gone from its manifest. */
async function withoutExplainJson(m: ServedModel, to: string, name: string): Promise<ServedModel> {
  await cp(m.dir, to, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(to, 'artifact.json'), 'utf8')) as {
    files: Record<string, string>;
  };
  expect(manifest.files['explain.json']).toBeDefined();
  delete manifest.files['explain.json'];
  await rm(path.join(to, 'explain.json'));
  const text = JSON.stringify(manifest, null, 2);
  await writeFile(path.join(to, 'artifact.json'), text);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { ...m, name, version: 1, dir: to, sha256, isDefault: true, aliases: [] };
}

const route = (m: ServedModel, query = '') => `${e.url}/v1/models/${m.name}/versions/${m.version}/predict${query}`;

/**
 * The endpoint's explained answer for `instances` from version `m`, with the version loaded here and
 * the instances as its features (through the model's own input check), to compute the raw outputs.
 */
async function explained(m: ServedModel, instances: unknown[]) {
  const r = await post(route(m, '?explain=true'), { instances });
  expect(r.status).toBe(200);
  const a = await loadArtifacts(m.dir);
  const checked = compileValidator(a.preprocess).check(instances);
  if ('errors' in checked) throw new Error(JSON.stringify(checked.errors));
  return { preds: r.json.predictions as Explained[], a, x: checked.x };
}

const sum = (c: Record<string, number>) => Object.values(c).reduce((s, v) => s + v, 0);

describe('predictions explained on ?explain=true', () => {
  it('a GBDT classifier: base + contributions is the predicted class log-odds (the trees raw margin)', async () => {
    const m = models[0]!;
    const { preds, a, x } = await explained(m, flowers);
    const margin = predictRaw(compileTrees(a.trees!), x, flowers.length);
    preds.forEach((p, i) => {
      expect(p.explained).toEqual({ method: 'tree_shap', output: 'log_odds', class: p.label, errorBound: null });
      expect(Object.keys(p.contributions).sort()).toEqual(['color', 'x1', 'x2']);
      // One output, class "true"'s log-odds; the other class's is its negative.
      const raw = p.label === 'true' ? margin[i]! : -margin[i]!;
      expect(Math.abs(p.base + sum(p.contributions) - raw)).toBeLessThan(1e-6);
    });
    expect(new Set(preds.map((p) => p.label))).toEqual(new Set(['true', 'false']));
  });

  it('a GBDT regressor: base + contributions is the predicted value', async () => {
    const m = models[4]!;
    const { preds, a, x } = await explained(m, prices);
    const raw = predictRaw(compileTrees(a.trees!), x, prices.length);
    const { mean, std } = targetScale(a.preprocess);
    preds.forEach((p, i) => {
      expect(p.explained.method).toBe('tree_shap');
      expect(Math.abs(p.base + sum(p.contributions) - (raw[i]! * std + mean))).toBeLessThan(1e-6);
      expect(Math.abs(p.value! - (raw[i]! * std + mean))).toBeLessThan(1e-4);
    });
  });

  it('a logistic model: base + contributions is the predicted class logit (before softmax), summed per column', async () => {
    const m = models[1]!;
    const { preds, a, x } = await explained(m, flowers);
    const [layer] = denseChain(a.model!, x.length / flowers.length)!;
    const classes = (a.preprocess.target as { classes: string[] }).classes;
    preds.forEach((p, i) => {
      expect(p.explained).toMatchObject({ method: 'linear', output: 'log_odds', class: p.label });
      // The one-hot colour is one column, not three features.
      expect(Object.keys(p.contributions).sort()).toEqual(['color', 'x1', 'x2']);
      const u = classes.indexOf(p.label!);
      let logit = layer!.bias[u]!;
      for (let j = 0; j < layer!.inputs; j++) logit += layer!.kernel[j * layer!.units + u]! * x[i * layer!.inputs + j]!;
      expect(Math.abs(p.base + sum(p.contributions) - logit)).toBeLessThan(1e-6);
    });
    a.dispose();
  });

  it('a linear model: base + contributions is the value, and base the output at the training mean', async () => {
    const m = models[3]!;
    const { preds, a, x } = await explained(m, prices);
    const [layer] = denseChain(a.model!, 2)!;
    const { mean, std } = targetScale(a.preprocess);
    const at = (row: ArrayLike<number>) =>
      (layer!.bias[0]! + layer!.kernel[0]! * row[0]! + layer!.kernel[1]! * row[1]!) * std + mean;
    preds.forEach((p, i) => {
      expect(p.explained).toEqual({ method: 'linear', output: 'value', class: null, errorBound: null });
      expect(Math.abs(p.base + sum(p.contributions) - at(x.subarray(2 * i)))).toBeLessThan(1e-6);
      expect(Math.abs(p.base - at(a.explainSample!.means))).toBeLessThan(1e-6);
    });
    a.dispose();
  });

  it('an MLP: KernelSHAP adds up to the predicted probability and matches Shapley values over its saved background within its bound', async () => {
    const m = models[2]!;
    const { preds, a, x } = await explained(m, flowers);
    const groups = featureGroups(a.preprocess);
    const { background, rows: nb } = a.explainSample!;
    const d = x.length / flowers.length;
    const classes = (a.preprocess.target as { classes: string[] }).classes;
    preds.forEach((p, i) => {
      expect(p.explained).toMatchObject({ method: 'kernel_shap', output: 'probability', class: p.label });
      const bound = p.explained.errorBound!;
      expect(bound).toBeGreaterThanOrEqual(0);
      const o = classes.indexOf(p.label!);
      expect(Math.abs(p.base + sum(p.contributions) - p.probabilities![p.label!]!)).toBeLessThan(1e-6);
      // v(S): the model's mean output over background rows with the columns in S set to this row's.
      const exact = bruteShapley(groups.length, (inS) => {
        const rows = Float32Array.from(background);
        for (let b = 0; b < nb; b++)
          groups.forEach((g, j) => {
            if (inS[j]) for (const f of g.features) rows[b * d + f] = x[i * d + f]!;
          });
        const y = a.predictor.predict(rows, nb);
        let s = 0;
        for (let b = 0; b < nb; b++) s += y[b * classes.length + o]!;
        return [s / nb];
      });
      groups.forEach((g, j) => {
        expect(Math.abs(p.contributions[g.name]! - exact[j]![0]!)).toBeLessThanOrEqual(bound + 1e-5);
      });
    });
    a.dispose();
  });

  it('is off by default: the answer has no contributions, as before', async () => {
    for (const query of ['', '?explain=false']) {
      const r = await post(route(models[0]!, query), { instances: flowers });
      expect(r.status).toBe(200);
      for (const p of r.json.predictions as Record<string, unknown>[])
        expect(Object.keys(p).sort()).toEqual(['id', 'label', 'probabilities']);
    }
  });

  it('refuses a network saved before explain.json, saying to retrain, and still predicts with it', async () => {
    const old = models[5]!;
    const r = await post(route(old, '?explain=true'), { instances: flowers });
    expect(r.status).toBe(400);
    const error = r.json.error as { code: string; message: string };
    expect(error.code).toBe('cannot_explain');
    expect(error.message).toMatch(/retrain to explain this network/);
    expect((await post(route(old), { instances: flowers })).status).toBe(200);
  });

  it('bounds the instances of an explained request, a network far more, and refuses explain values it does not know', async () => {
    const many = (n: number) => Array.from({ length: n }, () => flowers[0]);
    const network = await post(route(models[2]!, '?explain=true'), { instances: many(11) });
    expect(network.status).toBe(400);
    const error = network.json.error as { code: string; message: string };
    expect(error.code).toBe('cannot_explain');
    expect(error.message).toMatch(/at most 10 instances/);
    expect((await post(route(models[0]!, '?explain=true'), { instances: many(101) })).status).toBe(400);
    expect((await post(route(models[0]!, '?explain=true'), { instances: many(100) })).status).toBe(200);
    const bad = await post(route(models[0]!, '?explain=yes'), { instances: flowers });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_input' });
  });
});
