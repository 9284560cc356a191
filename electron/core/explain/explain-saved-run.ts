// The body of an 'explain' job: the explanation of a run that trained without one (a sweep's
// trials skip it, 3-4 s each; the sweep explains its best when it ends). The job re-reads the
// run's data with the run's own request, so the seeded split gives the very rows the run trained
// and tested on, encodes them with the saved preprocessing (not a refit) and scores them with the
// saved model: the same inputs explain-run.ts would have had at the end of training.
import type { Explanation } from '../../../shared/api.js';
import { loadArtifacts } from '../training/artifacts.js';
import { selectBackend } from '../training/backend.js';
import { denseChain } from '../training/dense-forward.js';
import { featureCount } from '../training/preprocess.js';
import { encodeRows, prepareData, type TrainInput } from '../training/run-training.js';
import { TrainParams } from '../training/train-params.js';
import { explainRun } from './explain-run.js';

export interface ExplainSavedInput {
  /** The request the run trained with (its dataset version, target, features, split and seed). */
  train: TrainInput;
  /** The run's saved model folder and the sha256 its version recorded. */
  modelDir: string;
  sha256: string;
}

export async function explainSavedRun(input: ExplainSavedInput): Promise<Explanation> {
  const prepared = await prepareData(input.train);
  // Trees score in plain JavaScript; a network needs a TensorFlow.js backend before it loads.
  if (input.train.model.kind !== 'gbdt') await selectBackend();
  const artifacts = await loadArtifacts(input.modelDir, input.sha256);
  try {
    const { preprocess, predictor, trees, model } = artifacts;
    const task = prepared.task;
    const encode = (rows: Uint32Array) => encodeRows(preprocess, prepared.data, task, rows);
    const trainRows = encode(prepared.splits.train);
    const test = encode(prepared.splits.test);
    const width = featureCount(preprocess);
    // A linear or logistic model is one dense layer: its closed-form contributions, as at training.
    const linear = model && artifacts.card.modelKind !== 'mlp' ? denseChain(model, width)?.[0] : undefined;
    return explainRun({
      task,
      classes: preprocess.target?.task === 'classification' ? preprocess.target.classes : null,
      preprocess,
      predictor,
      ...(trees ? { trees } : {}),
      ...(linear ? { linear } : {}),
      data: prepared.data,
      test: { ...test, scores: predictor.predict(test.x, test.y.length) },
      train: { x: trainRows.x, n: trainRows.y.length },
      seed: input.train.train.seed ?? TrainParams.parse({}).seed,
    });
  } finally {
    artifacts.dispose();
  }
}
