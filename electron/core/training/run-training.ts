// The body of a 'train' job, run in a job process: read the dataset version's columns, check the
// request against them, split, fit preprocessing on the training rows, train the model (a network
// per epoch, or boosted trees per round: fit-trees.ts) with progress, evaluate it on the test rows
// and save its artifacts to the job's work folder. The host records the run and moves the
// artifacts into place.
import path from 'node:path';
import { openDuck } from '../datasets/duck.js';
import { CairnError } from '../errors.js';
import { saveArtifacts, type ModelBody } from './artifacts.js';
import { selectBackend, tfjsVersion } from './backend.js';
import { chooseColumns, readColumns, type ColumnData, type ColumnRead, type ColumnSet } from './columns.js';
import type { PreprocessManifest } from './manifest.js';
import { scalarScores } from '../../../shared/metrics.js';
import { classificationMetrics, regressionMetrics, regressionPoints, thinRocCurve } from './evaluation-metrics.js';
import type { AutoChoice, Explanation } from '../../../shared/api.js';
import { explainRun, type RunToExplain } from '../explain/explain-run.js';
import { explainSampleJson } from '../explain/explain-sample.js';
import type { DenseWeights } from '../explain/linear-shap.js';
import { denseChain } from './dense-forward.js';
import { fitTrees } from './fit-trees.js';
import { buildModel, checkShape, ModelParams, type ModelKind, type ModelParamsInput, type Task } from './models.js';
import { networkPredictor, treePredictor, type Predictor } from './predictor.js';
import { decodeValues, encodeTarget, featureCount, fitPreprocess, logsInTargetUnits, transform } from './preprocess.js';
import {
  chooseSplit,
  DEFAULT_FRACTIONS,
  presentRows,
  splitMethodOf,
  type SplitFractions,
  type Splits,
} from './splits.js';
import { trainModel, type EpochLogs } from './train-loop.js';
import { TrainParams } from './train-params.js';
import { TREE_LEARNING_RATE } from '../../../shared/training-settings.js';
import type { ImageTrainInput } from './train-images.js';

/** Fewer rows with a target than this cannot make a training, validation and test split worth the name. */
export const MIN_ROWS = 10;
/** An integer target with at most this many distinct values is taken as classes. */
export const MAX_INTEGER_CLASSES = 20;

/**
 * A classifier's learning rate where the request names none, in place of TrainParams' 0.001. At
 * 0.001, 50 epochs of a table of a few hundred rows are a few hundred Adam steps: the MLP stops
 * short (a 300-row checkerboard: 70% accuracy, 84% at 0.003) and the logistic model far short
 * (iris: 58% against scikit-learn's 95%, 95% at 0.03). test/quality/sklearn-parity.test.ts holds the bar.
 * A CNN keeps Adam's 0.001 (Keras' default): batch norm makes its steps well scaled already.
 */
export const CLASSIFICATION_LEARNING_RATE = { mlp: 0.003, logistic_regression: 0.03, cnn: 0.001 } as const;

/**
 * A classifier's L2 penalty where the request names none, in place of ModelParams' 0: 1 / training
 * rows, the penalty per row of scikit-learn's LogisticRegression(C=0.5). It keeps the faster fit
 * from overfitting small tables (iris, MLP at 0.003, mean of 60 splits: 1.2 points below
 * LogisticRegression without it, 0.5 above with it) and fades on large ones, where a fixed
 * penalty would flatten what an MLP is for (0.01 leaves an 8,000-row checkerboard at chance).
 */
export function classificationL2(trainRows: number): number {
  return 1 / Math.max(1, trainRows);
}

