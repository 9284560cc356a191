// Preprocessing fitted on the training rows only and applied identically everywhere after:
// to training, validation and test rows read by columns.ts, and to prediction inputs as JSON
// records. The fitted plan is a PreprocessManifest (manifest.ts), saved beside the model.
// No Infinity leaves this module, and no NaN unless the plan keeps missing values for a model that
// splits on them (MissingPolicy 'keep', for trees); anything else non-finite is an error naming its column.
import { CairnError } from '../errors.js';
import type { CodeColumn, ColumnData, ColumnSet, NumberColumn } from './columns.js';
import { compareStrings } from './columns.js';
import type { FeatureStep, PreprocessManifest, TargetEncoding } from './manifest.js';
import { categoryFinder, featureWidth, keepsMissing, NOT_AN_INTEGER, stepWidth } from './manifest.js';
import { classCodes } from './splits.js';

/** Above this many training categories a categorical feature is index-encoded instead of one-hot. */
export const MAX_ONE_HOT = 50;
/** A column whose every training value differs is id-like from this many training rows (fewer: only if named like an id). */
export const ID_MIN_ROWS = 20;
// "user_id", "ID", "id-card", "userId"; not "paid" or "valid" (camel case only where the case says so).
const ID_NAME = /^(id|uuid|guid)$|[_\s.-](id|uuid|guid)$|^(id|uuid|guid)[_\s.-]/i;
const ID_NAME_CAMEL = /[a-z](Id|ID|Uuid|UUID|Guid|GUID)$/;

/** Whether a column's name says it identifies rows. */
export function looksLikeIdName(name: string): boolean {
  return ID_NAME.test(name) || ID_NAME_CAMEL.test(name);
}

export interface FitOptions {
  /** The chosen feature columns, in the order their features should appear. */
  features: readonly string[];
  target?: { column: string; task: 'classification' | 'regression' };
  /** The training rows: every statistic comes from these alone. */
  train: Uint32Array;
  maxOneHot?: number;
  /**
   * Plan for trees: missing values kept (NaN), numbers unscaled (a split threshold then reads in
   * the column's own units) and every category as one index feature, which trees split as a set.
   */
  forTrees?: boolean;
}

/** Fits the preprocessing plan on the training rows of `data`. */
export function fitPreprocess(data: ColumnSet, options: FitOptions): PreprocessManifest {
  const train = options.train;
  if (train.length === 0)
    throw new CairnError('invalid_argument', 'There are no training rows to fit preprocessing on');
  const target = options.target ? fitTarget(columnOf(data, options.target.column), options.target.task, train) : null;
  const features: FeatureStep[] = [];
  const dropped: PreprocessManifest['dropped'] = [];
  const seen = new Set<string>();
  for (const name of options.features) {
    const col = columnOf(data, name);
    if (seen.has(name)) continue;
    seen.add(name);
    if (target && name === target.column) {
      dropped.push({ column: name, reason: 'it is the target' });
      continue;
    }
    const fitted = fitFeature(col, train, options.forTrees ? 0 : (options.maxOneHot ?? MAX_ONE_HOT));
    if ('reason' in fitted) dropped.push({ column: name, reason: fitted.reason });
    else features.push(options.forTrees && fitted.kind === 'numeric' ? { ...fitted, mean: 0, std: 1 } : fitted);
  }
  return {
    format: 'cairn-preprocess/1',
    ...(options.forTrees ? { missing: 'keep' as const } : {}),
    features,
    featureNames: features.flatMap(stepNames),
    dropped,
    target,
    fittedRows: train.length,
  };
}

/** The output features' count for a manifest. */
export function featureCount(manifest: PreprocessManifest): number {
  return featureWidth(manifest);
}

/** Features of `rows` of `data`, row-major (rows × featureCount), as a model takes them. */
export function transform(manifest: PreprocessManifest, data: ColumnSet, rows: Uint32Array): Float32Array {
  const width = featureCount(manifest);
  const out = new Float32Array(rows.length * width);
  const keep = keepsMissing(manifest);
  let offset = 0;
  for (const step of manifest.features) {
    const col = columnOf(data, step.column);
    if (step.kind === 'numeric') {
      if (col.kind !== 'number' || col.type !== step.type) throw typeChanged(step.column, step.type, col.type);
      const values = col.values;
      for (let i = 0; i < rows.length; i++)
        out[i * width + offset] = scaled(step, values[rows[i] as number] as number, keep);
    } else if (step.kind === 'boolean') {
      if (col.type !== 'boolean' || col.kind !== 'codes') throw typeChanged(step.column, 'boolean', col.type);
      const codes = col.codes;
      for (let i = 0; i < rows.length; i++) {
        const c = codes[rows[i] as number] as number;
        out[i * width + offset] = c >= 0 ? c : keep ? Number.NaN : step.fill;
      }
    } else {
      if (col.type !== 'categorical' || col.kind !== 'codes') throw typeChanged(step.column, 'categorical', col.type);
      // Dictionary code → category position (or -1): one Map lookup per distinct value, not per row.
      const index = categoryIndex(step.categories);
      const toCategory = Int32Array.from(col.dictionary, (v) => index.get(v) ?? -1);
      const codes = col.codes;
      for (let i = 0; i < rows.length; i++) {
        const c = codes[rows[i] as number] as number;
        const k = c < 0 ? -1 : (toCategory[c] as number);
        if (step.kind === 'index') out[i * width + offset] = k < 0 && keep ? Number.NaN : k + 1;
        else if (k >= 0) out[i * width + offset + k] = 1;
      }
    }
    offset += stepWidth(step);
  }
  return out;
}

