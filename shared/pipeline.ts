// The pipeline file format (DESIGN.md: shared/pipeline.ts): a versioned, diffable JSON document of
// nodes (a kind, a stable id, parameters, a position on the canvas) and edges between typed ports.
// The editor draws it, the engine runs it and `cairn run` runs the same file headless.
//
// Each node kind's parameters are declared once, as field descriptors: the editor walks the
// descriptors to generate its parameter panel, and the zod schema that checks a file is built from
// the same descriptors, so the form and the validation cannot drift. This file imports nothing but
// zod and shared/metrics.ts (itself free of runtime imports): no node:, DOM or electron, so the
// renderer can validate as the user draws.
import { z } from 'zod';
import { alertMetricTask, COMPARE_METRICS_BY_TASK } from './metrics.js';
import { ALIAS_PATTERN, ALIAS_RULE } from './names.js';
import {
  BATCH_SIZE,
  DROPOUT,
  EPOCHS,
  L2,
  LEARNING_RATE,
  OPTIMIZER,
  SEED,
  UNITS,
  type ChoiceSetting,
  type NumberSetting,
} from './training-settings.js';

/** The file format's version: a top-level `"cairn": 1`. */
export const PIPELINE_FORMAT = 1;

// ---------------------------------------------------------------------------------------------
// Ports

/** What flows along an edge. An edge joins an output to an input of the same type only. */
export const portTypes = ['dataset', 'split', 'model', 'metrics', 'endpoint'] as const;
export const PortType = z.enum(portTypes);
export type PortType = z.infer<typeof PortType>;

/** Human names of the port types, for tooltips and error messages. */
export const portTypeLabels: Record<PortType, string> = {
  dataset: 'table',
  split: 'split table',
  model: 'model version',
  metrics: 'metrics',
  endpoint: 'endpoint',
};

export interface PortSpec {
  /** Stable within its kind: edges name it as sourcePort / targetPort. */
  name: string;
  label: string;
  type: PortType;
  /** Inputs only: the node cannot run without an edge into it. */
  required?: boolean;
  /** Table inputs only: a split table is taken too (the step leaves the split column alone). */
  takesSplit?: boolean;
  /**
   * Table outputs only: the output is a split table when this input is fed one. This is what lets
   * a transform come after the split and learn its statistics from the train rows alone.
   */
  keepsSplitOf?: string;
}

// ---------------------------------------------------------------------------------------------
// Parameter fields: what a form generator walks

/** Where a field applies only for some values of a sibling field (e.g. a constant only for strategy "constant"). */
export interface VisibleWhen {
  field: string;
  oneOf: readonly (string | number | boolean)[];
}

interface FieldCommon {
  name: string;
  label: string;
  description?: string;
  /** Must have a value (non-empty for strings and lists); fields with a default are never missing. */
  required?: boolean;
  visibleWhen?: VisibleWhen;
}

export type ParamField =
  | (FieldCommon & {
      type: 'number' | 'integer';
      default?: number;
      min?: number;
      max?: number;
      /** `min` is exclusive: the value must be above it. */
      above?: boolean;
      step?: number;
    })
  | (FieldCommon & {
      type: 'string';
      default?: string;
      placeholder?: string;
      maxLength?: number;
      /** How an editor should present it: one line, a code box for SQL, or a one-line expression. */
      format?: 'line' | 'sql' | 'expression';
    })
  | (FieldCommon & { type: 'boolean'; default?: boolean })
  | (FieldCommon & { type: 'enum'; options: readonly { value: string; label: string }[]; default?: string })
  | (FieldCommon & { type: 'string-list'; default?: readonly string[]; placeholder?: string })
  /** A column name of the node's input table (a free string: the table is known only once upstream ran). */
  | (FieldCommon & { type: 'column'; default?: string })
  | (FieldCommon & { type: 'column-list'; default?: readonly string[] })
  /** A dataset of the data folder by name, or a CSV/Parquet file path (relative to the pipeline file). */
  | (FieldCommon & { type: 'dataset'; default?: string })
  /** A list of small records, each with its own fields (e.g. one imputation rule per column). */
  | (FieldCommon & {
      type: 'object-list';
      fields: readonly ParamField[];
      default?: readonly Record<string, unknown>[];
    });

export type ParamFieldType = ParamField['type'];

/** A field for a training setting (shared/training-settings.ts), under the name the node's params use. */
function settingField(name: string, setting: NumberSetting): ParamField {
  const { type, label, min, max, above, default: value, step, description } = setting;
  return {
    name,
    type,
    label,
    min,
    max,
    ...(above ? { above } : {}),
    ...(value === undefined ? {} : { default: value }),
    ...(step ? { step } : {}),
    ...(description ? { description } : {}),
  };
}

/** An enum field for a choice setting. */
function choiceField(name: string, setting: ChoiceSetting<string>): ParamField {
  return { name, type: 'enum', label: setting.label, options: setting.options, default: setting.default };
}

/** The zod schema of one field's value, with its default; built from the descriptor so form and check agree. */
export function fieldSchema(f: ParamField): z.ZodType {
  const req = f.required === true;
  // A required field left out of a hand-written file says so by name, not "expected string, received undefined".
  const missing = {
    error: (issue: { input?: unknown }) => (issue.input === undefined ? `${f.label} is required` : undefined),
  };
  let s: z.ZodType;
  switch (f.type) {
    case 'number':
    case 'integer': {
      let n = f.type === 'integer' ? z.number(missing).int() : z.number(missing);
      if (f.min !== undefined) n = f.above ? n.gt(f.min) : n.min(f.min);
      if (f.max !== undefined) n = n.max(f.max);
      s = n;
      break;
    }
    case 'string':
    case 'column':
    case 'dataset': {
      let t = z.string(missing);
      if (req) t = t.trim().min(1, `${f.label} is required`);
      if (f.type === 'string' && f.maxLength !== undefined) t = t.max(f.maxLength);
      s = t;
      break;
    }
    case 'boolean':
      s = z.boolean();
      break;
    case 'enum':
      s = z.enum(f.options.map((o) => o.value) as [string, ...string[]]);
      break;
    case 'string-list':
    case 'column-list': {
      const item = z.string().trim().min(1, 'an empty name');
      s = req ? z.array(item, missing).min(1, `${f.label}: name at least one`) : z.array(item);
      break;
    }
    case 'object-list': {
      const item = z.object(Object.fromEntries(f.fields.map((sub) => [sub.name, fieldSchema(sub)]))).strict();
      s = req ? z.array(item, missing).min(1, `${f.label}: add at least one`) : z.array(item);
      break;
    }
  }
  if (f.default !== undefined) return s.default(f.default as never);
  return req ? s : s.optional();
}

