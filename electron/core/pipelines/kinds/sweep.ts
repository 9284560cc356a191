// Sweep: the split table becomes the pipeline's own dataset version (trained-model.ts), then a
// sweep like any other (sweeps.start: its trials are queued runs, listed in Runs, chosen on the
// validation part) searches the node's space; the best trial's model version flows on, so
// evaluate, register and deploy take it as they take a train step's.
import { SPLIT_COLUMN, TASK_DEFAULT_METRIC } from '../../../../shared/pipeline.js';
import type { KindRunner } from '../executor.js';
import { modelsStillThere } from './model-check.js';
import { kindRunner, paramError, type RunEnv } from './common.js';
import { blame, modelIdentity, modelNameOf, modelResult, trainingTable } from './trained-model.js';
import { CairnError } from '../../errors.js';

/** A space the sweep refused names the node's space field; its other refusals name their field already. */
function blameSpace(err: unknown): unknown {
  if (err instanceof CairnError && err.code === 'invalid_argument' && !err.details?.field && err.details?.problems)
    return paramError('space', err.message, err.details);
  return err;
}

export function sweepKind(env: RunEnv): KindRunner {
  return kindRunner('sweep', {
    version: 1,
    identity: modelIdentity(env),
    async run(ctx, p) {
      const data = await trainingTable(env, ctx, p);
      ctx.progress({ fraction: 0, label: 'starting the sweep' });
      const budget = p.trials ?? null;
      let ended;
      try {
        ended = await env.host.sweep(
          {
            dataset: data.versionId,
            target: p.target,
            ...(p.task !== 'auto' ? { task: p.task } : {}),
            ...(p.features.length ? { features: p.features } : {}),
            model: p.model,
            ...(p.space ? { space: p.space } : {}),
            strategy: p.strategy,
            stopping: p.stopping,
            ...(p.metric !== TASK_DEFAULT_METRIC ? { metric: p.metric } : {}),
            ...(p.trials !== undefined ? { trials: p.trials } : {}),
            ...(p.seconds !== undefined ? { seconds: p.seconds } : {}),
            seed: p.seed,
            splitColumn: SPLIT_COLUMN,
            modelName: modelNameOf(env, p),
          },
          {
            progress: (s) =>
              ctx.progress({
                fraction: budget ? Math.min(1, s.trialsDone / budget) : 0,
                label: `${s.trialsDone}${budget ? ` of ${budget}` : ''} trial${s.trialsDone === 1 && !budget ? '' : 's'} done${s.bestValue === null ? '' : `, best ${s.metric} ${Number(s.bestValue.toPrecision(4))}`}`,
              }),
          },
          ctx.signal,
        );
      } catch (err) {
        throw blame(blameSpace(err), p);
      }
      const { sweep, best } = ended;
      return modelResult(env, best, p.target, {
        sweep: { id: sweep.id, metric: sweep.metric, trials: sweep.trialsDone, bestValue: sweep.bestValue },
      });
    },
    async stillValid(result) {
      return modelsStillThere(env.host, result);
    },
  });
}
