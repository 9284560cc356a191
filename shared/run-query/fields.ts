// The fields a runs query may name, each once: a run's own columns, its training settings
// (params.<name>, from training-settings.ts) and its scores per split (test.<metric>,
// validation.<metric>). The parser accepts no other name, and the engine turns each field into SQL
// from its own table keyed by these sources, so a name typed in a query never reaches SQL.
import { RunStatus, TaskName } from '../api/runs.js';
import { RUN_SCORES, type RunScore } from '../metrics.js';
import {
  BATCH_SIZE,
  CLASS_WEIGHT,
  COLSAMPLE,
  EPOCHS,
  L2,
  LEARNING_RATE,
  MAX_DEPTH,
  MAX_LEAVES,
  MIN_SAMPLES_LEAF,
  MODEL_CHOICE,
  OPTIMIZER,
  SEED,
  SUBSAMPLE,
  TREE_LOSS,
  TREES,
  type ChoiceSetting,
  type NumberSetting,
} from '../training-settings.js';

/** What a field holds: numbers compare as numbers; text also matches LIKE patterns. */
export type FieldType = 'number' | 'text';

/** Columns of the runs table (and its dataset) a query may read. */
export const RUN_COLUMNS = [
  'id',
  'name',
  'model',
  'status',
  'task',
  'dataset',
  'version',
  'target',
  'backend',
  'created',
  'started',
  'finished',
  'duration',
  'sweep',
] as const;
export type RunColumn = (typeof RUN_COLUMNS)[number];

/**
 * The training settings a query may read as params.<name>: the scalar ones (layers and early
 * stopping are structures, not values to compare).
 */
export const PARAM_SETTINGS = {
  epochs: EPOCHS,
  batchSize: BATCH_SIZE,
  learningRate: LEARNING_RATE,
  optimizer: OPTIMIZER,
  classWeight: CLASS_WEIGHT,
  seed: SEED,
  l2: L2,
  trees: TREES,
  maxLeaves: MAX_LEAVES,
  maxDepth: MAX_DEPTH,
  minSamplesLeaf: MIN_SAMPLES_LEAF,
  subsample: SUBSAMPLE,
  colsample: COLSAMPLE,
  loss: TREE_LOSS,
} as const satisfies Record<string, NumberSetting | ChoiceSetting<string>>;
export type ParamName = keyof typeof PARAM_SETTINGS;

/** The splits a run scores: validation only where the run kept validation scores. */
export const SCORE_SPLITS = ['test', 'validation'] as const;
export type ScoreSplit = (typeof SCORE_SPLITS)[number];

/** Where a field's value comes from; the engine maps each source to SQL of its own. */
export type FieldSource =
  | { kind: 'column'; column: RunColumn }
  | { kind: 'param'; param: ParamName }
  | { kind: 'score'; split: ScoreSplit; metric: RunScore };

export interface QueryField {
  /** As a query writes it: `model`, `params.learningRate`, `test.accuracy`. */
  name: string;
  type: FieldType;
  /** The only values a text field can hold (model kinds, statuses): others are refused as typos. */
  values?: readonly string[];
  source: FieldSource;
  description: string;
}

const COLUMN_FIELDS: Record<RunColumn, Omit<QueryField, 'name' | 'source'>> = {
  id: { type: 'text', description: "the run's id" },
  name: { type: 'text', description: 'the name of the model the run saved' },
  model: {
    type: 'text',
    values: MODEL_CHOICE.options.map((o) => o.value),
    description: "the model kind ('auto' while an automatic run chooses)",
  },
  status: {
    type: 'text',
    values: RunStatus.options,
    description: "the run's status",
  },
  task: { type: 'text', values: TaskName.options, description: 'classification or regression' },
  dataset: { type: 'text', description: "the dataset's name" },
  version: { type: 'number', description: "the dataset's version number" },
  target: { type: 'text', description: 'the target column' },
  backend: { type: 'text', description: 'the training backend' },
  created: { type: 'text', description: 'when the run was queued (ISO time: created > "2026-12-01")' },
  started: { type: 'text', description: 'when the run started (ISO time)' },
  finished: { type: 'text', description: 'when the run ended (ISO time)' },
  duration: { type: 'number', description: 'seconds from start to end' },
  sweep: { type: 'text', description: 'the id of the sweep the run is a trial of' },
};

function paramField(param: ParamName): QueryField {
  const setting: NumberSetting | ChoiceSetting<string> = PARAM_SETTINGS[param];
  return {
    name: `params.${param}`,
    source: { kind: 'param', param },
    description: setting.label,
    ...(setting.type === 'enum'
      ? { type: 'text', values: setting.options.map((o) => o.value) }
      : { type: 'number' as const }),
  };
}

/** Every field by the name a query writes, in the order suggestions list them. */
export const QUERY_FIELDS: ReadonlyMap<string, QueryField> = new Map<string, QueryField>([
  ...RUN_COLUMNS.map((column): [string, QueryField] => [
    column,
    { name: column, source: { kind: 'column', column }, ...COLUMN_FIELDS[column] },
  ]),
  // The seed is what runs are most often grouped by (mean and spread across seeds): short to write.
  ['seed', { ...paramField('seed'), name: 'seed' }],
  ...(Object.keys(PARAM_SETTINGS) as ParamName[]).map((p): [string, QueryField] => [`params.${p}`, paramField(p)]),
  ...SCORE_SPLITS.flatMap((split) =>
    RUN_SCORES.map((metric): [string, QueryField] => [
      `${split}.${metric}`,
      {
        name: `${split}.${metric}`,
        type: 'number',
        source: { kind: 'score', split, metric },
        description: `${metric} on the ${split} split`,
      },
    ]),
  ),
]);

const BY_LOWER_NAME: ReadonlyMap<string, QueryField> = new Map(
  [...QUERY_FIELDS.values()].map((f) => [f.name.toLowerCase(), f]),
);

/** The field a name refers to, in any case (`params.learningrate` is `params.learningRate`), or undefined. */
export function queryField(name: string): QueryField | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

/** The known names a misspelt one most likely meant: those sharing its prefix (`params.`), else all columns. */
export function knownFieldsLike(name: string): string[] {
  const dot = name.indexOf('.');
  const prefix = dot >= 0 ? name.slice(0, dot + 1) : '';
  const all = [...QUERY_FIELDS.keys()];
  const same = prefix ? all.filter((n) => n.startsWith(prefix)) : all.filter((n) => !n.includes('.'));
  return same.length > 0 ? same : all.filter((n) => !n.includes('.'));
}
