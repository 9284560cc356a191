// KernelSHAP (Lundberg & Lee 2017) for any model seen only through its predictions (the MLP).
// Players are feature groups (a one-hot column is switched on and off as one). The value of a
// coalition S is the interventional expectation v(S) = mean over background rows b of f(x_S, b_rest).
// Shapley values are the solution of a weighted least squares over coalitions with the Shapley
// kernel weights, constrained to sum to f(x) − E f: exact when every coalition is enumerated (few
// groups), else estimated from seeded samples drawn by the kernel, each with its complement
// (paired sampling, Covert & Lee 2021), and given a standard error by bootstrapping the pairs.
import type { Attributions, Predict } from './attributions.js';
import { outputCount, rowWidth } from './attributions.js';
import type { FeatureGroup } from './feature-groups.js';
import { checkGroups } from './feature-groups.js';
import { randomInt, seededRandom } from '../training/seeded-random.js';

export interface KernelShapOptions {
  /** Enumerate every coalition when there are at most this many groups (2^11 − 2 = 2046 coalitions). */
  exactUpTo?: number;
  /** Coalitions to sample beyond exactUpTo (rounded up to pairs); default 2 × groups + 2048. */
  samples?: number;
  /** Seed of the coalition sampling and of the bootstrap. */
  seed?: number;
  /** Bootstrap resamples of the sampled coalitions behind each standard error. */
  bootstrap?: number;
  /** Rows per predict call: bounds the memory of a batch of coalitions × background rows. */
  batchRows?: number;
}

export interface KernelShapResult extends Attributions {
  /** Standard errors: 0 when exact, else the bootstrap spread of each estimate. */
  stdErr: Float64Array;
  /** Whether every coalition was enumerated (the values are then exact Shapley values). */
  exact: boolean;
  /** Coalitions evaluated per row (besides the empty and full ones). */
  coalitions: number;
}

/** Beyond this many groups enumerating coalitions (2^M) is out of reach. */
const MAX_EXACT = 20;

export const KERNEL_SHAP_DEFAULTS = { exactUpTo: 11, extraSamples: 2048, seed: 0, bootstrap: 32, batchRows: 16_384 };

/**
 * Group contributions for n rows of x (row-major n×d), against `background` rows (row-major, the
 * same d), per model output. base is the mean prediction over the background.
 */
export function kernelShap(
  predict: Predict,
  x: Float32Array,
  n: number,
  background: Float32Array,
  groups: readonly FeatureGroup[],
  options: KernelShapOptions = {},
): KernelShapResult {
  const d = rowWidth(x, n);
  const nb = background.length / d;
  if (!Number.isInteger(nb) || nb < 1)
    throw new RangeError(`The background must be rows of ${d} features, got ${background.length} values`);
  checkGroups(groups, d);
  const m = groups.length;
  if (m < 1) throw new RangeError('KernelSHAP needs at least one group');
  const batchRows = Math.max(nb, options.batchRows ?? KERNEL_SHAP_DEFAULTS.batchRows);

  const bgPred = predict(background, nb);
  const k = outputCount(bgPred, nb);
  const base = new Float64Array(k);
  for (let i = 0; i < nb * k; i++) base[i % k]! += bgPred[i]!;
  for (let o = 0; o < k; o++) base[o]! /= nb;

  const design = coalitions(m, options);
  const c = design.count;
  const system = new WeightedSystem(design, design.weight);
  const resamples = design.exact ? [] : bootstrapSystems(design, options);

  const values = new Float64Array(n * k * m);
  const stdErr = new Float64Array(n * k * m);
  const fx = new Float64Array(k);
  const delta = new Float64Array(k);
  const v = new Float64Array(c * k);
  const phi = new Float64Array(k * m);
  const spread = new Float64Array(2 * k * m);
  const rowsPerCall = Math.max(1, Math.floor(batchRows / nb));
  const batch = new Float32Array(Math.min(c, rowsPerCall) * nb * d);

  for (let r = 0; r < n; r++) {
    const row = x.subarray(r * d, (r + 1) * d);
    const own = predict(row, 1);
    for (let o = 0; o < k; o++) {
      fx[o] = own[o]!;
      delta[o] = fx[o]! - base[o]!;
    }
    // v(S) for every coalition, a batch of coalitions × background rows per predict call.
    for (let from = 0; from < c; from += rowsPerCall) {
      const to = Math.min(c, from + rowsPerCall);
      for (let s = from; s < to; s++) {
        const at = (s - from) * nb * d;
        batch.set(background, at);
        for (let g = 0; g < m; g++) {
          if (!design.z[s * m + g]) continue;
          for (const j of groups[g]!.features) for (let b = 0; b < nb; b++) batch[at + b * d + j] = row[j]!;
        }
      }
      const pred = predict(batch.subarray(0, (to - from) * nb * d), (to - from) * nb);
      for (let s = from; s < to; s++) {
        for (let o = 0; o < k; o++) {
          let sum = 0;
          for (let b = 0; b < nb; b++) sum += pred[((s - from) * nb + b) * k + o]!;
          v[s * k + o] = sum / nb;
        }
      }
    }
    system.solve(v, base, delta, phi);
    for (let o = 0; o < k; o++) for (let g = 0; g < m; g++) values[(r * k + o) * m + g] = phi[o * m + g]!;
    if (resamples.length > 0) {
      spread.fill(0);
      for (const resample of resamples) {
        resample.solve(v, base, delta, phi);
        for (let i = 0; i < k * m; i++) {
          spread[i]! += phi[i]!;
          spread[k * m + i]! += phi[i]! * phi[i]!;
        }
      }
      const b = resamples.length;
      for (let o = 0; o < k; o++) {
        for (let g = 0; g < m; g++) {
          const i = o * m + g;
          const mean = spread[i]! / b;
          const variance = Math.max(0, (spread[k * m + i]! - b * mean * mean) / Math.max(1, b - 1));
          stdErr[(r * k + o) * m + g] = Math.sqrt(variance);
        }
      }
    }
  }
  return { rows: n, outputs: k, width: m, base, values, stdErr, exact: design.exact, coalitions: c };
}

