import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../../../shared/api.js';
import { costlyTypeChange, describeInvalid } from '../../../../../renderer/src/pages/datasets/type-change.js';

function col(type: ColumnProfile['type'], invalid: number, missing = 0): ColumnProfile {
  return {
    name: 'c',
    type,
    inferredType: 'text',
    storageType: 'VARCHAR',
    missing,
    invalid,
    nonFinite: 0,
    distinct: 10,
    distinctApprox: false,
  };
}

describe('type change cost', () => {
  it('asks when a change invalidates most of the present values', () => {
    expect(costlyTypeChange(col('text', 0), col('numeric', 100), 100)).toEqual({ invalid: 100, values: 100 });
    // Missing values are not counted: 30 invalid of 40 present is most.
    expect(costlyTypeChange(col('text', 0, 60), col('numeric', 30, 60), 100)).toEqual({ invalid: 30, values: 40 });
  });

  it('applies without asking when few values are lost, or none more than already were', () => {
    expect(costlyTypeChange(col('text', 0), col('numeric', 50), 100)).toBeUndefined();
    expect(costlyTypeChange(col('text', 0), col('categorical', 0), 100)).toBeUndefined();
    expect(costlyTypeChange(col('numeric', 90), col('integer', 90), 100)).toBeUndefined();
    expect(costlyTypeChange(col('text', 0, 100), col('numeric', 0, 100), 100)).toBeUndefined();
  });

  it('says the count plainly', () => {
    expect(describeInvalid({ invalid: 5400, values: 5400 })).toBe('5,400 of 5,400 values (100%)');
  });
});
