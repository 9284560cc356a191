// What a train job process is given for a table run request: the one builder both the host's run
// queue and a fleet worker use, so a run trains the same wherever it runs.
import type { MethodArg } from '../../../shared/api.js';
import { SEED } from '../../../shared/training-settings.js';
import type { ColumnRead } from '../training/columns.js';
import { boostingOf } from '../training/gbdt/boosting-params.js';
import type { TrainInput } from '../training/run-training.js';

/** A table run's job input: its columns, target, features and model settings. */
export function tableTrainInput(
  req: MethodArg<'runs.start'>,
  columns: ColumnRead[],
  dataFile: string,
  workDir: string,
): TrainInput {
  return {
    dataFile,
    columns,
    target: req.target,
    features: req.features,
    task: req.task,
    model: {
      kind: req.model,
      ...(req.hiddenLayers ? { hiddenLayers: req.hiddenLayers } : {}),
      ...(req.l2 !== undefined ? { l2: req.l2 } : {}),
      ...(req.model === 'gbdt' ? { boosting: boostingOf(req) } : {}),
    },
    train: trainSettings(req),
    fractions: req.split,
    timeColumn: req.timeColumn,
    splitColumn: req.splitColumn,
    workDir,
  };
}

/** The training loop's settings of a run request, the same for tables and pictures. */
export function trainSettings(req: MethodArg<'runs.start'>): TrainInput['train'] {
  return {
    epochs: req.epochs,
    batchSize: req.batchSize,
    learningRate: req.learningRate,
    optimizer: req.optimizer,
    classWeight: req.classWeight,
    seed: req.seed ?? SEED.default,
    ...(req.earlyStopping ? { earlyStopping: req.earlyStopping } : {}),
  };
}