/** The zod schema of a whole params object: unknown keys are errors, so typos in a hand-written file are caught. */
export function paramsSchema(fields: readonly ParamField[]) {
  return z.object(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)]))).strict();
}

/** A params object with every field's default filled in (what a new node from the palette gets). */
export function defaultParams(kind: NodeKindName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of nodeKinds[kind].params) if (f.default !== undefined) out[f.name] = structuredClone(f.default);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Gates: `accuracy >= 0.9`

/** The metrics each task's evaluation reports, and which of them are better when lower. */
export const taskMetrics = {
  classification: ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'roc_auc', 'log_loss'],
  regression: ['mae', 'rmse', 'r2'],
} as const;
/** Whether a smaller value of a metric is better (shared/metrics.ts, one list for the whole app). */
export { lowerIsBetter } from './metrics.js';
export type PipelineTask = keyof typeof taskMetrics;

export const gateOps = ['>=', '<=', '>', '<', '==', '!='] as const;
export type GateOp = (typeof gateOps)[number];

export interface Gate {
  metric: string;
  op: GateOp;
  threshold: number;
}

const GATE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/**
 * Parses a gate such as `accuracy >= 0.9` or `rmse < 3`; with a task, the metric must be one it reports.
 * Returns the gate or the reason it is not one.
 */
export function parseGate(
  text: string,
  task?: PipelineTask,
): { ok: true; gate: Gate } | { ok: false; message: string } {
  const m = GATE.exec(text);
  if (!m)
    return {
      ok: false,
      message: `"${text}" is not a gate: write METRIC OP NUMBER, e.g. accuracy >= 0.9 (OP: ${gateOps.join(' ')})`,
    };
  const metric = (m[1] as string).toLowerCase();
  const known: readonly string[] = task
    ? taskMetrics[task]
    : [...taskMetrics.classification, ...taskMetrics.regression];
  if (!known.includes(metric)) {
    return {
      ok: false,
      message: `"${metric}" is not a ${task ? `${task} ` : ''}metric: use one of ${known.join(', ')}`,
    };
  }
  return { ok: true, gate: { metric, op: m[2] as GateOp, threshold: Number(m[3]) } };
}

/** Whether a metric's value meets a gate (a missing value never does). */
export function gatePasses(gate: Gate, value: number | null | undefined): boolean {
  if (value === null || value === undefined || Number.isNaN(value)) return false;
  switch (gate.op) {
    case '>=':
      return value >= gate.threshold;
    case '<=':
      return value <= gate.threshold;
    case '>':
      return value > gate.threshold;
    case '<':
      return value < gate.threshold;
    case '==':
      return value === gate.threshold;
    case '!=':
      return value !== gate.threshold;
  }
}

// ---------------------------------------------------------------------------------------------
// The catalogue of node kinds

export const nodeCategories = ['data', 'prepare', 'model', 'deliver'] as const;
export type NodeCategory = (typeof nodeCategories)[number];
export const nodeCategoryLabels: Record<NodeCategory, string> = {
  data: 'Data',
  prepare: 'Prepare',
  model: 'Model',
  deliver: 'Deliver',
};

export interface NodeKindSpec {
  label: string;
  category: NodeCategory;
  description: string;
  inputs: readonly PortSpec[];
  outputs: readonly PortSpec[];
  params: readonly ParamField[];
}

const tableIn: PortSpec = { name: 'data', label: 'Table', type: 'dataset', required: true };
const tableOut: PortSpec = { name: 'data', label: 'Table', type: 'dataset' };
/** Ports of the row-wise and fitted table steps, which work before or after a split. */
const tableOrSplitIn: PortSpec = { ...tableIn, takesSplit: true };
const tableOrSplitOut: PortSpec = { ...tableOut, keepsSplitOf: 'data' };
const modelIn: PortSpec = { name: 'model', label: 'Model', type: 'model', required: true };
const modelOut: PortSpec = { name: 'model', label: 'Model', type: 'model' };

/** The table a SQL transform's query reads its input from. */
export const SQL_INPUT_TABLE = 'input';
/** The column a split adds: 'train', 'validation' or 'test' per row. */
export const SPLIT_COLUMN = '__split';
export const splitParts = ['train', 'validation', 'test'] as const;

const fraction = (name: string, label: string, dflt: number): ParamField => ({
  name,
  label,
  type: 'number',
  min: 0,
  max: 1,
  step: 0.05,
  default: dflt,
});

// ---------------------------------------------------------------------------------------------
// Monitoring: what a monitor step sets up for the deployed model

// The monitoring contract's values (shared/api.ts AlertMetric, Comparator, MonitoringWindow,
// AlertAction), repeated here because importing the contract would bring it into every user of
// this file; a test holds the lists equal.
export const monitorMetrics = [
  'drift_score',
  'error_rate',
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'live_accuracy',
  'live_mae',
] as const;
export type MonitorMetric = (typeof monitorMetrics)[number];
const monitorMetricLabels: Record<MonitorMetric, string> = {
  drift_score: 'Drift score (largest feature PSI)',
  error_rate: 'Error rate',
  latency_p50: 'Latency p50 (ms)',
  latency_p95: 'Latency p95 (ms)',
  latency_p99: 'Latency p99 (ms)',
  live_accuracy: 'Live accuracy (classification)',
  live_mae: 'Live MAE (regression)',
};
export const monitorComparators = ['>', '>=', '<', '<='] as const;
export const monitorWindows = ['1h', '24h', '7d'] as const;
export const monitorActions = ['notify', 'retrain'] as const;

/**
 * Whether a monitor step's rule metric or compare metric fits the model's task; the reason when not.
 * One check for the file (a train step that declares its task) and for run time (the model's task).
 */
export function monitorTaskIssues(
  params: { rules: readonly { metric: MonitorMetric }[]; compareMetric: string },
  task: PipelineTask,
  model = 'the model',
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  params.rules.forEach((r, i) => {
    const needs = alertMetricTask(r.metric);
    if (needs && needs !== task)
      out.push({
        field: `rules.${i}.metric`,
        message: `${r.metric} needs a ${needs} model; ${model} is a ${task} model`,
      });
  });
  const allowed: readonly string[] = COMPARE_METRICS_BY_TASK[task];
  if (params.compareMetric !== 'auto' && !allowed.includes(params.compareMetric))
    out.push({
      field: 'compareMetric',
      message: `${params.compareMetric} is not a ${task} metric: use one of ${allowed.join(', ')}`,
    });
  return out;
}

