// The space a sweep starts from per model kind when the user gives none (the Sweep dialog pre-fills
// it, editable). Ranges follow the tuning guides named beside each; a budget of a few dozen trials
// should find a good model in them, so each varies the few knobs that matter most for its kind.
import type { ModelKind } from './parameters.js';
import type { SearchSpace } from './space.js';

// Linear models: the rate and the penalty matter; sklearn's LogisticRegression and Ridge are tuned
// over C = 1/alpha on a log scale from 1e-4 to 1e4 (sklearn user guide, "Tuning the
// hyper-parameters of an estimator"), of which our L2 bound (at most 10) keeps the stronger half.
const LINEAR: SearchSpace = {
  learningRate: { type: 'log', min: 1e-3, max: 0.3 },
  l2: { type: 'log', min: 1e-6, max: 1 },
  batchSize: { type: 'choice', values: [32, 128, 512] },
  epochs: { type: 'fixed', value: 50 },
};

export const DEFAULT_SPACES: Readonly<Record<ModelKind, SearchSpace>> = {
  // LightGBM's "Parameters Tuning" page and Optuna's LightGBMTuner (num_leaves 2-256 log,
  // min_data_in_leaf 5-100, bagging/feature_fraction 0.4-1, lambda_l2 1e-8-10 log), with a
  // learning rate 0.01-0.3 log (XGBoost's eta guidance); the round count is left to early stopping
  // on the validation split ("large num_iterations with early stopping", LightGBM's advice).
  gbdt: {
    learningRate: { type: 'log', min: 0.01, max: 0.3 },
    maxLeaves: { type: 'log', min: 8, max: 256 },
    minSamplesLeaf: { type: 'log', min: 5, max: 100 },
    subsample: { type: 'float', min: 0.5, max: 1, step: 0.05 },
    colsample: { type: 'float', min: 0.5, max: 1, step: 0.05 },
    l2: { type: 'log', min: 1e-6, max: 10 },
    trees: { type: 'fixed', value: 300 },
  },
  // Optuna's PyTorch/Keras examples: 1-3 layers, units per layer on a log scale, dropout 0.2-0.5,
  // learning rate 1e-5-1e-1 log (we start at 1e-4: Adam rarely trains below it in 50 epochs); the
  // L2 penalty as sklearn's MLPClassifier alpha (default 1e-4) on a log scale.
  mlp: {
    learningRate: { type: 'log', min: 1e-4, max: 0.1 },
    layers: { type: 'int', min: 1, max: 3 },
    units: { type: 'log', min: 16, max: 256 },
    dropout: { type: 'float', min: 0, max: 0.5, step: 0.05 },
    l2: { type: 'log', min: 1e-6, max: 1e-2 },
    batchSize: { type: 'choice', values: [32, 64, 128, 256] },
    activation: { type: 'choice', values: ['relu', 'tanh'] },
    epochs: { type: 'fixed', value: 50 },
  },
  logistic_regression: LINEAR,
  linear_regression: LINEAR,
  // A CNN from scratch: Adam's rate around Keras' 1e-3 on a log scale, and the batch size; each
  // trial is costly on a CPU, so the epochs stay few.
  cnn: {
    learningRate: { type: 'log', min: 1e-4, max: 1e-2 },
    batchSize: { type: 'choice', values: [16, 32, 64] },
    epochs: { type: 'fixed', value: 20 },
  },
};
