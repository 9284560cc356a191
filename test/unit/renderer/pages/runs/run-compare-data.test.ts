import { describe, expect, it } from 'vitest';
import {
  curveKeyOrder,
  flattenParams,
  formatParamValue,
  metricRows,
  paramRows,
  scalarTestMetrics,
  type ParamSource,
} from '../../../../../renderer/src/pages/runs/run-compare-data.js';

const source = (params: Record<string, unknown>, over: Partial<ParamSource> = {}): ParamSource => ({
  params,
  datasetName: 'iris',
  datasetVersion: 1,
  target: 'species',
  task: 'classification',
  backend: 'wasm',
  ...over,
});

describe('flattenParams', () => {
  it('gives dotted keys for nested objects and keeps arrays and empty objects as values', () => {
    expect(
      flattenParams({
        model: { kind: 'mlp', hiddenLayers: [{ units: 64 }] },
        train: { learningRate: 0.01, earlyStopping: { patience: 3 } },
        split: {},
        features: ['a', 'b'],
      }),
    ).toEqual([
      ['model.kind', 'mlp'],
      ['model.hiddenLayers', [{ units: 64 }]],
      ['train.learningRate', 0.01],
      ['train.earlyStopping.patience', 3],
      ['split', {}],
      ['features', ['a', 'b']],
    ]);
  });
});

describe('paramRows', () => {
  const a = source({
    model: { kind: 'mlp', hiddenLayers: [{ units: 64, activation: 'relu' }] },
    train: { learningRate: 0.01, epochs: 10 },
    features: ['x', 'y'],
  });
  const b = source({
    model: { kind: 'mlp', hiddenLayers: [{ activation: 'relu', units: 64 }] },
    train: { learningRate: 0.001, epochs: 10 },
    features: ['x', 'y'],
  });

  it('marks rows whose values differ, comparing arrays and objects by content', () => {
    const rows = paramRows([a, b]);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey['train.learningRate']).toMatchObject({ values: [0.01, 0.001], differs: true });
    expect(byKey['train.epochs']?.differs).toBe(false);
    // Key order inside the layer objects does not make a difference.
    expect(byKey['model.hiddenLayers']?.differs).toBe(false);
    expect(byKey.features?.differs).toBe(false);
    expect(rows.slice(0, 3).map((r) => r.key)).toEqual(['dataset', 'target', 'task']);
    expect(byKey.dataset?.values).toEqual(['iris@v1', 'iris@v1']);
  });

  it('counts a parameter one run lacks as a difference, and lines queued runs up with finished ones', () => {
    const queued = source(
      { model: 'mlp', target: 'species', learningRate: 0.01, epochs: 10 },
      { backend: null, task: null },
    );
    const rows = paramRows([a, queued]);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey['train.learningRate']).toMatchObject({ values: [0.01, 0.01], differs: false });
    expect(byKey['model.kind']?.differs).toBe(false);
    expect(byKey.features).toMatchObject({ values: [['x', 'y'], undefined], differs: true });
    expect(byKey.task).toMatchObject({ values: ['classification', undefined], differs: true });
    expect(byKey.backend).toMatchObject({ values: ['wasm', undefined], differs: true });
    // The finished run's order wins, whichever column it is in.
    expect(paramRows([queued, a]).map((r) => r.key)).toEqual(rows.map((r) => r.key));
  });

  it('finds no difference between a run and itself', () => {
    expect(paramRows([a, a]).some((r) => r.differs)).toBe(false);
  });
});

describe('formatParamValue', () => {
  it('writes hidden layers, lists and missing values for a table cell', () => {
    expect(
      formatParamValue([
        { units: 64, activation: 'relu', dropout: 0 },
        { units: 32, activation: 'tanh', dropout: 0.25 },
      ]),
    ).toBe('64 relu, 32 tanh (dropout 0.25)');
    expect(formatParamValue(['a', 'b'])).toBe('a, b');
    expect(formatParamValue(undefined)).toBe('—');
    expect(formatParamValue(null)).toBe('null');
    expect(formatParamValue(0.001)).toBe('0.001');
    expect(formatParamValue(true)).toBe('true');
    expect(formatParamValue({})).toBe('{}');
  });
});

describe('metricRows', () => {
  it('marks the highest value best, and the lowest for losses and errors', () => {
    const rows = metricRows([
      { accuracy: 0.8, log_loss: 0.5, roc_auc: null },
      { accuracy: 0.9, log_loss: 0.7, roc_auc: 0.91 },
      { accuracy: 0.9, log_loss: 0.4 },
    ]);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.accuracy).toMatchObject({ best: [1, 2], lowerIsBetter: false });
    expect(byKey.log_loss).toMatchObject({ best: [2], lowerIsBetter: true });
    // One value is nothing to compare with.
    expect(byKey.roc_auc).toMatchObject({ values: [null, 0.91, null], best: [] });
    expect(rows.map((r) => r.key)).toEqual(['accuracy', 'roc_auc', 'log_loss']);
  });

  it('marks nothing when every run has the same value', () => {
    expect(metricRows([{ accuracy: 1 }, { accuracy: 1 }, { accuracy: null }])[0]?.best).toEqual([]);
  });

  it('compares a metric only among the runs that have it (mixed tasks)', () => {
    const rows = metricRows([
      { accuracy: 0.7 },
      { mae: 3, rmse: 4, r2: 0.2 },
      { mae: 2, rmse: 5, r2: 0.6 },
      { accuracy: 0.75 },
    ]);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.accuracy?.best).toEqual([3]);
    expect(byKey.mae?.best).toEqual([2]);
    expect(byKey.rmse?.best).toEqual([1]);
    expect(byKey.r2?.best).toEqual([2]);
    expect(rows.map((r) => r.key)).toEqual(['accuracy', 'mae', 'rmse', 'r2']);
  });
});

describe('curveKeyOrder', () => {
  it('puts loss first and each validation curve after its training one', () => {
    expect(curveKeyOrder(['acc', 'loss', 'val_acc', 'val_loss'])).toEqual(['loss', 'val_loss', 'acc', 'val_acc']);
    expect(curveKeyOrder(['val_mae', 'mae', 'val_loss', 'loss', 'acc'])).toEqual([
      'loss',
      'val_loss',
      'acc',
      'mae',
      'val_mae',
    ]);
  });
});

describe('scalarTestMetrics', () => {
  it('keeps the test split scalars, without the row count or curves', () => {
    expect(
      scalarTestMetrics({
        test: { accuracy: 0.9, roc_auc: null, rows: 23, confusion: [[1]], roc: [], classes: ['a'], log_loss: Infinity },
      }),
    ).toEqual({ accuracy: 0.9, roc_auc: null, log_loss: null });
    expect(scalarTestMetrics(null)).toEqual({});
  });
});