/** A monitor rule as one line, e.g. "drift_score > 0.2 over 24h, notify". */
export function monitorRuleLine(r: {
  metric: string;
  comparator: string;
  threshold: number;
  window: string;
  action: string;
}): string {
  return `${r.metric} ${r.comparator} ${r.threshold} over ${r.window}, ${r.action}`;
}

const choices = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

/** Every node kind the engine runs, in palette order. */
export const nodeKindNames = [
  'dataset',
  'sql',
  'filter',
  'columns',
  'impute',
  'scale',
  'encode',
  'split',
  'train',
  'evaluate',
  'register',
  'deploy',
  'monitor',
] as const;
export type NodeKindName = (typeof nodeKindNames)[number];

/** The catalogue: per kind, its label, category, typed ports and parameter fields. */
export const nodeKinds: { readonly [K in NodeKindName]: NodeKindSpec } = {
  dataset: {
    label: 'Dataset',
    category: 'data',
    description:
      'Reads a dataset of the data folder (a version of it, or the latest), or a CSV / Parquet file, which is imported as a dataset.',
    inputs: [],
    outputs: [tableOut],
    params: [
      {
        name: 'dataset',
        label: 'Dataset or file',
        type: 'dataset',
        required: true,
        description: 'A dataset name, or a path to a CSV or Parquet file (relative to the pipeline file).',
      },
      {
        name: 'version',
        label: 'Version',
        type: 'integer',
        min: 1,
        description: 'The dataset version to read; the latest when empty. Not used for files.',
      },
    ],
  },
  sql: {
    label: 'SQL transform',
    category: 'prepare',
    description: `Runs a DuckDB query; the input table is named "${SQL_INPUT_TABLE}".`,
    inputs: [tableIn],
    outputs: [tableOut],
    params: [
      {
        name: 'query',
        label: 'Query',
        type: 'string',
        format: 'sql',
        required: true,
        default: `SELECT * FROM ${SQL_INPUT_TABLE}`,
        description: `One SELECT (or WITH ... SELECT) statement reading "${SQL_INPUT_TABLE}".`,
      },
    ],
  },
  filter: {
    label: 'Filter rows',
    category: 'prepare',
    description: 'Keeps the rows where a condition holds. Works before or after a split.',
    inputs: [tableOrSplitIn],
    outputs: [tableOrSplitOut],
    params: [
      {
        name: 'condition',
        label: 'Keep rows where',
        type: 'string',
        format: 'expression',
        required: true,
        placeholder: "age >= 18 AND country = 'NZ'",
        description: 'A DuckDB boolean expression over the columns; rows where it is false or NULL are dropped.',
      },
    ],
  },
  columns: {
    label: 'Select / drop / rename columns',
    category: 'prepare',
    description: 'Keeps or drops columns, then renames some.',
    inputs: [tableIn],
    outputs: [tableOut],
    params: [
      {
        name: 'mode',
        label: 'Mode',
        type: 'enum',
        options: [
          { value: 'select', label: 'Keep only these columns' },
          { value: 'drop', label: 'Drop these columns' },
        ],
        default: 'drop',
      },
      { name: 'columns', label: 'Columns', type: 'column-list', default: [] },
      {
        name: 'rename',
        label: 'Rename',
        type: 'object-list',
        default: [],
        fields: [
          { name: 'from', label: 'Column', type: 'column', required: true },
          { name: 'to', label: 'New name', type: 'string', required: true, maxLength: 200 },
        ],
      },
    ],
  },
  impute: {
    label: 'Impute missing values',
    category: 'prepare',
    description:
      'Fills missing values: per column, else by column type. After a split, the fill values come from the train rows only.',
    inputs: [tableOrSplitIn],
    outputs: [tableOrSplitOut],
    params: [
      {
        name: 'numeric',
        label: 'Numeric columns',
        type: 'enum',
        options: [
          { value: 'mean', label: 'Mean' },
          { value: 'median', label: 'Median' },
          { value: 'mode', label: 'Most frequent' },
          { value: 'none', label: 'Leave missing' },
        ],
        default: 'mean',
        description: 'For numeric columns without a rule below.',
      },
      {
        name: 'other',
        label: 'Other columns',
        type: 'enum',
        options: [
          { value: 'mode', label: 'Most frequent' },
          { value: 'none', label: 'Leave missing' },
        ],
        default: 'mode',
        description: 'For text, category, boolean and date columns without a rule below.',
      },
      {
        name: 'exclude',
        label: 'Leave alone',
        type: 'column-list',
        default: [],
        description: 'Columns never filled, e.g. the target.',
      },
      {
        name: 'rules',
        label: 'Per column',
        type: 'object-list',
        default: [],
        fields: [
          { name: 'column', label: 'Column', type: 'column', required: true },
          {
            name: 'strategy',
            label: 'Fill with',
            type: 'enum',
            options: [
              { value: 'mean', label: 'Mean' },
              { value: 'median', label: 'Median' },
              { value: 'mode', label: 'Most frequent' },
              { value: 'constant', label: 'A constant' },
            ],
            default: 'mean',
          },
          { name: 'value', label: 'Constant', type: 'string', visibleWhen: { field: 'strategy', oneOf: ['constant'] } },
        ],
      },
    ],
  },
  scale: {
    label: 'Scale',
    category: 'prepare',
    description:
      'Rescales numeric columns: to mean 0 and standard deviation 1, or to the range 0..1. After a split, by the train rows only.',
    inputs: [tableOrSplitIn],
    outputs: [tableOrSplitOut],
    params: [
      {
        name: 'method',
        label: 'Method',
        type: 'enum',
        options: [
          { value: 'standard', label: 'Standard (z-score)' },
          { value: 'minmax', label: 'Min-max (0..1)' },
        ],
        default: 'standard',
      },
      {
        name: 'columns',
        label: 'Columns',
        type: 'column-list',
        default: [],
        description: 'Every numeric column when empty.',
      },
      { name: 'exclude', label: 'Leave alone', type: 'column-list', default: [], description: 'E.g. the target.' },
    ],
  },
  encode: {
    label: 'Encode categories',
    category: 'prepare',
    description:
      'Turns text and category columns into numbers: one 0/1 column per value, or one integer code per value. After a split, the values are those of the train rows.',
    inputs: [tableOrSplitIn],
    outputs: [tableOrSplitOut],
    params: [
      {
        name: 'method',
        label: 'Method',
        type: 'enum',
        options: [
          { value: 'onehot', label: 'One-hot' },
          { value: 'ordinal', label: 'Ordinal codes' },
        ],
        default: 'onehot',
      },
      {
        name: 'columns',
        label: 'Columns',
        type: 'column-list',
        default: [],
        description: 'Every text column when empty (name boolean columns to encode them).',
      },
      { name: 'exclude', label: 'Leave alone', type: 'column-list', default: [], description: 'E.g. the target.' },
      {
        name: 'maxCategories',
        label: 'Most values per column',
        type: 'integer',
        min: 2,
        max: 1000,
        default: 50,
        description: 'One-hot: values beyond the most frequent ones share an "other" column.',
        visibleWhen: { field: 'method', oneOf: ['onehot'] },
      },
    ],
  },
  split: {
    label: 'Split',
    category: 'prepare',
    description: 'Assigns each row to train, validation or test; training learns on train, evaluation scores test.',
    inputs: [tableIn],
    outputs: [{ name: 'data', label: 'Split', type: 'split' }],
    params: [
      {
        name: 'method',
        label: 'Method',
        type: 'enum',
        options: [
          { value: 'random', label: 'Random' },
          { value: 'stratified', label: 'Stratified by a column' },
        ],
        default: 'random',
      },
      {
        name: 'stratify',
        label: 'Stratify by',
        type: 'column',
        description: 'Each class keeps its share in every part (usually the target).',
        visibleWhen: { field: 'method', oneOf: ['stratified'] },
      },
      fraction('train', 'Train', 0.7),
      fraction('validation', 'Validation', 0.15),
      fraction('test', 'Test', 0.15),
      settingField('seed', SEED),
    ],
  },
  train: {
    label: 'Train',
    category: 'model',
    description:
      'Trains a model on the train part (validation part for early stopping and curves); the run appears in Runs and saves a model version.',
    inputs: [{ name: 'data', label: 'Split', type: 'split', required: true }],
    outputs: [modelOut],
    params: [
      { name: 'target', label: 'Target', type: 'column', required: true },
      {
        name: 'task',
        label: 'Task',
        type: 'enum',
        options: [
          { value: 'auto', label: 'From the target' },
          { value: 'classification', label: 'Classification' },
          { value: 'regression', label: 'Regression' },
        ],
        default: 'auto',
      },
      {
        name: 'model',
        label: 'Model',
        type: 'enum',
        options: [
          { value: 'mlp', label: 'Neural network (MLP)' },
          { value: 'logistic_regression', label: 'Logistic regression' },
          { value: 'linear_regression', label: 'Linear regression' },
        ],
        default: 'mlp',
      },
      {
        name: 'features',
        label: 'Features',
        type: 'column-list',
        default: [],
        description: 'Every other column when empty.',
      },
      {
        name: 'hiddenLayers',
        label: 'Hidden layers',
        type: 'object-list',
        default: [],
        description: "The MLP's hidden layers, input side first; 64 then 32 units when empty.",
        visibleWhen: { field: 'model', oneOf: ['mlp'] },
        fields: [settingField('units', UNITS), settingField('dropout', DROPOUT)],
      },
      settingField('epochs', EPOCHS),
      settingField('batchSize', BATCH_SIZE),
      settingField('learningRate', LEARNING_RATE),
      settingField('l2', L2),
      choiceField('optimizer', OPTIMIZER),
      settingField('seed', SEED),
      {
        name: 'modelName',
        label: 'Model name',
        type: 'string',
        maxLength: 200,
        description: "The registry model the version is saved under; the pipeline's name when empty.",
      },
    ],
  },
  evaluate: {
    label: 'Evaluate',
    category: 'model',
    description:
      'Scores the model on the test part; each gate that is not met fails the pipeline. The model passes on only when every gate is met.',
    inputs: [modelIn, { name: 'data', label: 'Split', type: 'split', required: true }],
    outputs: [modelOut, { name: 'metrics', label: 'Metrics', type: 'metrics' }],
    params: [
      {
        name: 'gates',
        label: 'Gates',
        type: 'string-list',
        default: [],
        placeholder: 'accuracy >= 0.9',
        description: 'Conditions such as accuracy >= 0.9 or rmse < 3.',
      },
    ],
  },
  register: {
    label: 'Register',
    category: 'deliver',
    description: 'Points an alias (e.g. production) of the model at the trained version, with a reason in its history.',
    inputs: [modelIn],
    outputs: [modelOut],
    params: [
      {
        name: 'alias',
        label: 'Alias',
        type: 'string',
        required: true,
        default: 'production',
        maxLength: 64,
        description: 'A letter, then letters, digits, ".", "_" or "-".',
      },
      {
        name: 'reason',
        label: 'Reason',
        type: 'string',
        default: '',
        maxLength: 2000,
        description: 'Recorded with the alias move.',
      },
    ],
  },
  deploy: {
    label: 'Deploy',
    category: 'deliver',
    description: 'Starts a prediction endpoint for the model, or updates the one already serving it.',
    inputs: [modelIn],
    outputs: [{ name: 'endpoint', label: 'Endpoint', type: 'endpoint' }],
    params: [
      {
        name: 'serve',
        label: 'Serve',
        type: 'enum',
        options: [
          { value: 'alias', label: "The model's alias (follows it when it moves)" },
          { value: 'version', label: 'This exact version' },
        ],
        default: 'alias',
        description: 'Alias: the alias set by the Register step upstream, else production.',
      },
      { name: 'port', label: 'Port', type: 'integer', min: 0, max: 65535, description: 'A free port when empty.' },
      {
        name: 'host',
        label: 'Address',
        type: 'string',
        default: '127.0.0.1',
        description: 'Any other than 127.0.0.1 requires the API key.',
      },
    ],
  },
  monitor: {
    label: 'Monitor',
    category: 'deliver',
    description:
      'Sets the alert rules (drift, latency, errors, live quality) and the retrain policy of the deployed model; a rerun replaces the rules this step made and leaves the others alone.',
    inputs: [{ name: 'endpoint', label: 'Endpoint', type: 'endpoint', required: true }],
    outputs: [],
    params: [
      {
        name: 'rules',
        label: 'Alert rules',
        type: 'object-list',
        default: [{ metric: 'drift_score', comparator: '>', threshold: 0.2, window: '24h', action: 'notify' }],
        description: 'Each is judged every minute over its window; live accuracy and live MAE need feedback labels.',
        fields: [
          {
            name: 'metric',
            label: 'Metric',
            type: 'enum',
            options: monitorMetrics.map((m) => ({ value: m, label: monitorMetricLabels[m] })),
            default: 'drift_score',
          },
          { name: 'comparator', label: 'Fires when', type: 'enum', options: choices(monitorComparators), default: '>' },
          { name: 'threshold', label: 'Threshold', type: 'number', required: true },
          {
            name: 'window',
            label: 'Over',
            type: 'enum',
            options: [
              { value: '1h', label: 'the last hour' },
              { value: '24h', label: 'the last 24 hours' },
              { value: '7d', label: 'the last 7 days' },
            ],
            default: '24h',
          },
          {
            name: 'action',
            label: 'Then',
            type: 'enum',
            options: [
              { value: 'notify', label: 'Notify' },
              { value: 'retrain', label: 'Notify and retrain' },
            ],
            default: 'notify',
          },
        ],
      },
      {
        name: 'retrainOnAlert',
        label: 'Retrain when a "retrain" rule fires',
        type: 'boolean',
        default: true,
      },
      {
        name: 'scheduleHours',
        label: 'Retrain every (hours)',
        type: 'integer',
        min: 1,
        max: 24 * 365,
        description: 'No scheduled retraining when empty.',
      },
      {
        name: 'onNewDatasetVersion',
        label: 'Retrain on a new version of the training dataset',
        type: 'boolean',
        default: false,
      },
      {
        name: 'compareMetric',
        label: 'Compare on',
        type: 'enum',
        options: [
          { value: 'auto', label: 'By the task (accuracy, or MAE)' },
          ...COMPARE_METRICS_BY_TASK.classification.map((m) => ({ value: m, label: `${m} (classification)` })),
          ...COMPARE_METRICS_BY_TASK.regression.map((m) => ({ value: m, label: `${m} (regression)` })),
        ],
        default: 'auto',
        description: 'The held-out metric a retrained challenger must beat the serving champion on.',
      },
      {
        name: 'margin',
        label: 'By at least',
        type: 'number',
        min: 0,
        max: 1_000_000,
        default: 0,
        description: "In the metric's units.",
      },
      {
        name: 'includeLabelledRequests',
        label: 'Add labelled requests to the training data',
        type: 'boolean',
        default: false,
      },
    ],
  },
};

