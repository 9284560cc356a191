// What every node kind shares: a DuckDB connection per step that a cancel interrupts, the input
// table as a view named `input`, and errors that name the parameter to fix.
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  SPLIT_COLUMN,
  SQL_INPUT_TABLE,
  type NodeKindName,
  type NodeParams,
  type StepFit,
} from '../../../../shared/pipeline.js';
import { asText, ident, literal } from '../../datasets/duck.js';
import { CairnError } from '../../errors.js';
import type { KindRunner, StepContext } from '../executor.js';
import type { StepResult } from '../step-cache.js';
import type { PipelineHost } from '../host.js';
import { expectPort } from '../ports.js';
import { describe, type TableColumn } from '../table.js';

/** A kind's runner whose run() is given its node's params as the kind's type. */
export type TypedRunner<K extends NodeKindName> = Omit<KindRunner, 'run'> & {
  run(ctx: StepContext, params: NodeParams[K]): Promise<StepResult>;
};

/**
 * The runner of a kind (named for the params type): the one place a node's params are read as its
 * kind's, which they are because a run starts only after validatePipeline checked every node
 * against its kind's schema, and kindRunners() runs each node with its own kind's runner.
 */
export function kindRunner<K extends NodeKindName>(_kind: K, runner: TypedRunner<K>): KindRunner {
  return { ...runner, run: (ctx) => runner.run(ctx, ctx.node.params as unknown as NodeParams[K]) };
}

/** What the kinds of one run share besides the host. */
export interface RunEnv {
  host: PipelineHost;
  /** The saved pipeline's id: steps that name things outside the run (alert rules) name them by it. */
  pipelineId: string;
  pipelineName: string;
  /** Relative file paths in the pipeline resolve against this folder. */
  baseDir: string;
}

/** An error about one parameter of the node: hosts and the editor point at `field`. */
export function paramError(field: string, message: string, details: Record<string, unknown> = {}): CairnError {
  return new CairnError('invalid_argument', message, { ...details, field });
}

/** DuckDB's message without its "Binder Error:" prefix and candidate lists, as one line. */
export function duckMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw
    .replace(/^[A-Za-z ]*Error:\s*/, '')
    .split('\n')
    .filter((l) => l.trim() && !/^LINE \d+:/.test(l.trim()) && !/^\s*\^/.test(l))
    .join(' ')
    .trim();
}

/** Runs `fn` with a connection of the step's own, interrupted when the run is cancelled. */
export async function withConnection<T>(
  env: RunEnv,
  signal: AbortSignal,
  fn: (conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const conn = await env.host.connect();
  const interrupt = () => conn.interrupt();
  signal.addEventListener('abort', interrupt);
  try {
    return await fn(conn);
  } finally {
    signal.removeEventListener('abort', interrupt);
    conn.closeSync();
  }
}

/** The input view's name, quoted for SQL. */
export const INPUT_VIEW = ident(SQL_INPUT_TABLE);

/** Runs `fn` with a connection of the step's own (see withConnection) on which its `data` input is the view `input`. */
export async function withInput<T>(
  env: RunEnv,
  ctx: StepContext,
  fn: (conn: DuckDBConnection, columns: TableColumn[]) => Promise<T>,
): Promise<T> {
  return withConnection(env, ctx.signal, async (conn) => fn(conn, await openInput(conn, ctx)));
}

/** Makes the step's `data` input readable as the view `input`; returns its columns. */
export async function openInput(conn: DuckDBConnection, ctx: StepContext, port = 'data'): Promise<TableColumn[]> {
  const table = expectPort(ctx.inputs[port], 'table', port);
  await conn.run(`CREATE OR REPLACE TEMP VIEW ${INPUT_VIEW} AS SELECT * FROM read_parquet(${literal(table.file)})`);
  return describe(conn, `SELECT * FROM ${INPUT_VIEW}`);
}

/** Checks that every named column exists; the error names the field and lists what there is. */
export function requireColumns(columns: readonly TableColumn[], names: readonly string[], field: string): void {
  const have = new Set(columns.map((c) => c.name));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length) {
    throw paramError(
      field,
      `no column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} in the input (it has ${columns.map((c) => c.name).join(', ')})`,
      { unknown: missing },
    );
  }
}

/** Which columns a column step takes by default, and which it takes at all. */
export interface ColumnRule {
  byDefault: (c: TableColumn) => boolean;
  accepts: (c: TableColumn) => boolean;
  /** Why a named column is refused. */
  refusal: (c: TableColumn) => string;
}

/**
 * The columns a step works on: those named in `columns` (each must exist and be accepted), else every
 * column the rule takes by default; never one in `exclude`, nor the split column.
 */
export function chooseColumns(
  columns: readonly TableColumn[],
  p: { columns: readonly string[]; exclude: readonly string[] },
  rule: ColumnRule,
): TableColumn[] {
  requireColumns(columns, p.columns, 'columns');
  requireColumns(columns, p.exclude, 'exclude');
  const excluded = new Set([...p.exclude, SPLIT_COLUMN]);
  const chosen = (
    p.columns.length ? columns.filter((c) => p.columns.includes(c.name)) : columns.filter(rule.byDefault)
  ).filter((c) => !excluded.has(c.name));
  const bad = chosen.find((c) => !rule.accepts(c));
  if (bad) throw paramError('columns', rule.refusal(bad));
  return chosen;
}

/** A JavaScript value as a SQL literal of DuckDB, for values computed from the data. */
export function sqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? `(${String(value)})` : 'NULL';
  if (typeof value === 'bigint') return `(${value.toString()})`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return literal(value.toISOString());
  return literal(asText(value));
}

/**
 * The rows a fitted step (impute, scale, encode) learns its statistics from, as a SQL condition on
 * the input: once the table is split, the train rows only, so the validation and test rows that
 * score the model have not informed its preparation (leakage); before a split, every row.
 */
export async function fitRows(
  conn: DuckDBConnection,
  columns: readonly TableColumn[],
): Promise<{ where: string; fit: StepFit }> {
  // The split step writes the column as text; a table that merely has a column of that name is not split.
  const split = columns.some((c) => c.name === SPLIT_COLUMN && c.type === 'VARCHAR');
  const where = split ? `${ident(SPLIT_COLUMN)} = ${literal('train')}` : 'TRUE';
  const count = await conn.runAndReadAll(`SELECT count(*) FROM ${INPUT_VIEW} WHERE ${where}`);
  return { where, fit: { part: split ? 'train' : 'all', rows: Number(count.getRowsJS()[0]?.[0] ?? 0) } };
}