/** Coalitions as 0/1 rows of a count × m matrix, each with its regression weight. */
interface Coalitions {
  m: number;
  count: number;
  z: Uint8Array;
  weight: Float64Array;
  exact: boolean;
}

/** Every proper non-empty coalition with its Shapley kernel weight, or kernel-distributed samples in complement pairs. */
function coalitions(m: number, options: KernelShapOptions): Coalitions {
  const exactUpTo = options.exactUpTo ?? KERNEL_SHAP_DEFAULTS.exactUpTo;
  const samples = options.samples ?? 2 * m + KERNEL_SHAP_DEFAULTS.extraSamples;
  if (!Number.isInteger(samples) || samples < 2) throw new RangeError(`samples must be an integer ≥ 2, got ${samples}`);
  if (!Number.isInteger(exactUpTo) || exactUpTo > MAX_EXACT)
    throw new RangeError(`exactUpTo must be an integer ≤ ${MAX_EXACT}, got ${exactUpTo}`);
  const all = m <= MAX_EXACT ? 2 ** m - 2 : Number.POSITIVE_INFINITY;
  if (m <= exactUpTo || all <= samples) {
    const z = new Uint8Array(all * m);
    const weight = new Float64Array(all);
    for (let mask = 1; mask <= all; mask++) {
      let size = 0;
      for (let g = 0; g < m; g++) {
        const on = (mask >>> g) & 1;
        z[(mask - 1) * m + g] = on;
        size += on;
      }
      // (M − 1) / (C(M, s) s (M − s)): the weights under which the regression solves to Shapley values.
      weight[mask - 1] = (m - 1) / (binomial(m, size) * size * (m - size));
    }
    return { m, count: all, z, weight, exact: true };
  }
  const random = seededRandom(options.seed ?? KERNEL_SHAP_DEFAULTS.seed);
  const pairs = Math.ceil(samples / 2);
  // Coalition sizes drawn with probability ∝ (M − 1) / (s (M − s)), the kernel's total weight per
  // size; a subset uniform within its size; every sample then weighs the same.
  const sizeCdf = new Float64Array(m - 1);
  let total = 0;
  for (let s = 1; s < m; s++) {
    total += 1 / (s * (m - s));
    sizeCdf[s - 1] = total;
  }
  const perm = Int32Array.from({ length: m }, (_, i) => i);
  const z = new Uint8Array(2 * pairs * m);
  for (let p = 0; p < pairs; p++) {
    const u = random() * total;
    let size = 1;
    while (size < m - 1 && sizeCdf[size - 1]! < u) size++;
    for (let i = 0; i < size; i++) {
      const j = i + randomInt(random, m - i);
      const tmp = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = tmp;
    }
    const at = 2 * p * m;
    for (let g = 0; g < m; g++) z[at + m + g] = 1;
    for (let i = 0; i < size; i++) {
      z[at + perm[i]!] = 1;
      z[at + m + perm[i]!] = 0;
    }
  }
  return { m, count: 2 * pairs, z, weight: new Float64Array(2 * pairs).fill(1), exact: false };
}

