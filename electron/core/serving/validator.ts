// The endpoint's input check, compiled once per model version from its preprocessing manifest:
// each instance is checked field by field (missing, extra, wrongly typed, non-finite, a fraction
// for an integer, unknown category) and written straight into the model's feature row, with no intermediate objects.
import type { FeatureStep, PreprocessManifest } from '../training/manifest.js';
import { categoryFinder, featureWidth, keepsMissing, NOT_AN_INTEGER, stepWidth } from '../training/manifest.js';

/** One problem with one field of one instance. */
export interface InstanceError {
  instance: number;
  /** '' when the instance as a whole is wrong (not an object). */
  field: string;
  message: string;
}

/** A field of the input schema, as GET /v1/models/{name} and openapi.json show it. */
export interface InputField {
  name: string;
  type: 'number' | 'integer' | 'datetime' | 'boolean' | 'category';
  /** The known categories of a category field. */
  categories?: string[];
  /** Every field accepts null for an unknown value (imputed as in training). */
  nullable: true;
}

export interface CompiledValidator {
  width: number;
  fields: InputField[];
  /** Columns the model was trained beside but does not use: accepted and ignored. */
  ignored: string[];
  /** Features of `instances` (row-major), or the errors (at most `maxErrors`, and their total). */
  check(instances: readonly unknown[]): { x: Float32Array } | { errors: InstanceError[]; total: number };
}

type Writer = (value: unknown, out: Float32Array, at: number) => string | undefined;

const MAX_ERRORS = 100;

/**
 * `missing` is what a null writes: NaN where the model splits on missingness (trees), else the
 * step's imputed value (preprocess.ts's MissingPolicy).
 */
function numeric(step: Extract<FeatureStep, { kind: 'numeric' }>, keep: boolean): Writer {
  const { mean, std } = step;
  const median = keep ? Number.NaN : step.median;
  const put = (x: number, out: Float32Array, at: number) => {
    const y = (x - mean) / std;
    // Features are float32: a finite double beyond ~3.4e38 would become Infinity.
    if (!Number.isFinite(Math.fround(y)) && !Number.isNaN(x)) return 'is too large to use';
    out[at] = y;
    return undefined;
  };
  if (step.type === 'datetime') {
    return (v, out, at) => {
      if (v === null) return put(median, out, at);
      const t = typeof v === 'number' ? v : typeof v === 'string' ? parseTime(v) : Number.NaN;
      if (!Number.isFinite(t)) return 'is not a date or time (an ISO 8601 string or epoch milliseconds)';
      return put(t, out, at);
    };
  }
  if (step.type === 'integer') {
    return (v, out, at) => {
      if (typeof v === 'number')
        return Number.isInteger(v) ? put(v, out, at) : Number.isFinite(v) ? NOT_AN_INTEGER : 'is not a finite number';
      if (v === null) return put(median, out, at);
      return 'is not a number (an integer is expected)';
    };
  }
  return (v, out, at) => {
    if (typeof v === 'number') return Number.isFinite(v) ? put(v, out, at) : 'is not a finite number';
    if (v === null) return put(median, out, at);
    return 'is not a number';
  };
}

function boolean(step: Extract<FeatureStep, { kind: 'boolean' }>, keep: boolean): Writer {
  const missing = keep ? Number.NaN : step.fill;
  return (v, out, at) => {
    if (v === true) out[at] = 1;
    else if (v === false) out[at] = 0;
    else if (v === null) out[at] = missing;
    else return 'is not true or false';
    return undefined;
  };
}

function category(step: Extract<FeatureStep, { kind: 'one-hot' | 'index' }>, keep: boolean): Writer {
  const find = categoryFinder(step.categories);
  const shown =
    step.categories.length <= 20 ? `: one of ${step.categories.map((c) => JSON.stringify(c)).join(', ')}` : '';
  const oneHot = step.kind === 'one-hot';
  return (v, out, at) => {
    if (v === null) {
      if (!oneHot) out[at] = keep ? Number.NaN : 0;
      return undefined;
    }
    // Categories are text; a number or boolean is read as its text, as imports read such columns.
    const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    if (text === undefined) return 'is not a category (a string)';
    const k = find(text);
    if (k === undefined) return `is not a known category${shown}`;
    if (oneHot) out[at + k] = 1;
    else out[at] = k + 1;
    return undefined;
  };
}

/** Epoch ms; a time without a zone is UTC, as in training (DuckDB's epoch_ms). */
function parseTime(s: string): number {
  const t = s.trim();
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t);
  return Date.parse(naive ? `${t.replace(' ', 'T')}Z` : t);
}

function fieldOf(step: FeatureStep): InputField {
  if (step.kind === 'numeric')
    return { name: step.column, type: step.type === 'numeric' ? 'number' : step.type, nullable: true };
  if (step.kind === 'boolean') return { name: step.column, type: 'boolean', nullable: true };
  return { name: step.column, type: 'category', categories: step.categories, nullable: true };
}

/** The problems found in one request: the first MAX_ERRORS, and how many in all. */
export class Problems {
  readonly errors: InstanceError[] = [];
  total = 0;
  add(instance: number, field: string, message: string): void {
    this.total++;
    if (this.errors.length < MAX_ERRORS) this.errors.push({ instance, field, message });
  }
}

/** Compiles the input check of one model version. */
export function compileValidator(manifest: PreprocessManifest): CompiledValidator {
  const keep = keepsMissing(manifest);
  const steps = manifest.features.map((step, i, all) => ({
    column: step.column,
    offset: all.slice(0, i).reduce((n, s) => n + stepWidth(s), 0),
    write:
      step.kind === 'numeric'
        ? numeric(step, keep)
        : step.kind === 'boolean'
          ? boolean(step, keep)
          : category(step, keep),
  }));
  // A picture model's width is its picture's numbers (its instances are read by picture-input.ts).
  const width = featureWidth(manifest);
  const known = new Set(steps.map((s) => s.column));
  const ignored = manifest.dropped.map((d) => d.column).filter((c) => !known.has(c));
  for (const c of ignored) known.add(c);

  // No closure is made per call: this runs for every request.
  const check: CompiledValidator['check'] = (instances) => {
    const out = new Float32Array(instances.length * width);
    let problems: Problems | undefined;
    for (let i = 0; i < instances.length; i++) {
      const record = instances[i];
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        (problems ??= new Problems()).add(i, '', 'is not an object of field values');
        continue;
      }
      const r = record as Record<string, unknown>;
      const base = i * width;
      let seen = 0;
      for (const s of steps) {
        // Own properties only: "__proto__" in JSON is data, and inherited names are not fields.
        if (!Object.hasOwn(r, s.column)) {
          (problems ??= new Problems()).add(i, s.column, 'is missing (send null for an unknown value)');
          continue;
        }
        seen++;
        const message = s.write(r[s.column], out, base + s.offset);
        if (message !== undefined) (problems ??= new Problems()).add(i, s.column, message);
      }
      // More keys than the fields found: some key is not a field of this model.
      const keys = Object.keys(r);
      if (keys.length > seen) {
        for (const k of keys)
          if (!known.has(k)) (problems ??= new Problems()).add(i, k, 'is not an input of this model');
      }
    }
    return problems ? { errors: problems.errors, total: problems.total } : { x: out };
  };
  return { width, fields: manifest.features.map(fieldOf), ignored, check };
}
