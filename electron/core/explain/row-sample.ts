// Picking rows of a row-major feature matrix: a seeded sample of row numbers, and those rows copied
// out. Explanations sample test rows to score and training rows to integrate over.
import { sampleWithoutReplacement, seededRandom } from '../training/seeded-random.js';

/** Rows `picked` of a row-major matrix `x` of width d. */
export function takeRows(x: Float32Array, d: number, picked: ArrayLike<number>): Float32Array {
  const out = new Float32Array(picked.length * d);
  for (let i = 0; i < picked.length; i++) {
    const r = picked[i] as number;
    out.set(x.subarray(r * d, (r + 1) * d), i * d);
  }
  return out;
}

/** `k` row numbers below n, a seeded sample in ascending order (all of them when n ≤ k). */
export function sampleRows(n: number, k: number, seed: number): Uint32Array {
  if (n <= k) return Uint32Array.from({ length: n }, (_, i) => i);
  return sampleWithoutReplacement(n, k, seededRandom(seed));
}