/** Weighted systems over bootstrap resamples of the complement pairs: the spread of their solutions is the error. */
function bootstrapSystems(design: Coalitions, options: KernelShapOptions): WeightedSystem[] {
  const random = seededRandom((options.seed ?? KERNEL_SHAP_DEFAULTS.seed) + 0x5eed);
  const b = options.bootstrap ?? KERNEL_SHAP_DEFAULTS.bootstrap;
  if (!Number.isInteger(b) || b < 2) throw new RangeError(`bootstrap must be an integer ≥ 2, got ${b}`);
  const pairs = design.count / 2;
  const systems: WeightedSystem[] = [];
  // Bounded: a resample whose coalitions do not span the groups is drawn again, up to b more times.
  for (let attempt = 0; systems.length < b && attempt < 2 * b; attempt++) {
    const weight = new Float64Array(design.count);
    for (let i = 0; i < pairs; i++) {
      const p = randomInt(random, pairs);
      weight[2 * p]! += 1;
      weight[2 * p + 1]! += 1;
    }
    const system = WeightedSystem.tryCreate(design, weight);
    if (system) systems.push(system);
  }
  return systems;
}

/**
 * The constrained weighted least squares, factored once for a design and weights. With the last
 * group's value eliminated as (f(x) − E f) − the others' sum, each coalition reads
 * v(S) − E f − z_M Δ = Σ_{j<M} (z_j − z_M) φ_j: normal equations (M−1)×(M−1) by Cholesky.
 */
class WeightedSystem {
  private readonly chol: Float64Array;
  private readonly rhs: Float64Array;

  static tryCreate(design: Coalitions, weight: Float64Array): WeightedSystem | undefined {
    try {
      return new WeightedSystem(design, weight);
    } catch (err) {
      if (err instanceof RangeError) return undefined;
      throw err;
    }
  }

  constructor(
    private readonly design: Coalitions,
    private readonly weight: Float64Array,
  ) {
    const q = design.m - 1;
    const { z, m, count } = design;
    const a = new Float64Array(q * q);
    for (let s = 0; s < count; s++) {
      const w = weight[s]!;
      if (w === 0) continue;
      const last = z[s * m + q]!;
      for (let i = 0; i < q; i++) {
        const xi = z[s * m + i]! - last;
        if (xi === 0) continue;
        for (let j = 0; j <= i; j++) a[i * q + j]! += w * xi * (z[s * m + j]! - last);
      }
    }
    this.chol = cholesky(a, q);
    this.rhs = new Float64Array(q);
  }

  /** φ (outputs × M) from v (coalitions × outputs) for one row. */
  solve(v: Float64Array, base: Float64Array, delta: Float64Array, phi: Float64Array): void {
    const { z, m, count } = this.design;
    const q = m - 1;
    const k = base.length;
    const rhs = this.rhs;
    for (let o = 0; o < k; o++) {
      rhs.fill(0);
      for (let s = 0; s < count; s++) {
        const w = this.weight[s]!;
        if (w === 0) continue;
        const last = z[s * m + q]!;
        const y = w * (v[s * k + o]! - base[o]! - last * delta[o]!);
        for (let i = 0; i < q; i++) rhs[i]! += (z[s * m + i]! - last) * y;
      }
      choleskySolve(this.chol, q, rhs);
      let sum = 0;
      for (let i = 0; i < q; i++) {
        phi[o * m + i] = rhs[i]!;
        sum += rhs[i]!;
      }
      phi[o * m + q] = delta[o]! - sum;
    }
  }
}

/** The lower Cholesky factor of a symmetric positive definite q×q matrix (lower triangle given). */
function cholesky(a: Float64Array, q: number): Float64Array {
  const l = new Float64Array(q * q);
  let scale = 0;
  for (let i = 0; i < q; i++) scale = Math.max(scale, a[i * q + i]!);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * q + j]!;
      for (let t = 0; t < j; t++) s -= l[i * q + t]! * l[j * q + t]!;
      if (i === j) {
        if (!(s > 1e-12 * scale))
          throw new RangeError('The sampled coalitions do not separate every group: sample more coalitions');
        l[i * q + i] = Math.sqrt(s);
      } else {
        l[i * q + j] = s / l[j * q + j]!;
      }
    }
  }
  return l;
}

/** Solves L Lᵀ y = b in place. */
function choleskySolve(l: Float64Array, q: number, b: Float64Array): void {
  for (let i = 0; i < q; i++) {
    let s = b[i]!;
    for (let t = 0; t < i; t++) s -= l[i * q + t]! * b[t]!;
    b[i] = s / l[i * q + i]!;
  }
  for (let i = q - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let t = i + 1; t < q; t++) s -= l[t * q + i]! * b[t]!;
    b[i] = s / l[i * q + i]!;
  }
}

function binomial(n: number, r: number): number {
  let out = 1;
  for (let i = 1; i <= r; i++) out = (out * (n - r + i)) / i;
  return out;
}
