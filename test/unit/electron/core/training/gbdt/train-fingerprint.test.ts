// trainGbdt's output pinned to the bit: a fingerprint of each ensemble and its per-round losses, on
// tables big enough that every step shared out between threads (histograms, gradients, partitions,
// leaf values) runs on two threads. A faster engine must leave these unchanged, on 1 thread as on 2.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  trainGbdt,
  type GbdtData,
  type GbdtParamsInput,
} from '../../../../../../electron/core/training/gbdt/train-gbdt.js';
import { makeTable } from './data.js';

const table = makeTable(60_000, 5);
const weights = Float32Array.from({ length: table.n }, (_v, i) => 0.5 + ((i * 7919) % 13) / 10);
const base = { featureKinds: table.featureKinds, train: { x: table.x, y: table.binary } };

const cases: { name: string; data: GbdtData; params: GbdtParamsInput; fingerprint: string }[] = [
  {
    name: 'binary log loss',
    data: { ...base, task: 'classification', classes: 2 },
    params: { trees: 4 },
    fingerprint: 'bcf1be9975521673',
  },
  {
    name: 'softmax, weighted, subsampled rows and features',
    data: { ...base, task: 'classification', classes: 3, train: { x: table.x, y: table.multi, sampleWeight: weights } },
    params: { trees: 3, subsample: 0.7, colsample: 0.75, seed: 3 },
    fingerprint: '4b349254dba39c85',
  },
  {
    name: 'huber regression, weighted',
    data: { ...base, task: 'regression', train: { x: table.x, y: table.value, sampleWeight: weights } },
    params: { trees: 3, loss: 'huber' },
    fingerprint: '4a61a90fb60b841d',
  },
  {
    name: 'absolute error (leaves from residual medians)',
    data: { ...base, task: 'regression', train: { x: table.x, y: table.value } },
    params: { trees: 3, loss: 'absolute_error', maxLeaves: 15 },
    fingerprint: '9998731dcdb8e6b4',
  },
];

function fingerprint(result: Awaited<ReturnType<typeof trainGbdt>>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(result.ensemble));
  hash.update(JSON.stringify(result.history));
  return hash.digest('hex').slice(0, 16);
}

describe('trained ensembles, to the bit', () => {
  for (const c of cases) {
    it(`${c.name}: the same on 1 and 2 threads`, async () => {
      const one = fingerprint(await trainGbdt(c.data, c.params, undefined, { threads: 1 }));
      const two = fingerprint(await trainGbdt(c.data, c.params, undefined, { threads: 2 }));
      expect(one).toBe(c.fingerprint);
      expect(two).toBe(c.fingerprint);
    });
  }
});