/** Whether a string names a kind in the catalogue. */
export function isNodeKind(kind: string): kind is NodeKindName {
  return (nodeKindNames as readonly string[]).includes(kind);
}

/** The zod schema of each kind's params, built from its fields. */
export const nodeParamSchemas = Object.fromEntries(
  nodeKindNames.map((k) => [k, paramsSchema(nodeKinds[k].params)]),
) as { [K in NodeKindName]: ReturnType<typeof paramsSchema> };

// Typed params per kind, as the engine reads them after validation.
type Opt<T> = T | undefined;
export interface NodeParams {
  dataset: { dataset: string; version: Opt<number> };
  sql: { query: string };
  filter: { condition: string };
  columns: { mode: 'select' | 'drop'; columns: string[]; rename: { from: string; to: string }[] };
  impute: {
    numeric: 'mean' | 'median' | 'mode' | 'none';
    other: 'mode' | 'none';
    exclude: string[];
    rules: { column: string; strategy: 'mean' | 'median' | 'mode' | 'constant'; value: Opt<string> }[];
  };
  scale: { method: 'standard' | 'minmax'; columns: string[]; exclude: string[] };
  encode: { method: 'onehot' | 'ordinal'; columns: string[]; exclude: string[]; maxCategories: number };
  split: {
    method: 'random' | 'stratified';
    stratify: Opt<string>;
    train: number;
    validation: number;
    test: number;
    seed: number;
  };
  train: {
    target: string;
    task: 'auto' | PipelineTask;
    model: 'mlp' | 'logistic_regression' | 'linear_regression';
    features: string[];
    hiddenLayers: { units: number; dropout: number }[];
    epochs: number;
    batchSize: number;
    learningRate: Opt<number>;
    l2: Opt<number>;
    optimizer: 'adam' | 'sgd' | 'rmsprop';
    seed: number;
    modelName: Opt<string>;
  };
  evaluate: { gates: string[] };
  register: { alias: string; reason: string };
  deploy: { serve: 'alias' | 'version'; port: Opt<number>; host: string };
  monitor: {
    rules: {
      metric: MonitorMetric;
      comparator: (typeof monitorComparators)[number];
      threshold: number;
      window: (typeof monitorWindows)[number];
      action: (typeof monitorActions)[number];
    }[];
    retrainOnAlert: boolean;
    scheduleHours: Opt<number>;
    onNewDatasetVersion: boolean;
    compareMetric: 'auto' | (typeof COMPARE_METRICS_BY_TASK)[PipelineTask][number];
    margin: number;
    includeLabelledRequests: boolean;
  };
}

