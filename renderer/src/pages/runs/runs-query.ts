// What the runs table sorts and filters on, as pure functions of the run summaries, so the view
// memoises them (10,000 runs sort in a few milliseconds, once per change of data or order) and
// tests check them apart from React.
import type { Run, RunStatus, RunSummary, TaskName } from '../../../../shared/api.js';
import { formatStat } from '../../lib/format.js';

export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
];

/**
 * The test metrics the table may show, in column order; only those some run has are shown. The
 * majority-class baseline is no column of its own: it is the accuracy cell's hover, and marks an
 * accuracy that does not beat it (so nine metrics of a mixed table still fit at 1280 px).
 */
export const HEADLINE_METRICS = [
  'accuracy',
  'balanced_accuracy',
  'f1_macro',
  'roc_auc',
  'log_loss',
  'mae',
  'rmse',
  'r2',
] as const;

/** A column the table sorts by: a fixed one, or `metric:<key>` for a test metric. */
export type RunSortKey =
  | 'status'
  | 'id'
  | 'dataset'
  | 'target'
  | 'task'
  | 'modelKind'
  | 'epochs'
  | 'batchSize'
  | 'learningRate'
  | 'hidden'
  | 'duration'
  | 'backend'
  | 'created'
  | 'model'
  | `metric:${string}`;

export interface RunSort {
  key: RunSortKey;
  direction: 'asc' | 'desc';
}

export interface RunFilter {
  /** Words that must all occur in the run's id, dataset@version, target, status, model or backend. */
  text: string;
  /** Empty: every status. */
  statuses: ReadonlySet<RunStatus>;
  task: TaskName | 'all';
}

export const NO_FILTER: RunFilter = { text: '', statuses: new Set(), task: 'all' };

/** One hidden layer as params hold it. */
interface Layer {
  units: number;
  activation?: string;
  dropout?: number;
}

