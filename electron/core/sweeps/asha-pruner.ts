// Asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel Hyperparameter
// Tuning"), as Optuna's SuccessiveHalvingPruner applies it. Rungs sit at steps
// minResource·η^(k + minEarlyStoppingRate); a trial reaching a rung goes on only if its value there
// is among the best 1/η of the values every trial has reached that rung with so far (itself
// included), so the first trial at a rung always goes on and later ones must beat the field.
import { loss, type PruneContext, type Pruner, type Trial } from './trials.js';

export interface AshaOptions {
  /** Steps (epochs, rounds) before the first rung (Optuna: estimated; here 1). */
  minResource?: number;
  /** η: each rung keeps the best 1/η (Optuna: 4). */
  reductionFactor?: number;
  /** s: skips the first s rungs (Optuna: 0). */
  minEarlyStoppingRate?: number;
}

export class AshaPruner implements Pruner {
  private readonly minResource: number;
  private readonly eta: number;
  private readonly s: number;

  constructor(options: AshaOptions = {}) {
    this.minResource = options.minResource ?? 1;
    this.eta = options.reductionFactor ?? 4;
    this.s = options.minEarlyStoppingRate ?? 0;
    if (!(this.minResource >= 1 && this.eta >= 2 && this.s >= 0))
      throw new RangeError('ASHA needs minResource >= 1, reductionFactor >= 2, minEarlyStoppingRate >= 0');
  }

  /** The step of rung k. */
  rungStep(k: number): number {
    return this.minResource * this.eta ** (k + this.s);
  }

  shouldPrune({ trial, trials, direction }: PruneContext): boolean {
    const last = trial.curve.at(-1);
    if (!last) return false;
    // Only a step that lands on a rung is judged; between rungs a trial runs on.
    let k = 0;
    while (this.rungStep(k) < last.step) k++;
    if (this.rungStep(k) !== last.step) return false;
    if (Number.isNaN(last.value)) return true;
    const value = loss(last.value, direction);
    const others = trials.filter((t) => t.number !== trial.number).flatMap((t) => rungValue(t, last.step, direction));
    const competing = [...others, value].sort((a, b) => a - b);
    const promotable = Math.max(0, Math.floor(competing.length / this.eta) - 1);
    return value > competing[promotable]!;
  }
}

/** A trial's signed value at a rung's step, if it reached it. */
function rungValue(t: Trial, step: number, direction: PruneContext['direction']): number[] {
  const p = t.curve.find((c) => c.step === step);
  return p && !Number.isNaN(p.value) ? [loss(p.value, direction)] : [];
}
