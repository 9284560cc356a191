// Drift statistics against independent implementations: scipy's ks_2samp (default mode, exact
// for these sizes) and a numpy PSI (np.quantile deciles, np.searchsorted bins, shares clipped to
// the same epsilon), both run in Debian's python on the same samples. Without scipy the
// comparison says so and skips; the checks that need no python always run.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binCounts,
  decileEdges,
  ks2Samp,
  psi,
  PSI_EPSILON,
  quantile,
  sortedFinite,
  toShares,
} from '../../../../../electron/core/monitoring/drift-stats.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { tempDir } from '../helpers.js';

const PYTHON = '/usr/bin/python3';
const hasScipy = spawnSync(PYTHON, ['-c', 'import scipy.stats, numpy'], { encoding: 'utf8' }).status === 0;
if (!hasScipy)
  console.warn(`drift-stats: ${PYTHON} lacks scipy (apt-get install python3-scipy): the scipy comparison is skipped`);

const REFERENCE = String.raw`
import json, sys
import numpy as np
from scipy.stats import ks_2samp
cases = json.load(open(sys.argv[1]))
eps = float(sys.argv[2])
out = []
for c in cases:
    a = np.array(c["a"], dtype=float)
    b = np.array(c["b"], dtype=float)
    r = ks_2samp(a, b)
    edges = np.unique(np.quantile(a, np.arange(1, 10) / 10))
    ea = np.bincount(np.searchsorted(edges, a, side="right"), minlength=len(edges) + 1) / len(a)
    eb = np.bincount(np.searchsorted(edges, b, side="right"), minlength=len(edges) + 1) / len(b)
    ea, eb = np.clip(ea, eps, None), np.clip(eb, eps, None)
    out.append({"ks": float(r.statistic), "p": float(r.pvalue), "psi": float(np.sum((eb - ea) * np.log(eb / ea))), "edges": edges.tolist()})
print(json.dumps(out))
`;

function normal(random: () => number, n: number, mean = 0, sd = 1): number[] {
  return Array.from({ length: n }, () => {
    const u = 1 - random();
    const v = random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

const r = seededRandom(7);
const CASES: { name: string; a: number[]; b: number[] }[] = [
  { name: 'same distribution, unequal sizes', a: normal(r, 300), b: normal(r, 200) },
  { name: 'same distribution, equal sizes', a: normal(r, 250), b: normal(r, 250) },
  { name: 'shifted by half a standard deviation', a: normal(r, 400), b: normal(r, 150, 0.5) },
  { name: 'wider spread', a: normal(r, 500), b: normal(r, 300, 0, 2) },
  {
    name: 'ties: small integers',
    a: Array.from({ length: 240 }, () => Math.floor(r() * 5)),
    b: Array.from({ length: 180 }, () => Math.floor(r() * 6)),
  },
  { name: 'tiny samples', a: [1.5, 2.25, 3, 0.5, 9, 4, 2], b: [3.5, 8, 7.25, 6, 10] },
  { name: 'coprime sizes, strong shift', a: normal(r, 997), b: normal(r, 601, 1.2) },
  { name: 'monitoring sizes', a: normal(r, 3000, 5, 2), b: normal(r, 3000, 5.3, 2) },
];

let dir: string;
let cleanup: () => Promise<void>;
let reference: { ks: number; p: number; psi: number; edges: number[] }[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-drift-'));
  if (!hasScipy) return;
  const file = path.join(dir, 'cases.json');
  await writeFile(file, JSON.stringify(CASES));
  const run = spawnSync(PYTHON, ['-c', REFERENCE, file, String(PSI_EPSILON)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`reference script failed: ${run.stderr}`);
  reference = JSON.parse(run.stdout) as typeof reference;
});
afterAll(async () => cleanup());

describe('drift statistics against scipy and numpy', () => {
  it.skipIf(!hasScipy).each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i]!;
    const ref = reference[i]!;
    const a = sortedFinite(c.a);
    const b = sortedFinite(c.b);
    const ks = ks2Samp(a, b);
    expect(ks.statistic).toBeCloseTo(ref.ks, 12);
    // Exact path counting on both sides: equal to rounding, absolutely and relatively.
    expect(Math.abs(ks.pValue - ref.p)).toBeLessThan(1e-9);
    if (ref.p > 1e-6) expect(Math.abs(ks.pValue - ref.p) / ref.p).toBeLessThan(1e-6);
    const edges = decileEdges(a);
    expect(edges).toHaveLength(ref.edges.length);
    edges.forEach((e, k) => expect(e).toBeCloseTo(ref.edges[k]!, 12));
    const value = psi(toShares(binCounts(edges, a)), toShares(binCounts(edges, b)));
    expect(value).toBeCloseTo(ref.psi, 10);
  });
});

describe('drift statistics', () => {
  it('PSI is zero for identical shares, grows with the shift, and is finite with empty bins', () => {
    expect(psi([0.25, 0.25, 0.5], [0.25, 0.25, 0.5])).toBe(0);
    const small = psi([0.5, 0.5], [0.45, 0.55]);
    const large = psi([0.5, 0.5], [0.1, 0.9]);
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small);
    expect(Number.isFinite(psi([0.5, 0.5, 0], [0, 0.5, 0.5]))).toBe(true);
    expect(() => psi([1], [0.5, 0.5])).toThrow(/same bins/);
  });

  it('KS finds no difference between a sample and itself, and certainty between disjoint ones', () => {
    const a = sortedFinite([1, 2, 3, 4, 5, 6]);
    expect(ks2Samp(a, a)).toEqual({ statistic: 0, pValue: 1 });
    const far = ks2Samp(sortedFinite([1, 2, 3, 4, 5, 6, 7, 8]), sortedFinite([11, 12, 13, 14, 15, 16, 17, 18]));
    expect(far.statistic).toBe(1);
    // Two of the C(16, 8) = 12870 orderings keep the samples apart.
    expect(far.pValue).toBeCloseTo(2 / 12870, 15);
  });

  it('quantiles interpolate between ranks and decile edges drop repeats', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.9)).toBe(10);
    // Deciles 0.1..0.7 are all 0 and count once; 0.8 and 0.9 fall between 0, 1 and 2.
    const edges = decileEdges([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    expect(edges).toHaveLength(3);
    [0, 0.2, 1.1].forEach((e, k) => expect(edges[k]).toBeCloseTo(e, 12));
    expect(binCounts([0, 1], [-1, 0, 0.5, 1, 2])).toEqual([1, 2, 2]);
  });
});