/** The target of `rows` as model labels: class numbers 0..k-1 (-1 for a class unseen in training, or missing) or regression values. */
export function encodeTarget(
  manifest: PreprocessManifest,
  data: ColumnSet,
  rows: Uint32Array,
): Int32Array | Float32Array {
  const target = manifest.target;
  if (!target) throw new CairnError('invalid_argument', 'This preprocessing has no target');
  const col = columnOf(data, target.column);
  if (target.task === 'regression') {
    if (col.kind !== 'number') throw typeChanged(target.column, 'numeric', col.type);
    const values = col.values;
    const { mean, std } = targetScale(manifest);
    const out = new Float32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = values[rows[i] as number] as number;
      if (!Number.isFinite(v))
        throw new CairnError('invalid_argument', `Target "${target.column}" is missing in row ${rows[i]}`, {
          column: target.column,
          row: rows[i],
        });
      out[i] = (v - mean) / std;
    }
    return out;
  }
  const { codes, classes } = classCodes(col);
  const index = categoryIndex(target.classes);
  const toLabel = Int32Array.from(classes, (v) => index.get(v) ?? -1);
  return Int32Array.from(rows, (r) => {
    const c = codes[r] as number;
    return c < 0 ? -1 : (toLabel[c] as number);
  });
}

/** The regression target's standardisation; identity for classes and for models saved before it. */
export function targetScale(manifest: PreprocessManifest): { mean: number; std: number } {
  const t = manifest.target;
  return t?.task === 'regression' ? { mean: t.mean ?? 0, std: t.std ?? 1 } : { mean: 0, std: 1 };
}

/** Model outputs for a regression target back in the target's own units. */
export function decodeValues(manifest: PreprocessManifest, outputs: Float32Array): Float32Array {
  const { mean, std } = targetScale(manifest);
  if (mean === 0 && std === 1) return outputs;
  return outputs.map((v) => v * std + mean);
}

/**
 * Epoch logs of a regression run in the target's units: a squared loss (mean squared error, and
 * Huber's, which is squared near zero) scales with std², an absolute one and MAE with std. Curves
 * then read in the units users know, whatever the model learns in.
 */
export function logsInTargetUnits(
  manifest: PreprocessManifest,
  logs: Record<string, number>,
  lossUnits: 'squared' | 'linear' = 'squared',
): Record<string, number> {
  const { std } = targetScale(manifest);
  if (std === 1) return logs;
  const lossScale = lossUnits === 'squared' ? std * std : std;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs)) {
    const base = k.replace(/^val_/, '');
    out[k] = base === 'loss' ? v * lossScale : base === 'mae' ? v * std : v;
  }
  return out;
}

/** A model output class number back to its class name. */
export function decodeLabel(manifest: PreprocessManifest, label: number): string {
  const target = manifest.target;
  if (target?.task !== 'classification')
    throw new CairnError('invalid_argument', 'This preprocessing has no classification target');
  const name = target.classes[label];
  if (name === undefined) throw new CairnError('invalid_argument', `No class number ${label}`);
  return name;
}

/** One problem with one field of one prediction input. */
export interface FieldError {
  row: number;
  field: string;
  message: string;
}

const MAX_FIELD_ERRORS = 100;

/**
 * Features of prediction inputs (JSON records) exactly as transform makes them from columns.
 * A field set to null is a missing value (imputed as in training); a field left out, or of the
 * wrong type, is an error listing every such field (details.errors).
 */
