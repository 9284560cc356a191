import { describe, expect, it } from 'vitest';
import {
  filterRuns,
  hiddenSummary,
  keyParams,
  NO_FILTER,
  normalizeParams,
  presentMetrics,
  rangeIds,
  runDurationMs,
  sortRuns,
  statusCounts,
  type RunFilter,
} from '../../../../../renderer/src/pages/runs/runs-query.js';
import { summary } from './run-fixtures.js';

const ids = (runs: readonly { id: string }[]) => runs.map((r) => r.id);

describe('sortRuns', () => {
  it('sorts numbers numerically both ways with nulls last, ties in input order', () => {
    const a = summary({ testMetrics: { accuracy: 0.9 } });
    const b = summary({ testMetrics: { accuracy: 0.15 } });
    const c = summary({ testMetrics: null, status: 'failed' });
    const d = summary({ testMetrics: { accuracy: 0.9 } });
    const e = summary({ testMetrics: { accuracy: 1 } });
    const runs = [a, b, c, d, e];
    expect(ids(sortRuns(runs, { key: 'metric:accuracy', direction: 'asc' }))).toEqual(ids([b, a, d, e, c]));
    expect(ids(sortRuns(runs, { key: 'metric:accuracy', direction: 'desc' }))).toEqual(ids([e, a, d, b, c]));
  });

  it('compares text case-blind and naturally, and leaves the input alone', () => {
    const runs = [summary({ target: 'b10' }), summary({ target: 'B2' }), summary({ target: 'a' })];
    const before = ids(runs);
    expect(sortRuns(runs, { key: 'target', direction: 'asc' }).map((r) => r.target)).toEqual(['a', 'B2', 'b10']);
    expect(ids(runs)).toEqual(before);
  });

  it('orders dataset versions as numbers and saved models by name then version', () => {
    const runs = [
      summary({ datasetName: 'iris2', datasetVersion: 1 }),
      summary({ datasetVersion: 10 }),
      summary({ datasetVersion: 2 }),
      summary({ datasetName: 'abalone', datasetVersion: 3 }),
    ];
    expect(
      sortRuns(runs, { key: 'dataset', direction: 'asc' }).map((r) => `${r.datasetName}@${r.datasetVersion}`),
    ).toEqual(['abalone@3', 'iris@2', 'iris@10', 'iris2@1']);
    const models = [
      summary({ model: { name: 'm', version: 10 } }),
      summary({ model: null }),
      summary({ model: { name: 'm', version: 9 } }),
    ];
    expect(sortRuns(models, { key: 'model', direction: 'desc' }).map((r) => r.model?.version ?? null)).toEqual([
      10,
      9,
      null,
    ]);
  });

  it('sorts by key params of both param shapes, by status in lifecycle order and by live duration', () => {
    const queued = summary({
      status: 'queued',
      params: { model: 'mlp', epochs: 5, learningRate: 0.1 },
      startedAt: null,
      finishedAt: null,
    });
    const done = summary();
    expect(ids(sortRuns([done, queued], { key: 'epochs', direction: 'asc' }))).toEqual(ids([queued, done]));
    expect(ids(sortRuns([queued, done], { key: 'learningRate', direction: 'desc' }))).toEqual(ids([queued, done]));
    expect(ids(sortRuns([done, queued], { key: 'status', direction: 'asc' }))).toEqual(ids([queued, done]));
    const running = summary({ status: 'running', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null });
    const now = Date.parse('2026-01-01T00:01:00.000Z');
    expect(ids(sortRuns([running, done, queued], { key: 'duration', direction: 'asc' }, now))).toEqual(
      ids([done, running, queued]),
    );
  });

  it('keeps the input order without a sort', () => {
    const runs = [summary(), summary()];
    const out = sortRuns(runs, undefined);
    expect(ids(out)).toEqual(ids(runs));
    expect(out).not.toBe(runs);
  });

  it('sorts 10,000 runs in well under a frame budget per change', () => {
    const runs = Array.from({ length: 10_000 }, (_, i) =>
      summary({
        target: `t${(i * 7919) % 10_000}`,
        testMetrics: i % 10 === 0 ? null : { accuracy: ((i * 31) % 1000) / 1000 },
      }),
    );
    const t0 = performance.now();
    const byMetric = sortRuns(runs, { key: 'metric:accuracy', direction: 'desc' });
    const byText = sortRuns(runs, { key: 'target', direction: 'asc' });
    const elapsed = performance.now() - t0;
    expect(byMetric).toHaveLength(10_000);
    expect(byMetric[byMetric.length - 1]?.testMetrics).toBeNull();
    expect(byText[0]?.target).toBe('t0');
    // Generous for slow CI machines; on a laptop this is ~20 ms.
    expect(elapsed).toBeLessThan(1500);
  });
});

