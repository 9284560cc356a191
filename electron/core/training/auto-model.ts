// Automatic model choice, the body of a train job whose model is 'auto': the kinds that fit the
// task (the linear model for it, gradient-boosted trees, an MLP) are each fitted with a short
// budget on the same split, scored on the validation rows, and the winner is kept as the run's
// model; only it is scored on the test rows. The winner is kept as trained rather than refitted:
// every budget stops early on the validation split, so a refit on more rows would have no held-out
// rows left to stop on. The run records the leaderboard (metrics.auto) and is otherwise an ordinary
// run of the chosen kind, so the registry, serving and compare see nothing new.
import type { AutoCandidate, AutoChoice } from '../../../shared/api.js';
import { modelKindLabel } from '../../../shared/training-settings.js';
import { CairnError } from '../errors.js';
import { ModelParams, type ModelKind, type Task } from './models.js';
import {
  finishRun,
  fitModel,
  metricsOf,
  prepareData,
  type FittedModel,
  type TrainInput,
  type TrainOutcome,
  type TrainProgress,
} from './run-training.js';
import { TrainParams } from './train-params.js';

/**
 * Each candidate's budget: short, but enough to be judged fairly. Networks stop when the validation
 * loss has not improved for 5 epochs (weights of the best epoch put back); trees when it has not for
 * 10 rounds, as a gbdt run does. A table of a few thousand rows trains all three in seconds. The
 * linear model learns at 0.03 (logistic regression's default, run-training.ts): at the loop's 0.001,
 * 100 epochs of a 600-row table leave a linear target's RMSE six times its noise, and a comparison
 * would then judge the budget, not the model.
 */
export const AUTO_BUDGETS = {
  linear: { epochs: 100, patience: 5, learningRate: 0.03 },
  mlp: { epochs: 60, patience: 5 },
  gbdt: { trees: 300, patience: 10 },
} as const;

/**
 * The tie rule: a candidate this close to the best validation score counts as tied with it, and of
 * tied candidates the simplest is kept (it is faster to train and serve, and its explanation is
 * exact). For classes the margin is in accuracy (1 point); for numbers a share of the best RMSE (2%).
 */
export const TIE_MARGIN = { accuracy: 0.01, rmse: 0.02 } as const;

/** Simplest first: the order candidates train in and the order ties are broken in. */
const SIMPLICITY: readonly ModelKind[] = ['linear_regression', 'logistic_regression', 'gbdt', 'mlp'];

/** The kinds an automatic run tries for a task, simplest first. */
export function candidateKinds(task: Task): ModelKind[] {
  const linear: ModelKind = task === 'classification' ? 'logistic_regression' : 'linear_regression';
  return SIMPLICITY.filter((k) => k === linear || k === 'gbdt' || k === 'mlp');
}

/** The validation scores a leaderboard keeps (the first is the one compared). */
const VALIDATION_KEYS: Record<Task, readonly string[]> = {
  classification: ['accuracy', 'balanced_accuracy', 'log_loss'],
  regression: ['rmse', 'mae', 'r2'],
};

/** A candidate's model and training settings under its budget (seed, batch size and class weights are the request's). */
function candidateParams(
  kind: ModelKind,
  input: TrainInput,
): { model: ModelParams; train: TrainParams; given: { learningRate?: number } } {
  const base = TrainParams.parse(input.train);
  const stopping = (patience: number) => ({ monitor: 'val_loss', patience, minDelta: 0, restoreBestWeights: true });
  if (kind === 'gbdt')
    return {
      model: ModelParams.parse({ kind, boosting: { trees: AUTO_BUDGETS.gbdt.trees } }),
      train: TrainParams.parse({ ...base, earlyStopping: stopping(AUTO_BUDGETS.gbdt.patience) }),
      given: {},
    };
  const budget = kind === 'mlp' ? AUTO_BUDGETS.mlp : AUTO_BUDGETS.linear;
  return {
    model: ModelParams.parse({ kind }),
    train: TrainParams.parse({ ...base, epochs: budget.epochs, earlyStopping: stopping(budget.patience) }),
    // The network's task defaults (run-training.ts resolveTuning) apply where the budget names no rate.
    given: 'learningRate' in budget ? { learningRate: budget.learningRate } : {},
  };
}

