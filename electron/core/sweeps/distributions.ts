// A checked search space as the samplers see it: one distribution per parameter, with whole
// numbers and log scales made explicit (the space's `log` on an integer setting is an integer log
// distribution, as Optuna's IntDistribution(log=True)). Fixed values stay in, as a distribution
// every sampler returns unchanged.
import { SWEEP_PARAMETERS, type ModelKind, type TrialParams } from '../../../shared/sweep/parameters.js';
import {
  parseSearchSpace,
  SearchSpaceError,
  type ParamSpace,
  type SearchSpace,
  type SpaceProblem,
} from '../../../shared/sweep/space.js';
import { CairnError } from '../errors.js';

export type ParamValue = number | string;

export type Distribution =
  | { kind: 'fixed'; value: ParamValue }
  | { kind: 'categorical'; choices: readonly ParamValue[] }
  /** Whole numbers low, low + step, ... up to high; log: uniform in log (step 1). */
  | { kind: 'int'; low: number; high: number; step: number; log: boolean; count?: number }
  /** step: values on low + k·step; count: how many evenly (log: geometrically) spaced points a grid takes. */
  | { kind: 'float'; low: number; high: number; step?: number; log: boolean; count?: number };

export type Distributions = Readonly<Record<string, Distribution>>;

/**
 * The distributions of a space, checked for `model` first: a bad space throws a CairnError
 * (invalid_argument) whose message names each problem and whose details hold them as data.
 */
export function distributionsOf(model: ModelKind, input: unknown): Distributions {
  let space: SearchSpace;
  try {
    space = parseSearchSpace(model, input);
  } catch (e) {
    if (e instanceof SearchSpaceError) throw spaceError(e.problems);
    throw e;
  }
  return Object.fromEntries(
    Object.entries(space).map(([name, spec]) => {
      const setting = SWEEP_PARAMETERS[name as keyof typeof SWEEP_PARAMETERS].setting;
      return [name, distributionOf(spec, setting.type === 'integer')];
    }),
  );
}

function distributionOf(spec: ParamSpace, integer: boolean): Distribution {
  const count = 'count' in spec && spec.count !== undefined ? { count: spec.count } : {};
  switch (spec.type) {
    case 'fixed':
      return { kind: 'fixed', value: spec.value };
    case 'choice':
      return { kind: 'categorical', choices: spec.values };
    case 'int': {
      const step = spec.step ?? 1;
      return { kind: 'int', low: spec.min, high: lastOnStep(spec.min, spec.max, step), step, log: false };
    }
    case 'float':
      if (spec.step === undefined) return { kind: 'float', low: spec.min, high: spec.max, log: false, ...count };
      return {
        kind: 'float',
        low: spec.min,
        high: lastOnStep(spec.min, spec.max, spec.step),
        step: spec.step,
        log: false,
      };
    case 'log':
      return integer
        ? { kind: 'int', low: spec.min, high: spec.max, step: 1, log: true, ...count }
        : { kind: 'float', low: spec.min, high: spec.max, log: true, ...count };
  }
}

/** A bad space as the error every host shows: each problem on its line, and as data for a form to place. */
export function spaceError(problems: SpaceProblem[]): CairnError {
  return new CairnError('invalid_argument', problems.map((p) => p.message).join('\n'), { problems });
}

/** The highest of low, low + step, ... not above high (Optuna lowers `high` the same way). */
function lastOnStep(low: number, high: number, step: number): number {
  return onStep(low, step, low + Math.floor((high - low) / step + 1e-9) * step);
}

/** A value drawn uniformly (in log for log distributions) from `d`. */
export function sampleUniform(d: Distribution, random: () => number): ParamValue {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'categorical':
      return d.choices[Math.floor(random() * d.choices.length)]!;
    case 'int': {
      if (d.log)
        return clamp(
          Math.round(Math.exp(uniform(Math.log(d.low - 0.5), Math.log(d.high + 0.5), random))),
          d.low,
          d.high,
        );
      return d.low + Math.floor(random() * ((d.high - d.low) / d.step + 1)) * d.step;
    }
    case 'float': {
      if (d.log) return Math.exp(uniform(Math.log(d.low), Math.log(d.high), random));
      if (d.step !== undefined)
        return onStep(
          d.low,
          d.step,
          d.low + Math.floor(random() * (Math.floor((d.high - d.low) / d.step + 1e-9) + 1)) * d.step,
        );
      return uniform(d.low, d.high, random);
    }
  }
}

/** Draws each parameter of `distributions` uniformly, in the space's order. */
export function sampleAllUniform(distributions: Distributions, random: () => number): TrialParams {
  const out: TrialParams = {};
  for (const [name, d] of Object.entries(distributions)) out[name] = sampleUniform(d, random);
  return out;
}

function uniform(low: number, high: number, random: () => number): number {
  return low + (high - low) * random();
}

export function clamp(v: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, v));
}

/** `v` rounded onto low + k·step without float dust (0.1 + 2·0.05 is 0.2, not 0.20000000000000004). */
export function onStep(low: number, step: number, v: number): number {
  const k = Math.round((v - low) / step);
  const decimals = Math.max(decimalsOf(low), decimalsOf(step));
  return Number((low + k * step).toFixed(Math.min(decimals, 15)));
}

function decimalsOf(x: number): number {
  const s = String(x);
  const e = s.indexOf('e-');
  if (e >= 0) return Number(s.slice(e + 2)) + (s.indexOf('.') >= 0 ? e - s.indexOf('.') - 1 : 0);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}
