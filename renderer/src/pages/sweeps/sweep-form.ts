// The Sweep dialog's form as plain data: each sweepable parameter of the model kind as a row of
// text (how it is searched and its numbers as typed), pre-filled from the kind's default space,
// and the checks that turn it into a sweeps.start request. The space itself is checked by the
// shared parser (shared/sweep/space.ts), so the dialog names the very problems the engine would,
// per parameter, before anything runs.
import type { ColumnProfile, ModelKindName, SweepMetric, SweepRequest, TaskName } from '../../../../shared/api.js';
import { DEFAULT_SWEEP_METRIC, SWEEP_METRICS } from '../../../../shared/api.js';
import { HEADLINE_TEST_METRICS } from '../../../../shared/metrics.js';
import { DEFAULT_SPACES } from '../../../../shared/sweep/default-spaces.js';
import { SWEEP_PARAMETERS, sweepParametersOf, type SweepParameterName } from '../../../../shared/sweep/parameters.js';
import {
  parseSearchSpace,
  SearchSpaceError,
  type ParamSpace,
  type SearchSpace,
} from '../../../../shared/sweep/space.js';
import type { SweepStrategy, TrialStopping } from '../../../../shared/sweep/strategy.js';
import { checkNumber } from '../../../../shared/setting-schemas.js';
import { SEED } from '../../../../shared/training-settings.js';
import { inferTask } from '../../../../shared/target-task.js';
import { canBeTarget } from '../train/target-suggestion.js';

/** How a parameter is searched; `off` leaves it to the run's default. */
export type SearchMode = 'off' | ParamSpace['type'];

/** One parameter as typed. `values` is a comma-separated choice; `step` is a float step or a log count. */
export interface ParamRow {
  mode: SearchMode;
  value: string;
  values: string;
  min: string;
  max: string;
  step: string;
}

export interface SweepForm {
  target: string;
  model: ModelKindName;
  space: Record<string, ParamRow>;
  strategy: SweepStrategy;
  /** Empty: no limit of that kind (one of the two must be given). */
  trials: string;
  minutes: string;
  stopping: TrialStopping;
  metric: SweepMetric;
  seed: string;
}

const EMPTY_ROW: ParamRow = { mode: 'off', value: '', values: '', min: '', max: '', step: '' };

/** The ways a parameter may be searched: a choice setting by value, a number also over a range. */
export function modesOf(param: SweepParameterName): SearchMode[] {
  const setting = SWEEP_PARAMETERS[param].setting;
  if (setting.type === 'enum') return ['off', 'fixed', 'choice'];
  return setting.type === 'integer'
    ? ['off', 'fixed', 'choice', 'int', 'log']
    : ['off', 'fixed', 'choice', 'float', 'log'];
}

function rowOf(spec: ParamSpace): ParamRow {
  switch (spec.type) {
    case 'fixed':
      return { ...EMPTY_ROW, mode: 'fixed', value: String(spec.value) };
    case 'choice':
      return { ...EMPTY_ROW, mode: 'choice', values: spec.values.join(', ') };
    case 'int':
    case 'float':
      return {
        ...EMPTY_ROW,
        mode: spec.type,
        min: String(spec.min),
        max: String(spec.max),
        step: spec.step === undefined ? '' : String(spec.step),
      };
    case 'log':
      return {
        ...EMPTY_ROW,
        mode: 'log',
        min: String(spec.min),
        max: String(spec.max),
        step: spec.count === undefined ? '' : String(spec.count),
      };
  }
}

/** Every parameter of the kind, those in `space` filled in and the rest off. */
export function rowsOf(model: ModelKindName, space: SearchSpace = DEFAULT_SPACES[model]): Record<string, ParamRow> {
  return Object.fromEntries(
    sweepParametersOf(model).map((p) => [p, space[p] ? rowOf(space[p]) : { ...EMPTY_ROW }] as const),
  );
}

/** The task the target implies, when it can be predicted at all. */
export function taskOf(columns: readonly ColumnProfile[], target: string): TaskName | undefined {
  const c = columns.find((col) => col.name === target);
  return c && canBeTarget(c) ? inferTask(c) : undefined;
}

/** The validation scores a task may choose by: its headline scores less the majority baseline. */
export function metricsFor(task: TaskName | undefined): SweepMetric[] {
  const scores: readonly string[] = task ? HEADLINE_TEST_METRICS[task] : [];
  return SWEEP_METRICS.filter((m) => scores.includes(m));
}

/** The kinds a task trains: both linear models fit one task each. */
export function kindsFor(task: TaskName | undefined): ModelKindName[] {
  return ['mlp', 'gbdt', task === 'regression' ? 'linear_regression' : 'logistic_regression'];
}

export function defaultSweepForm(
  columns: readonly ColumnProfile[],
  target: string,
  model: ModelKindName = 'mlp',
): SweepForm {
  const task = taskOf(columns, target);
  const kind = kindsFor(task).includes(model) ? model : 'mlp';
  return {
    target,
    model: kind,
    space: rowsOf(kind),
    strategy: 'tpe',
    trials: '20',
    minutes: '',
    stopping: 'none',
    metric: DEFAULT_SWEEP_METRIC[task ?? 'classification'],
    seed: String(SEED.default),
  };
}