/** The learning rate and L2 penalty a run trains with: the request's, else its task's and model's defaults. */
export function resolveTuning(
  task: Task,
  model: ModelParams,
  train: TrainParams,
  given: { learningRate?: number; l2?: number },
  trainRows: number,
): { model: ModelParams; train: TrainParams } {
  // Trees: scikit-learn's HistGradientBoosting defaults (shrinkage 0.1, no L2), for every task.
  if (model.kind === 'gbdt')
    return { model, train: given.learningRate === undefined ? { ...train, learningRate: TREE_LEARNING_RATE } : train };
  if (task !== 'classification' || model.kind === 'linear_regression') return { model, train };
  return {
    model: given.l2 === undefined ? { ...model, l2: classificationL2(trainRows) } : model,
    train:
      given.learningRate === undefined ? { ...train, learningRate: CLASSIFICATION_LEARNING_RATE[model.kind] } : train,
  };
}

export interface TrainInput {
  /** Absolute path of the dataset version's Parquet file. */
  dataFile: string;
  /** The version's columns with their (corrected) types. */
  columns: ColumnRead[];
  target: string;
  features?: string[];
  task?: Task;
  /** A model kind's parameters, or kind 'auto': the kinds that fit the task compared (auto-model.ts). */
  model: Omit<ModelParamsInput, 'kind'> & { kind?: ModelParamsInput['kind'] | 'auto' };
  train: Partial<TrainParams>;
  fractions?: SplitFractions;
  /** A datetime column to split by time instead of at random; not a feature unless listed in `features`. */
  timeColumn?: string;
  /** A column assigning each row to train, validation or test (a pipeline's split); never a feature. Replaces fractions and timeColumn. */
  splitColumn?: string;
  workDir: string;
  /** Whether the run explains itself when it ends (explain-run.ts); on unless a caller only wants scores. */
  explain?: boolean;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  logs: EpochLogs;
  etaMs: number;
  fraction: number;
  /** An automatic run's candidate in training (1-based number of `of`). */
  candidate?: { model: ModelKind; number: number; of: number };
}

/** For trees: the boosting rounds run, the one whose trees were kept, and the trees kept. */
export interface BoostingOutcome {
  rounds: number;
  bestIteration: number;
  trees: number;
}

export interface TrainOutcome {
  task: Task;
  /** The kind trained (an automatic run's winner). */
  modelKind: ModelKind;
  backend: string;
  tfjsVersion: string;
  /** Every parameter as resolved, defaults filled in. */
  params: Record<string, unknown>;
  preprocess: PreprocessManifest;
  history: { epoch: number; logs: EpochLogs }[];
  /** The test split's scores; for trees also how boosting went; why the model predicts what it does. */
  metrics: {
    test: Record<string, unknown>;
    /** The validation split's scalar scores, when it has rows. */
    validation?: Record<string, number | null>;
    boosting?: BoostingOutcome;
    explanation?: Explanation;
    /** An automatic run's leaderboard (auto-model.ts). */
    auto?: AutoChoice;
  };
  /** The saved model folder inside workDir, and the sha256 of its artifact manifest. */
  artifactDir: string;
  artifactSha256: string;
}

function bad(message: string, details?: Record<string, unknown>): CairnError {
  return new CairnError('invalid_argument', message, details);
}

function distinctCount(col: ColumnData, rows: Uint32Array): number {
  const seen = new Set<number>();
  for (const r of rows) seen.add(col.kind === 'number' ? (col.values[r] as number) : (col.codes[r] as number));
  return seen.size;
}

/** The task a target implies: classes for categories, booleans, text and small integer sets; numbers otherwise. */
export function inferTask(col: ColumnData, present: Uint32Array): Task {
  if (col.kind === 'codes') return 'classification';
  if (col.type === 'datetime')
    throw bad(`Target "${col.name}" is a date or time: pick a numeric or categorical target.`);
  if (col.type === 'integer' && distinctCount(col, present) <= MAX_INTEGER_CLASSES) return 'classification';
  return 'regression';
}

function hasValues(col: ColumnData): boolean {
  return presentRows(col).length > 0;
}

