// Ask-and-tell over a sampler and a pruner (Optuna's study.ask()/tell()): the sweep runner asks for
// a trial's parameters, starts its run, reports each epoch's or round's validation value (and
// stops the run when told to prune), then tells how it ended. Plain data in and out, so the runner
// can keep the trials in app.db and rebuild a Study from them after a restart.
import type { TrialParams } from '../../../shared/sweep/parameters.js';
import type { Distributions } from './distributions.js';
import { bestTrial, type Direction, type Pruner, type Sampler, type Trial } from './trials.js';

export interface StudyOptions {
  distributions: Distributions;
  sampler: Sampler;
  direction: Direction;
  pruner?: Pruner;
  /** The trials of an earlier session of this sweep, in number order; running ones become interrupted. */
  trials?: readonly Trial[];
}

/** How a trial ended: with its validation value, stopped by the pruner, or failed (diverged, crashed). */
export type TrialOutcome = { state: 'complete'; value: number } | { state: 'pruned' } | { state: 'failed' };

export class Study {
  readonly direction: Direction;
  private readonly list: Trial[];

  constructor(private readonly options: StudyOptions) {
    this.direction = options.direction;
    this.list = (options.trials ?? []).map((t) => ({ ...t, state: t.state === 'running' ? 'interrupted' : t.state }));
  }

  get trials(): readonly Trial[] {
    return this.list;
  }

  /** A new running trial's number and parameters; undefined when the sampler has nothing left (a finished grid). */
  ask(): { number: number; params: TrialParams } | undefined {
    const number = this.list.length;
    const params = this.options.sampler.sample({
      distributions: this.options.distributions,
      trials: this.list,
      number,
      direction: this.direction,
    });
    if (!params) return undefined;
    this.list.push({ number, params, state: 'running', curve: [] });
    return { number, params };
  }

  /** An interrupted trial whose run went on without the host (on the fleet) is followed again. */
  reopen(number: number): void {
    const trial = this.list[number];
    if (trial?.state !== 'interrupted')
      throw new RangeError(`Trial ${number} is ${trial?.state ?? 'missing'}, not interrupted`);
    this.list[number] = { ...trial, state: 'running' };
  }

  /** Records a running trial's value at `step`; true when the pruner says to stop it there. */
  report(number: number, step: number, value: number): boolean {
    const trial = this.running(number);
    const last = trial.curve.at(-1);
    if (last && step <= last.step)
      throw new RangeError(`Trial ${number}: step ${step} reported after step ${last.step}`);
    const updated: Trial = { ...trial, curve: [...trial.curve, { step, value }] };
    this.list[number] = updated;
    return this.options.pruner?.shouldPrune({ trial: updated, trials: this.list, direction: this.direction }) ?? false;
  }

  tell(number: number, outcome: TrialOutcome): void {
    const trial = this.running(number);
    this.list[number] = { ...trial, ...outcome };
  }

  /** The complete trial with the best value so far. */
  best(): Trial | undefined {
    return bestTrial(this.list, this.direction);
  }

  private running(number: number): Trial {
    const trial = this.list[number];
    if (!trial) throw new RangeError(`No trial ${number}`);
    if (trial.state !== 'running') throw new RangeError(`Trial ${number} is ${trial.state}, not running`);
    return trial;
  }
}
