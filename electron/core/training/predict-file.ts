// Batch scoring of a data file with a saved model version: the file is read by DuckDB the way an
// import reads it (same format detection and CSV dialect), in batches of rows, each batch turned
// into features by the model's saved preprocessing and scored, and the results either written to
// an output file (CSV, JSON or NDJSON, chosen by its extension) or returned. Plain Node.
import { randomUUID } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Cell } from '../../../shared/api.js';
import { CairnError } from '../errors.js';
import { placeOutput, type WriteTarget } from '../file-access.js';
import { toCell } from '../datasets/duck.js';
import { inspectFile } from '../datasets/file-check.js';
import { readSourceAsImported } from '../datasets/to-parquet.js';
import type { LoadedArtifacts } from './artifacts.js';
import type { FieldError } from './preprocess.js';
import { decodeLabel, decodeValues, transformRecords } from './preprocess.js';

/** One row's prediction: a class with every class's probability, or a number. */
export type Prediction = { label: string; probabilities: Record<string, number> } | { value: number };

export interface PredictFileOptions {
  /** A connection of its own: the stream holds it for the whole read. */
  conn: DuckDBConnection;
  file: string;
  artifacts: LoadedArtifacts;
  /**
   * Write input columns plus predictions here (.csv, .json or .ndjson), as the host's file policy
   * allowed it (file-access.ts); absent: return the predictions.
   */
  out?: WriteTarget;
  /** Rows read, transformed and scored at a time. */
  batchRows?: number;
  /** How many leading rows (inputs and predictions) come back as a preview. */
  previewRows?: number;
}

export interface PredictFileResult {
  rows: number;
  task: 'classification' | 'regression';
  classes: string[] | null;
  /** The output file's absolute path, when one was written. */
  out: string | null;
  /** Every prediction in row order, only when no output file was asked for. */
  predictions?: Prediction[];
  /** Input columns followed by the prediction columns, as an output file has them. */
  columns: string[];
  preview: Cell[][];
  warnings: string[];
}

const DEFAULT_BATCH = 8192;
const SHOWN_ERRORS = 5;
type OutFormat = 'csv' | 'json' | 'ndjson';