/** Checks the request against the data; every problem a user can fix is a CairnError here, before training. */
function plan(
  input: TrainInput,
  data: ColumnSet,
  features: string[],
): { task: Task; splits: Splits; seedSplit: number } {
  const target = data.columns.get(input.target) as ColumnData;
  const present = presentRows(target);
  if (present.length === 0)
    throw bad(`Target "${input.target}" has no values: every row is missing it.`, { column: input.target });
  for (const name of input.features ?? []) {
    if (!hasValues(data.columns.get(name) as ColumnData))
      throw bad(`Feature "${name}" has no values: every row is missing it.`, { column: name });
  }
  if (features.length === 0) throw bad('There are no feature columns: the dataset has only the target.');
  const task = input.task ?? inferTask(target, present);
  if (task === 'regression' && (target.kind !== 'number' || target.type === 'datetime'))
    throw bad(`Regression needs a numeric target; "${input.target}" is ${target.type}.`, { column: input.target });
  if (present.length < MIN_ROWS)
    throw bad(`Too few rows to train: ${present.length} rows have a target value, at least ${MIN_ROWS} are needed.`, {
      rows: present.length,
    });
  if (task === 'classification' && distinctCount(target, present) < 2)
    throw bad(`Target "${input.target}" has only one class: classification needs at least two.`, {
      column: input.target,
    });
  const seed = input.train.seed ?? TrainParams.parse({}).seed;
  const fractions = input.fractions ?? DEFAULT_FRACTIONS;
  const splits = chooseSplit(data, input.target, {
    method: splitMethodOf(input, task),
    seed,
    fractions,
    timeColumn: input.timeColumn,
    splitColumn: input.splitColumn,
  });
  return { task, splits, seedSplit: seed };
}

/** Each part's share of the rows a split column assigned (rounded to 4 places), as fractions are recorded. */
function shares(splits: Splits): SplitFractions {
  const n = splits.train.length + splits.validation.length + splits.test.length;
  const r = (k: number) => Math.round((k / n) * 10_000) / 10_000;
  return { train: r(splits.train.length), validation: r(splits.validation.length), test: r(splits.test.length) };
}

/** Encoded rows: features, labels, and each one's row in the data. */
export interface EncodedRows {
  x: Float32Array;
  y: Int32Array | Float32Array;
  rows: Uint32Array;
}

/** Rows whose class is known to training (a class seen only outside training cannot be scored). */
function knownLabels(encoded: EncodedRows, width: number): EncodedRows {
  const { x, rows } = encoded;
  const labels = encoded.y as Int32Array;
  const keep: number[] = [];
  labels.forEach((c, i) => c >= 0 && keep.push(i));
  const outX = new Float32Array(keep.length * width);
  keep.forEach((r, i) => outX.set(x.subarray(r * width, (r + 1) * width), i * width));
  return {
    x: outX,
    y: Int32Array.from(keep, (r) => labels[r] as number),
    rows: Uint32Array.from(keep, (r) => rows[r] as number),
  };
}

/** `rows` of the data as a model with this preprocessing sees them (classes unknown to training left out). */
export function encodeRows(
  preprocess: PreprocessManifest,
  data: ColumnSet,
  task: Task,
  rows: Uint32Array,
): EncodedRows {
  const encoded = { x: transform(preprocess, data, rows), y: encodeTarget(preprocess, data, rows), rows };
  return task === 'classification' ? knownLabels(encoded, featureCount(preprocess)) : encoded;
}

/** A request read and checked against its data: the columns, the task and the split, shared by every model fitted on it. */
export interface PreparedData {
  input: TrainInput;
  data: ColumnSet;
  /** The feature columns asked for (preprocessing may drop some). */
  names: string[];
  task: Task;
  splits: Splits;
  fractions: SplitFractions;
}

