// Training a gradient-boosted tree model inside a train job: the run's encoded rows (missing
// values kept, categories as index features) handed to the GBDT engine (gbdt/), progress per
// boosting round in the same shape as a network's epochs, so the run page, the CLI and compare
// read both alike.
import { CairnError } from '../errors.js';
import { PATIENCE } from '../../../shared/training-settings.js';
import type { FeatureKind, TreeEnsembleJson } from './gbdt/tree-format.js';
import { trainGbdt } from './gbdt/train-gbdt.js';
import type { PreprocessManifest } from './manifest.js';
import type { ModelParams, Task } from './models.js';
import { balancedClassWeights, type EpochLogs } from './train-loop.js';
import type { TrainParams } from './train-params.js';

export interface TreeFitInput {
  task: Task;
  /** Class count for classification. */
  classes: number;
  preprocess: PreprocessManifest;
  train: { x: Float32Array; y: Int32Array | Float32Array };
  validation?: { x: Float32Array; y: Int32Array | Float32Array };
  model: ModelParams;
  params: TrainParams;
  /** After each round (1-based) with its logs (in the standardised units trees learn in). */
  onRound: (round: number, rounds: number, logs: EpochLogs) => void | Promise<void>;
}

export interface TreeFit {
  ensemble: TreeEnsembleJson;
  /** Rounds run, and the round whose trees were kept (early stopping drops the rest). */
  rounds: number;
  bestIteration: number;
}

/** The split kind of each feature the preprocessing makes: index features split as category sets. */
export function featureKindsOf(preprocess: PreprocessManifest): FeatureKind[] {
  return preprocess.features.map((s) => (s.kind === 'index' ? 'categorical' : 'numeric'));
}

/** Per-row weights making every class weigh the same in total (scikit-learn's "balanced"). */
function balancedWeights(y: Int32Array, k: number): Float32Array {
  const perClass = balancedClassWeights(y, k);
  return Float32Array.from(y, (c) => perClass[c] as number);
}

export async function fitTrees(input: TreeFitInput): Promise<TreeFit> {
  const { task, preprocess, train, validation, model, params } = input;
  const featureKinds = featureKindsOf(preprocess);
  if (preprocess.features.some((s) => s.kind === 'one-hot'))
    throw new CairnError('internal', 'tree preprocessing must encode categories as index features');
  const boosting = model.boosting;
  const sampleWeight =
    task === 'classification' && params.classWeight === 'balanced'
      ? balancedWeights(train.y as Int32Array, input.classes)
      : undefined;
  const result = await trainGbdt(
    {
      featureKinds,
      task,
      ...(task === 'classification' ? { classes: input.classes } : {}),
      train: { x: train.x, y: train.y, ...(sampleWeight ? { sampleWeight } : {}) },
      ...(validation && validation.y.length > 0 ? { validation: { x: validation.x, y: validation.y } } : {}),
    },
    {
      trees: boosting.trees,
      learningRate: params.learningRate,
      maxLeaves: boosting.maxLeaves,
      ...(boosting.maxDepth !== undefined ? { maxDepth: boosting.maxDepth } : {}),
      minSamplesLeaf: boosting.minSamplesLeaf,
      l2: model.l2,
      subsample: boosting.subsample,
      colsample: boosting.colsample,
      loss: boosting.loss,
      // Keras's patience 0 stops at the first round without gain: one round, in the trainer's terms (0 is off there).
      earlyStoppingRounds: Math.max(1, params.earlyStopping?.patience ?? PATIENCE.default),
      seed: params.seed,
    },
    async (round, r) => {
      const logs: EpochLogs = { loss: r.loss, ...(r.valLoss !== undefined ? { val_loss: r.valLoss } : {}) };
      await input.onRound(round, boosting.trees, logs);
    },
  );
  return { ensemble: result.ensemble, rounds: result.rounds, bestIteration: result.bestIteration };
}
