// `cairn train` and `cairn runs` as scripts run them: the documented --json shape, and runs
// listed and shown afterwards.
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './run-cairn.js';
import { classificationCsv, regressionCsv } from '../core/training/data.js';

const ws = cliWorkspace('cairn-cli-train-', {
  'flowers.csv': classificationCsv(),
  'prices.csv': regressionCsv(),
});

const { cairn } = ws;

describe('cairn train', () => {
  let runId: string;

  it('imports a file, trains a classifier and prints the documented JSON', () => {
    const r = cairn(
      'train',
      ws.file('flowers.csv'),
      '--target',
      'label',
      '--epochs',
      '8',
      '--learning-rate',
      '0.01',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { run: string; metrics: { test: Record<string, number> } };
    expect(Object.keys(out).sort()).toEqual(['backend', 'metrics', 'model', 'run', 'status', 'task']);
    expect(out).toMatchObject({
      status: 'succeeded',
      task: 'classification',
      backend: 'cpu',
      model: { name: 'flowers', version: 1 },
    });
    expect(Object.keys(out.metrics.test).sort()).toEqual([
      'accuracy',
      'balanced_accuracy',
      'f1_macro',
      'log_loss',
      'majority_baseline',
      'precision_macro',
      'recall_macro',
      'roc_auc',
    ]);
    expect(out.metrics.test.accuracy).toBeGreaterThan(0.8);
    runId = out.run;
  });

  it('trains a linear regression on a dataset by name with regression metrics', () => {
    expect(cairn('import', ws.file('prices.csv')).code).toBe(0);
    const r = cairn(
      'train',
      'prices',
      '--target',
      'y',
      '--model',
      'linear',
      '--epochs',
      '5',
      '--learning-rate',
      '0.05',
      '--seed',
      '3',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { task: string; metrics: { test: Record<string, number> } };
    expect(out.task).toBe('regression');
    expect(Object.keys(out.metrics.test).sort()).toEqual(['mae', 'r2', 'rmse']);
  });

  it('fails with one clear line on an unknown target and records the failed run', () => {
    const r = cairn('train', 'prices', '--target', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cairn: Unknown column: "nope"/);
    const list = JSON.parse(cairn('runs', 'list', '--json').stdout) as { id: string; status: string }[];
    expect(list.map((x) => x.status)).toEqual(['failed', 'succeeded', 'succeeded']);
  });

  it('lists and shows runs', () => {
    expect(cairn('runs', 'list').stdout).toContain(runId);
    const shown = cairn('runs', 'show', runId);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/succeeded[\s\S]*accuracy/);
    expect(JSON.parse(cairn('runs', 'show', runId, '--json').stdout)).toMatchObject({ id: runId, target: 'label' });
  });
});

describe('cairn train --model auto', () => {
  it('prints the usual JSON plus each candidate and the one chosen, and says why', () => {
    const r = cairn('train', 'prices', '--target', 'y', '--model', 'auto', '--seed', '4', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      run: string;
      metrics: { test: Record<string, number> };
      candidates: { model: string; validation: Record<string, number>; seconds: number }[];
      chosen: string;
    };
    expect(Object.keys(out).sort()).toEqual([
      'backend',
      'candidates',
      'chosen',
      'metrics',
      'model',
      'run',
      'status',
      'task',
    ]);
    expect(out.candidates.map((c) => c.model)).toEqual(['linear_regression', 'gbdt', 'mlp']);
    for (const c of out.candidates) {
      expect(Object.keys(c).sort()).toEqual(['model', 'seconds', 'validation']);
      expect(Object.keys(c.validation).sort()).toEqual(['mae', 'r2', 'rmse']);
    }
    // y is a line in x1 and x2 with little noise.
    expect(out.chosen).toBe('linear_regression');
    expect(Object.keys(out.metrics.test).sort()).toEqual(['mae', 'r2', 'rmse']);
    const shown = cairn('runs', 'show', out.run);
    expect(shown.stdout).toContain('model:    auto → linear_regression');
    expect(shown.stdout).toMatch(/chosen: {3}Linear regression: validation rmse \d\.\d{4} vs Gradient-boosted trees/);
  });

  it('refuses a kind that does not exist, naming auto among the choices', () => {
    const r = cairn('train', 'prices', '--target', 'y', '--model', 'forest');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--model must be logistic, linear, mlp, gbdt, cnn or auto, not "forest"');
  });
});
