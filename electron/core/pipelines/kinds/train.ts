// Train: the split table becomes the pipeline's own dataset version (trained-model.ts), traced to
// the dataset version the table came from, which the model's lineage names. Then a training run
// like any other (queued, in a job process, listed in Runs) learns on the train part, watches the
// validation part and is scored on the test part, and saves a model version. A picture dataset
// comes straight from its dataset step and trains the CNN on the user's version, split by label.
import type { MethodArg } from '../../../../shared/api.js';
import { SPLIT_COLUMN, type NodeParams } from '../../../../shared/pipeline.js';
import { CairnError } from '../../errors.js';
import type { KindRunner, StepContext } from '../executor.js';
import { expectPort, type TableValue } from '../ports.js';
import { modelsStillThere } from './model-check.js';
import { kindRunner, type RunEnv } from './common.js';
import { blame, modelIdentity, modelNameOf, modelResult, trainingTable } from './trained-model.js';

export function trainKind(env: RunEnv): KindRunner {
  return kindRunner('train', {
    version: 1,
    identity: modelIdentity(env),
    async run(ctx, p) {
      const input = expectPort(ctx.inputs.data, 'table', 'data');
      const req = input.pictures ? pictureRequest(input, p) : await tableRequest(env, ctx, p);
      ctx.progress({ fraction: 0, label: 'queued for training' });
      let run;
      try {
        run = await env.host.train(
          { ...req, modelName: modelNameOf(env, p) },
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
      return modelResult(env, run, p.target);
    },
    async stillValid(result) {
      return modelsStillThere(env.host, result);
    },
  });
}

type TrainRequest = Omit<MethodArg<'runs.start'>, 'modelName'>;
type TrainParams = NodeParams['train'];

/**
 * A picture dataset trains as it is: the run reads the user's version and splits it by label, as
 * runs.start on pictures does. The run queue refuses a table model or table settings on it.
 */
function pictureRequest(input: TableValue, p: TrainParams): TrainRequest {
  if (input.source === undefined)
    throw new CairnError('internal', 'a picture dataset reached the train step without its version');
  return {
    dataset: input.source,
    target: p.target,
    ...(p.task !== 'auto' ? { task: p.task } : {}),
    model: p.model,
    preset: p.preset,
    ...(p.imageSize !== undefined ? { imageSize: p.imageSize } : {}),
    augment: p.augment,
    epochs: p.epochs,
    batchSize: p.batchSize,
    optimizer: p.optimizer,
    ...(p.learningRate !== undefined ? { learningRate: p.learningRate } : {}),
    seed: p.seed,
  };
}

/** A split table becomes the pipeline's own dataset version, trained on by its split column. */
async function tableRequest(env: RunEnv, ctx: StepContext, p: TrainParams): Promise<TrainRequest> {
  const data = await trainingTable(env, ctx, p);
  return {
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
  };
}