export function transformRecords(manifest: PreprocessManifest, records: readonly unknown[]): Float32Array {
  const width = featureCount(manifest);
  const out = new Float32Array(records.length * width);
  const keep = keepsMissing(manifest);
  const errors: FieldError[] = [];
  const finders = new Map(
    manifest.features
      .filter((s) => s.kind === 'one-hot' || s.kind === 'index')
      .map((s) => [s, categoryFinder(s.categories)]),
  );
  records.forEach((record, row) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      errors.push({ row, field: '', message: 'is not an object of field values' });
      return;
    }
    let offset = 0;
    for (const step of manifest.features) {
      const at = row * width + offset;
      offset += stepWidth(step);
      // Own properties only: a "__proto__" field is data here, and inherited names are not fields.
      const own = Object.getOwnPropertyDescriptor(record, step.column);
      if (!own) {
        errors.push({ row, field: step.column, message: 'is missing (send null for an unknown value)' });
        continue;
      }
      const value: unknown = own.value;
      const fail = (message: string) => errors.push({ row, field: step.column, message });
      if (step.kind === 'numeric') {
        const x = value === null ? Number.NaN : step.type === 'datetime' ? parseTime(value) : parseNumber(value);
        if (x === undefined) fail(step.type === 'datetime' ? 'is not a date or time' : 'is not a finite number');
        // As the endpoint's validator: a fraction is not a value of a column that held whole numbers.
        else if (step.type === 'integer' && value !== null && !Number.isInteger(x)) fail(NOT_AN_INTEGER);
        else out[at] = scaled(step, x, keep);
      } else if (step.kind === 'boolean') {
        const b = value === null ? (keep ? Number.NaN : step.fill) : parseBoolean(value);
        if (b === undefined) fail('is not true or false');
        else out[at] = b;
      } else {
        const text = value === null ? null : categoryText(value);
        if (text === undefined) {
          fail('is not a category (a string)');
          continue;
        }
        const k = text === null ? -1 : ((finders.get(step) as (t: string) => number | undefined)(text) ?? -1);
        if (step.kind === 'index') out[at] = k < 0 && keep ? Number.NaN : k + 1;
        else if (k >= 0) out[at + k] = 1;
      }
    }
  });
  if (errors.length > 0) {
    const first = errors[0] as FieldError;
    throw new CairnError(
      'invalid_argument',
      `${errors.length} invalid field${errors.length > 1 ? 's' : ''} in the prediction input; first: record ${first.row}${first.field ? ` field "${first.field}"` : ''} ${first.message}`,
      { errors: errors.slice(0, MAX_FIELD_ERRORS), total: errors.length },
    );
  }
  return out;
}

// ---- fitting ----