/** What the leaderboard says a candidate trained with: its resolved settings and how far it went. */
function settingsOf(fit: FittedModel): Record<string, unknown> {
  const { model, train } = fit;
  if (model.kind === 'gbdt')
    return {
      learningRate: train.learningRate,
      maxLeaves: model.boosting.maxLeaves,
      trees: model.boosting.trees,
      rounds: fit.boosting?.rounds,
      treesKept: fit.boosting?.trees,
    };
  return {
    learningRate: train.learningRate,
    l2: model.l2,
    batchSize: train.batchSize,
    epochs: train.epochs,
    epochsRun: fit.history.length,
    ...(model.kind === 'mlp' ? { hiddenLayers: model.hiddenLayers.map((l) => l.units) } : {}),
  };
}

const fmt = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(4) : 'n/a');

/**
 * The winner and why: the best validation score, unless a simpler candidate is within TIE_MARGIN of
 * it (candidates come simplest first). Exported for its unit test.
 */
export function chooseCandidate(
  task: Task,
  candidates: readonly AutoCandidate[],
): { chosen: ModelKind; reason: string } {
  const metric = VALIDATION_KEYS[task][0] as 'accuracy' | 'rmse';
  const higherWins = metric === 'accuracy';
  const score = (c: AutoCandidate) => c.validation[metric] ?? (higherWins ? -Infinity : Infinity);
  const best = candidates.reduce((a, b) => ((higherWins ? score(b) > score(a) : score(b) < score(a)) ? b : a));
  const tied = (c: AutoCandidate) =>
    higherWins ? score(best) - score(c) <= TIE_MARGIN.accuracy : score(c) <= score(best) * (1 + TIE_MARGIN.rmse);
  const chosen = candidates.find(tied) ?? best;
  const others = candidates
    .filter((c) => c !== chosen)
    .map((c) => `${modelKindLabel(c.model)} ${fmt(score(c))}`)
    .join(' and ');
  const head = `${modelKindLabel(chosen.model)}: validation ${metric} ${fmt(score(chosen))}`;
  if (chosen === best) return { chosen: chosen.model, reason: `${head} vs ${others}.` };
  const margin = higherWins ? `${TIE_MARGIN.accuracy * 100} point` : `${TIE_MARGIN.rmse * 100}%`;
  return {
    chosen: chosen.model,
    reason: `${head} is within ${margin} of the best (${modelKindLabel(best.model)} ${fmt(score(best))}), and of models that close the simpler one is kept (${others}).`,
  };
}

/** Runs an automatic train job end to end; see the file comment. */
export async function runAutoTraining(
  input: TrainInput,
  onProgress: (p: TrainProgress) => void,
): Promise<TrainOutcome> {
  const prepared = await prepareData(input);
  const { task, splits } = prepared;
  if (splits.validation.length === 0)
    throw new CairnError(
      'invalid_argument',
      'Automatic model choice compares models on the validation split, which has no rows: give it a share of the rows.',
    );
  const kinds = candidateKinds(task);
  const fits = new Map<ModelKind, FittedModel>();
  const candidates: AutoCandidate[] = [];
  try {
    for (const [i, kind] of kinds.entries()) {
      const { model, train, given } = candidateParams(kind, input);
      const started = performance.now();
      const fit = await fitModel(prepared, model, { ...train, ...given }, given, (p) =>
        onProgress({
          ...p,
          fraction: (i + p.fraction) / kinds.length,
          candidate: { model: kind, number: i + 1, of: kinds.length },
        }),
      );
      fits.set(kind, fit);
      const seconds = (performance.now() - started) / 1000;
      const validation = fit.validation as NonNullable<FittedModel['validation']>;
      const scores = metricsOf(task, fit, validation, fit.predictor.predict(validation.x, validation.y.length));
      candidates.push({
        model: kind,
        validation: Object.fromEntries(
          VALIDATION_KEYS[task].map((k) => [k, typeof scores[k] === 'number' ? scores[k] : null]),
        ),
        seconds: Math.round(seconds * 1000) / 1000,
        settings: settingsOf(fit),
      });
    }
    const { chosen, reason } = chooseCandidate(task, candidates);
    const winner = fits.get(chosen) as FittedModel;
    fits.delete(chosen);
    const auto: AutoChoice = { metric: VALIDATION_KEYS[task][0] as string, candidates, chosen, reason };
    return await finishRun(prepared, winner, { params: { modelChoice: 'auto' }, metrics: { auto } });
  } finally {
    for (const fit of fits.values()) fit.predictor.dispose();
  }
}
