// Splits: sizes, stratified shares, time order, seed determinism and the errors for too little data.
import { describe, expect, it } from 'vitest';
import { errorOf } from './error-of.js';
import type { CodeColumn, NumberColumn } from '../../../../../electron/core/training/columns.js';
import {
  assignedSplit,
  classCodes,
  presentRows,
  randomSplit,
  splitSizes,
  stratifiedSplit,
  timeSplit,
  type Splits,
} from '../../../../../electron/core/training/splits.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

const codesColumn = (codes: number[], dictionary: string[], name = 'y'): CodeColumn => ({
  name,
  type: 'categorical',
  kind: 'codes',
  codes: Int32Array.from(codes),
  dictionary,
});
const timeColumn = (values: number[]): NumberColumn => ({
  name: 'when',
  type: 'datetime',
  kind: 'number',
  values: Float64Array.from(values),
});

const all = (s: Splits) => [...s.train, ...s.validation, ...s.test];
const sizes = (s: Splits) => [s.train.length, s.validation.length, s.test.length];

describe('splitSizes', () => {
  it('rounds 70/15/15 and gives every split at least one row', () => {
    expect(splitSizes(100)).toEqual([70, 15, 15]);
    expect(splitSizes(1000)).toEqual([700, 150, 150]);
    expect(splitSizes(10)).toEqual([6, 2, 2]);
    expect(splitSizes(3)).toEqual([1, 1, 1]);
    expect(splitSizes(4)).toEqual([2, 1, 1]);
    expect(splitSizes(5, { train: 0.8, validation: 0, test: 0.2 })).toEqual([4, 0, 1]);
    expect(splitSizes(1, { train: 1, validation: 0, test: 0 })).toEqual([1, 0, 0]);
  });

  it('says how many rows a split needs when there are too few', () => {
    expect(errorOf(() => splitSizes(2)).message).toBe('A 70/15/15 split needs at least 3 rows; there are 2');
    expect(errorOf(() => splitSizes(0, { train: 0.8, validation: 0, test: 0.2 })).message).toMatch(
      /needs at least 2 rows; there are 0/,
    );
    expect(errorOf(() => splitSizes(10, { train: 0.5, validation: 0.1, test: 0.1 })).message).toMatch(/add up to 1/);
    expect(errorOf(() => splitSizes(10, { train: 0, validation: 0.5, test: 0.5 })).message).toMatch(
      /positive training share/,
    );
    expect(errorOf(() => splitSizes(10, { train: 1.2, validation: -0.2, test: 0 })).message).toMatch(/non-negative/);
  });
});

