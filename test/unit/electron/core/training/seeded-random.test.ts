// The seeded PRNG: reproducible sequences, sane range, permutations from shuffle.
import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom, shuffleInPlace } from '../../../../../electron/core/training/seeded-random.js';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const take = (seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: 20 }, () => r());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
    expect(take(1.5)).toEqual(take(1.5));
    expect(take(1.5)).not.toEqual(take(2.5));
    expect(take(2 ** 40)).not.toEqual(take(2 ** 40 + 1));
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const r = seededRandom(7);
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]! += 1;
    }
    expect(outside).toBe(0);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
    expect(randomInt(seededRandom(1), 1)).toBe(0);
  });

  it('refuses a non-finite seed', () => {
    expect(() => seededRandom(Number.NaN)).toThrow(/finite/);
  });
});

describe('shuffleInPlace', () => {
  it('permutes typed and plain arrays reproducibly', () => {
    const a = Uint32Array.from({ length: 100 }, (_, i) => i);
    const b = Uint32Array.from({ length: 100 }, (_, i) => i);
    shuffleInPlace(a, seededRandom(3));
    shuffleInPlace(b, seededRandom(3));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const words = shuffleInPlace(['a', 'b', 'c', 'd'], seededRandom(3));
    expect([...words].sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
