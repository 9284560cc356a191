// Champion and challenger scored with one yardstick: classes shared across both models' answers
// and the truth (a class one model never learned counts against it), the direction of each
// metric, and a margin that must be met by a strictly better challenger.
import { describe, expect, it } from 'vitest';
import { improvement } from '../../../../../shared/metrics.js';
import { beats, heldOutMetrics } from '../../../../../electron/core/monitoring/held-out.js';

describe('held-out comparison', () => {
  it('scores classifiers over the classes of the truth and of both models', () => {
    const truth = ['a', 'b', 'c', 'c'];
    // The champion never learned "c"; the challenger did.
    const [champion, challenger] = heldOutMetrics(truth, [
      { labels: ['a', 'b', 'b', 'b'] },
      { labels: ['a', 'b', 'c', 'b'] },
    ]);
    expect(champion?.accuracy).toBe(0.5);
    expect(challenger?.accuracy).toBe(0.75);
    // Macro recall over a, b, c: champion (1 + 1 + 0) / 3, challenger (1 + 1 + 0.5) / 3.
    expect(champion?.recall_macro).toBeCloseTo(2 / 3, 12);
    expect(challenger?.recall_macro).toBeCloseTo(2.5 / 3, 12);
  });

  it('scores regressors with mae, rmse and r2, and refuses to mix the two kinds', () => {
    const [m] = heldOutMetrics([1, 2, 3], [{ values: Float32Array.from([1, 2, 5]) }]);
    expect(m).toMatchObject({ mae: 2 / 3 });
    expect(m?.rmse).toBeCloseTo(Math.sqrt(4 / 3), 6);
    expect(() => heldOutMetrics([1], [{ values: Float32Array.from([1]) }, { labels: ['a'] }])).toThrow(
      /cannot be compared/,
    );
  });

  it('knows which way is better and holds the margin', () => {
    expect(improvement('accuracy', 0.8, 0.85)).toBeCloseTo(0.05, 12);
    expect(improvement('mae', 2, 1.5)).toBe(0.5);
    expect(improvement('rmse', 1, 1.2)).toBeCloseTo(-0.2, 12);
    expect(beats(0, 0)).toBe(false);
    expect(beats(0.01, 0)).toBe(true);
    expect(beats(0.01, 0.02)).toBe(false);
    expect(beats(0.02, 0.02)).toBe(true);
    expect(beats(-0.1, 0)).toBe(false);
  });
});
