// Grid search: every combination of the parameters' grid values, each tried once, in an order
// shuffled by the seed (as Optuna's GridSampler does) so a budget smaller than the grid still
// spreads over it. A float or log range has no grid of its own: it needs a step or a count.
import type { TrialParams } from '../../../shared/sweep/parameters.js';
import { seededRandom, shuffleInPlace } from '../training/seeded-random.js';
import { clamp, onStep, spaceError, type Distribution, type Distributions, type ParamValue } from './distributions.js';
import type { SampleContext, Sampler } from './trials.js';

/** Points a grid may hold at most: past this a sweep would never finish it. */
export const MAX_GRID_POINTS = 100_000;

/** The values a grid takes for one parameter, or why it has none. */
export function gridValues(d: Distribution): ParamValue[] | string {
  switch (d.kind) {
    case 'fixed':
      return [d.value];
    case 'categorical':
      return [...d.choices];
    case 'int': {
      if (d.log) {
        if (d.count === undefined) return 'a log range needs a count for a grid.';
        return [...new Set(spaced(d.low, d.high, d.count, true).map((v) => clamp(Math.round(v), d.low, d.high)))];
      }
      const n = Math.floor((d.high - d.low) / d.step) + 1;
      if (n > MAX_GRID_POINTS) return `${n.toLocaleString('en-US')} grid values: give a larger step.`;
      return Array.from({ length: n }, (_, k) => d.low + k * d.step);
    }
    case 'float': {
      if (d.count !== undefined) return spaced(d.low, d.high, d.count, d.log);
      if (d.step === undefined)
        return `a ${d.log ? 'log' : 'float'} range needs a ${d.log ? 'count' : 'step or a count'} for a grid.`;
      const n = Math.floor((d.high - d.low) / d.step + 1e-9) + 1;
      if (n > MAX_GRID_POINTS) return `${n.toLocaleString('en-US')} grid values: give a larger step.`;
      return Array.from({ length: n }, (_, k) => onStep(d.low, d.step!, d.low + k * d.step!));
    }
  }
}

/**
 * `count` points from low to high, both included: evenly spaced, or geometrically when `log`;
 * rounded to 12 significant digits so 0.1 to 0.5 by five is 0.3, not 0.30000000000000004.
 */
function spaced(low: number, high: number, count: number, log: boolean): number[] {
  return Array.from({ length: count }, (_, k) => {
    const t = k / (count - 1);
    const v = log ? Math.exp(Math.log(low) + t * (Math.log(high) - Math.log(low))) : low + t * (high - low);
    return Number(v.toPrecision(12));
  });
}

export class GridSampler implements Sampler {
  private readonly names: string[];
  private readonly axes: ParamValue[][];
  private readonly order: Uint32Array;

  /** Throws spaceError naming each parameter without a grid, or a grid too large to finish. */
  constructor(distributions: Distributions, seed: number) {
    this.names = Object.keys(distributions);
    const problems: { param: string; message: string }[] = [];
    this.axes = this.names.map((name) => {
      const values = gridValues(distributions[name]!);
      if (typeof values === 'string') problems.push({ param: name, message: `${name}: ${values}` });
      return typeof values === 'string' ? [] : values;
    });
    if (problems.length > 0) throw spaceError(problems);
    const size = this.axes.reduce((n, axis) => n * axis.length, 1);
    if (size > MAX_GRID_POINTS) {
      throw spaceError([
        {
          message: `The grid has ${size.toLocaleString('en-US')} points (at most ${MAX_GRID_POINTS.toLocaleString('en-US')}): use fewer values or random search.`,
        },
      ]);
    }
    this.order = shuffleInPlace(
      Uint32Array.from({ length: size }, (_, i) => i),
      seededRandom(seed),
    );
  }

  /** How many points the grid holds. */
  get size(): number {
    return this.order.length;
  }

  /** The grid point at `index` (mixed radix over the axes, the first parameter slowest). */
  point(index: number): TrialParams {
    const params: TrialParams = {};
    for (let a = this.axes.length - 1; a >= 0; a--) {
      const axis = this.axes[a]!;
      params[this.names[a]!] = axis[index % axis.length]!;
      index = Math.floor(index / axis.length);
    }
    return Object.fromEntries(this.names.map((name) => [name, params[name]!]));
  }

  /** The first point in the shuffled order no trial has taken yet (a failed trial's point is not retried). */
  sample({ trials }: SampleContext): TrialParams | undefined {
    const taken = new Set(trials.map((t) => this.key(t.params)));
    for (const index of this.order) {
      const params = this.point(index);
      if (!taken.has(this.key(params))) return params;
    }
    return undefined;
  }

  private key(params: TrialParams): string {
    return JSON.stringify(this.names.map((name) => params[name]));
  }
}
