// The normal CDF pieces TPE's densities rest on, against scipy's values (scipy.special.log_ndtr,
// ndtri; scipy.stats.truncnorm.logpdf), far into the tails.
import { describe, expect, it } from 'vitest';
import {
  logGaussMass,
  logNdtr,
  ndtri,
  truncatedNormalLogPdf,
  truncatedStandardNormal,
} from '../../../../../electron/core/sweeps/truncated-normal.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

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

  it('the truncated density integrates to 1 and draws stay inside, with the density their histogram shows', () => {
    const [mu, sigma, low, high] = [0.8, 0.5, 0, 1];
    let integral = 0;
    const steps = 10_000;
    for (let i = 0; i < steps; i++)
      integral +=
        Math.exp(truncatedNormalLogPdf(low + ((i + 0.5) * (high - low)) / steps, mu, sigma, low, high)) / steps;
    expect(integral).toBeCloseTo(1, 6);
    // scipy.stats.truncnorm.logpdf(0.5, -1.6, 0.4, loc=0.8, scale=0.5)
    expect(truncatedNormalLogPdf(0.5, mu, sigma, low, high)).toBeCloseTo(0.10399739234795735, 6);
    const random = seededRandom(3);
    const draws = Array.from(
      { length: 20_000 },
      () => mu + sigma * truncatedStandardNormal((low - mu) / sigma, (high - mu) / sigma, random()),
    );
    expect(draws.every((d) => d >= low && d <= high)).toBe(true);
    const share = draws.filter((d) => d < 0.5).length / draws.length;
    const expected = (() => {
      let s = 0;
      for (let i = 0; i < 5000; i++)
        s += Math.exp(truncatedNormalLogPdf((i + 0.5) / 10_000, mu, sigma, low, high)) / 10_000;
      return s;
    })();
    expect(Math.abs(share - expected)).toBeLessThan(0.01);
  });
});
