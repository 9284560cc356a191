// The median rule and ASHA stop exactly the trials their rule says, on hand-made curves.
import { describe, expect, it } from 'vitest';
import { AshaPruner } from '../../../../../electron/core/sweeps/asha-pruner.js';
import { MedianPruner } from '../../../../../electron/core/sweeps/median-pruner.js';
import type { Direction, Pruner, Trial } from '../../../../../electron/core/sweeps/trials.js';

/** A trial whose curve is `values` at steps 1, 2, ... */
function trial(number: number, values: number[], state: Trial['state'] = 'complete'): Trial {
  return {
    number,
    params: {},
    state,
    ...(state === 'complete' && { value: values.at(-1)! }),
    curve: values.map((value, i) => ({ step: i + 1, value })),
  };
}

/** The first step at which `pruner` stops a trial with curve `values`, reporting it point by point; undefined if never. */
function stopsAt(
  pruner: Pruner,
  others: Trial[],
  values: number[],
  direction: Direction = 'minimize',
): number | undefined {
  const number = others.length;
  for (let s = 1; s <= values.length; s++) {
    const t = { ...trial(number, values.slice(0, s), 'running') };
    if (pruner.shouldPrune({ trial: t, trials: [...others, t], direction })) return s;
  }
  return undefined;
}

describe('MedianPruner', () => {
  // Five complete trials; at every step their median is the middle curve's value (5, 4, 3, 2, 1).
  const done = [
    trial(0, [9, 8, 7, 6, 5]),
    trial(1, [7, 6, 5, 4, 3]),
    trial(2, [5, 4, 3, 2, 1]),
    trial(3, [3, 2, 1, 0, -1]),
    trial(4, [1, 0, -1, -2, -3]),
  ];

  it('stops a trial at the first step its best so far is worse than the median there', () => {
    const pruner = new MedianPruner();
    expect(stopsAt(pruner, done, [4, 3.5, 3, 3, 3])).toBe(4); // best 3 > median 2 at step 4
    expect(stopsAt(pruner, done, [4, 3.5, 3.2, 3, 3])).toBe(3); // best 3.2 > median 3 at step 3
    expect(stopsAt(pruner, done, [6, 6, 6])).toBe(1);
    // At the median is not worse than it: never stopped.
    expect(stopsAt(pruner, done, [5, 4, 3, 2, 1])).toBeUndefined();
    // The best so far counts, not the last value: an early low keeps a later bump going.
    expect(stopsAt(pruner, done, [0, 9, 9])).toBeUndefined();
  });

  it('flips with the direction', () => {
    const up = done.map((t) => ({ ...t, value: -t.value!, curve: t.curve.map((p) => ({ ...p, value: -p.value })) }));
    expect(stopsAt(new MedianPruner(), up, [-4, -3.5, -3, -3, -3], 'maximize')).toBe(4);
  });

  it('waits for its startup trials and warmup steps', () => {
    expect(stopsAt(new MedianPruner(), done.slice(0, 4), [6, 6, 6])).toBeUndefined();
    // Four trials: the median at step 1 is 6.
    expect(stopsAt(new MedianPruner({ startupTrials: 4 }), done.slice(0, 4), [6.5, 6.5])).toBe(1);
    expect(stopsAt(new MedianPruner({ warmupSteps: 2 }), done, [6, 6, 6])).toBe(3);
    // Running and pruned trials are not the field the median is taken over.
    const notDone = done.map((t) => ({ ...t, state: 'pruned' as const }));
    expect(stopsAt(new MedianPruner(), notDone, [6, 6, 6])).toBeUndefined();
  });
});

