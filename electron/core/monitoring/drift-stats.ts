// The statistics of data drift: the population stability index over bins fixed by the training
// data, and the two-sample Kolmogorov-Smirnov test with its exact p-value (the lattice-path
// probability scipy's ks_2samp computes in its default mode for samples up to 10,000). Pure
// functions over arrays; test/unit/electron/core/monitoring/drift-stats.test.ts checks them
// against scipy and numpy.

/**
 * PSI above this is drift. The rule of thumb of credit scoring, where PSI comes from, and of
 * monitoring tools since (Evidently, NannyML): below 0.1 stable, 0.1 to 0.2 a moderate change,
 * above 0.2 a shift worth acting on.
 */
export const PSI_DRIFT = 0.2;

/**
 * A KS p-value below this is drift, if the shift is also large enough (KS_MIN_STATISTIC). 0.01,
 * not the usual 0.05: a monitor tests every numeric feature in every window, and at 0.05 a model
 * with twenty features would see one "drift" by chance in most windows.
 */
export const KS_P_VALUE = 0.01;

/**
 * KS statistics below this are never drift, however small the p-value: with thousands of live
 * rows the test finds a difference of two percent of the distribution "significant", which no
 * model notices. 0.1 means the two CDFs differ by ten percentage points somewhere.
 */
export const KS_MIN_STATISTIC = 0.1;

/** The share an empty bin counts as, so the logarithm in PSI stays finite (as numpy-based tools do). */
export const PSI_EPSILON = 1e-4;

/** Bins of a numeric feature: its training deciles. */
export const NUMERIC_BINS = 10;

/** The q-quantile of ascending values, interpolating linearly between ranks (numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Ascending copy of finite values. */
export function sortedFinite(values: Iterable<number>): Float64Array {
  const out: number[] = [];
  for (const v of values) if (Number.isFinite(v)) out.push(v);
  return Float64Array.from(out).sort();
}

/**
 * The inner edges of a numeric feature's bins: the distinct training deciles. Bin k holds values
 * v with edges[k-1] <= v < edges[k] (bin 0 below the first edge, the last bin from the last edge up).
 */
export function decileEdges(trainingSorted: ArrayLike<number>, bins = NUMERIC_BINS): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = quantile(trainingSorted, k / bins);
    if (Number.isFinite(e) && (edges.length === 0 || e > (edges[edges.length - 1] as number))) edges.push(e);
  }
  return edges;
}

/** The bin of a value: how many edges are at or below it (numpy's searchsorted side='right'). */
export function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts of values per bin (edges.length + 1 bins). */
export function binCounts(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) counts[binOf(edges, values[i] as number)]! += 1;
  return counts;
}

/** Counts as shares of their sum (all zero when the sum is). */
export function toShares(counts: readonly number[]): number[] {
  const n = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (n > 0 ? c / n : 0));
}

/**
 * Population stability index of `actual` against `expected` shares over the same bins:
 * sum of (a - e) * ln(a / e), each share raised to PSI_EPSILON when below it.
 */
export function psi(expected: readonly number[], actual: readonly number[], epsilon = PSI_EPSILON): number {
  if (expected.length !== actual.length) throw new Error('psi: expected and actual need the same bins');
  let total = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] as number, epsilon);
    const a = Math.max(actual[i] as number, epsilon);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export interface KsResult {
  /** The largest distance between the two empirical CDFs. */
  statistic: number;
  /** Two-sided: the probability of a distance at least this large if both samples came from one distribution. */
  pValue: number;
}

/**
 * Two-sample Kolmogorov-Smirnov test on ascending samples, two-sided, exact: the statistic as
 * the integer lattice distance h = max |c1·n2 - c2·n1| / g (g = gcd), and the p-value as the share
 * of monotone lattice paths from (0,0) to (n1,n2) that reach a point with |i·n2/g - j·n1/g| >= h.
 * Each point's share is the weighted shares of its two predecessors (i/(i+j) and j/(i+j) of the
 * paths come through each), so the numbers stay in [0, 1] and small p-values keep their digits.
 * O(n1·n2) time: callers keep samples to a few thousand values.
 */
export function ks2Samp(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error('ks2Samp: both samples need values');
  const g = gcd(n1, n2);
  const s1 = n2 / g;
  const s2 = n1 / g;
  const lcm = (n1 / g) * n2;
  // Walk both samples in value order; after each distinct value, measure the CDFs' gap in lattice units.
  let i = 0;
  let j = 0;
  let h = 0;
  while (i < n1 || j < n2) {
    const v = Math.min(i < n1 ? (a[i] as number) : Infinity, j < n2 ? (b[j] as number) : Infinity);
    while (i < n1 && (a[i] as number) <= v) i++;
    while (j < n2 && (b[j] as number) <= v) j++;
    const gap = Math.abs(i * s1 - j * s2);
    if (gap > h) h = gap;
  }
  if (h === 0) return { statistic: 0, pValue: 1 };
  // out[j]: share of paths to (row, j) that have touched the region |i*s1 - j*s2| >= h.
  const out = new Float64Array(n2 + 1);
  for (let r = 0; r <= n1; r++) {
    for (let c = 0; c <= n2; c++) {
      if (Math.abs(r * s1 - c * s2) >= h) {
        out[c] = 1;
        continue;
      }
      if (r === 0 && c === 0) {
        out[c] = 0;
        continue;
      }
      const fromLeft = c > 0 ? (out[c - 1] as number) * (c / (r + c)) : 0;
      const fromBelow = r > 0 ? (out[c] as number) * (r / (r + c)) : 0;
      out[c] = fromLeft + fromBelow;
    }
  }
  return { statistic: h / lcm, pValue: Math.min(1, Math.max(0, out[n2] as number)) };
}
