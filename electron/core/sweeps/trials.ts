// What samplers and pruners read: the trials of one sweep as plain data (the runner keeps them in
// app.db next session), the direction of the metric, and the two interfaces a strategy implements.
import type { TrialParams } from '../../../shared/sweep/parameters.js';
import type { Distributions } from './distributions.js';

/** Interrupted: its process died with the host; a resume does not count it as finished. */
export type TrialState = 'running' | 'complete' | 'pruned' | 'failed' | 'interrupted';

export type Direction = 'minimize' | 'maximize';

/** A value a trial reported at a step (an epoch or a boosting round, 1-based) of its validation curve. */
export interface CurvePoint {
  step: number;
  value: number;
}

export interface Trial {
  /** 0-based, in the order the trials were asked for. */
  number: number;
  params: TrialParams;
  state: TrialState;
  /** The validation metric of a complete trial. */
  value?: number;
  /** Intermediate values in step order. */
  curve: readonly CurvePoint[];
}

export interface SampleContext {
  distributions: Distributions;
  /** Every trial asked for so far, running ones included, in number order. */
  trials: readonly Trial[];
  /** The number the new trial will have. */
  number: number;
  direction: Direction;
}

/** Picks a trial's parameters; undefined when the space is used up (a finished grid). */
export interface Sampler {
  sample(context: SampleContext): TrialParams | undefined;
}

export interface PruneContext {
  /** The trial asking, with the point it just reported last in its curve. */
  trial: Trial;
  trials: readonly Trial[];
  direction: Direction;
}

/** Says whether a running trial should stop at the step it just reported. */
export interface Pruner {
  shouldPrune(context: PruneContext): boolean;
}

/** `value` signed so that lower is better whatever the direction. */
export function loss(value: number, direction: Direction): number {
  return direction === 'minimize' ? value : -value;
}

/** The finished trial with the best value, or undefined before any completes. */
export function bestTrial(trials: readonly Trial[], direction: Direction): Trial | undefined {
  let best: Trial | undefined;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === undefined || Number.isNaN(t.value)) continue;
    if (!best || loss(t.value, direction) < loss(best.value!, direction)) best = t;
  }
  return best;
}
