// The parallel check's arithmetic: a trial's peak from its table and model kind (a network's
// one-hot columns widen it, a tree's do not), the automatic default, and the lowering with its note.
import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../../../shared/api.js';
import {
  automaticParallel,
  JOB_BASELINE_BYTES,
  parallelThatFits,
  trialPeakBytes,
} from '../../../../../electron/core/sweeps/trial-memory.js';

const column = (name: string, type: ColumnProfile['type'], distinct: number) =>
  ({ name, type, distinct }) as ColumnProfile;
const COLUMNS = [column('x', 'numeric', 900), column('n', 'integer', 40), column('city', 'categorical', 300)];

describe('the parallel check', () => {
  it("estimates a trial's peak from its cells: one-hot categories for networks, one code for trees", () => {
    // A network: 1 + 1 + 50 (one-hot capped at 50) columns; trees: 3.
    expect(trialPeakBytes('mlp', 10_000, COLUMNS)).toBe(JOB_BASELINE_BYTES + 10_000 * 52 * 110);
    expect(trialPeakBytes('gbdt', 10_000, COLUMNS)).toBe(JOB_BASELINE_BYTES + 10_000 * 3 * 32);
  });

  it('takes one per core less one when not told, at least one', () => {
    expect([1, 2, 8].map(automaticParallel)).toEqual([1, 1, 7]);
    expect(parallelThatFits(undefined, 300e6, { cores: 8, freeBytes: 32e9, totalBytes: 32e9 })).toEqual({
      parallel: 7,
    });
  });

  it('lowers what was asked to what 80% of the free memory holds, never below one, and says so', () => {
    const machine = { cores: 16, freeBytes: 1e9, totalBytes: 8e9 };
    expect(parallelThatFits(2, 400e6, machine)).toEqual({ parallel: 2 });
    expect(parallelThatFits(6, 300e6, machine)).toEqual({
      parallel: 2,
      note: 'Parallel trials lowered from 6 to 2: each trial needs about 300 MB at its peak and 1,000 MB of 8,000 MB are free.',
    });
    expect(parallelThatFits(4, 5e9, machine).parallel).toBe(1);
  });
});
