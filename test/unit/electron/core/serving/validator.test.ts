// The endpoint's input check (compileValidator) on integer features: a column that held whole
// numbers refuses a fraction by field, as other type errors are refused, and takes 12 and 12.0
// (one JSON number); a numeric column still takes fractions. (Issue 17, item 6.)
import { describe, expect, it } from 'vitest';
import { compileValidator } from '../../../../../electron/core/serving/validator.js';
import type { PreprocessManifest } from '../../../../../electron/core/training/manifest.js';

const manifest: PreprocessManifest = {
  format: 'cairn-preprocess/1',
  features: [
    { kind: 'numeric', column: 'rooms', type: 'integer', median: 3, mean: 3, std: 1 },
    { kind: 'numeric', column: 'area', type: 'numeric', median: 80, mean: 80, std: 20 },
  ],
  featureNames: ['rooms', 'area'],
  dropped: [],
  target: { task: 'regression', column: 'price' },
  fittedRows: 10,
};

const check = (json: string) => compileValidator(manifest).check(JSON.parse(json) as unknown[]);

describe('integer features', () => {
  it('refuses a fraction, naming the field', () => {
    expect(check('[{"rooms": 12.5, "area": 80}]')).toEqual({
      errors: [{ instance: 0, field: 'rooms', message: 'is not an integer (a whole number is expected)' }],
      total: 1,
    });
  });

  it('accepts 12, 12.0, 1e2, negatives and null, and fractions of numeric fields', () => {
    const checked = check(
      '[{"rooms": 12, "area": 80.5}, {"rooms": 12.0, "area": null}, {"rooms": 1e2, "area": 1}, {"rooms": -2, "area": 1}, {"rooms": null, "area": 1}]',
    );
    if (!('x' in checked)) throw new Error(JSON.stringify(checked.errors));
    expect(Array.from(checked.x.filter((_, i) => i % 2 === 0))).toEqual([9, 9, 97, -5, 0]);
  });

  it('still says what else is wrong with an integer field', () => {
    const checked = check('[{"rooms": "12", "area": 1}, {"rooms": 1e400, "area": 1}]');
    expect('errors' in checked && checked.errors.map((e) => e.message)).toEqual([
      'is not a number (an integer is expected)',
      'is not a finite number',
    ]);
  });
});
