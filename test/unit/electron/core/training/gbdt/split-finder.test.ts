// Split finding on hand-made histograms: a node's best split by gain, where missing values go, and
// categorical set splits.
import { describe, expect, it } from 'vitest';
import { fitBins } from '../../../../../../electron/core/training/gbdt/binning.js';
import { HIST_STRIDE, histogramLayout } from '../../../../../../electron/core/training/gbdt/histogram.js';
import {
  DEFAULT_SPLIT_CONSTRAINTS,
  findBestSplit,
  type NodeSums,
} from '../../../../../../electron/core/training/gbdt/split-finder.js';
import type { FeatureKind } from '../../../../../../electron/core/training/gbdt/tree-format.js';

const constraints = { ...DEFAULT_SPLIT_CONSTRAINTS, minSamplesLeaf: 1, l2: 0 };

/** A one-feature node: per bin (missing bin last) the gradient sum and count, hessian = count. */
function node(kind: FeatureKind, values: number[], bins: { g: number; count: number }[]) {
  const x = Float32Array.from(values);
  const mapper = fitBins(x, values.length, [kind], 255, 1);
  const layout = histogramLayout(mapper.nBins);
  expect(layout.totalBins).toBe(bins.length);
  const hist = new Float64Array(layout.totalBins * HIST_STRIDE);
  const sums: NodeSums = { g: 0, h: 0, count: 0 };
  bins.forEach((b, i) => {
    hist.set([b.g, b.count, b.count], i * HIST_STRIDE);
    sums.g += b.g;
    sums.h += b.count;
    sums.count += b.count;
  });
  return { mapper, layout, hist, sums, features: Int32Array.of(0) };
}

/** Bins 0, 1, 2 (values 1, 2, 3) and an empty missing bin: the first two want up, the last down. */
const SIGN_CHANGE = [
  { g: -4, count: 2 },
  { g: -4, count: 2 },
  { g: 6, count: 2 },
  { g: 0, count: 0 },
];

describe('numeric splits', () => {
  it('splits where the gradients change sign, with the gain of the Newton leaves', () => {
    const n = node('numeric', [1, 2, 3], SIGN_CHANGE);
    const split = findBestSplit(n.hist, n.layout, n.mapper, n.features, n.sums, constraints)!;
    expect(split.bin).toBe(1);
    expect(split.left).toEqual({ g: -8, h: 4, count: 4 });
    // GL²/HL + GR²/HR - G²/H = 64/4 + 36/2 - 4/6.
    expect(split.gain).toBeCloseTo(16 + 18 - 4 / 6, 12);
  });

  it('sends missing values right when they behave like the high values', () => {
    const n = node(
      'numeric',
      [1, 2, NaN],
      [
        { g: -5, count: 3 },
        { g: 5, count: 3 },
        { g: 5, count: 3 },
      ],
    );
    const split = findBestSplit(n.hist, n.layout, n.mapper, n.features, n.sums, constraints)!;
    expect(split.bin).toBe(0);
    expect(split.missingLeft).toBe(false);
    expect(Array.from(split.goLeft.subarray(0, 3))).toEqual([1, 0, 0]);
  });

  it('sends missing values left when they behave like the low values', () => {
    const n = node(
      'numeric',
      [1, 2, NaN],
      [
        { g: -5, count: 3 },
        { g: 5, count: 3 },
        { g: -5, count: 3 },
      ],
    );
    const split = findBestSplit(n.hist, n.layout, n.mapper, n.features, n.sums, constraints)!;
    expect(split.bin).toBe(0);
    expect(split.missingLeft).toBe(true);
    expect(split.left.count).toBe(6);
    expect(Array.from(split.goLeft.subarray(0, 3))).toEqual([1, 0, 1]);
  });

  it('can split the missing rows from all the others', () => {
    const n = node(
      'numeric',
      [1, 2, NaN],
      [
        { g: -5, count: 3 },
        { g: -5, count: 3 },
        { g: 9, count: 3 },
      ],
    );
    const split = findBestSplit(n.hist, n.layout, n.mapper, n.features, n.sums, constraints)!;
    expect(split.bin).toBe(1);
    expect(split.missingLeft).toBe(false);
  });

  it('respects min samples per leaf and finds nothing when no split gains', () => {
    const n = node('numeric', [1, 2, 3], SIGN_CHANGE);
    expect(
      findBestSplit(n.hist, n.layout, n.mapper, n.features, n.sums, { ...constraints, minSamplesLeaf: 3 }),
    ).toBeNull();
    const flat = node(
      'numeric',
      [1, 2],
      [
        { g: 2, count: 2 },
        { g: 2, count: 2 },
        { g: 0, count: 0 },
      ],
    );
    expect(findBestSplit(flat.hist, flat.layout, flat.mapper, flat.features, flat.sums, constraints)).toBeNull();
  });
});

describe('categorical splits', () => {
  it('finds a set split no threshold on the ids can make', () => {
    // Categories 0..5; 1, 3 and 5 want down, 0, 2 and 4 up: any threshold split mixes them.
    const bins = [0, 1, 2, 3, 4, 5].map((c) => ({ g: c % 2 === 1 ? 20 : -20, count: 20 }));
    const n = node('categorical', [0, 1, 2, 3, 4, 5], [...bins, { g: 0, count: 0 }, { g: 0, count: 0 }]);
    const split = findBestSplit(n.hist, n.layout, n.mapper, n.features, n.sums, constraints)!;
    const left = [0, 1, 2, 3, 4, 5].filter((b) => split.goLeft[b] === 1);
    expect([
      [0, 2, 4],
      [1, 3, 5],
    ]).toContainEqual(left);
    // Both children pure: the whole gain G²/H terms of each side.
    expect(split.gain).toBeCloseTo(60 ** 2 / 60 + 60 ** 2 / 60, 9);
    // The other bin (unseen categories) never goes left.
    expect(split.goLeft[6]).toBe(0);
  });

  it('treats missing values as a category of their own', () => {
    const n = node(
      'categorical',
      [0, 1, NaN],
      [
        { g: -20, count: 20 },
        { g: 20, count: 20 },
        { g: 0, count: 0 },
        { g: -20, count: 20 },
      ],
    );
    const split = findBestSplit(n.hist, n.layout, n.mapper, n.features, n.sums, constraints)!;
    expect(split.goLeft[0]).toBe(split.goLeft[3]);
    expect(split.goLeft[1]).not.toBe(split.goLeft[0]);
    expect(split.missingLeft).toBe(split.goLeft[3] === 1);
  });

  it('leaves categories with too little support out of the set (they go right)', () => {
    // Category 2 has 5 rows, under the support of 10.
    const n = node(
      'categorical',
      [0, 1, 2],
      [
        { g: -20, count: 20 },
        { g: 20, count: 20 },
        { g: -50, count: 5 },
        { g: 0, count: 0 },
        { g: 0, count: 0 },
      ],
    );
    const split = findBestSplit(n.hist, n.layout, n.mapper, n.features, n.sums, constraints)!;
    expect(split.goLeft[2]).toBe(0);
    expect(split.goLeft[0]! + split.goLeft[1]!).toBe(1);
  });
});
