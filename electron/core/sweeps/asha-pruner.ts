// Asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel Hyperparameter
// Tuning"), as Optuna's SuccessiveHalvingPruner applies it. Rungs sit at steps
// minResource·η^(k + minEarlyStoppingRate); a trial reaching a rung goes on only if its value there
// is among the best 1/η of the values every trial has reached that rung with so far (itself
// included), so the first trial at a rung always goes on and later ones must beat the field. A
// trial's value at a rung is its first report at or past the rung's step (curves may skip steps).
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
    const previous = trial.curve.at(-2)?.step ?? 0;
    // Judge at each rung passed since the previous report (one, when every step is reported; more
    // when a curve skips steps), with the value just reported, as Optuna does.
    for (let k = 0; this.rungStep(k) <= last.step; k++) {
      const rung = this.rungStep(k);
      if (rung <= previous) continue;
      if (Number.isNaN(last.value)) return true;
      const value = loss(last.value, direction);
      const others = trials.filter((t) => t.number !== trial.number).flatMap((t) => rungValue(t, rung, direction));
      const competing = [...others, value].sort((a, b) => a - b);
      const promotable = Math.max(0, Math.floor(competing.length / this.eta) - 1);
      if (value > competing[promotable]!) return true;
    }
    return false;
  }
}

/** A trial's signed value at a rung: its first report at or past the rung's step, if it got there. */
function rungValue(t: Trial, step: number, direction: PruneContext['direction']): number[] {
  const p = t.curve.find((c) => c.step >= step);
  return p && !Number.isNaN(p.value) ? [loss(p.value, direction)] : [];
}
