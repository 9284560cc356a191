// Parameter fields: what a form generator walks, and the zod schema built from the same descriptors,
// so the editor's parameter panel and the file's validation cannot drift.
import { z } from 'zod';
import { options, type ChoiceSetting, type NumberSetting } from '../training-settings.js';

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
    })
  /**
   * A structured value edited as JSON (a sweep's search space), checked by its own zod schema; an
   * editor shows that schema's errors. `example` gives what to start from for the node's params
   * (e.g. the model kind's default space), which is also what an absent value means.
   */
  | (FieldCommon & {
      type: 'json';
      schema: z.ZodType;
      default?: undefined;
      example?: (params: Readonly<Record<string, unknown>>) => unknown;
    });

export type ParamFieldType = ParamField['type'];

/** A field for a training setting (shared/training-settings.ts), under the name the node's params use. */
export function settingField(name: string, setting: NumberSetting): ParamField {
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
export function choiceField(name: string, setting: ChoiceSetting<string>): ParamField {
  return { name, type: 'enum', label: setting.label, options: setting.options, default: setting.default };
}

/** What a field may say beyond its name, label, type and default. */
export type FieldNotes = Pick<FieldCommon, 'description' | 'visibleWhen'>;

/** An enum field whose options are written as `{ value: 'label' }`, in the order shown. */
export function enumField(
  name: string,
  label: string,
  labels: Readonly<Record<string, string>>,
  value: string,
  notes: FieldNotes = {},
): ParamField {
  return { name, label, type: 'enum', options: options(labels), default: value, ...notes };
}

/** An enum field whose options are shown as their values (e.g. the comparators `>` and `<=`). */
export function valuesField(name: string, label: string, values: readonly string[], value: string): ParamField {
  return { name, label, type: 'enum', options: values.map((v) => ({ value: v, label: v })), default: value };
}

/** A list of the input table's columns, empty unless the user names some. */
export function columnsField(name: string, label: string, notes: FieldNotes = {}): ParamField {
  return { name, label, type: 'column-list', default: [], ...notes };
}

/** A share of the rows, 0 to 1 (a split's parts). */
export function fractionField(name: string, label: string, value: number): ParamField {
  return { name, label, type: 'number', min: 0, max: 1, step: 0.05, default: value };
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
    case 'json':
      s = f.schema;
      break;
  }
  if (f.default !== undefined) return s.default(f.default as never);
  return req ? s : s.optional();
}

/** The zod schema of a whole params object: unknown keys are errors, so typos in a hand-written file are caught. */
export function paramsSchema(fields: readonly ParamField[]) {
  return z.object(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)]))).strict();
}