function fitTarget(col: ColumnData, task: 'classification' | 'regression', train: Uint32Array): TargetEncoding {
  if (task === 'regression') {
    if (col.kind !== 'number' || col.type === 'datetime') {
      throw new CairnError('invalid_argument', `A regression target must be numeric; "${col.name}" is ${col.type}`, {
        column: col.name,
      });
    }
    let n = 0;
    let sum = 0;
    for (const r of train) {
      const v = col.values[r] as number;
      if (Number.isFinite(v)) {
        n++;
        sum += v;
      }
    }
    if (n === 0) throw noValues(col.name, 'Target');
    const mean = sum / n;
    let squares = 0;
    for (const r of train) {
      const v = col.values[r] as number;
      if (Number.isFinite(v)) squares += (v - mean) ** 2;
    }
    const std = Math.sqrt(squares / n);
    return { task, column: col.name, mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
  }
  if (col.type === 'datetime')
    throw new CairnError('invalid_argument', `A classification target cannot be a datetime; "${col.name}" is`, {
      column: col.name,
    });
  const { codes, classes } = classCodes(col);
  const present = new Set<number>();
  for (const r of train) if ((codes[r] as number) >= 0) present.add(codes[r] as number);
  if (present.size === 0) throw noValues(col.name, 'Target');
  const names = [...present].map((c) => classes[c] as string);
  if (names.length < 2) {
    throw new CairnError(
      'invalid_argument',
      `Target "${col.name}" has only one class (${JSON.stringify(names[0])}) in the training rows: classification needs at least two`,
      {
        column: col.name,
      },
    );
  }
  // Number classes keep their numeric order (2 before 10); text ones sort by code units.
  names.sort(col.kind === 'number' ? (a, b) => Number(a) - Number(b) : compareStrings);
  return { task, column: col.name, classes: names };
}

function fitFeature(col: ColumnData, train: Uint32Array, maxOneHot: number): FeatureStep | { reason: string } {
  if (col.type === 'text')
    return { reason: 'free text is not encoded (set its type to categorical to use its values as categories)' };
  const idName = looksLikeIdName(col.name);
  if (col.kind === 'number') {
    const present = new Float64Array(train.length);
    let n = 0;
    for (const r of train) {
      const v = col.values[r] as number;
      if (!Number.isNaN(v)) present[n++] = v;
    }
    if (n === 0) throw noValues(col.name, 'Feature');
    const sorted = present.subarray(0, n).sort();
    let distinct = 1;
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
    if (distinct === 1)
      return { reason: `constant: every training row has the same value (${formatValue(col, sorted[0] as number)})` };
    const allDistinct = distinct === train.length;
    if (allDistinct && col.type === 'integer' && (train.length >= ID_MIN_ROWS || idName))
      return { reason: 'id-like: every training row has a different whole number' };
    if (allDistinct && idName)
      return { reason: 'id-like: named like an id and every training row has a different value' };
    const median =
      n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
    // Mean and spread of the imputed values, as a pipeline of imputer then scaler computes them.
    const missing = train.length - n;
    let sum = median * missing;
    for (let i = 0; i < n; i++) sum += sorted[i] as number;
    const mean = sum / train.length;
    let squares = missing * (median - mean) ** 2;
    for (let i = 0; i < n; i++) squares += ((sorted[i] as number) - mean) ** 2;
    const spread = Math.sqrt(squares / train.length);
    if (!Number.isFinite(mean) || !Number.isFinite(spread)) {
      throw new CairnError('invalid_argument', `Feature "${col.name}" has values too large to standardise`, {
        column: col.name,
      });
    }
    return { kind: 'numeric', column: col.name, type: col.type, median, mean, std: spread > 0 ? spread : 1 };
  }
  const counts = new Map<number, number>();
  for (const r of train) {
    const c = col.codes[r] as number;
    if (c >= 0) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  if (counts.size === 0) throw noValues(col.name, 'Feature');
  if (counts.size === 1)
    return {
      reason: `constant: every training row has the same value (${JSON.stringify(col.dictionary[[...counts.keys()][0] as number])})`,
    };
  if (col.type === 'boolean') {
    // The more common value fills gaps; a tie goes to false, for a stable plan.
    return { kind: 'boolean', column: col.name, fill: (counts.get(1) ?? 0) > (counts.get(0) ?? 0) ? 1 : 0 };
  }
  if (counts.size === train.length && (train.length >= ID_MIN_ROWS || idName))
    return { reason: 'id-like: every training row has a different value' };
  const categories = [...counts.keys()].map((c) => col.dictionary[c] as string).sort(compareStrings);
  return { kind: categories.length > maxOneHot ? 'index' : 'one-hot', column: col.name, categories };
}

// ---- shared by transform and transformRecords, so both give the same numbers ----

function scaled(step: Extract<FeatureStep, { kind: 'numeric' }>, x: number, keepMissing: boolean): number {
  if (Number.isNaN(x) && keepMissing) return Number.NaN;
  const y = ((Number.isNaN(x) ? step.median : x) - step.mean) / step.std;
  // Features are float32: beyond ~3.4e38 a finite double becomes Infinity on the way in.
  if (!Number.isFinite(Math.fround(y))) {
    throw new CairnError('invalid_argument', `Feature "${step.column}" has a value too large to use (${x})`, {
      column: step.column,
    });
  }
  return y;
}

function categoryIndex(categories: readonly string[]): Map<string, number> {
  return new Map(categories.map((c, i) => [c, i]));
}

function parseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const x = Number(value);
    return Number.isFinite(x) ? x : undefined;
  }
  return undefined;
}

/** Epoch ms like DuckDB's epoch_ms: a time without a zone is UTC (Date.parse would take it as local). */
function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s);
  const t = Date.parse(naive ? `${s.replace(' ', 'T')}Z` : s);
  return Number.isFinite(t) ? t : undefined;
}

function parseBoolean(value: unknown): 0 | 1 | undefined {
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true') return 1;
    if (s === 'false') return 0;
  }
  return undefined;
}

/** A category as the dictionary holds it (DuckDB's VARCHAR cast); undefined for objects. */
function categoryText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return undefined;
}

// ---- helpers ----

function columnOf(data: ColumnSet, name: string): ColumnData {
  const col = data.columns.get(name);
  if (!col)
    throw new CairnError('invalid_argument', `Unknown column: ${JSON.stringify(name)}`, {
      column: name,
      available: [...data.columns.keys()],
    });
  return col;
}

function stepNames(step: FeatureStep): string[] {
  return step.kind === 'one-hot' ? step.categories.map((c) => `${step.column}=${c}`) : [step.column];
}

function noValues(name: string, what: 'Feature' | 'Target'): CairnError {
  return new CairnError('invalid_argument', `${what} "${name}" has no values in the training rows`, { column: name });
}

function typeChanged(name: string, expected: string, actual: string): CairnError {
  return new CairnError(
    'invalid_argument',
    `Column "${name}" was ${expected} when preprocessing was fitted and is ${actual} now`,
    { column: name },
  );
}

function formatValue(col: NumberColumn | CodeColumn, v: number): string {
  return col.type === 'datetime' ? new Date(v).toISOString() : String(v);
}
