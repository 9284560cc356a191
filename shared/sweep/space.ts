// A sweep's search space: per training parameter a fixed value, a choice, an integer or float
// range, or a log-uniform range. `SearchSpace` is the shape (what the contract, `cairn sweep
// --space FILE.json` and the pipeline sweep node accept); `spaceProblems` holds it against a model
// kind and the settings' own bounds (parameters.ts), naming each bad parameter before anything runs.
import { z } from 'zod';
import { checkNumber } from '../setting-schemas.js';
import { describeBounds, type ChoiceSetting, type NumberSetting } from '../training-settings.js';
import { isSweepParameter, SWEEP_PARAMETERS, sweepParametersOf, type ModelKind } from './parameters.js';

const Value = z.union([z.number().finite(), z.string()]);

export const FixedParam = z.object({ type: z.literal('fixed'), value: Value }).strict();
export const ChoiceParam = z.object({ type: z.literal('choice'), values: z.array(Value) }).strict();
/** Every `step`-th whole number from min to max (max kept only when it is on a step). */
export const IntParam = z
  .object({ type: z.literal('int'), min: z.number().int(), max: z.number().int(), step: z.number().int().optional() })
  .strict();
/** Uniform between min and max; a grid needs `step` (min, min + step, ...) or `count` evenly spaced points. */
export const FloatParam = z
  .object({
    type: z.literal('float'),
    min: z.number().finite(),
    max: z.number().finite(),
    step: z.number().optional(),
    count: z.number().int().optional(),
  })
  .strict();
/** Uniform in log(value): as many draws from 0.001 to 0.01 as from 0.01 to 0.1; whole numbers on an integer setting. A grid needs `count` (geometrically spaced). */
export const LogParam = z
  .object({
    type: z.literal('log'),
    min: z.number().finite(),
    max: z.number().finite(),
    count: z.number().int().optional(),
  })
  .strict();

export const ParamSpace = z.discriminatedUnion('type', [FixedParam, ChoiceParam, IntParam, FloatParam, LogParam]);
export type ParamSpace = z.infer<typeof ParamSpace>;

/** Parameter name -> what it may take. */
export const SearchSpace = z.record(z.string(), ParamSpace);
export type SearchSpace = z.infer<typeof SearchSpace>;

/** One thing wrong with a space, and the parameter it is about (absent for the space as a whole). */
export interface SpaceProblem {
  param?: string;
  message: string;
}

/** Everything wrong with `space` for `model`, each named; empty when it can be searched. */
export function spaceProblems(model: ModelKind, space: SearchSpace): SpaceProblem[] {
  const problems: SpaceProblem[] = [];
  const names = Object.keys(space);
  if (names.length === 0) return [{ message: 'The search space is empty: give at least one parameter to vary.' }];
  for (const name of names) {
    const spec = space[name]!;
    if (!isSweepParameter(name) || !(SWEEP_PARAMETERS[name].kinds as readonly string[]).includes(model)) {
      problems.push({
        param: name,
        message: `${name}: not a parameter of ${model} models (they take ${sweepParametersOf(model).join(', ')}).`,
      });
      continue;
    }
    const setting = SWEEP_PARAMETERS[name].setting;
    const why = setting.type === 'enum' ? choiceSettingProblem(setting, spec) : numberSettingProblem(setting, spec);
    if (why) problems.push({ param: name, message: `${name}: ${why}` });
  }
  if (problems.length > 0) return problems;
  if (names.every((name) => !varies(space[name]!))) {
    problems.push({ message: 'The search space has nothing to vary: every parameter is fixed or has a single value.' });
  }
  const leaves = lowest(space.maxLeaves);
  const depth = highest(space.maxDepth);
  if (leaves !== undefined && depth !== undefined && leaves > 2 ** depth) {
    problems.push({
      param: 'maxLeaves',
      message: `maxLeaves: at least ${leaves}, but a tree at most ${depth} deep (maxDepth) has at most ${2 ** depth} leaves.`,
    });
  }
  return problems;
}

/** Thrown by parseSearchSpace: every problem, one per line in the message. */
export class SearchSpaceError extends Error {
  constructor(readonly problems: SpaceProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'SearchSpaceError';
  }
}

