import { it } from 'vitest';
import { RandomSampler } from '../../../../../electron/core/sweeps/random-sampler.js';
import { TpeSampler } from '../../../../../electron/core/sweeps/tpe-sampler.js';
import { BRANIN_SPACE, branin, minimise, mean } from './objectives.js';
import type { Distributions } from '../../../../../electron/core/sweeps/distributions.js';
const Q: Distributions = {
  a: { kind: 'float', low: -5, high: 5, log: false },
  b: { kind: 'float', low: -5, high: 5, log: false },
  c: { kind: 'float', low: -5, high: 5, log: false },
  d: { kind: 'float', low: -5, high: 5, log: false },
};
const quad = (p: Record<string, number | string>) =>
  ['a', 'b', 'c', 'd'].reduce((s, k, i) => s + ((p[k] as number) - i + 1.5) ** 2, 0);
it('calib', () => {
  for (const [name, sp, f] of [
    ['branin', BRANIN_SPACE, branin],
    ['quad4', Q, quad],
  ] as const) {
    const t0 = Date.now();
    for (let block = 0; block < 4; block++) {
      const r: number[] = [],
        t: number[] = [];
      for (let s = block * 30; s < block * 30 + 30; s++) {
        r.push(minimise(new RandomSampler(s), sp, f, 60).best);
        t.push(minimise(new TpeSampler({ seed: s }), sp, f, 60).best);
      }
      console.log(
        name,
        block,
        'random',
        mean(r).toFixed(3),
        'tpe',
        mean(t).toFixed(3),
        'ratio',
        (mean(t) / mean(r)).toFixed(2),
      );
    }
    console.log(Date.now() - t0, 'ms');
  }
});