/** A form moved to another target: the kind and the metric follow the task it implies. */
export function withTarget(form: SweepForm, columns: readonly ColumnProfile[], target: string): SweepForm {
  const task = taskOf(columns, target);
  const model = kindsFor(task).includes(form.model) ? form.model : kindsFor(task)[2]!;
  const metrics = metricsFor(task);
  return {
    ...form,
    target,
    model,
    space: model === form.model ? form.space : rowsOf(model),
    metric: metrics.includes(form.metric) ? form.metric : DEFAULT_SWEEP_METRIC[task ?? 'classification'],
  };
}

/** A text as a number, or a message. */
function numberOf(text: string, what: string): number | string {
  const t = text.trim();
  if (t === '') return `${what}: give a number.`;
  const n = Number(t);
  return Number.isFinite(n) ? n : `${what}: "${t}" is not a number.`;
}

/** A typed choice value: a number where the parameter takes numbers. */
function valueOf(param: SweepParameterName, text: string): number | string {
  return SWEEP_PARAMETERS[param].setting.type === 'enum' ? text.trim() : numberOf(text, 'value');
}

/** One row as a space entry, or what is wrong with its text; undefined when it is off. */
function specOf(param: SweepParameterName, row: ParamRow): ParamSpace | string | undefined {
  switch (row.mode) {
    case 'off':
      return undefined;
    case 'fixed': {
      const v = valueOf(param, row.value);
      return typeof v === 'string' && SWEEP_PARAMETERS[param].setting.type !== 'enum' ? v : { type: 'fixed', value: v };
    }
    case 'choice': {
      const parts = row.values
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const values = parts.map((p) => valueOf(param, p));
      const bad =
        SWEEP_PARAMETERS[param].setting.type === 'enum' ? undefined : values.find((v) => typeof v === 'string');
      return typeof bad === 'string' ? bad : { type: 'choice', values };
    }
    default: {
      const min = numberOf(row.min, 'min');
      const max = numberOf(row.max, 'max');
      if (typeof min === 'string') return min;
      if (typeof max === 'string') return max;
      const step = row.step.trim() === '' ? undefined : numberOf(row.step, row.mode === 'log' ? 'count' : 'step');
      if (typeof step === 'string') return step;
      if (row.mode === 'int') return { type: 'int', min, max, ...(step !== undefined && { step }) };
      if (row.mode === 'float') return { type: 'float', min, max, ...(step !== undefined && { step }) };
      return { type: 'log', min, max, ...(step !== undefined && { count: step }) };
    }
  }
}

export interface CheckedSweep {
  /** Problems by field: a parameter's name, `space` for the space as a whole, or a form field. */
  errors: Record<string, string>;
  request?: SweepRequest;
}

/** The form checked as the engine would check it, and its request when nothing is wrong. */
export function checkSweepForm(
  form: SweepForm,
  columns: readonly ColumnProfile[],
  dataset: string,
  version: number,
): CheckedSweep {
  const errors: Record<string, string> = {};
  const task = taskOf(columns, form.target);
  if (!task) errors.target = 'Pick a numeric or categorical column to predict.';
  else if (!metricsFor(task).includes(form.metric)) errors.metric = `A ${task} sweep cannot choose by ${form.metric}.`;

  const space: SearchSpace = {};
  for (const [param, row] of Object.entries(form.space)) {
    const spec = specOf(param as SweepParameterName, row);
    if (typeof spec === 'string') errors[param] = spec;
    else if (spec) space[param] = spec;
  }
  if (!Object.keys(errors).some((k) => k in form.space)) {
    try {
      parseSearchSpace(form.model, space);
    } catch (e) {
      if (!(e instanceof SearchSpaceError)) throw e;
      for (const p of e.problems) errors[p.param ?? 'space'] ??= p.message;
    }
  }

  const trials = form.trials.trim() === '' ? undefined : Number(form.trials);
  const minutes = form.minutes.trim() === '' ? undefined : Number(form.minutes);
  if (trials !== undefined && !(Number.isInteger(trials) && trials >= 1))
    errors.trials = 'Trials: a whole number, 1 or more.';
  if (minutes !== undefined && !(Number.isFinite(minutes) && minutes > 0))
    errors.minutes = 'Minutes: a number above 0.';
  if (trials === undefined && minutes === undefined && form.strategy !== 'grid')
    errors.trials = 'Give a budget: a number of trials, minutes, or both.';
  const seed = Number(form.seed);
  const seedProblem = form.seed.trim() === '' ? 'Seed: give a whole number.' : checkNumber(SEED, seed);
  if (seedProblem) errors.seed = seedProblem;

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    request: {
      dataset,
      version,
      target: form.target,
      model: form.model,
      space,
      strategy: form.strategy,
      stopping: form.stopping,
      metric: form.metric,
      ...(trials !== undefined && { trials }),
      ...(minutes !== undefined && { seconds: minutes * 60 }),
      seed,
    },
  };
}