/** A space from JSON (a `--space` file, a pipeline node's field), checked for `model`; throws SearchSpaceError. */
export function parseSearchSpace(model: ModelKind, input: unknown): SearchSpace {
  const shape = SearchSpace.safeParse(input);
  if (!shape.success) {
    throw new SearchSpaceError(
      shape.error.issues.map((issue) => {
        const param = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
        const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        return { ...(param !== undefined && { param }), message: `${where}${issue.message}` };
      }),
    );
  }
  const problems = spaceProblems(model, shape.data);
  if (problems.length > 0) throw new SearchSpaceError(problems);
  return shape.data;
}

function varies(spec: ParamSpace): boolean {
  if (spec.type === 'fixed') return false;
  if (spec.type === 'choice') return spec.values.length > 1;
  return spec.max > spec.min;
}

function choiceSettingProblem(setting: ChoiceSetting<string>, spec: ParamSpace): string | undefined {
  const allowed = setting.options.map((o) => o.value);
  const wrong = (v: unknown) => !allowed.includes(v as string);
  if (spec.type === 'fixed')
    return wrong(spec.value) ? `${String(spec.value)} is not one of ${allowed.join(', ')}.` : undefined;
  if (spec.type !== 'choice')
    return `a choice among ${allowed.join(', ')}: give a fixed value or a choice, not a ${spec.type} range.`;
  return (
    choiceProblem(spec.values) ??
    (spec.values.some(wrong) ? `${spec.values.filter(wrong).join(', ')} not among ${allowed.join(', ')}.` : undefined)
  );
}

function choiceProblem(values: readonly (string | number)[]): string | undefined {
  if (values.length === 0) return 'an empty choice: give at least one value.';
  if (new Set(values).size < values.length) return 'a choice names the same value twice.';
  return undefined;
}

function numberSettingProblem(setting: NumberSetting, spec: ParamSpace): string | undefined {
  const integer = setting.type === 'integer';
  const outside = (v: number) => checkNumber(setting, v) !== undefined;
  const bounds = `${describeBounds(setting)}`;
  if (spec.type === 'fixed' || spec.type === 'choice') {
    const values = spec.type === 'fixed' ? [spec.value] : spec.values;
    const empty = spec.type === 'choice' ? choiceProblem(values) : undefined;
    if (empty) return empty;
    const bad = values.filter((v) => typeof v !== 'number' || outside(v));
    return bad.length > 0 ? `${bad.join(', ')} outside its bounds (${bounds}).` : undefined;
  }
  if (spec.type === 'int' && !integer) return `takes any number in its range: use a float or log range, not int.`;
  if (spec.type === 'float' && integer) return `takes whole numbers: use an int or log range, not float.`;
  if (spec.min > spec.max) return `the range's min (${spec.min}) is above its max (${spec.max}).`;
  if (outside(spec.min) || outside(spec.max))
    return `the range ${spec.min} to ${spec.max} leaves its bounds (${bounds}).`;
  if (spec.type === 'log' && spec.min <= 0) return `a log range must stay above 0 (it starts at ${spec.min}).`;
  if (spec.type === 'int' && spec.step !== undefined && !(spec.step >= 1)) return `an int step must be at least 1.`;
  if (spec.type === 'float' && spec.step !== undefined && spec.count !== undefined)
    return 'give a step or a count, not both.';
  if (spec.type === 'float' && spec.step !== undefined && !(spec.step > 0 && spec.step <= spec.max - spec.min)) {
    return `the step (${spec.step}) must be above 0 and fit in the range (${spec.max - spec.min} wide).`;
  }
  if ((spec.type === 'float' || spec.type === 'log') && spec.count !== undefined && !(spec.count >= 2)) {
    return 'a count must be at least 2 (a fixed value is one point).';
  }
  if (spec.type === 'int' && spec.step !== undefined && spec.step > spec.max - spec.min && spec.max > spec.min) {
    return `the step (${spec.step}) is wider than the range (${spec.max - spec.min}).`;
  }
  return undefined;
}

/** The smallest value a parameter's spec allows, when it is a number. */
function lowest(spec: ParamSpace | undefined): number | undefined {
  const values = numbersOf(spec);
  return values && Math.min(...values);
}

function highest(spec: ParamSpace | undefined): number | undefined {
  const values = numbersOf(spec);
  return values && Math.max(...values);
}

function numbersOf(spec: ParamSpace | undefined): number[] | undefined {
  if (!spec) return undefined;
  const values = spec.type === 'fixed' ? [spec.value] : spec.type === 'choice' ? spec.values : [spec.min, spec.max];
  return values.every((v) => typeof v === 'number') ? values : undefined;
}