// ---------------------------------------------------------------------------------------------
// The file

/** A node id: stable across edits (edges and run history refer to it). */
export const NodeId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'an id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

/** How deep a node's params may nest: Cairn's own go 3 levels deep (rules, a rule, its value). */
export const MAX_PARAMS_DEPTH = 32;

/**
 * Whether a parsed JSON value nests at most `max` objects or arrays deep, found without recursion:
 * a 100,000-deep value overflows the stack of any recursive walk (structuredClone, JSON.stringify).
 */
export function nestsAtMost(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > max) return false;
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return true;
}

export const PipelineNode = z.object({
  id: NodeId,
  kind: z.string().min(1),
  /** What the canvas shows; the kind's label when absent. */
  label: z.string().max(200).optional(),
  params: z
    .record(z.string(), z.unknown())
    .refine((params) => nestsAtMost(params, MAX_PARAMS_DEPTH), `params nest more than ${MAX_PARAMS_DEPTH} levels deep`)
    .default({}),
  position: z.object({ x: z.number(), y: z.number() }),
});
export type PipelineNode = z.infer<typeof PipelineNode>;

export const PipelineEdge = z.object({
  id: z.string().min(1).max(200),
  source: z.string().min(1),
  sourcePort: z.string().min(1),
  target: z.string().min(1),
  targetPort: z.string().min(1),
});
export type PipelineEdge = z.infer<typeof PipelineEdge>;

/** The pipeline file. Params stay as written here; validatePipeline checks them against their kind. */
export const PipelineSpec = z.object({
  cairn: z.literal(PIPELINE_FORMAT),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).optional(),
  nodes: z.array(PipelineNode).max(500),
  edges: z.array(PipelineEdge).max(2000),
});
export type PipelineSpec = z.infer<typeof PipelineSpec>;

