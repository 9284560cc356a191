// Run summaries for the runs page's tests: a finished classification run unless told otherwise.
import type { RunSummary } from '../../../../../shared/api.js';

let n = 0;

export function summary(over: Partial<RunSummary> = {}): RunSummary {
  n++;
  return {
    id: `run-${String(n).padStart(4, '0')}-aaaa-bbbb`,
    datasetVersionId: 'v1',
    datasetId: 'd1',
    datasetName: 'iris',
    datasetVersion: 1,
    status: 'succeeded',
    task: 'classification',
    target: 'species',
    modelKind: 'mlp',
    params: {
      model: { kind: 'mlp', hiddenLayers: [{ units: 64, activation: 'relu', dropout: 0 }], l2: 0 },
      train: { epochs: 20, batchSize: 32, learningRate: 0.001, optimizer: 'adam', classWeight: 'none', seed: 42 },
      split: { seed: 42, fractions: { train: 0.7, validation: 0.15, test: 0.15 }, method: 'stratified' },
      features: ['a', 'b'],
    },
    backend: 'wasm',
    tfjsVersion: '4.22.0',
    ranOn: { place: 'local', worker: null },
    datasetHash: 'h',
    pipelineTable: null,
    sweepId: null,
    error: null,
    model: { name: 'iris', version: n },
    createdAt: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    testMetrics: { accuracy: 0.9, f1_macro: 0.88, rows: 23 },
    epochsRun: 20,
    ...over,
  };
}
