// Drift reports from either reference: the training rows (deciles, KS on a sample) or, where the
// rows are gone, the model card's profile (a normal curve from mean and spread, top values); and
// what is not judged: too few live inputs, fields missing from the inputs, no reference at all.
import { describe, expect, it } from 'vitest';
import type { InputField, TrainingDataSummary } from '../../../../../shared/api.js';
import {
  driftReport,
  MIN_LIVE_ROWS,
  referenceFromProfile,
  referenceFromRows,
} from '../../../../../electron/core/monitoring/drift-report.js';
import type { ColumnSet } from '../../../../../electron/core/training/columns.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

const FIELDS: InputField[] = [
  { name: 'x', kind: 'numeric' },
  { name: 'color', kind: 'categorical', categories: ['red', 'green', 'blue'] },
];

const random = seededRandom(5);
const normal = (mean = 0) => mean + Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const COLORS = ['red', 'green', 'blue'];

function inputs(n: number, opts: { mean?: number; colors?: string[] } = {}): string[] {
  const colors = opts.colors ?? COLORS;
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({ x: normal(opts.mean), color: colors[i % colors.length] }),
  );
}

function columnSet(n: number): ColumnSet {
  const x = Float64Array.from({ length: n }, () => normal());
  const codes = Int32Array.from({ length: n }, (_, i) => [2, 1, 0][i % 3] as number);
  return {
    rows: n,
    columns: new Map([
      ['x', { name: 'x', type: 'numeric', kind: 'number', values: x }],
      ['color', { name: 'color', type: 'categorical', kind: 'codes', codes, dictionary: ['blue', 'green', 'red'] }],
    ]),
  };
}

const PROFILE: TrainingDataSummary = {
  dataset: { name: 'd', version: 1, hash: 'h' },
  rows: 1000,
  columns: [
    { name: 'x', type: 'numeric', missing: 0, distinct: 1000, mean: 0, std: 1 },
    {
      name: 'color',
      type: 'categorical',
      missing: 0,
      distinct: 3,
      topValues: [
        { value: 'red', count: 340 },
        { value: 'green', count: 330 },
        { value: 'blue', count: 330 },
      ],
    },
  ],
};

describe('drift report', () => {
  const rows = columnSet(600);
  const fromRows = referenceFromRows(
    FIELDS,
    rows,
    Uint32Array.from({ length: 600 }, (_, i) => i),
  );

  it('against training rows: quiet for like traffic, names a shifted numeric feature', () => {
    const quiet = driftReport(FIELDS, fromRows, inputs(500), 500);
    expect(quiet).toMatchObject({ reference: 'training_rows', trainingRows: 600, liveRows: 500, drifted: [] });
    expect(quiet.score).toBeLessThan(0.2);
    const shifted = driftReport(FIELDS, fromRows, inputs(500, { mean: 1 }), 500);
    expect(shifted.drifted).toEqual(['x']);
    expect(shifted.features[0]?.reasons.join(' ')).toMatch(/PSI .* > 0\.2/);
    expect(shifted.features[0]?.ks?.pValue).toBeLessThan(1e-6);
  });

  it('a category unseen in training lands in "(other)" and drifts', () => {
    const report = driftReport(FIELDS, fromRows, inputs(500, { colors: ['red', 'purple'] }), 500);
    const color = report.features.find((f) => f.feature === 'color');
    expect(color?.drifted).toBe(true);
    expect(color?.ks).toBeNull();
    expect(color?.bins.map((b) => b.label)).toEqual(['blue', 'green', 'red', '(other)']);
    expect(color?.bins.at(-1)?.live).toBeCloseTo(0.5, 9);
  });

  it('against the card profile: a normal curve and top values, without KS', () => {
    const ref = referenceFromProfile(FIELDS, PROFILE);
    expect(ref.source).toBe('card_profile');
    const x = ref.features.find((f) => f.name === 'x');
    expect(x?.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    x?.shares.forEach((s) => expect(s).toBeCloseTo(0.1, 3));
    const quiet = driftReport(FIELDS, ref, inputs(800), 800);
    expect(quiet.drifted).toEqual([]);
    expect(quiet.features.every((f) => f.ks === null)).toBe(true);
    expect(driftReport(FIELDS, ref, inputs(800, { mean: 1.5 }), 800).drifted).toEqual(['x']);
  });

  it('matches a client\'s numbers to the categories of a number column ("2.0" is 2)', () => {
    const fields: InputField[] = [{ name: 'rating', kind: 'categorical', categories: ['1.0', '2.0', '3.0'] }];
    const profile: TrainingDataSummary = {
      ...PROFILE,
      columns: [
        {
          name: 'rating',
          type: 'categorical',
          missing: 0,
          distinct: 3,
          topValues: ['1.0', '2.0', '3.0'].map((value) => ({ value, count: 333 })),
        },
      ],
    };
    const live = Array.from({ length: 600 }, (_, i) => JSON.stringify({ rating: (i % 3) + 1 }));
    const rating = driftReport(fields, referenceFromProfile(fields, profile), live, 600).features[0];
    expect(rating?.drifted).toBe(false);
    expect(rating?.bins.at(-1)).toMatchObject({ label: '(other)', live: 0 });
  });

  it('judges nothing below the minimum of live inputs, or without a reference', () => {
    const few = driftReport(FIELDS, fromRows, inputs(MIN_LIVE_ROWS - 1, { mean: 3 }), MIN_LIVE_ROWS - 1);
    expect(few.score).toBeNull();
    expect(few.drifted).toEqual([]);
    expect(few.features[0]?.bins.length).toBeGreaterThan(0);
    const none = driftReport(FIELDS, null, inputs(200), 200);
    expect(none).toMatchObject({ reference: 'none', score: null, drifted: [] });
    // A field sent as null or of the wrong kind counts as missing, not as a value.
    const missing = driftReport(
      FIELDS,
      fromRows,
      [...inputs(150), ...Array.from({ length: 50 }, () => '{"x":null,"color":7}')],
      200,
    );
    expect(missing.features.find((f) => f.feature === 'x')).toMatchObject({ liveCount: 150, liveMissing: 50 });
  });
});
