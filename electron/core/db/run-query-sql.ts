// A runs query (shared/run-query/) compiled to SQL over the runs listing's tables (r: runs,
// v: dataset_versions, d: datasets). A query is untrusted text: the SQL here is made only of this
// file's own fragments, chosen by the parsed tree's field sources and operators, and every value
// and JSON path is a bound parameter (test/security/run-query.test.ts).
import {
  knownFieldsLike,
  parseRunQuery,
  queryField,
  RunQueryError,
  type Comparison,
  type FieldSource,
  type Literal,
  type ParamName,
  type QueryField,
  type QueryNode,
  type RunColumn,
  type RunQuery,
} from '../../../shared/run-query.js';
import { RUN_SCORES } from '../../../shared/metrics.js';
import { CairnError } from '../errors.js';

/** SQL text with `?` placeholders, and the values they bind, in order. */
export interface SqlFragment {
  sql: string;
  params: Literal[];
}

const COLUMN_SQL: Record<RunColumn, string> = {
  id: 'r.id',
  name: 'r.model_name',
  model: 'r.model_kind',
  status: 'r.status',
  task: 'r.task',
  dataset: 'd.name',
  version: 'v.version',
  target: 'r.target',
  backend: 'r.backend',
  created: 'r.created_at',
  started: 'r.started_at',
  finished: 'r.finished_at',
  // NULL until the run ends: a running run has no duration to compare yet. Rounded to the
  // millisecond the times are written in: a julianday difference carries ~1e-5 s of noise.
  duration: '(round((julianday(r.finished_at) - julianday(r.started_at)) * 86400000.0) / 1000.0)',
  // A run is a trial of at most one sweep (0009-sweeps.sql); NULL for a run trained on its own.
  sweep: '(SELECT t.sweep_id FROM sweep_trials t WHERE t.run_id = r.id)',
};

/**
 * Where each setting sits in params_json: a finished run stores the resolved settings nested
 * ({model: {l2, boosting: {...}}, train: {...}}); a queued, running or failed one still holds the
 * request as given, flat. The first path present wins.
 */
const PARAM_PATHS: Record<ParamName, readonly string[]> = {
  epochs: ['$.train.epochs', '$.epochs'],
  batchSize: ['$.train.batchSize', '$.batchSize'],
  learningRate: ['$.train.learningRate', '$.learningRate'],
  optimizer: ['$.train.optimizer', '$.optimizer'],
  classWeight: ['$.train.classWeight', '$.classWeight'],
  seed: ['$.train.seed', '$.seed'],
  l2: ['$.model.l2', '$.l2'],
  trees: ['$.model.boosting.trees', '$.trees'],
  maxLeaves: ['$.model.boosting.maxLeaves', '$.maxLeaves'],
  maxDepth: ['$.model.boosting.maxDepth', '$.maxDepth'],
  minSamplesLeaf: ['$.model.boosting.minSamplesLeaf', '$.minSamplesLeaf'],
  subsample: ['$.model.boosting.subsample', '$.subsample'],
  colsample: ['$.model.boosting.colsample', '$.colsample'],
  loss: ['$.model.boosting.loss', '$.loss'],
};

