// A run's rows as its training saw them: the dataset version's columns read the way training
// reads them (columns.ts), and the run's train/validation/test split made again from its recorded
// parameters by the same chooseSplit training used (splits.ts). The split is checked against
// the sizes the run recorded, so a change in either side fails loudly instead of comparing
// models on the wrong rows. Drift compares live inputs with the training rows; retraining
// scores champion and challenger on the challenger's test rows.
import type { DuckDBConnection } from '@duckdb/node-api';
import { CairnError } from '../errors.js';
import { chooseColumns, readColumns, type ColumnData, type ColumnRead, type ColumnSet } from '../training/columns.js';
import { chooseSplit, type SplitChoice, type Splits } from '../training/splits.js';

/** What a run recorded about its split (params.split) and data. */
export interface RunSplitParams extends SplitChoice {
  target: string;
  task: 'classification' | 'regression';
  rows: { train: number; validation: number; test: number };
}

/** A run's recorded split parameters, from its resolved params; null if they are not all there. */
export function splitParamsOf(run: {
  target: string;
  task: string | null;
  params: Record<string, unknown>;
}): RunSplitParams | null {
  const split = run.params.split as (Partial<RunSplitParams> & { seed?: number }) | undefined;
  if (!split || !run.task || typeof split.seed !== 'number' || !split.fractions || !split.method || !split.rows)
    return null;
  return {
    target: run.target,
    task: run.task as RunSplitParams['task'],
    seed: split.seed,
    fractions: split.fractions,
    method: split.method,
    ...(split.timeColumn ? { timeColumn: split.timeColumn } : {}),
    ...(split.splitColumn ? { splitColumn: split.splitColumn } : {}),
    rows: split.rows,
  };
}

export interface RunRows {
  data: ColumnSet;
  splits: Splits;
}

/**
 * Reads `columns` of a dataset version's file, plus the target and the time or split column the
 * split needs, and makes the run's split again. Columns missing from the file are left out;
 * the caller finds them absent from `data`.
 */
export async function readRunRows(
  conn: DuckDBConnection,
  dataFile: string,
  profile: readonly ColumnRead[],
  columns: readonly string[],
  split: RunSplitParams,
): Promise<RunRows> {
  const present = new Set(profile.map((p) => p.name));
  const byMethod =
    split.method === 'time' ? split.timeColumn : split.method === 'column' ? split.splitColumn : undefined;
  const wanted = [split.target, ...columns, ...(byMethod ? [byMethod] : [])].filter((c) => present.has(c));
  if (!present.has(split.target))
    throw new CairnError('not_found', `The data has no column "${split.target}" (the target)`);
  const data = await readColumns(conn, dataFile, chooseColumns(profile, wanted));
  const splits = chooseSplit(data, split.target, split);
  const got = { train: splits.train.length, validation: splits.validation.length, test: splits.test.length };
  if (got.train !== split.rows.train || got.validation !== split.rows.validation || got.test !== split.rows.test)
    throw new CairnError(
      'internal',
      `The run's split could not be made again: it recorded ${JSON.stringify(split.rows)} rows, the data gives ${JSON.stringify(got)}`,
    );
  return { data, splits };
}

/** One value of a column at a row as a record field: null where missing, booleans as booleans. */
export function cellOf(col: ColumnData, row: number): string | number | boolean | null {
  if (col.kind === 'number') {
    const v = col.values[row] as number;
    return Number.isNaN(v) ? null : v;
  }
  const code = col.codes[row] as number;
  if (code < 0) return null;
  const text = col.dictionary[code] as string;
  return col.type === 'boolean' ? text === 'true' : text;
}

/** Rows as input records (field -> value) of the named columns; columns absent from the data are left out. */
export function recordsOf(
  data: ColumnSet,
  rows: ArrayLike<number>,
  columns: readonly string[],
): Record<string, unknown>[] {
  const cols = columns.map((c) => data.columns.get(c)).filter((c): c is ColumnData => c !== undefined);
  return Array.from({ length: rows.length }, (_, i) => {
    const r = rows[i] as number;
    const record: Record<string, unknown> = {};
    for (const c of cols) record[c.name] = cellOf(c, r);
    return record;
  });
}

/** Up to `max` of `rows`, evenly spaced (all of them when there are fewer). */
export function evenlySpaced(rows: Uint32Array, max: number): Uint32Array {
  if (rows.length <= max) return rows;
  const step = rows.length / max;
  return Uint32Array.from({ length: max }, (_, i) => rows[Math.floor(i * step)] as number);
}