/** Reads the request's columns and checks it against them (plan), before any model is built. */
export async function prepareData(input: TrainInput): Promise<PreparedData> {
  const [targetColumn] = chooseColumns(input.columns, [input.target]);
  const featureNames =
    input.features ??
    input.columns
      .map((c) => c.name)
      .filter((n) => n !== input.target && n !== input.timeColumn && n !== input.splitColumn);
  const features = chooseColumns(input.columns, featureNames).filter(
    (c) => c.name !== input.target && c.name !== input.splitColumn,
  );
  const [timeColumn] = input.timeColumn ? chooseColumns(input.columns, [input.timeColumn]) : [];
  const [splitColumn] = input.splitColumn ? chooseColumns(input.columns, [input.splitColumn]) : [];
  const extra = [timeColumn, splitColumn].filter(
    (c): c is ColumnRead => c !== undefined && !featureNames.includes(c.name) && c.name !== input.target,
  );
  const duck = await openDuck({ tempDir: path.join(input.workDir, 'duck-spill'), threads: 1 });
  let data: ColumnSet;
  try {
    data = await readColumns(duck.conn, input.dataFile, [targetColumn as ColumnRead, ...features, ...extra]);
  } finally {
    duck.conn.closeSync();
    duck.instance.closeSync();
  }
  const names = features.map((f) => f.name);
  const { task, splits } = plan(input, data, names);
  const fractions = input.splitColumn ? shares(splits) : (input.fractions ?? DEFAULT_FRACTIONS);
  return { input, data, names, task, splits, fractions };
}

/** A model fitted on prepared data: its preprocessing, encoded splits, resolved settings and curves. */
export interface FittedModel {
  model: ModelParams;
  train: TrainParams;
  backend: string;
  preprocess: PreprocessManifest;
  width: number;
  classes: string[] | null;
  trainData: EncodedRows;
  validation?: EncodedRows;
  test: EncodedRows;
  history: TrainOutcome['history'];
  body: ModelBody;
  predictor: Predictor;
  boosting?: BoostingOutcome;
  linear?: DenseWeights;
}

/**
 * Fits preprocessing (trees keep missing values and index categories; networks impute and one-hot)
 * and one model of `requestedModel.kind` on the training rows, reporting each epoch or round.
 * `given` holds the settings the request named, so the task's defaults fill only the others.
 */
export async function fitModel(
  prepared: PreparedData,
  requestedModel: ModelParams,
  requestedTrain: TrainParams,
  given: { learningRate?: number; l2?: number },
  onProgress: (p: TrainProgress) => void,
): Promise<FittedModel> {
  const { data, names, task, splits } = prepared;
  // Trees are scored in plain JavaScript: only a network needs a TensorFlow.js backend started.
  const backend = requestedModel.kind === 'gbdt' ? TREES_BACKEND : (await selectBackend()).name;
  const preprocess = fitPreprocess(data, {
    features: names,
    target: { column: prepared.input.target, task },
    train: splits.train,
    forTrees: requestedModel.kind === 'gbdt',
  });
  const width = featureCount(preprocess);
  if (width === 0) {
    const why = preprocess.dropped.map((d) => `"${d.column}" (${d.reason})`).join(', ');
    throw bad(`No usable features: every feature column was dropped: ${why}.`, { dropped: preprocess.dropped });
  }
  const classes = preprocess.target?.task === 'classification' ? preprocess.target.classes : null;
  const encode = (rows: Uint32Array) => encodeRows(preprocess, data, task, rows);
  const trainData = encode(splits.train);
  const validation = splits.validation.length > 0 ? encode(splits.validation) : undefined;
  const test = encode(splits.test);
  if (test.y.length === 0) throw bad('The test split has no rows to evaluate on: use a larger test fraction.');
  const { model, train } = resolveTuning(task, requestedModel, requestedTrain, given, trainData.y.length);

  const history: TrainOutcome['history'] = [];
  const started = Date.now();
  // A tree model's absolute-error loss scales with the target's spread, not its square.
  const lossUnits = model.kind === 'gbdt' && model.boosting.loss === 'absolute_error' ? 'linear' : 'squared';
  const record = (step: number, steps: number, scaledLogs: EpochLogs, etaMs: number) => {
    const logs = logsInTargetUnits(preprocess, scaledLogs, lossUnits);
    history.push({ epoch: step, logs });
    onProgress({ epoch: step, epochs: steps, logs, etaMs, fraction: step / steps });
  };
  const shape = { task, nFeatures: width, nClasses: classes?.length };
  const common = { model, train, backend, preprocess, width, classes, trainData, validation, test, history };
  if (model.kind === 'gbdt') {
    checkShape(model.kind, shape);
    const trees = await fitTrees({
      task,
      classes: classes?.length ?? 0,
      preprocess,
      train: trainData,
      validation,
      model,
      params: train,
      onRound: (round, rounds, logs) =>
        record(round, rounds, logs, ((Date.now() - started) / round) * (rounds - round)),
    });
    return {
      ...common,
      body: { trees: trees.ensemble },
      predictor: treePredictor(trees.ensemble),
      boosting: { rounds: trees.rounds, bestIteration: trees.bestIteration, trees: trees.ensemble.trees.length },
    };
  }
  const tfModel = buildModel(model, shape, train.seed);
  try {
    await trainModel({
      ...train,
      model: tfModel,
      nFeatures: width,
      task,
      x: trainData.x,
      y: trainData.y,
      validation: validation && validation.y.length > 0 ? validation : undefined,
      onEpoch: (epoch, scaledLogs, etaMs) => record(epoch + 1, train.epochs, scaledLogs, etaMs),
    });
  } catch (err) {
    tfModel.dispose();
    throw err;
  }
  return {
    ...common,
    body: { network: tfModel },
    predictor: networkPredictor(tfModel, width, classes?.length ?? 1),
    ...(model.kind === 'mlp' ? {} : { linear: denseChain(tfModel, width)?.[0] }),
  };
}