/** The output format an output file's name asks for: .json and .ndjson/.jsonl, else CSV. */
export function outFormat(file: string): OutFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  return 'csv';
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV field: quoted when it holds a delimiter, quote or line break; text starting with
 * = + - @ (or a tab or carriage return) gets a leading ' so a spreadsheet shows it instead of
 * running it as a formula. Text that is a plain number cannot be a formula and is left alone.
 */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  let s = value;
  if (/^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Names for the prediction columns that do not collide with the input's own. */
function predictionColumns(inputs: readonly string[], classes: readonly string[] | null): string[] {
  const taken = new Set(inputs);
  const unique = (name: string) => {
    let n = name;
    while (taken.has(n)) n = `${n}_`;
    taken.add(n);
    return n;
  };
  return [unique('prediction'), ...(classes ?? []).map((c) => unique(`probability_${c}`))];
}

/** Rewrites transformRecords' batch-relative record numbers as 1-based row numbers of the file. */
function fileRowError(err: unknown, firstRow: number, name: string): unknown {
  if (!(err instanceof CairnError) || !Array.isArray(err.details?.errors)) return err;
  const errors = (err.details.errors as FieldError[]).map((e) => ({ ...e, row: e.row + firstRow }));
  const total = typeof err.details.total === 'number' ? err.details.total : errors.length;
  const shown = errors
    .slice(0, SHOWN_ERRORS)
    .map(
      (e) =>
        `row ${e.row}${e.field ? ` field "${e.field}"` : ''} ${e.message.replace(' (send null for an unknown value)', '')}`,
    );
  const more = total > shown.length ? `; and ${total - shown.length} more` : '';
  return new CairnError(
    'invalid_argument',
    `${name}: ${total} invalid field${total === 1 ? '' : 's'} for this model (${shown.join('; ')}${more})`,
    { file: name, errors, total },
  );
}

/** Scores every row of `file` with a loaded model; writes `out` whole or not at all. */
export async function predictFile(options: PredictFileOptions): Promise<PredictFileResult> {
  const { conn, artifacts } = options;
  const { predictor, preprocess } = artifacts;
  const target = preprocess.target;
  if (!target) throw new CairnError('invalid_argument', 'This model has no target to predict');
  const classes = target.task === 'classification' ? target.classes : null;
  const batchRows = options.batchRows ?? DEFAULT_BATCH;
  const previewRows = options.previewRows ?? 10;
  const info = await inspectFile(path.resolve(options.file));
  const name = path.basename(info.path);

  const result = await conn.stream(`SELECT * FROM ${await readSourceAsImported(conn, info)}`);
  const inputs = result.columnNames();
  const columns = [...inputs, ...predictionColumns(inputs, classes)];
  const format = options.out ? outFormat(options.out.path) : null;
  const outPath = options.out ? path.resolve(options.out.path) : null;
  // Written beside the destination and renamed into place, so a failed run leaves no half file.
  const partial = outPath
    ? path.join(path.dirname(outPath), `.${path.basename(outPath)}.${randomUUID()}.partial`)
    : null;
  let handle: FileHandle | undefined;
  const predictions: Prediction[] | undefined = outPath ? undefined : [];
  const preview: Cell[][] = [];
  let rows = 0;

  const score = async (batch: Cell[][]): Promise<void> => {
    const records = batch.map((r) => Object.fromEntries(inputs.map((c, i) => [c, r[i] ?? null])));
    let x: Float32Array;
    try {
      x = transformRecords(preprocess, records);
    } catch (err) {
      throw fileRowError(err, rows + 1, name);
    }
    const scores = predictor.predict(x, batch.length);
    const y = classes ? scores : decodeValues(preprocess, scores);
    const lines: string[] = [];
    for (let i = 0; i < batch.length; i++) {
      let extra: Cell[];
      let p: Prediction;
      if (classes) {
        const probs = Array.from(y.subarray(i * classes.length, (i + 1) * classes.length));
        let best = 0;
        for (let k = 1; k < probs.length; k++) if ((probs[k] as number) > (probs[best] as number)) best = k;
        const label = decodeLabel(preprocess, best);
        p = { label, probabilities: Object.fromEntries(classes.map((c, k) => [c, probs[k] as number])) };
        extra = [label, ...probs];
      } else {
        const value = y[i] as number;
        p = { value };
        extra = [value];
      }
      const row = [...(batch[i] as Cell[]), ...extra];
      if (preview.length < previewRows) preview.push(row);
      predictions?.push(p);
      if (format === 'csv') lines.push(`${row.map(csvField).join(',')}\n`);
      else if (format) {
        const text = JSON.stringify(Object.fromEntries(columns.map((c, k) => [c, row[k] ?? null])));
        lines.push(format === 'ndjson' ? `${text}\n` : `${rows + i === 0 ? '' : ',\n'}${text}`);
      }
    }
    if (handle && lines.length) await handle.write(lines.join(''));
    rows += batch.length;
  };

  try {
    if (partial) {
      handle = await open(partial, 'w');
      if (format === 'csv') await handle.write(`${columns.map(csvField).join(',')}\n`);
      if (format === 'json') await handle.write('[\n');
    }
    let batch: Cell[][] = [];
    for await (const chunk of result.yieldRowsJs()) {
      for (const r of chunk) batch.push(r.map(toCell));
      if (batch.length >= batchRows) {
        await score(batch);
        batch = [];
      }
    }
    if (batch.length) await score(batch);
    if (handle && partial && outPath) {
      if (format === 'json') await handle.write(rows ? '\n]\n' : ']\n');
      await handle.sync();
      await handle.close();
      handle = undefined;
      await placeOutput(partial, { path: outPath, overwrite: options.out?.overwrite ?? false });
    }
  } catch (err) {
    await handle?.close();
    if (partial) await rm(partial, { force: true });
    throw err;
  }
  return { rows, task: target.task, classes, out: outPath, predictions, columns, preview, warnings: info.warnings };
}
