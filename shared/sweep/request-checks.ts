// The checks of a sweep's settings besides its space (space.ts): a budget that runs nothing, and a
// metric its task does not have. sweeps.start (core/sweeps/sweep-runner.ts) refuses a request with
// the first; a pipeline's sweep node reports each against its field before anything runs.
import type { TaskName } from '../api.js';
import { HEADLINE_TEST_METRICS } from '../metrics.js';

/** A problem with one setting of a sweep, under the request's name for it. */
export interface SweepSettingProblem {
  field: 'trials' | 'seconds' | 'metric';
  message: string;
}

/** A budget of 0 trials or 0 seconds. */
export function budgetProblems(budget: { trials?: number; seconds?: number }): SweepSettingProblem[] {
  const problems: SweepSettingProblem[] = [];
  if (budget.trials === 0)
    problems.push({ field: 'trials', message: 'A budget of 0 trials runs nothing: give 1 or more trials.' });
  if (budget.seconds === 0)
    problems.push({
      field: 'seconds',
      message: 'A budget of 0 seconds runs nothing: give a time above 0, or a trial count.',
    });
  return problems;
}

/** A metric the task's runs do not score (the majority baseline is the same for every trial). */
export function metricProblem(task: TaskName, metric: string): SweepSettingProblem | undefined {
  const scores: readonly string[] = HEADLINE_TEST_METRICS[task];
  if (scores.includes(metric)) return undefined;
  return {
    field: 'metric',
    message: `A ${task} sweep cannot choose by ${metric}: it has ${scores.filter((s) => s !== 'majority_baseline').join(', ')}.`,
  };
}
