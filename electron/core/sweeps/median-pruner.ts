// The median stopping rule (Golovin et al. 2017, "Google Vizier"), as Optuna's MedianPruner
// applies it: at step s, stop a trial whose best value so far is worse than the median of the
// complete trials' values at step s. Nothing is stopped before `startupTrials` trials have
// completed or during the first `warmupSteps` steps.
import { loss, type PruneContext, type Pruner } from './trials.js';

export interface MedianOptions {
  /** Complete trials needed before any is stopped (Optuna: 5). */
  startupTrials?: number;
  /** Steps every trial runs before it may be stopped (Optuna: 0). */
  warmupSteps?: number;
}

export class MedianPruner implements Pruner {
  private readonly startupTrials: number;
  private readonly warmupSteps: number;

  constructor(options: MedianOptions = {}) {
    this.startupTrials = options.startupTrials ?? 5;
    this.warmupSteps = options.warmupSteps ?? 0;
  }

  shouldPrune({ trial, trials, direction }: PruneContext): boolean {
    const last = trial.curve.at(-1);
    if (!last || last.step <= this.warmupSteps) return false;
    const complete = trials.filter((t) => t.state === 'complete' && t.number !== trial.number);
    if (complete.length < this.startupTrials) return false;
    const atStep = complete.flatMap((t) =>
      t.curve.filter((p) => p.step === last.step && !Number.isNaN(p.value)).map((p) => loss(p.value, direction)),
    );
    if (atStep.length === 0) return false;
    const bestSoFar = Math.min(
      ...trial.curve.map((p) => (Number.isNaN(p.value) ? Infinity : loss(p.value, direction))),
    );
    return bestSoFar > median(atStep);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