// ---------------------------------------------------------------------------------------------
// Validation

/** One problem with a pipeline, pointing at what to fix: a node and its parameter, or an edge and port. */
export const PipelineIssue = z.object({
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** A parameter path within the node's params, e.g. "rules.0.value"; or a top-level field such as "name". */
  field: z.string().optional(),
  /** An input port of the node, for missing or doubled inputs. */
  port: z.string().optional(),
  message: z.string(),
});
export type PipelineIssue = z.infer<typeof PipelineIssue>;

export type ValidationResult =
  { ok: true; spec: PipelineSpec; issues: [] } | { ok: false; spec?: PipelineSpec; issues: PipelineIssue[] };

function pathString(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The task a train node declares, if any. */
function declaredTask(node: PipelineNode): PipelineTask | undefined {
  const task = node.params.task;
  return task === 'classification' || task === 'regression' ? task : undefined;
}

/**
 * Checks a pipeline file: its shape, each node's kind and params, each edge's ends, ports and
 * types, one edge per input, required inputs, and cycles. Every issue names the node (and
 * parameter or port) or edge to fix. `spec` is the file with params defaults filled in when it
 * is at least well-formed.
 */
export function validatePipeline(input: unknown): ValidationResult {
  const issues: PipelineIssue[] = [];
  const shape = PipelineSpec.safeParse(input);
  if (!shape.success) {
    const raw = (typeof input === 'object' && input !== null ? input : {}) as { nodes?: unknown; edges?: unknown };
    const idAt = (list: unknown, i: unknown): string | undefined => {
      if (!Array.isArray(list) || typeof i !== 'number') return undefined;
      const item = list[i] as { id?: unknown } | undefined;
      return typeof item?.id === 'string' ? item.id : undefined;
    };
    for (const issue of shape.error.issues) {
      const [head, index, ...rest] = issue.path;
      if (head === 'nodes' && typeof index === 'number') {
        const field = rest.length ? pathString(rest) : undefined;
        issues.push({
          nodeId: idAt(raw.nodes, index) ?? `#${index + 1}`,
          ...(field ? { field } : {}),
          message: issue.message,
        });
      } else if (head === 'edges' && typeof index === 'number') {
        const field = rest.length ? pathString(rest) : undefined;
        issues.push({
          edgeId: idAt(raw.edges, index) ?? `#${index + 1}`,
          ...(field ? { field } : {}),
          message: issue.message,
        });
      } else {
        const field = pathString(issue.path);
        const message =
          head === 'cairn' ? `"cairn" must be ${PIPELINE_FORMAT} (the pipeline file format version)` : issue.message;
        issues.push({ ...(field ? { field } : {}), message });
      }
    }
    return { ok: false, issues };
  }

  const spec = structuredClone(shape.data);
  const byId = new Map<string, PipelineNode>();
  for (const node of spec.nodes) {
    if (byId.has(node.id)) issues.push({ nodeId: node.id, field: 'id', message: `two nodes have the id "${node.id}"` });
    byId.set(node.id, node);
  }
  const edgeIds = new Set<string>();
  for (const edge of spec.edges) {
    if (edgeIds.has(edge.id)) issues.push({ edgeId: edge.id, message: `two edges have the id "${edge.id}"` });
    edgeIds.add(edge.id);
  }

  for (const node of spec.nodes) {
    if (!isNodeKind(node.kind)) {
      issues.push({
        nodeId: node.id,
        field: 'kind',
        message: `unknown node kind "${node.kind}": use one of ${nodeKindNames.join(', ')}`,
      });
      continue;
    }
    const parsed = nodeParamSchemas[node.kind].safeParse(node.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            const at = pathString([...issue.path, key]);
            issues.push({
              nodeId: node.id,
              field: at,
              message: `unknown parameter "${at}" for ${nodeKinds[node.kind].label}`,
            });
          }
        } else {
          issues.push({ nodeId: node.id, field: pathString(issue.path) || 'params', message: issue.message });
        }
      }
    } else {
      node.params = parsed.data;
      issues.push(...paramRules(node));
    }
  }

  // Edges: both ends exist, ports exist and the input takes what the output carries, one edge per input.
  const graph = specPortGraph(spec);
  const incoming = new Map<string, PipelineEdge>();
  /** Inputs some edge tried to fill: a wrong edge is reported once, not also as a missing input. */
  const attempted = new Set<string>();
  const goodEdges: PipelineEdge[] = [];
  for (const edge of spec.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source) {
      issues.push({
        edgeId: edge.id,
        nodeId: edge.target,
        field: 'source',
        message: `edge "${edge.id}" comes from a node "${edge.source}" that does not exist`,
      });
      continue;
    }
    if (!target) {
      issues.push({
        edgeId: edge.id,
        nodeId: edge.source,
        field: 'target',
        message: `edge "${edge.id}" goes to a node "${edge.target}" that does not exist`,
      });
      continue;
    }
    if (!isNodeKind(source.kind) || !isNodeKind(target.kind)) continue;
    if (edge.source === edge.target) {
      issues.push({
        edgeId: edge.id,
        nodeId: edge.target,
        message: `edge "${edge.id}" joins node "${edge.source}" to itself`,
      });
      continue;
    }
    const out = nodeKinds[source.kind].outputs.find((p) => p.name === edge.sourcePort);
    const inp = nodeKinds[target.kind].inputs.find((p) => p.name === edge.targetPort);
    if (!out) {
      const names = nodeKinds[source.kind].outputs.map((p) => p.name);
      issues.push({
        edgeId: edge.id,
        nodeId: source.id,
        port: edge.sourcePort,
        message: `${nodeKinds[source.kind].label} "${source.id}" has no output "${edge.sourcePort}"${names.length ? ` (outputs: ${names.join(', ')})` : ' (it has no outputs)'}`,
      });
      continue;
    }
    if (!inp) {
      const names = nodeKinds[target.kind].inputs.map((p) => p.name);
      issues.push({
        edgeId: edge.id,
        nodeId: target.id,
        port: edge.targetPort,
        message: `${nodeKinds[target.kind].label} "${target.id}" has no input "${edge.targetPort}"${names.length ? ` (inputs: ${names.join(', ')})` : ' (it has no inputs)'}`,
      });
      continue;
    }
    const key = `${target.id}\u0000${inp.name}`;
    attempted.add(key);
    const carries = outputType(graph, source.id, out.name) ?? out.type;
    if (!inputTakes(inp, carries)) {
      issues.push({
        edgeId: edge.id,
        nodeId: target.id,
        port: inp.name,
        message: `input "${inp.name}" of "${target.id}" takes a ${portTypeLabels[inp.type]}, but "${source.id}" gives a ${portTypeLabels[carries]}`,
      });
      continue;
    }
    const first = incoming.get(key);
    if (first) {
      issues.push({
        edgeId: edge.id,
        nodeId: target.id,
        port: inp.name,
        message: `input "${inp.name}" of "${target.id}" already comes from "${first.source}": an input takes one edge`,
      });
      continue;
    }
    incoming.set(key, edge);
    goodEdges.push(edge);
  }

  for (const node of spec.nodes) {
    if (!isNodeKind(node.kind)) continue;
    for (const port of nodeKinds[node.kind].inputs) {
      const key = `${node.id}\u0000${port.name}`;
      if (port.required && !incoming.has(key) && !attempted.has(key)) {
        issues.push({
          nodeId: node.id,
          port: port.name,
          message: `${nodeKinds[node.kind].label} "${node.id}" needs its "${port.name}" input (a ${portTypeLabels[port.type]}) connected`,
        });
      }
    }
  }

  const cycle = findCycle(
    spec.nodes.map((n) => n.id),
    goodEdges,
  );
  if (cycle) {
    for (const id of cycle)
      issues.push({
        nodeId: id,
        message: `a cycle runs through ${cycle.join(' -> ')} -> ${cycle[0] ?? ''}: a pipeline flows one way`,
      });
  }

  issues.push(...gateRules(spec, byId, goodEdges));
  issues.push(...monitorRules(spec, byId, goodEdges));
  return issues.length ? { ok: false, spec, issues } : { ok: true, spec, issues: [] };
}

