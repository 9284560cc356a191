// The tables of the compare view as pure functions of the runs: parameters flattened to dotted
// keys with the rows that differ marked, and test metrics with the best value of each row.
import type { Run } from '../../../../shared/api.js';
import { lowerIsBetter, RUN_SCORES } from '../../../../shared/metrics.js';
import { formatStat } from '../../lib/format.js';
import { normalizeParams } from './runs-query.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Nested params as dotted keys, leaves kept as they are: {train: {learningRate: 0.01}} gives
 * ["train.learningRate", 0.01]. Arrays are leaves (hidden layers and features read as one value).
 */
export function flattenParams(params: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isRecord(v) && Object.keys(v).length > 0) out.push(...flattenParams(v, key));
    else out.push([key, v]);
  }
  return out;
}

/** One parameter across the compared runs. */
export interface ParamRow {
  key: string;
  /** One per run; undefined where a run does not have the parameter. */
  values: unknown[];
  differs: boolean;
}

/** Two values are the same parameter value when they serialise alike (arrays and objects by content). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return stableJson(a) === stableJson(b);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** What a compared run contributes to the parameters table besides its params. */
export type ParamSource = Pick<Run, 'params' | 'datasetName' | 'datasetVersion' | 'target' | 'task' | 'backend'>;

/**
 * Rows of the side-by-side parameters table: the data the run trained on first (dataset,
 * target, task), then every parameter any run has, in the order the fullest run lists them. A
 * run that lacks a key has undefined there, which counts as a difference.
 */
export function paramRows(runs: readonly ParamSource[]): ParamRow[] {
  const perRun = runs.map((r) => {
    const m = new Map<string, unknown>([
      ['dataset', `${r.datasetName}@v${r.datasetVersion}`],
      ['target', r.target],
      ['task', r.task ?? undefined],
    ]);
    for (const [k, v] of flattenParams(normalizeParams(r.params))) m.set(k, v);
    if (r.backend) m.set('backend', r.backend);
    return m;
  });
  const keys: string[] = [];
  const seen = new Set<string>();
  // Keys in the order of the run that has the most (a finished run's full params), then any others.
  for (const m of [...perRun].sort((a, b) => b.size - a.size)) {
    for (const k of m.keys()) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  return keys.map((key) => {
    const values = perRun.map((m) => m.get(key));
    const first = values[0];
    return { key, values, differs: values.some((v) => !same(v, first)) };
  });
}

/** A parameter value as a table cell shows it. */
export function formatParamValue(v: unknown): string {
  if (v === undefined) return '—';
  if (v === null) return 'null';
  if (typeof v === 'number') return formatStat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    // Hidden layers: "64 relu, 32 relu (dropout 0.2)".
    if (v.every((l) => isRecord(l) && typeof l.units === 'number')) {
      return (v as Record<string, unknown>[])
        .map((l) => {
          const dropout = typeof l.dropout === 'number' && l.dropout > 0 ? ` (dropout ${formatStat(l.dropout)})` : '';
          return `${String(l.units)}${typeof l.activation === 'string' ? ` ${l.activation}` : ''}${dropout}`;
        })
        .join(', ');
    }
    return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(', ');
  }
  return JSON.stringify(v);
}

/** One test metric across the compared runs. */
export interface MetricRow {
  key: string;
  /** One per run; null where the run has no value for it (another task, or not finished). */
  values: (number | null)[];
  /** Indexes of the runs holding the best value (ties share it); empty when fewer than two runs have one, or all tie. */
  best: number[];
  lowerIsBetter: boolean;
}

/** Preferred row order; other scalar metrics follow alphabetically. */
const METRIC_ORDER: readonly string[] = RUN_SCORES;

/** The scalar test metrics of a run's metrics ({test: {...}}), the split's row count left out. */
export function scalarTestMetrics(metrics: Run['metrics']): Record<string, number | null> {
  const test = metrics && isRecord(metrics.test) ? metrics.test : {};
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(test)) {
    if (k === 'rows') continue;
    if (typeof v === 'number') out[k] = Number.isFinite(v) ? v : null;
    else if (v === null) out[k] = null;
  }
  return out;
}

/** Rows of the evaluation table, one per metric any run has, with the best value(s) marked. */
export function metricRows(perRun: readonly Record<string, number | null>[]): MetricRow[] {
  const keys = new Set<string>();
  for (const m of perRun) for (const k of Object.keys(m)) keys.add(k);
  const rank = (k: string) => {
    const i = METRIC_ORDER.indexOf(k);
    return i < 0 ? METRIC_ORDER.length : i;
  };
  return [...keys]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((key) => {
      const values = perRun.map((m) => {
        const v = m[key];
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      });
      const lower = lowerIsBetter(key);
      const present = values.filter((v): v is number => v !== null);
      let best: number[] = [];
      const target = lower ? Math.min(...present) : Math.max(...present);
      // Nothing stands out when every run has the same value.
      if (present.length >= 2 && present.some((v) => v !== target)) {
        best = values.flatMap((v, i) => (v === target ? [i] : []));
      }
      return { key, values, best, lowerIsBetter: lower };
    });
}

/** Human names for metric keys in the evaluation table. */
export const METRIC_LABELS: Record<string, string> = {
  accuracy: 'accuracy',
  balanced_accuracy: 'balanced accuracy',
  majority_baseline: 'majority-class baseline',
  precision_macro: 'precision (macro)',
  recall_macro: 'recall (macro)',
  f1_macro: 'F1 (macro)',
  roc_auc: 'ROC AUC',
  log_loss: 'log loss',
  mae: 'MAE',
  rmse: 'RMSE',
  r2: 'R²',
};

/**
 * The order of the overlaid curve charts: loss first, then the other metrics, each training
 * chart followed by its validation one (loss, val_loss, acc, val_acc).
 */
export function curveKeyOrder(keys: readonly string[]): string[] {
  const base = (k: string) => k.replace(/^val_/, '');
  return [...keys].sort(
    (a, b) =>
      Number(base(a) !== 'loss') - Number(base(b) !== 'loss') ||
      base(a).localeCompare(base(b)) ||
      Number(a.startsWith('val_')) - Number(b.startsWith('val_')),
  );
}
