// A dataset step's suggestions: its dataset's versions, and the saved sources for its source field
// with those feeding its dataset first; other steps offer nothing beyond their schema.
import { describe, expect, it } from 'vitest';
import { suggestionsFor } from '../../../../../renderer/src/pages/pipelines/step-suggestions.js';

const SOURCES = [
  { name: 'a-events', dataset: 'events' },
  { name: 'orders-pg', dataset: 'Orders' },
  { name: 'b-clicks', dataset: 'clicks' },
];
const versionsOf = (name: string) => (name === 'orders' ? [3, 2, 1] : undefined);

describe('step suggestions', () => {
  it('offers a dataset step its versions and the sources, those feeding its dataset first', () => {
    expect(suggestionsFor({ kind: 'dataset', params: { dataset: ' orders ' } }, versionsOf, SOURCES)).toEqual({
      version: ['3', '2', '1'],
      source: ['orders-pg', 'a-events', 'b-clicks'],
    });
  });

  it('offers the sources by name before a dataset is named, and nothing when there are none', () => {
    expect(suggestionsFor({ kind: 'dataset', params: {} }, versionsOf, SOURCES)).toEqual({
      source: ['a-events', 'b-clicks', 'orders-pg'],
    });
    expect(suggestionsFor({ kind: 'dataset', params: { dataset: 'x' } }, versionsOf, [])).toEqual({});
  });

  it('offers nothing to other steps', () => {
    expect(suggestionsFor({ kind: 'split', params: { dataset: 'orders' } }, versionsOf, SOURCES)).toBeUndefined();
  });
});