/** Rules between fields of one node that a per-field schema cannot say. */
function paramRules(node: PipelineNode): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  const at = (field: string, message: string) => out.push({ nodeId: node.id, field, message });
  const p = node.params;
  switch (node.kind) {
    case 'split': {
      const s = p as unknown as NodeParams['split'];
      const sum = s.train + s.validation + s.test;
      if (!(s.train > 0)) at('train', 'the train part must be larger than 0');
      if (!(s.test > 0)) at('test', 'the test part must be larger than 0 (evaluation scores it)');
      if (Math.abs(sum - 1) > 1e-6)
        at('train', `train, validation and test must add up to 1 (they add up to ${Number(sum.toFixed(6))})`);
      if (s.method === 'stratified' && !s.stratify?.trim())
        at('stratify', 'a stratified split needs the column to stratify by');
      break;
    }
    case 'impute': {
      (p as unknown as NodeParams['impute']).rules.forEach((r, i) => {
        if (r.strategy === 'constant' && (r.value === undefined || r.value === ''))
          at(`rules.${i}.value`, `a constant to fill "${r.column}" with`);
      });
      break;
    }
    case 'columns': {
      const c = p as unknown as NodeParams['columns'];
      if (c.mode === 'select' && c.columns.length === 0) at('columns', 'name the columns to keep');
      const targets = new Set<string>();
      c.rename.forEach((r, i) => {
        if (targets.has(r.to)) at(`rename.${i}.to`, `two columns are renamed to "${r.to}"`);
        targets.add(r.to);
      });
      break;
    }
    case 'train': {
      const t = p as unknown as NodeParams['train'];
      if (t.task === 'regression' && t.model === 'logistic_regression')
        at('model', 'logistic regression is for classification');
      if (t.task === 'classification' && t.model === 'linear_regression')
        at('model', 'linear regression is for regression');
      break;
    }
    case 'register': {
      const alias = (p as unknown as NodeParams['register']).alias;
      if (!ALIAS_PATTERN.test(alias)) at('alias', ALIAS_RULE);
      break;
    }
  }
  return out;
}

/** Each evaluate's gates, checked against the task of the train step upstream where it declares one. */
function gateRules(spec: PipelineSpec, byId: Map<string, PipelineNode>, edges: PipelineEdge[]): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  for (const node of spec.nodes) {
    const gates = node.params.gates;
    if (node.kind !== 'evaluate' || !Array.isArray(gates)) continue;
    const train = upstreamOfKind(node.id, 'train', byId, edges);
    const task = train ? declaredTask(train) : undefined;
    gates.forEach((g, i) => {
      if (typeof g !== 'string') return;
      const r = parseGate(g, task);
      if (!r.ok) out.push({ nodeId: node.id, field: `gates.${i}`, message: r.message });
    });
  }
  return out;
}

/** Each monitor's rule and compare metrics, checked against the task of the train step upstream where it declares one. */
function monitorRules(spec: PipelineSpec, byId: Map<string, PipelineNode>, edges: PipelineEdge[]): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  for (const node of spec.nodes) {
    if (node.kind !== 'monitor') continue;
    const train = upstreamOfKind(node.id, 'train', byId, edges);
    const task = train ? declaredTask(train) : undefined;
    // A node whose params fail their own schema has had those issues reported already.
    const parsed = nodeParamSchemas.monitor.safeParse(node.params);
    if (!train || !task || !parsed.success) continue;
    const p = parsed.data as unknown as NodeParams['monitor'];
    for (const i of monitorTaskIssues(p, task, `the model "${train.id}" trains`)) out.push({ nodeId: node.id, ...i });
  }
  return out;
}

/** The nearest node of a kind upstream of a node (following model inputs first), if any. */
export function upstreamOfKind(
  nodeId: string,
  kind: NodeKindName,
  byId: ReadonlyMap<string, PipelineNode>,
  edges: readonly PipelineEdge[],
): PipelineNode | undefined {
  const seen = new Set<string>();
  const queue = [nodeId];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const e of edges
      .filter((x) => x.target === id)
      .sort((a, b) => Number(b.targetPort === 'model') - Number(a.targetPort === 'model'))) {
      if (seen.has(e.source)) continue;
      seen.add(e.source);
      const n = byId.get(e.source);
      if (n?.kind === kind) return n;
      queue.push(e.source);
    }
  }
  return undefined;
}