describe('randomSplit', () => {
  it('partitions every row once, with the sizes asked for, sorted', () => {
    const s = randomSplit(1000, 42);
    expect(sizes(s)).toEqual([700, 150, 150]);
    expect(all(s).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    for (const part of [s.train, s.validation, s.test])
      expect(Array.from(part)).toEqual(Array.from(part).sort((a, b) => a - b));
  });

  it('is the same for the same seed and differs for another', () => {
    expect(randomSplit(500, 7)).toEqual(randomSplit(500, 7));
    expect(Array.from(randomSplit(500, 7).test)).not.toEqual(Array.from(randomSplit(500, 8).test));
  });

  it('splits only the given rows', () => {
    const rows = Uint32Array.from([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    const s = randomSplit(20, 1, { rows });
    expect(all(s).sort((a, b) => a - b)).toEqual(Array.from(rows));
    expect(errorOf(() => randomSplit(5, 1, { rows: Uint32Array.from([1, 9]) })).message).toMatch(/beyond/);
  });
});

describe('stratifiedSplit', () => {
  it('keeps each class within one row of its share in every split, over many tables', () => {
    const random = seededRandom(99);
    for (let trial = 0; trial < 200; trial++) {
      const classes = 2 + Math.floor(random() * 6);
      const counts = Array.from({ length: classes }, () => 2 + Math.floor(random() * (random() < 0.3 ? 5 : 200)));
      const codes = shuffleCodes(counts, random);
      const fractions = trial % 2 === 0 ? undefined : { train: 0.6, validation: 0.2, test: 0.2 };
      const f = fractions ?? { train: 0.7, validation: 0.15, test: 0.15 };
      const s = stratifiedSplit(
        codesColumn(
          codes,
          counts.map((_c, i) => `c${i}`),
        ),
        trial,
        { fractions },
      );
      expect(sizes(s)).toEqual(splitSizes(codes.length, fractions));
      expect(all(s).sort((a, b) => a - b)).toEqual(Array.from({ length: codes.length }, (_, i) => i));
      const parts = [s.train, s.validation, s.test];
      const shares = [f.train, f.validation, f.test];
      counts.forEach((n, k) => {
        parts.forEach((part, p) => {
          const got = Array.from(part).filter((r) => codes[r] === k).length;
          // Within one row of the class's share of this split's actual size.
          const exact = (n * part.length) / codes.length;
          expect(Math.abs(got - exact)).toBeLessThan(1);
          expect(Math.abs(got - n * (shares[p] as number))).toBeLessThanOrEqual(1.5);
        });
        expect(Array.from(s.train).some((r) => codes[r] === k)).toBe(true);
      });
    }
  });

  it('is the same for the same seed, and leaves out rows without a target', () => {
    const codes = [0, 1, -1, 0, 1, 0, 1, 0, 1, -1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    const col = codesColumn(codes, ['a', 'b']);
    expect(stratifiedSplit(col, 5)).toEqual(stratifiedSplit(col, 5));
    const s = stratifiedSplit(col, 5);
    expect(all(s)).not.toContain(2);
    expect(all(s)).not.toContain(9);
    expect(all(s)).toHaveLength(18);
  });

  it('stratifies an integer target by its values', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 10 : 2));
    const y: NumberColumn = { name: 'y', type: 'integer', kind: 'number', values: Float64Array.from(values) };
    expect(classCodes(y).classes).toEqual(['2', '10']);
    const s = stratifiedSplit(y, 1);
    expect(Array.from(s.test).filter((r) => values[r] === 10)).toHaveLength(Math.round(10 * 0.15));
  });

  it('refuses an all-missing target, one class, or a class with one row', () => {
    expect(errorOf(() => stratifiedSplit(codesColumn([-1, -1, -1], ['a']), 1)).message).toBe(
      'Target "y" has no values',
    );
    expect(errorOf(() => stratifiedSplit(codesColumn([0, 0, 0, -1], ['a', 'b']), 1)).message).toBe(
      'Target "y" has only one class ("a"): classification needs at least two',
    );
    expect(errorOf(() => stratifiedSplit(codesColumn([0, 0, 0, 0, 1, 2], ['a', 'b', 'c']), 1)).message).toBe(
      'A stratified split needs at least 2 rows of each class of "y"; "b", "c" have 1',
    );
    // A class whose share of training rounds to nothing cannot be learnt.
    const codes = [...new Array<number>(40).fill(0), 1, 1];
    const err = errorOf(() =>
      stratifiedSplit(codesColumn(codes, ['a', 'b']), 1, { fractions: { train: 0.2, validation: 0.4, test: 0.4 } }),
    );
    expect(err.message).toMatch(/"b" of "y" has too few rows \(2\) to appear in the training split/);
  });
});

describe('timeSplit', () => {
  it('trains on the oldest rows and tests on the newest, leaving out rows without a time', () => {
    const times = Array.from({ length: 21 }, (_, i) => ((i * 7) % 20) * 1000);
    times[20] = Number.NaN;
    const s = timeSplit(timeColumn(times));
    expect(sizes(s)).toEqual(splitSizes(20));
    const t = (part: Uint32Array) => Array.from(part, (r) => times[r] as number);
    const [train, validation, test] = [t(s.train), t(s.validation), t(s.test)];
    expect(Math.max(...train)).toBeLessThan(Math.min(...validation));
    expect(Math.max(...validation)).toBeLessThan(Math.min(...test));
    expect(train).toEqual([...train].sort((a, b) => a - b));
    expect(all(s)).not.toContain(20);
  });

  it('keeps file order for equal times and refuses columns that are not times', () => {
    const s = timeSplit(timeColumn([5, 5, 5, 5, 1, 1]));
    expect(Array.from(s.train)).toEqual([4, 5, 0, 1]);
    expect(errorOf(() => timeSplit(timeColumn([NaN, NaN]))).message).toMatch(/no times/);
    expect(
      errorOf(() => timeSplit({ name: 'x', type: 'numeric', kind: 'number', values: new Float64Array(5) })).message,
    ).toMatch(/needs a datetime column; "x" is numeric/);
  });
});

describe('assignedSplit', () => {
  // dictionary sorted as readColumns sorts it: test, train, validation (and another word).
  const parts = codesColumn([1, 1, 2, 0, -1, 3, 1, 0], ['test', 'train', 'validation', 'holdout'], '__split');

  it("takes each row's part from the column, leaving out rows with none or another word", () => {
    expect(assignedSplit(parts)).toEqual({
      train: Uint32Array.from([0, 1, 6]),
      validation: Uint32Array.from([2]),
      test: Uint32Array.from([3, 7]),
    });
    expect(assignedSplit(parts, { rows: Uint32Array.from([0, 3, 5]) })).toEqual({
      train: Uint32Array.from([0]),
      validation: new Uint32Array(),
      test: Uint32Array.from([3]),
    });
  });

  it('refuses a split leaving no training or no test rows, and a column that is not words', () => {
    expect(errorOf(() => assignedSplit(parts, { rows: Uint32Array.from([0, 1]) }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/leaves no test rows/) as string,
    });
    expect(errorOf(() => assignedSplit(parts, { rows: Uint32Array.from([3]) })).message).toMatch(
      /leaves no training rows/,
    );
    expect(errorOf(() => assignedSplit(timeColumn([1, 2]))).message).toMatch(
      /must hold the words train, validation and test/,
    );
  });
});

describe('presentRows', () => {
  it('lists rows with a value', () => {
    expect(Array.from(presentRows(codesColumn([0, -1, 1, -1], ['a', 'b'])))).toEqual([0, 2]);
    expect(Array.from(presentRows(timeColumn([NaN, 1, 2])))).toEqual([1, 2]);
  });
});

function shuffleCodes(counts: number[], random: () => number): number[] {
  const codes = counts.flatMap((n, k) => new Array<number>(n).fill(k));
  for (let i = codes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [codes[i], codes[j]] = [codes[j] as number, codes[i] as number];
  }
  return codes;
}
