// A small seeded PRNG so splits (and anything else that shuffles) are reproducible from a seed
// recorded with the run: Math.random cannot be seeded, and tfjs's own RNG is backend-bound.

/** A function returning floats in [0, 1), the same sequence for the same seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  // Any number is a seed: fold non-integers and large values into 32 bits so 1.5 and 2**40 work.
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n) from `random`. */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** Shuffles `items` in place (Fisher–Yates) with `random`; returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(items: T, random: () => number): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** k distinct row indices of [0, n), ascending, from a partial shuffle drawn with `random`. */
export function sampleWithoutReplacement(n: number, k: number, random: () => number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
  return idx.subarray(0, k).sort();
}

function hashSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`A seed must be a finite number, got ${seed}`);
  if (Number.isInteger(seed) && seed >= -0x80000000 && seed <= 0xffffffff) return seed | 0;
  // Spread the bits of the double so nearby non-integer seeds give unrelated sequences.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed);
  return (Math.imul(view.getUint32(0) ^ 0x9e3779b9, 0x85ebca6b) ^ view.getUint32(4)) | 0;
}