/** A cycle's node ids in order, or null when the graph flows one way. */
export function findCycle(
  nodeIds: readonly string[],
  edges: readonly Pick<PipelineEdge, 'source' | 'target'>[],
): string[] | null {
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const e of edges) next.get(e.source)?.push(e.target);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 1);
    stack.push(id);
    for (const t of next.get(id) ?? []) {
      const s = state.get(t);
      if (s === 1) return stack.slice(stack.indexOf(t));
      if (s === undefined) {
        const found = visit(t);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 2);
    return null;
  };
  for (const id of nodeIds) {
    if (state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return null;
}

/** Whether adding an edge source -> target would close a cycle (for an editor refusing the connection). */
export function wouldCycle(
  edges: readonly Pick<PipelineEdge, 'source' | 'target'>[],
  source: string,
  target: string,
): boolean {
  if (source === target) return true;
  const seen = new Set<string>([target]);
  const queue = [target];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const e of edges) {
      if (e.source !== id || seen.has(e.target)) continue;
      if (e.target === source) return true;
      seen.add(e.target);
      queue.push(e.target);
    }
  }
  return false;
}

/** Enough of a pipeline's graph to work out what its ports carry (the spec, or the editor's canvas). */
export interface PortGraph {
  kindOf(nodeId: string): string | undefined;
  /** The output feeding an input, if an edge joins them. */
  sourceOf(nodeId: string, input: string): { node: string; port: string } | undefined;
}

/** A spec's graph (or a canvas's, as far as ports go); where several edges go into one input, the first counts. */
export function specPortGraph(spec: {
  nodes: readonly Pick<PipelineNode, 'id' | 'kind'>[];
  edges: readonly Pick<PipelineEdge, 'source' | 'sourcePort' | 'target' | 'targetPort'>[];
}): PortGraph {
  const kinds = new Map(spec.nodes.map((n) => [n.id, n.kind]));
  const into = new Map<string, { node: string; port: string }>();
  for (const e of spec.edges) {
    const key = `${e.target}\u0000${e.targetPort}`;
    if (!into.has(key)) into.set(key, { node: e.source, port: e.sourcePort });
  }
  return {
    kindOf: (id) => kinds.get(id),
    sourceOf: (id, input) => into.get(`${id}\u0000${input}`),
  };
}

/**
 * What an output port carries in a graph: its kind's type, except that a table step fed a split
 * table gives one (see PortSpec.keepsSplitOf). Undefined for an unknown node, kind or port; a loop
 * ends at the declared type (validation reports the loop).
 */
export function outputType(
  g: PortGraph,
  nodeId: string,
  port: string,
  seen: Set<string> = new Set(),
): PortType | undefined {
  const kind = g.kindOf(nodeId);
  if (kind === undefined || !isNodeKind(kind)) return undefined;
  const out = nodeKinds[kind].outputs.find((p) => p.name === port);
  if (!out?.keepsSplitOf || seen.has(nodeId)) return out?.type;
  seen.add(nodeId);
  const from = g.sourceOf(nodeId, out.keepsSplitOf);
  return from && outputType(g, from.node, from.port, seen) === 'split' ? 'split' : out.type;
}

/** Whether an input port takes what an output of this type carries. */
export function inputTakes(inp: PortSpec, type: PortType): boolean {
  return type === inp.type || (type === 'split' && inp.takesSplit === true);
}

// ---------------------------------------------------------------------------------------------
// Running: node states and outputs

/** A step's state in a run: cached means its output came from an earlier run with the same inputs. */
export const stepStates = ['queued', 'running', 'cached', 'succeeded', 'failed', 'skipped'] as const;
export const StepState = z.enum(stepStates);
export type StepState = z.infer<typeof StepState>;

export const PreviewCell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The first rows of a table a step produced, for the editor's output panel. */
export const TablePreview = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(PreviewCell)),
  rowCount: z.number(),
  /** Split tables: rows per part. */
  parts: z.object({ train: z.number(), validation: z.number(), test: z.number() }).optional(),
});
export type TablePreview = z.infer<typeof TablePreview>;

export const GateResult = z.object({
  gate: z.string(),
  metric: z.string(),
  op: z.enum(gateOps),
  threshold: z.number(),
  actual: z.number().nullable(),
  passed: z.boolean(),
});
export type GateResult = z.infer<typeof GateResult>;

/** One alert rule a monitor step applied: its id in the monitoring engine, a readable line, and its settings. */
export const MonitorRuleOutput = z.object({
  id: z.string(),
  line: z.string(),
  metric: z.string(),
  comparator: z.string(),
  threshold: z.number(),
  window: z.string(),
  action: z.string(),
  minSamples: z.number(),
  enabled: z.boolean(),
});
export type MonitorRuleOutput = z.infer<typeof MonitorRuleOutput>;

export const MonitorOutput = z.object({
  rules: z.array(MonitorRuleOutput),
  policy: z.object({
    onAlert: z.boolean(),
    scheduleHours: z.number().nullable(),
    onNewDatasetVersion: z.boolean(),
    metric: z.string(),
    margin: z.number(),
    includeLabelledRequests: z.boolean(),
    alias: z.string(),
  }),
  /** The model's last 24 hours when the step ran; null when the overview could not be read. */
  headline: z
    .object({
      window: z.string(),
      requests: z.number(),
      errorRate: z.number().nullable(),
      driftScore: z.number().nullable(),
      firingAlerts: z.number(),
    })
    .nullable(),
  /** Every rule this step makes has an id starting with this; others are the user's. */
  ruleIdPrefix: z.string(),
});
export type MonitorOutput = z.infer<typeof MonitorOutput>;

/**
 * The rows a fitted step (impute, scale, encode) learned its statistics from: the train part of a
 * split table, else all rows (a step before the split lets test rows inform it).
 */
export const StepFit = z.object({ part: z.enum(['train', 'all']), rows: z.number() });
export type StepFit = z.infer<typeof StepFit>;

/** What a step produced, as the editor shows it when the node is selected. */
export const StepOutput = z.object({
  table: TablePreview.optional(),
  fit: StepFit.optional(),
  /** Source steps: the dataset version read (a file is imported as one). */
  dataset: z
    .object({ name: z.string(), version: z.number(), versionId: z.string(), contentHash: z.string() })
    .optional(),
  /** Scalar metrics: the train run's test metrics, or the evaluate step's. */
  metrics: z.record(z.string(), z.number().nullable()).optional(),
  task: z.enum(['classification', 'regression']).optional(),
  gates: z.array(GateResult).optional(),
  /** Train steps: the training run (it is in the Runs list). */
  runId: z.string().optional(),
  model: z.object({ name: z.string(), version: z.number(), alias: z.string().optional() }).optional(),
  endpoint: z.object({ id: z.string(), url: z.string() }).optional(),
  /** Monitor steps: the rules and retrain policy applied to the model, and its traffic when they were. */
  monitoring: MonitorOutput.optional(),
});
export type StepOutput = z.infer<typeof StepOutput>;