/** The training parameters a row shows, whichever shape the run's params have. */
export interface KeyParams {
  epochs: number | null;
  batchSize: number | null;
  learningRate: number | null;
  /** Hidden layers of an MLP; null for the linear models. */
  hidden: Layer[] | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function layers(v: unknown): Layer[] | null {
  if (!Array.isArray(v)) return null;
  return v.filter(isRecord).flatMap((l) => (typeof l.units === 'number' ? [l as unknown as Layer] : []));
}

/** The model's default hidden layers (electron/core/training/models.ts), for runs queued without any. */
const DEFAULT_HIDDEN: Layer[] = [
  { units: 64, activation: 'relu', dropout: 0 },
  { units: 32, activation: 'relu', dropout: 0 },
];

/**
 * Params in the shape a finished run stores ({model: {kind, hiddenLayers, l2}, train: {...},
 * split: {...}, features}). Queued, running and failed runs still hold the request as given
 * (model: 'mlp', epochs, learningRate, ... at the top level): those keys are moved to where a
 * finished run has them, so tables and comparisons line up. Absent values stay absent.
 */
export function normalizeParams(params: Record<string, unknown>): Record<string, unknown> {
  if (typeof params.model !== 'string') return params;
  const pick = (keys: readonly string[]) => {
    const out: Record<string, unknown> = {};
    for (const k of keys) if (params[k] !== undefined) out[k] = params[k];
    return out;
  };
  const split: Record<string, unknown> = {};
  if (params.seed !== undefined) split.seed = params.seed;
  if (params.split !== undefined) split.fractions = params.split;
  if (params.timeColumn !== undefined) split.timeColumn = params.timeColumn;
  return {
    model: { kind: params.model, ...pick(['hiddenLayers', 'l2']) },
    train: pick(['epochs', 'batchSize', 'learningRate', 'optimizer', 'classWeight', 'earlyStopping', 'seed']),
    split,
    ...(params.features !== undefined ? { features: params.features } : {}),
  };
}

const keyParamsCache = new WeakMap<RunSummary, KeyParams>();

/** Epochs, batch size, learning rate and hidden layers of a run (cached per summary object). */
export function keyParams(run: RunSummary): KeyParams {
  let kp = keyParamsCache.get(run);
  if (kp) return kp;
  const p = normalizeParams(run.params);
  const model = isRecord(p.model) ? p.model : {};
  const train = isRecord(p.train) ? p.train : {};
  kp = {
    epochs: num(train.epochs),
    batchSize: num(train.batchSize),
    learningRate: num(train.learningRate),
    hidden: run.modelKind === 'mlp' ? (layers(model.hiddenLayers) ?? DEFAULT_HIDDEN) : null,
  };
  keyParamsCache.set(run, kp);
  return kp;
}

/** "64·32 relu", "128 tanh·64 relu +dropout"; "—" for no hidden layers. */
export function hiddenSummary(hidden: readonly Layer[] | null): string {
  if (!hidden || hidden.length === 0) return '—';
  const acts = new Set(hidden.map((l) => l.activation ?? 'relu'));
  const dropout = hidden.some((l) => (l.dropout ?? 0) > 0) ? ' +dropout' : '';
  if (acts.size === 1) return `${hidden.map((l) => l.units).join('·')} ${[...acts][0]}${dropout}`;
  return hidden.map((l) => `${l.units} ${l.activation ?? 'relu'}`).join('·') + dropout;
}

/** Milliseconds from start to finish, or to `now` while running; null before it starts. */
export function runDurationMs(
  run: Pick<RunSummary, 'status' | 'startedAt' | 'finishedAt'>,
  now: number,
): number | null {
  if (!run.startedAt) return null;
  const start = Date.parse(run.startedAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : run.status === 'running' ? now : NaN;
  const ms = end - start;
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** The first block of a run id: enough to tell runs apart in a table. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

export const MODEL_KIND_LABELS: Record<RunSummary['modelKind'], string> = {
  logistic_regression: 'logistic',
  linear_regression: 'linear',
  mlp: 'MLP',
  gbdt: 'trees',
  cnn: 'CNN',
  auto: 'auto',
};

/** A run's model kind in words; an automatic run's shows its choice: "auto → trees". */
export function modelKindLabel(run: Pick<RunSummary, 'modelKind' | 'params'>): string {
  const label = MODEL_KIND_LABELS[run.modelKind];
  return run.params.modelChoice === 'auto' && run.modelKind !== 'auto' ? `auto → ${label}` : label;
}

/** What a run's training steps are called: a tree model's boosting rounds, a network's epochs. */
export function stepNoun(run: Pick<RunSummary, 'modelKind'>): 'round' | 'epoch' {
  return run.modelKind === 'gbdt' ? 'round' : 'epoch';
}

/** How a tree run's boosting went (metrics.boosting), or undefined for other runs and before it ends. */
export function boostingOf(
  run: Pick<Run, 'metrics'>,
): { rounds: number; bestIteration: number; trees: number } | undefined {
  return (run.metrics as { boosting?: { rounds: number; bestIteration: number; trees: number } } | null)?.boosting;
}

/** "iris:3", or null before a run has saved a model. */
export function modelRef(run: Pick<RunSummary, 'model'>): string | null {
  return run.model ? `${run.model.name}:${run.model.version}` : null;
}

/** Metrics to four decimals where they fit (0.9130), larger errors to four significant digits. */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return formatStat(v);
  return Math.abs(v) < 10 ? v.toFixed(4) : formatStat(v);
}

/** How a run is named in legends and column heads: short id and the model it saved. */
export function runLabel(run: Pick<RunSummary, 'id' | 'model' | 'modelKind'>): string {
  return `${shortId(run.id)} · ${modelRef(run) ?? MODEL_KIND_LABELS[run.modelKind]}`;
}

/** The value a column sorts by; null sorts last in either direction. */
export function sortValue(run: RunSummary, key: RunSortKey, now: number): number | string | null {
  switch (key) {
    case 'status':
      return RUN_STATUSES.indexOf(run.status);
    case 'id':
      return run.id;
    case 'dataset':
      // Name, then version as a number (naturalKey pads digit runs); the separator sorts
      // below every character, so "iris" comes before "iris2".
      return `${run.datasetName}\u0001${run.datasetVersion}`;
    case 'target':
      return run.target;
    case 'task':
      return run.task;
    case 'modelKind':
      return modelKindLabel(run);
    case 'epochs':
      return keyParams(run).epochs;
    case 'batchSize':
      return keyParams(run).batchSize;
    case 'learningRate':
      return keyParams(run).learningRate;
    case 'hidden': {
      const h = keyParams(run).hidden;
      return h ? h.reduce((s, l) => s + l.units, 0) : null;
    }
    case 'duration':
      return runDurationMs(run, now);
    case 'backend':
      return run.backend;
    case 'created':
      return run.createdAt;
    case 'model':
      return run.model ? `${run.model.name}\u0001${run.model.version}` : null;
    default: {
      const v = run.testMetrics?.[key.slice('metric:'.length)];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
  }
}

/**
 * A string that orders naturally under plain `<`: lower-cased, with each run of digits padded
 * to a fixed width, so "b10" follows "B2". Intl.Collator does the same but costs several times
 * more per comparison, and sorting 10,000 runs makes about 140,000 of them.
 */
export function naturalKey(s: string): string {
  return s.toLowerCase().replace(/\d+/g, (d) => d.padStart(16, '0'));
}

/**
 * Runs in `sort` order; a new array, the input untouched. Numbers compare as numbers, text
 * naturally and case-blind; nulls go last both ways; ties keep the input order (newest first).
 */
export function sortRuns(runs: readonly RunSummary[], sort: RunSort | undefined, now = Date.now()): RunSummary[] {
  if (!sort) return runs.slice();
  // Each key is computed once, not once per comparison.
  const keys = runs.map((r) => {
    const v = sortValue(r, sort.key, now);
    return typeof v === 'string' ? naturalKey(v) : v;
  });
  const order = runs.map((_, i) => i);
  const sign = sort.direction === 'asc' ? 1 : -1;
  order.sort((a, b) => {
    const x = keys[a] ?? null;
    const y = keys[b] ?? null;
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : x < y ? -1 : x > y ? 1 : 0;
    return c !== 0 ? sign * c : a - b;
  });
  return order.map((i) => runs[i] as RunSummary);
}

const haystacks = new WeakMap<RunSummary, string>();

/** The lower-cased text a run's filter words are looked for in. */
export function searchText(run: RunSummary): string {
  let h = haystacks.get(run);
  if (h === undefined) {
    const model = modelRef(run);
    h = [
      run.id,
      `${run.datasetName}@${run.datasetVersion}`,
      `${run.datasetName}@v${run.datasetVersion}`,
      run.target,
      run.status,
      run.task ?? '',
      MODEL_KIND_LABELS[run.modelKind],
      run.modelKind,
      model ?? '',
      run.backend ?? '',
    ]
      .join('\n')
      .toLowerCase();
    haystacks.set(run, h);
  }
  return h;
}

/** Whether a filter keeps every run. */
export function isEmptyFilter(f: RunFilter): boolean {
  return f.text.trim() === '' && f.statuses.size === 0 && f.task === 'all';
}

/** The runs a filter keeps, in their order; the same array when it keeps everything. */
export function filterRuns<T extends RunSummary>(runs: readonly T[], f: RunFilter): readonly T[] {
  if (isEmptyFilter(f)) return runs;
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  return runs.filter(
    (r) =>
      (f.statuses.size === 0 || f.statuses.has(r.status)) &&
      (f.task === 'all' || r.task === f.task) &&
      words.every((w) => searchText(r).includes(w)),
  );
}

/** The headline metrics at least one run has, in column order. */
export function presentMetrics(runs: readonly RunSummary[]): string[] {
  const seen = new Set<string>();
  for (const r of runs) {
    const m = r.testMetrics;
    if (!m) continue;
    for (const k of HEADLINE_METRICS) if (typeof m[k] === 'number') seen.add(k);
    if (seen.size === HEADLINE_METRICS.length) break;
  }
  return HEADLINE_METRICS.filter((k) => seen.has(k));
}

/** How many runs have each status. */
export function statusCounts(runs: readonly RunSummary[]): Record<RunStatus, number> {
  const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const r of runs) counts[r.status]++;
  return counts;
}

/** Ids from `from` to `to` (inclusive, either order) in the order shown: a shift-click's range. */
export function rangeIds(rows: readonly { id: string }[], from: string, to: string): string[] {
  const a = rows.findIndex((r) => r.id === from);
  const b = rows.findIndex((r) => r.id === to);
  if (a < 0 || b < 0) return b >= 0 ? [to] : [];
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return rows.slice(lo, hi + 1).map((r) => r.id);
}
