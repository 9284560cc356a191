import { describe, expect, it } from 'vitest';
import { filtersFromDrafts } from '../../../../renderer/src/pages/datasets/rows-filter.js';

describe('filtersFromDrafts', () => {
  it('keeps filters with a value or a value-less operator, in column order', () => {
    const drafts = {
      b: { op: 'gt' as const, value: ' 3 ' },
      a: { op: 'contains' as const, value: '' },
      c: { op: 'is_null' as const, value: 'ignored' },
    };
    expect(filtersFromDrafts(drafts, ['a', 'b', 'c'])).toEqual([
      { column: 'b', op: 'gt', value: '3' },
      { column: 'c', op: 'is_null' },
    ]);
  });
});
