// "Promote best": every successful trial's run saved a model version, so promoting the sweep's
// best trial is moving an alias to that version, through the registry's own alias move (recorded
// with its reason, reversible by a rollback) rather than a second way to set one.
import type { AliasEvent, Run, Sweep, SweepPromotion } from '../../../shared/api.js';
import { CairnError } from '../errors.js';

export interface PromoteDeps {
  run(runId: string): Run;
  setAlias(name: string, alias: string, version: number, reason: string): AliasEvent;
}

/** Points `alias` at the model version of the sweep's best trial so far. */
export function promoteBest(sweep: Sweep, alias: string, deps: PromoteDeps): SweepPromotion {
  const best = sweep.bestRunId === null ? undefined : sweep.trials.find((t) => t.runId === sweep.bestRunId);
  if (!best || best.value === null || best.runId === null)
    throw new CairnError('conflict', `sweep ${sweep.id} has no complete trial to promote yet`);
  const run = deps.run(best.runId);
  if (!run.model)
    throw new CairnError('conflict', `the best trial's run ${best.runId} saved no model version`, {
      runId: best.runId,
    });
  const reason = `best of sweep ${sweep.id.slice(0, 8)}: trial ${best.number + 1}, validation ${sweep.metric} ${best.value}`;
  const event = deps.setAlias(run.model.name, alias, run.model.version, reason);
  return {
    sweepId: sweep.id,
    trial: best.number,
    runId: best.runId,
    model: run.model,
    alias: event.alias,
    fromVersion: event.fromVersion,
    value: best.value,
  };
}
