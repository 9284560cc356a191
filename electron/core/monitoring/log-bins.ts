// Log-spaced bins, so the request log's writer can keep per-minute histograms of latencies and
// predicted values without knowing their range in advance: a bin spans a fixed ratio, so a
// percentile read back from bins is off by at most half a bin's width (about 2.2 %) relative to
// the exact one, whatever the scale.

/** Bins per doubling: 16 gives a bin width of 2^(1/16) ≈ 4.4 %, so a bin's middle is within 2.2 % of anything in it. */
export const BINS_PER_DOUBLING = 16;
/** Latencies at or below this (ms) share bin 0. */
const LATENCY_FLOOR_MS = 0.001;
/** Values whose magnitude is below this share bin 0 (value 0). */
const VALUE_FLOOR = 1e-6;

/** The bin of a latency in ms: 0 up to 1 µs, then one per 2^(1/16). */
export function latencyBin(ms: number): number {
  if (!(ms > LATENCY_FLOOR_MS)) return 0;
  return Math.floor(BINS_PER_DOUBLING * Math.log2(ms / LATENCY_FLOOR_MS));
}

/** The geometric middle of a latency bin, in ms. */
export function latencyOfBin(bin: number): number {
  return bin <= 0 ? LATENCY_FLOOR_MS : LATENCY_FLOOR_MS * 2 ** ((bin + 0.5) / BINS_PER_DOUBLING);
}

/** The bin of a predicted value: signed, 0 near zero, ±(1 + one per 2^(1/16) above 1e-6) beyond. */
export function valueBin(v: number): number {
  if (!Number.isFinite(v)) return v > 0 ? Number.MAX_SAFE_INTEGER : v < 0 ? -Number.MAX_SAFE_INTEGER : 0;
  const a = Math.abs(v);
  if (a < VALUE_FLOOR) return 0;
  const k = 1 + Math.floor(BINS_PER_DOUBLING * Math.log2(a / VALUE_FLOOR));
  return v < 0 ? -k : k;
}

/** The edges [lo, hi) of a value bin (for negative bins lo is the more negative edge). */
export function valueBinEdges(bin: number): [number, number] {
  if (bin === 0) return [-VALUE_FLOOR, VALUE_FLOOR];
  const k = Math.abs(bin);
  const inner = VALUE_FLOOR * 2 ** ((k - 1) / BINS_PER_DOUBLING);
  const outer = VALUE_FLOOR * 2 ** (k / BINS_PER_DOUBLING);
  return bin > 0 ? [inner, outer] : [-outer, -inner];
}

/** A histogram as (bin, count) pairs. */
export type BinCounts = ReadonlyMap<number, number> | readonly (readonly [number, number])[];

/**
 * Nearest-rank percentiles (the smallest value whose rank reaches p·n, as the endpoint stats
 * compute them exactly) read from latency bins: each is the middle of the bin holding that rank.
 */
export function binPercentiles(bins: BinCounts, ps: readonly number[]): (number | null)[] {
  const sorted = [...bins].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return ps.map(() => null);
  return ps.map((p) => {
    const rank = Math.max(1, Math.ceil((p / 100) * n - 1e-9));
    let seen = 0;
    for (const [bin, c] of sorted) {
      seen += c;
      if (seen >= rank) return latencyOfBin(bin);
    }
    return latencyOfBin(sorted[sorted.length - 1]![0]);
  });
}
