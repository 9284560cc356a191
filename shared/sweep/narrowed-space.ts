// The space a retrain searches when its policy sweeps: near the champion's settings rather than
// over the kind's whole default space. Each setting the default space tunes as a range is given a
// narrower range about the champion's value (log ranges from a third to three times it, float
// ranges a quarter of the default's width, int ranges one step either side), clipped to the
// setting's bounds; every other setting the champion recorded is held at its value, so a trial
// differs from the champion only in what is tuned.
import type { RunRequest } from '../api/runs.js';
import type { ChoiceSetting, NumberSetting } from '../training-settings.js';
import { DEFAULT_SPACES } from './default-spaces.js';
import { SWEEP_PARAMETERS, sweepParametersOf, type ModelKind, type TrialParams } from './parameters.js';
import type { ParamSpace, SearchSpace } from './space.js';

/** How far a log range reaches either side of the champion's value, as a factor. */
export const LOG_REACH = 3;
/** A float range's width as a share of the default range's. */
export const FLOAT_SHARE = 0.25;

/** The champion's settings under the sweep's names (the MLP's shape from its first hidden layer, as a sweep makes all alike). */
export function championParams(req: Partial<RunRequest>): TrialParams {
  const out: TrialParams = {};
  const fields = req as Record<string, unknown>;
  for (const name of Object.keys(SWEEP_PARAMETERS)) {
    const v = fields[name];
    if (typeof v === 'number' || typeof v === 'string') out[name] = v;
  }
  const first = req.hiddenLayers?.[0];
  if (req.hiddenLayers && first) {
    out.layers = req.hiddenLayers.length;
    out.units = first.units;
    if (first.dropout !== undefined) out.dropout = first.dropout;
    if (first.activation !== undefined) out.activation = first.activation;
  }
  return out;
}

/** The space about `champion`'s values for a model kind; parameters it did not record keep the default space's range. */
export function narrowedSpace(model: ModelKind, champion: TrialParams): SearchSpace {
  const defaults: SearchSpace = DEFAULT_SPACES[model];
  const space: SearchSpace = {};
  for (const name of sweepParametersOf(model)) {
    const value = champion[name];
    const wide = defaults[name];
    if (value === undefined) {
      if (wide) space[name] = wide;
      continue;
    }
    space[name] = typeof value === 'number' && wide ? around(name, value, wide) : { type: 'fixed', value };
  }
  // A depth the champion holds caps the leaves a tree can have (the engine grows no more anyway).
  const depth = space.maxDepth;
  const leaves = space.maxLeaves;
  if (depth?.type === 'fixed' && typeof depth.value === 'number' && leaves && 'max' in leaves) {
    const cap = 2 ** depth.value;
    space.maxLeaves = leaves.min < cap ? { ...leaves, max: Math.min(leaves.max, cap) } : { type: 'fixed', value: cap };
  }
  return space;
}

/** A range like `wide`'s kind about `value`, inside the setting's bounds; the value alone where none fits. */
function around(name: string, value: number, wide: ParamSpace): ParamSpace {
  const setting: NumberSetting | ChoiceSetting<string> =
    SWEEP_PARAMETERS[name as keyof typeof SWEEP_PARAMETERS].setting;
  if (setting.type === 'enum') return { type: 'fixed', value };
  const integer = setting.type === 'integer';
  // An exclusive lower bound (a rate above 0) is kept by not going below the value itself.
  const low = (x: number) => (x > setting.min || (x === setting.min && !setting.above) ? x : value);
  const high = (x: number) => Math.min(x, setting.max);
  let range: ParamSpace;
  switch (wide.type) {
    case 'log': {
      // A log range cannot hold 0 (no penalty): the champion's choice stands.
      if (!(value > 0)) return { type: 'fixed', value };
      const min = low(integer ? Math.ceil(value / LOG_REACH) : value / LOG_REACH);
      const max = high(integer ? Math.floor(value * LOG_REACH) : value * LOG_REACH);
      range = { type: 'log', min, max };
      break;
    }
    case 'float': {
      const half = ((wide.max - wide.min) * FLOAT_SHARE) / 2;
      range = { type: 'float', min: low(value - half), max: high(value + half) };
      break;
    }
    case 'int':
      range = { type: 'int', min: low(value - 1), max: high(value + 1) };
      break;
    default:
      return { type: 'fixed', value };
  }
  return range.max > range.min ? range : { type: 'fixed', value };
}
