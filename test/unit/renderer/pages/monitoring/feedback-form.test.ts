import { describe, expect, it } from 'vitest';
import { batchItems } from '../../../../../renderer/src/pages/monitoring/feedback-form.js';

describe('batch feedback form', () => {
  it('skips blank rows, trims, and names each bad row', () => {
    const r = batchItems(
      [
        { id: ' p1 ', label: ' setosa ' },
        { id: '', label: '' },
        { id: 'p2', label: '' },
        { id: '', label: 'virginica' },
        { id: 'p1', label: 'versicolor' },
      ],
      'classification',
    );
    expect(r.items).toEqual([{ id: 'p1', label: 'setosa' }]);
    expect(r.itemRows).toEqual([1]);
    expect(r.problems).toEqual([
      { row: 3, message: 'no label for p2' },
      { row: 4, message: 'the prediction id is empty' },
      { row: 5, message: 'p1 is already labelled on row 1' },
    ]);
  });

  it('sends numbers for a regressor and refuses what is not one', () => {
    const r = batchItems(
      [
        { id: 'a', label: '151.5' },
        { id: 'b', label: 'tall' },
        { id: 'c', label: '-2e3' },
      ],
      'regression',
    );
    expect(r.items).toEqual([
      { id: 'a', label: 151.5 },
      { id: 'c', label: -2000 },
    ]);
    expect(r.itemRows).toEqual([1, 3]);
    expect(r.problems).toEqual([{ row: 2, message: '"tall" is not a number' }]);
  });
});
