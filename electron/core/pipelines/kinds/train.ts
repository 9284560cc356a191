// Train: the split table becomes a dataset version (named <pipeline>.<node>, so the run points at
// the exact rows it learned from; identical content reuses the version) that is the pipeline's, not
// the user's: kept out of the datasets list, and traced to the dataset version the table came from,
// which the model's lineage names. Then a training run like any other (queued, in a job process,
// listed in Runs) learns on the train part, watches the validation part and is scored on the test
// part, and saves a model version.
import { SPLIT_COLUMN, type NodeParams } from '../../../../shared/pipeline.js';
import { testScores } from '../../db/runs-repo.js';
import { CairnError } from '../../errors.js';
import type { KindRunner } from '../executor.js';
import { expectPort, type ModelValue } from '../ports.js';
import { modelsStillThere } from './model-check.js';
import { kindRunner, paramError, type RunEnv } from './common.js';

/** A request the run refused names what to fix: the error names the parameter where that can be told. */
function blame(err: unknown, p: NodeParams['train']): unknown {
  if (!(err instanceof CairnError) || err.code !== 'invalid_argument' || err.details?.field) return err;
  const named = [
    err.details?.column,
    ...(Array.isArray(err.details?.unknown) ? (err.details.unknown as unknown[]) : []),
  ];
  if (named.includes(p.target)) return paramError('target', err.message, err.details);
  if (named.some((c) => typeof c === 'string' && p.features.includes(c)))
    return paramError('features', err.message, err.details);
  return err;
}

export function trainKind(env: RunEnv): KindRunner {
  return kindRunner('train', {
    version: 1,
    // The run's dataset and model are named after the pipeline and node: the same training in
    // another pipeline (or node) is its own run, not this one's cached result.
    async identity(node) {
      const p = node.params as unknown as NodeParams['train'];
      return {
        key: { pipeline: env.pipelineName, node: node.id, modelName: p.modelName?.trim() || env.pipelineName },
        value: null,
      };
    },
    async run(ctx, p) {
      const table = expectPort(ctx.inputs.data, 'table', 'data');
      if (p.features.includes(SPLIT_COLUMN))
        throw paramError('features', `"${SPLIT_COLUMN}" says which part a row is in: it cannot be a feature`);
      ctx.progress({ fraction: 0, label: 'saving the training table' });
      const data = await env.host.importFile(table.file, `${env.pipelineName}.${ctx.node.id}`, {
        pipelineId: env.pipelineId,
        ...(table.source !== undefined ? { sourceVersionId: table.source } : {}),
      });
      ctx.signal.throwIfAborted();
      ctx.progress({ fraction: 0, label: 'queued for training' });
      let run;
      try {
        run = await env.host.train(
          {
            dataset: data.versionId,
            target: p.target,
            ...(p.task !== 'auto' ? { task: p.task } : {}),
            ...(p.features.length ? { features: p.features } : {}),
            model: p.model,
            ...(p.hiddenLayers.length
              ? {
                  hiddenLayers: p.hiddenLayers.map((l) => ({
                    units: l.units,
                    ...(l.dropout ? { dropout: l.dropout } : {}),
                  })),
                }
              : {}),
            ...(p.model === 'gbdt'
              ? {
                  trees: p.trees,
                  maxLeaves: p.maxLeaves,
                  ...(p.maxDepth !== undefined ? { maxDepth: p.maxDepth } : {}),
                  minSamplesLeaf: p.minSamplesLeaf,
                  subsample: p.subsample,
                  colsample: p.colsample,
                  loss: p.loss,
                  earlyStopping: {
                    monitor: 'val_loss' as const,
                    patience: p.patience,
                    minDelta: 0,
                    restoreBestWeights: true,
                  },
                }
              : { epochs: p.epochs, batchSize: p.batchSize, optimizer: p.optimizer }),
            ...(p.learningRate !== undefined ? { learningRate: p.learningRate } : {}),
            ...(p.l2 !== undefined ? { l2: p.l2 } : {}),
            seed: p.seed,
            splitColumn: SPLIT_COLUMN,
            modelName: p.modelName?.trim() || env.pipelineName,
          },
          {
            started: () => ctx.progress({ fraction: 0, label: 'training' }),
            progress: (r) =>
              ctx.progress({
                fraction: r.fraction,
                label: `${p.model === 'gbdt' ? 'round' : 'epoch'} ${r.epoch} of ${r.epochs}`,
              }),
          },
          ctx.signal,
        );
      } catch (err) {
        throw blame(err, p);
      }
      if (!run.model || !run.task)
        throw new CairnError('internal', `training run ${run.id} ended without a model version`);
      const files = env.host.modelFiles(run.model.name, run.model.version);
      if (!files) throw new CairnError('internal', `model ${run.model.name} version ${run.model.version} is missing`);
      const model: ModelValue = {
        type: 'model',
        name: run.model.name,
        version: run.model.version,
        sha256: files.sha256,
        runId: run.id,
        task: run.task,
        target: p.target,
      };
      const metrics = testScores(run.metrics ?? {});
      delete metrics.rows;
      return {
        output: { runId: run.id, model: { name: model.name, version: model.version }, task: run.task, metrics },
        ports: { model },
      };
    },
    async stillValid(result) {
      return modelsStillThere(env.host, result);
    },
  });
}