describe('AshaPruner', () => {
  it('judges only at rungs minResource·η^k', () => {
    const asha = new AshaPruner({ minResource: 2, reductionFactor: 3 });
    expect([0, 1, 2, 3].map((k) => asha.rungStep(k))).toEqual([2, 6, 18, 54]);
    // A lone trial is always the best at its rung; a terrible one between rungs runs on.
    expect(stopsAt(asha, [], [9, 9, 9, 9, 9, 9, 9])).toBeUndefined();
  });

  it('keeps a trial at a rung only among the best 1/η of the values seen there, itself included', () => {
    const asha = new AshaPruner({ minResource: 1, reductionFactor: 2 });
    // Rungs at steps 1, 2, 4. Three earlier trials reached step 4 with these values.
    const field = [trial(0, [5, 4, 3, 2]), trial(1, [6, 5, 4, 3]), trial(2, [7, 6, 5, 4])];
    // Step 1: 4 values (5, 6, 7, mine); keep the best 2: mine must be <= the 2nd best.
    expect(stopsAt(asha, field, [6.5])).toBe(1); // sorted 5, 6, 6.5, 7: 6.5 > 6
    expect(stopsAt(asha, field, [6, 5, 9, 3])).toBeUndefined(); // 6 <= 6; 5 <= 5 at step 2; step 3 no rung; 3 <= 3 at 4
    expect(stopsAt(asha, field, [6, 5.5])).toBe(2); // step 2: 4, 5, 5.5, 6: 5.5 > 5
    expect(stopsAt(asha, field, [1, 1, 1, 3.5])).toBe(4); // step 4: 2, 3, 3.5, 4: 3.5 > 3
  });

  it('counts pruned and running trials at a rung (asynchronous), and flips with the direction', () => {
    const asha = new AshaPruner({ minResource: 1, reductionFactor: 2 });
    const field = [trial(0, [5], 'pruned'), trial(1, [6], 'running'), trial(2, [7], 'pruned')];
    expect(stopsAt(asha, field, [6.5])).toBe(1);
    const up = [trial(0, [-5], 'pruned'), trial(1, [-6], 'running'), trial(2, [-7], 'pruned')];
    expect(stopsAt(asha, up, [-6.5], 'maximize')).toBe(1);
    expect(stopsAt(asha, up, [-5.5], 'maximize')).toBeUndefined();
  });

  it('judges a curve that skips steps at the first report past each rung', () => {
    const asha = new AshaPruner({ minResource: 1, reductionFactor: 2 });
    const field = [trial(0, [5, 4, 3, 2]), trial(1, [6, 5, 4, 3]), trial(2, [7, 6, 5, 4])];
    const skipping = (values: [number, number][]): Trial => ({
      number: 3,
      params: {},
      state: 'running',
      curve: values.map(([step, value]) => ({ step, value })),
    });
    // Reported at steps 2 and 5: step 2 judges rungs 1 and 2; step 5 judges rung 4 (values 2, 3, 4 there).
    const judge = (curve: [number, number][]) =>
      asha.shouldPrune({ trial: skipping(curve), trials: [...field, skipping(curve)], direction: 'minimize' });
    expect(judge([[2, 5]])).toBe(false);
    expect(judge([[2, 5.5]])).toBe(true); // rung 2: 4, 5, 5.5, 6
    expect(
      judge([
        [2, 5],
        [5, 3],
      ]),
    ).toBe(false);
    expect(
      judge([
        [2, 5],
        [5, 3.5],
      ]),
    ).toBe(true); // rung 4: 2, 3, 3.5, 4
    // Another trial that skipped rung 1 (first report at step 3) counts there with that report, but not at rung 4, not reached.
    const late: Trial = { number: 0, params: {}, state: 'running', curve: [{ step: 3, value: 0 }] };
    const judged = (values: number[]) => {
      const t = trial(1, values, 'running');
      return asha.shouldPrune({ trial: t, trials: [late, t], direction: 'minimize' });
    };
    expect(judged([9])).toBe(true);
    expect(judged([9, 9, 9, 9])).toBe(false);
  });

  it('stops a trial whose value is NaN at a rung', () => {
    expect(stopsAt(new AshaPruner(), [], [Number.NaN])).toBe(1);
  });
});