const SQL_OPS: Record<Comparison, string> = { '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** A score's key as a JSON path step: the allow-list holds only such names, checked again here. */
const SCORE_KEY = /^[a-z][a-z0-9_]*$/;

/** The SQL of a field's value (NULL where the run lacks it). */
export function fieldSql(source: FieldSource): SqlFragment {
  switch (source.kind) {
    case 'column':
      return { sql: COLUMN_SQL[source.column], params: [] };
    case 'param': {
      const paths = PARAM_PATHS[source.param];
      return {
        sql: `COALESCE(${paths.map(() => 'json_extract(r.params_json, ?)').join(', ')}, NULL)`,
        params: [...paths],
      };
    }
    case 'score': {
      if (!SCORE_KEY.test(source.metric)) throw new Error(`not a score name: ${source.metric}`);
      // Test scores have their own small column (0003-run-test-scores.sql); metrics_json holds curves.
      return source.split === 'test'
        ? { sql: 'json_extract(r.test_scores_json, ?)', params: [`$.${source.metric}`] }
        : { sql: 'json_extract(r.metrics_json, ?)', params: [`$.validation.${source.metric}`] };
    }
  }
}

function join(parts: SqlFragment[], separator: string): SqlFragment {
  return { sql: parts.map((p) => p.sql).join(separator), params: parts.flatMap((p) => p.params) };
}

/**
 * A condition as SQL that is 1 or 0, never NULL: a comparison with a value the run lacks is false,
 * and so is its NOT (SQL's three-valued logic would drop such runs from both).
 */
export function conditionSql(node: QueryNode): SqlFragment {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const inner = join(node.items.map(conditionSql), node.kind === 'and' ? ' AND ' : ' OR ');
      return { sql: `(${inner.sql})`, params: inner.params };
    }
    case 'not': {
      const inner = conditionSql(node.item);
      return { sql: `(NOT ${inner.sql})`, params: inner.params };
    }
    case 'compare': {
      const f = fieldSql(node.field.source);
      return { sql: `((${f.sql} ${SQL_OPS[node.op]} ?) IS 1)`, params: [...f.params, node.value] };
    }
    case 'in': {
      const f = fieldSql(node.field.source);
      const marks = node.values.map(() => '?').join(', ');
      return {
        sql: `((${f.sql} ${node.negated ? 'NOT IN' : 'IN'} (${marks})) IS 1)`,
        params: [...f.params, ...node.values],
      };
    }
    case 'like': {
      const f = fieldSql(node.field.source);
      return {
        sql: `((${f.sql} ${node.negated ? 'NOT LIKE' : 'LIKE'} ? ESCAPE '\\') IS 1)`,
        params: [...f.params, node.pattern],
      };
    }
    case 'missing': {
      const f = fieldSql(node.field.source);
      return { sql: `(${f.sql} IS ${node.negated ? 'NOT NULL' : 'NULL'})`, params: f.params };
    }
  }
}

/** A parsed query's WHERE clause ('' for the empty query, which keeps every run). */
export function whereSql(query: RunQuery): SqlFragment {
  if (query === null) return { sql: '', params: [] };
  const c = conditionSql(query);
  return { sql: `WHERE ${c.sql}`, params: c.params };
}

/** The query a caller sent, parsed; a query it cannot read is the caller's error, with its column. */
export function parseQueryArg(text: string | undefined): RunQuery {
  if (text === undefined) return null;
  try {
    return parseRunQuery(text);
  } catch (err) {
    if (err instanceof RunQueryError)
      throw new CairnError('invalid_argument', err.message, { query: text, column: err.column, length: err.length });
    throw err;
  }
}

/** The field a caller named for grouping or statistics, or the caller's error. */
export function fieldArg(name: string): QueryField {
  const field = queryField(name);
  if (!field)
    throw new CairnError('invalid_argument', `unknown field ${name}; known: ${knownFieldsLike(name).join(', ')}`);
  return field;
}

/** Metric fields to summarise per group, as a caller chose them (numbers only). */
export interface MetricChoice {
  fields: QueryField[];
  /** False for the default (every test score): the groups then keep only those some run has. */
  chosen: boolean;
}

/** The metric fields a caller named, or every test score when it named none. */
export function metricFieldsArg(names: readonly string[] | undefined): MetricChoice {
  if (names === undefined) return { fields: RUN_SCORES.map((s) => fieldArg(`test.${s}`)), chosen: false };
  const fields = names.map((name) => {
    const field = fieldArg(name);
    if (field.type !== 'number')
      throw new CairnError('invalid_argument', `${field.name} holds text: a mean needs numbers`);
    return field;
  });
  return { fields, chosen: true };
}