/** The metrics of a fitted model's `scores` of `rows`: every classification one (curves thinned), or regression's in the target's units. */
export function metricsOf(
  task: Task,
  fit: FittedModel,
  rows: EncodedRows,
  scores: Float32Array,
): Record<string, unknown> & { rows: number } {
  if (task === 'classification') {
    const k = (fit.classes as string[]).length;
    const full = classificationMetrics(rows.y as Int32Array, scores, k);
    return { ...full, roc: full.roc.map((c) => thinRocCurve(c)), classes: fit.classes, rows: rows.y.length };
  }
  // Judged in the target's own units, not the standardised ones the model learns in.
  const predicted = decodeValues(fit.preprocess, scores);
  const actual = decodeValues(fit.preprocess, rows.y as Float32Array);
  return {
    ...regressionMetrics(actual, predicted),
    points: regressionPoints(actual, predicted, fit.train.seed),
    rows: actual.length,
  };
}

/**
 * Evaluates a fitted model on the test rows, explains it and saves its artifacts: the run's outcome.
 * `extra` adds to what the run records (an automatic run's leaderboard and choice). Disposes the model.
 */
export async function finishRun(
  prepared: PreparedData,
  fit: FittedModel,
  extra: { params?: Record<string, unknown>; metrics?: Record<string, unknown> } = {},
): Promise<TrainOutcome> {
  const { input, data, names, task, splits, fractions } = prepared;
  const { model, train, preprocess, classes, test, trainData, width } = fit;
  try {
    const scores = fit.predictor.predict(test.x, test.y.length);
    const metrics = metricsOf(task, fit, test, scores);
    // The validation split's scalar scores: what a sweep chooses by (the test split never chooses).
    const validation = fit.validation;
    const validationScores =
      validation && validation.y.length > 0
        ? scalarScores(metricsOf(task, fit, validation, fit.predictor.predict(validation.x, validation.y.length)))
        : undefined;
    const explanation =
      input.explain === false
        ? undefined
        : explainOrSay({
            task,
            classes,
            preprocess,
            predictor: fit.predictor,
            ...('trees' in fit.body ? { trees: fit.body.trees } : {}),
            ...(fit.linear ? { linear: fit.linear } : {}),
            data,
            test: { ...test, scores },
            train: { x: trainData.x, n: trainData.y.length },
            seed: train.seed,
          });
    const params = {
      model: recordedModelParams(model),
      train,
      split: {
        seed: train.seed,
        fractions,
        method: splitMethodOf(input, task),
        ...(input.timeColumn && !input.splitColumn ? { timeColumn: input.timeColumn } : {}),
        ...(input.splitColumn ? { splitColumn: input.splitColumn } : {}),
        rows: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length },
      },
      features: names,
      ...extra.params,
    };
    const artifactDir = path.join(input.workDir, 'model');
    const saved = await saveArtifacts(
      artifactDir,
      fit.body,
      preprocess,
      {
        format: 'cairn-model-card/1',
        task,
        target: input.target,
        classes,
        features: preprocess.features.map((f) => f.column),
        metrics: { test: metrics },
        modelKind: model.kind,
        backend: fit.backend,
        tfjsVersion: tfjsVersion(),
        createdAt: new Date().toISOString(),
      },
      'network' in fit.body ? explainSampleJson(trainData.x, trainData.y.length, width, train.seed) : undefined,
    );
    return {
      task,
      modelKind: model.kind,
      backend: fit.backend,
      tfjsVersion: tfjsVersion(),
      params,
      preprocess,
      history: fit.history,
      metrics: {
        test: metrics,
        ...(validationScores ? { validation: validationScores } : {}),
        ...(fit.boosting ? { boosting: fit.boosting } : {}),
        ...(explanation ? { explanation } : {}),
        ...extra.metrics,
      },
      artifactDir,
      artifactSha256: saved.sha256,
    };
  } finally {
    fit.predictor.dispose();
  }
}

