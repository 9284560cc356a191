// The normal CDF pieces TPE's densities rest on, against scipy's values (scipy.special.log_ndtr,
// ndtri; scipy.stats.truncnorm.logpdf), far into the tails, and the mixtures TPE builds from them.
import { describe, expect, it } from 'vitest';
import {
  logGaussMass,
  logNdtr,
  ndtri,
  truncatedStandardNormal,
} from '../../../../../electron/core/sweeps/truncated-normal.js';
import { ParzenEstimator } from '../../../../../electron/core/sweeps/parzen-estimator.js';
import { defaultWeights } from '../../../../../electron/core/sweeps/tpe-sampler.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

const PRIOR_AT_0_3 = 0.02097780049094955;

describe('truncated normal', () => {
  it('log Φ matches scipy to 1e-6 relative, from -40 to 8', () => {
    const scipy: [number, number][] = [
      [-40, -804.6084420137539],
      [-10, -53.23128515051248],
      [-3, -6.60772622151035],
      [0, -0.6931471805599453],
      [1.5, -0.06914345561223399],
      [8, -6.220960574271743e-16],
    ];
    for (const [x, v] of scipy) expect(Math.abs(logNdtr(x) - v)).toBeLessThanOrEqual(1e-6 * Math.abs(v) + 1e-18);
  });

  it('log mass of an interval in either tail keeps its precision', () => {
    // scipy: log(ndtr(b) - ndtr(a)) computed in the left tail.
    expect(logGaussMass(-31, -30)).toBeCloseTo(-454.3212439563433, 5);
    expect(logGaussMass(30, 31)).toBeCloseTo(-454.3212439563433, 5);
    expect(logGaussMass(-1, 1)).toBeCloseTo(Math.log(0.6826894921370859), 7);
  });

  it('Φ⁻¹ inverts Φ', () => {
    for (const x of [-8, -3, -0.5, 0, 0.7, 2.5, 6]) expect(ndtri(Math.exp(logNdtr(x)))).toBeCloseTo(x, 5);
    expect(ndtri(0.975)).toBeCloseTo(1.959963984540054, 8);
  });

  it('a Parzen mixture of truncated kernels integrates to 1, and its draws stay inside with the density it states', () => {
    const d = { kind: 'float', low: 0, high: 1, log: false } as const;
    const options = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights };
    // No observations: the prior alone, a normal(0.5, 1) truncated to [0, 1]; scipy.stats.truncnorm.logpdf(0.3, -0.5, 0.5, loc=0.5, scale=1).
    expect(new ParzenEstimator(d, [], options).logPdf([0.3])[0]).toBeCloseTo(PRIOR_AT_0_3, 6);
    const mixture = new ParzenEstimator(d, [0.8, 0.85, 0.1], options);
    const steps = 10_000;
    const grid = Array.from({ length: steps }, (_, i) => (i + 0.5) / steps);
    const density = mixture.logPdf(grid).map(Math.exp);
    expect(density.reduce((s, p) => s + p / steps, 0)).toBeCloseTo(1, 6);
    const draws = mixture.sample(seededRandom(3), 20_000) as number[];
    expect(draws.every((x) => x >= 0 && x <= 1)).toBe(true);
    const below = draws.filter((x) => x < 0.5).length / draws.length;
    const expected = density.slice(0, steps / 2).reduce((s, p) => s + p / steps, 0);
    expect(Math.abs(below - expected)).toBeLessThan(0.01);
    // The truncated standard normal draw itself, in a far tail: inside its interval.
    const tail = Array.from({ length: 100 }, (_, i) => truncatedStandardNormal(4, 4.5, (i + 0.5) / 100));
    expect(tail.every((z) => z >= 4 && z <= 4.5)).toBe(true);
    expect(tail[0]! < tail[99]!).toBe(true);
  });
});