describe('filterRuns', () => {
  const iris = summary({
    datasetName: 'iris',
    datasetVersion: 2,
    target: 'species',
    status: 'succeeded',
    model: { name: 'flowers', version: 3 },
  });
  const houses = summary({
    datasetName: 'houses',
    target: 'price',
    task: 'regression',
    status: 'failed',
    model: null,
    backend: 'tensorflow',
  });
  const queued = summary({ datasetName: 'iris', target: 'petal_width', task: null, status: 'queued', model: null });
  const runs = [iris, houses, queued];
  const f = (over: Partial<RunFilter>): RunFilter => ({ ...NO_FILTER, ...over });

  it('returns the same array when nothing filters', () => {
    expect(filterRuns(runs, NO_FILTER)).toBe(runs);
    expect(filterRuns(runs, f({ text: '   ' }))).toBe(runs);
  });

  it('matches every word of the text in id, dataset@version, target, status, model and backend, case-blind', () => {
    expect(ids(filterRuns(runs, f({ text: 'IRIS' })))).toEqual(ids([iris, queued]));
    expect(ids(filterRuns(runs, f({ text: 'iris@2' })))).toEqual(ids([iris]));
    expect(ids(filterRuns(runs, f({ text: 'iris@v2' })))).toEqual(ids([iris]));
    expect(ids(filterRuns(runs, f({ text: 'flowers:3' })))).toEqual(ids([iris]));
    expect(ids(filterRuns(runs, f({ text: 'failed' })))).toEqual(ids([houses]));
    expect(ids(filterRuns(runs, f({ text: 'tensorflow' })))).toEqual(ids([houses]));
    expect(ids(filterRuns(runs, f({ text: 'iris petal' })))).toEqual(ids([queued]));
    expect(ids(filterRuns(runs, f({ text: houses.id.slice(0, 8) })))).toEqual(ids([houses]));
    expect(filterRuns(runs, f({ text: 'nothing-like-this' }))).toEqual([]);
  });

  it('filters by any of the chosen statuses and by task, keeping order', () => {
    expect(ids(filterRuns(runs, f({ statuses: new Set(['queued', 'failed']) })))).toEqual(ids([houses, queued]));
    expect(ids(filterRuns(runs, f({ task: 'regression' })))).toEqual(ids([houses]));
    expect(ids(filterRuns(runs, f({ task: 'classification', text: 'iris' })))).toEqual(ids([iris]));
  });
});

describe('key params', () => {
  it('reads finished and queued runs alike', () => {
    expect(keyParams(summary())).toEqual({
      epochs: 20,
      batchSize: 32,
      learningRate: 0.001,
      hidden: [{ units: 64, activation: 'relu', dropout: 0 }],
    });
    const queued = summary({
      status: 'queued',
      params: { model: 'mlp', target: 'y', epochs: 7, batchSize: 16, seed: 1 },
    });
    expect(keyParams(queued)).toMatchObject({ epochs: 7, batchSize: 16, learningRate: null });
    // Queued without layers: the model's defaults.
    expect(hiddenSummary(keyParams(queued).hidden)).toBe('64·32 relu');
    const linear = summary({ modelKind: 'linear_regression', params: { model: 'linear_regression', epochs: 3 } });
    expect(keyParams(linear).hidden).toBeNull();
  });

  it('moves request-shaped params to where finished runs keep them', () => {
    expect(
      normalizeParams({
        target: 'y',
        model: 'mlp',
        hiddenLayers: [{ units: 8 }],
        epochs: 3,
        earlyStopping: { patience: 2 },
        seed: 7,
        split: { train: 0.8, validation: 0, test: 0.2 },
        timeColumn: 'day',
        features: ['a'],
      }),
    ).toEqual({
      model: { kind: 'mlp', hiddenLayers: [{ units: 8 }] },
      train: { epochs: 3, earlyStopping: { patience: 2 }, seed: 7 },
      split: { seed: 7, fractions: { train: 0.8, validation: 0, test: 0.2 }, timeColumn: 'day' },
      features: ['a'],
    });
    const finished = { model: { kind: 'mlp' }, train: { epochs: 1 } };
    expect(normalizeParams(finished)).toBe(finished);
  });

  it('summarises hidden layers', () => {
    expect(hiddenSummary(null)).toBe('—');
    expect(hiddenSummary([])).toBe('—');
    expect(
      hiddenSummary([
        { units: 128, activation: 'tanh' },
        { units: 64, activation: 'relu', dropout: 0.2 },
      ]),
    ).toBe('128 tanh·64 relu +dropout');
  });
});

describe('durations', () => {
  it('runs from start to finish, or to now while running', () => {
    const start = '2026-01-01T00:00:00.000Z';
    expect(runDurationMs({ status: 'succeeded', startedAt: start, finishedAt: '2026-01-01T00:00:02.500Z' }, 0)).toBe(
      2500,
    );
    expect(runDurationMs({ status: 'running', startedAt: start, finishedAt: null }, Date.parse(start) + 61_000)).toBe(
      61_000,
    );
    expect(runDurationMs({ status: 'queued', startedAt: null, finishedAt: null }, Date.now())).toBeNull();
    expect(runDurationMs({ status: 'interrupted', startedAt: start, finishedAt: null }, Date.now())).toBeNull();
  });
});

describe('table helpers', () => {
  it('lists the headline metrics some run has, in column order', () => {
    const runs = [
      summary({ testMetrics: { r2: 0.5, mae: 1, rows: 9 } }),
      summary({ testMetrics: { roc_auc: null, accuracy: 0.5 } }),
      summary({ testMetrics: null }),
    ];
    expect(presentMetrics(runs)).toEqual(['accuracy', 'mae', 'r2']);
  });

  it('counts statuses', () => {
    const counts = statusCounts([summary(), summary({ status: 'failed' }), summary()]);
    expect(counts).toMatchObject({ succeeded: 2, failed: 1, queued: 0, running: 0 });
  });

  it('gives the ids between two rows, either way round', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }];
    expect(rangeIds(rows, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(rangeIds(rows, 'c', 'a')).toEqual(['a', 'b', 'c']);
    expect(rangeIds(rows, 'gone', 'c')).toEqual(['c']);
  });
});
