// The catalogue of node kinds: per kind, its label, category, typed ports and parameter fields, one
// file per kind beside the engine's runner of the same name (electron/core/pipelines/kinds/).
import { paramsSchema } from '../fields.js';
import { columnsKind, type ColumnsParams } from './columns.js';
import type { NodeKindSpec } from './common.js';
import { datasetKind, type DatasetParams } from './dataset.js';
import { deployKind, type DeployParams } from './deploy.js';
import { encodeKind, type EncodeParams } from './encode.js';
import { evaluateKind, type EvaluateParams } from './evaluate.js';
import { filterKind, type FilterParams } from './filter.js';
import { imputeKind, type ImputeParams } from './impute.js';
import { monitorKind, type MonitorParams } from './monitor.js';
import { registerKind, type RegisterParams } from './register.js';
import { scaleKind, type ScaleParams } from './scale.js';
import { splitKind, type SplitParams } from './split.js';
import { sqlKind, type SqlParams } from './sql.js';
import { sweepKind, type SweepParams } from './sweep.js';
import { trainKind, type TrainParams } from './train.js';

export { nodeCategories, nodeCategoryLabels, type NodeCategory, type NodeKindSpec } from './common.js';
export { monitorRuleLine, monitorTaskIssues } from './monitor.js';
export { SPLIT_COLUMN, splitParts } from './split.js';
export { SQL_INPUT_TABLE } from './sql.js';
export { TASK_DEFAULT_METRIC } from './sweep.js';

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
  'sweep',
  'evaluate',
  'register',
  'deploy',
  'monitor',
] as const;
export type NodeKindName = (typeof nodeKindNames)[number];

/** The catalogue: per kind, its label, category, typed ports and parameter fields. */
export const nodeKinds: { readonly [K in NodeKindName]: NodeKindSpec } = {
  dataset: datasetKind,
  sql: sqlKind,
  filter: filterKind,
  columns: columnsKind,
  impute: imputeKind,
  scale: scaleKind,
  encode: encodeKind,
  split: splitKind,
  train: trainKind,
  sweep: sweepKind,
  evaluate: evaluateKind,
  register: registerKind,
  deploy: deployKind,
  monitor: monitorKind,
};

/** Typed params per kind, as the engine reads them after validation. */
export interface NodeParams {
  dataset: DatasetParams;
  sql: SqlParams;
  filter: FilterParams;
  columns: ColumnsParams;
  impute: ImputeParams;
  scale: ScaleParams;
  encode: EncodeParams;
  split: SplitParams;
  train: TrainParams;
  sweep: SweepParams;
  evaluate: EvaluateParams;
  register: RegisterParams;
  deploy: DeployParams;
  monitor: MonitorParams;
}

/** Whether a string names a kind in the catalogue. */
export function isNodeKind(kind: string): kind is NodeKindName {
  return (nodeKindNames as readonly string[]).includes(kind);
}

/** The zod schema of each kind's params, built from its fields. */
export const nodeParamSchemas = Object.fromEntries(
  nodeKindNames.map((k) => [k, paramsSchema(nodeKinds[k].params)]),
) as { [K in NodeKindName]: ReturnType<typeof paramsSchema> };

/** A params object with every field's default filled in (what a new node from the palette gets). */
export function defaultParams(kind: NodeKindName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of nodeKinds[kind].params) if (f.default !== undefined) out[f.name] = structuredClone(f.default);
  return out;
}