/** Runs one training job end to end; see the file comment. An 'auto' model is auto-model.ts's. */
export async function runTraining(
  input: TrainInput | ImageTrainInput,
  onProgress: (p: TrainProgress) => void,
): Promise<TrainOutcome> {
  if ('kind' in input) {
    const { runImageTraining } = await import('./train-images.js');
    return runImageTraining(input, onProgress);
  }
  if (input.model.kind === 'cnn')
    throw bad('A convolutional network trains on pictures: pick an image dataset, or another model for a table.');
  if (input.model.kind === 'auto') {
    const { runAutoTraining } = await import('./auto-model.js');
    return runAutoTraining(input, onProgress);
  }
  // Parsed here to fail before any reading; the task's defaults are filled in once the split is known.
  const requestedModel = ModelParams.parse(input.model);
  const requestedTrain = TrainParams.parse(input.train);
  const prepared = await prepareData(input);
  const fit = await fitModel(
    prepared,
    requestedModel,
    requestedTrain,
    { learningRate: input.train.learningRate, l2: input.model.l2 },
    onProgress,
  );
  return finishRun(prepared, fit);
}

/**
 * The run's explanation; a failure there is reported on stderr (the host logs the job's output) and
 * leaves the run without one rather than losing the trained model.
 */
function explainOrSay(run: RunToExplain): Explanation | undefined {
  try {
    return explainRun(run);
  } catch (err) {
    process.stderr.write(
      `cairn: the run's explanation failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return undefined;
  }
}

/** Trees are scored in plain JavaScript on every backend: what a tree run records as its backend. */
export const TREES_BACKEND = 'javascript';

/**
 * The model parameters a run records: only those its kind reads, so comparing runs shows no
 * settings that did nothing (hidden layers of a linear model, tree settings of a network).
 */
function recordedModelParams(model: ModelParams): Record<string, unknown> {
  if (model.kind === 'gbdt') return { kind: model.kind, l2: model.l2, boosting: model.boosting };
  if (model.kind === 'mlp') return { kind: model.kind, hiddenLayers: model.hiddenLayers, l2: model.l2 };
  return { kind: model.kind, l2: model.l2 };
}
