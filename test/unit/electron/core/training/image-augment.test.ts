import { describe, expect, it } from 'vitest';
import { augmentPicture } from '../../../../../electron/core/training/image-augment.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

const input = { size: 12, channels: 3 as const };

/** A picture with structure in every direction: a gradient across, another down, a third by position. */
function picture(): Uint8Array {
  const raw = new Uint8Array(12 * 12 * 3);
  for (let y = 0; y < 12; y++)
    for (let x = 0; x < 12; x++) {
      const at = (y * 12 + x) * 3;
      raw[at] = x * 20;
      raw[at + 1] = y * 20;
      raw[at + 2] = (x * y * 3) % 256;
    }
  return raw;
}

/** Ten augmented copies drawn from one stream seeded with `seed`. */
function draws(level: 'light' | 'strong', seed: number): Uint8Array[] {
  const random = seededRandom(seed);
  const raw = picture();
  return Array.from({ length: 10 }, () => augmentPicture(raw, input, level, random));
}

describe('augmentPicture', () => {
  it('varies the same pictures the same way for the same seed, and differently for another', () => {
    for (const level of ['light', 'strong'] as const) {
      const a = draws(level, 5);
      expect(draws(level, 5)).toEqual(a);
      expect(draws(level, 6)).not.toEqual(a);
      // Each draw differs from the picture and from the others.
      expect(a.some((d) => d.every((v, i) => v === picture()[i]))).toBe(false);
      expect(new Set(a.map((d) => d.join())).size).toBe(10);
    }
  });

  it('copies the picture unchanged at level none, drawing nothing', () => {
    let calls = 0;
    const out = augmentPicture(picture(), input, 'none', () => (calls++, 0.5));
    expect(out).toEqual(picture());
    expect(calls).toBe(0);
  });

  it('is the identity when every draw is the middle of its range (no shift, turn, zoom or light change)', () => {
    // Light draws in order: turn, zoom, shift across, shift down, contrast, brightness. 0.5 is the
    // middle of each signed range; the zoom is 1 + draw × 10%, so 0 keeps the size.
    const draws = [0.5, 0, 0.5, 0.5, 0.5, 0.5];
    let i = 0;
    const out = augmentPicture(picture(), input, 'light', () => draws[i++]!);
    expect(out).toEqual(picture());
  });

  it('mirrors left to right only at the strong level', () => {
    // Strong draws the flip first (below 0.5 mirrors), then as light does.
    const draws = [0, 0.5, 0, 0.5, 0.5, 0.5, 0.5];
    let i = 0;
    const out = augmentPicture(picture(), input, 'strong', () => draws[i++]!);
    const raw = picture();
    for (let y = 0; y < 12; y++)
      for (let x = 0; x < 12; x++)
        for (let c = 0; c < 3; c++) expect(out[(y * 12 + x) * 3 + c]).toBe(raw[(y * 12 + (11 - x)) * 3 + c]);
  });
});
