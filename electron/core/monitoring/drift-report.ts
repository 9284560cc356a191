// Data drift of one model over a window: each input feature's live values (a sample of the
// logged inputs) against its training distribution, which comes from the training rows (numeric
// features keep a sample of their values for the KS test) or, where the dataset is gone, from the
// model card's profile (a normal curve from mean and spread, category shares from top values).
import type { DriftBin, DriftReport, FeatureDrift, InputField, TrainingDataSummary } from '../../../shared/api.js';
import type { ColumnSet } from '../training/columns.js';
import { categoryFinder } from '../training/manifest.js';
import { cellOf, evenlySpaced } from './training-rows.js';
import {
  binCounts,
  decileEdges,
  ks2Samp,
  KS_MIN_STATISTIC,
  KS_P_VALUE,
  psi,
  PSI_DRIFT,
  sortedFinite,
  toShares,
} from './drift-stats.js';

/** Live inputs below which drift is not judged: PSI over ten bins of fewer rows is mostly noise. */
export const MIN_LIVE_ROWS = 100;
/** Live inputs sampled from a window at most: enough for PSI and KS, cheap to read and test (KS is O(n·m)). */
export const LIVE_SAMPLE_MAX = 3_000;
/** Training values kept per numeric feature for the KS test. */
export const TRAINING_SAMPLE_MAX = 2_000;
/** Categories of a feature shown and compared one by one; the rest share one bin. */
export const MAX_CATEGORIES = 20;
const OTHER = '(other)';

type Kind = FeatureDrift['kind'];

/** One feature's training distribution. */
export interface ReferenceFeature {
  name: string;
  kind: Kind;
  /** Whether values are epoch ms (labels then read as dates). */
  datetime: boolean;
  /** Numeric: inner bin edges; categorical: the categories compared one by one (the last bin is the rest). */
  edges: number[];
  categories: string[];
  /** Training shares per bin. */
  shares: number[];
  /** Numeric, from training rows: ascending sample of values for KS; null from a profile. */
  sample: Float64Array | null;
}

export interface DriftReference {
  source: 'training_rows' | 'card_profile';
  rows: number;
  features: ReferenceFeature[];
}

const kindOf = (f: InputField): Kind => (f.kind === 'boolean' || f.kind === 'categorical' ? 'categorical' : 'numeric');

/** The reference from the training split's rows of the columns the model reads. */
export function referenceFromRows(
  fields: readonly InputField[],
  data: ColumnSet,
  trainRows: Uint32Array,
): DriftReference {
  const kept = evenlySpaced(trainRows, TRAINING_SAMPLE_MAX);
  const features: ReferenceFeature[] = [];
  for (const f of fields) {
    const col = data.columns.get(f.name);
    if (!col) continue;
    if (kindOf(f) === 'numeric') {
      const all: number[] = [];
      for (const r of trainRows) {
        const v = cellOf(col, r);
        if (typeof v === 'number') all.push(v);
      }
      const sample = Array.from(kept, (r) => cellOf(col, r)).filter((v): v is number => typeof v === 'number');
      features.push(numericReference(f.name, all, sample, f.kind === 'datetime'));
    } else {
      const counts = new Map<string, number>();
      for (const r of trainRows) {
        const v = cellOf(col, r);
        if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      }
      features.push(categorical(f.name, counts));
    }
  }
  return { source: 'training_rows', rows: trainRows.length, features };
}

/**
 * A numeric feature's reference from its training values: decile bins of `all` and, for the KS
 * test, `sample` (a bounded subset, or all of them).
 */
export function numericReference(
  name: string,
  all: Iterable<number>,
  sample: Iterable<number>,
  datetime = false,
): ReferenceFeature {
  const sorted = sortedFinite(all);
  const edges = decileEdges(sorted);
  return numeric(name, datetime, edges, toShares(binCounts(edges, sorted)), sortedFinite(sample));
}

function numeric(
  name: string,
  datetime: boolean,
  edges: number[],
  shares: number[],
  sample: ReferenceFeature['sample'],
): ReferenceFeature {
  return { name, kind: 'numeric', datetime, edges, categories: [], shares, sample };
}

/** A categorical feature's reference from its training counts; `restCount` more fall in no category listed. */
export function categorical(name: string, counts: Map<string, number>, restCount = 0): ReferenceFeature {
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const categories = ranked.slice(0, MAX_CATEGORIES).map(([c]) => c);
  const rest = ranked.slice(MAX_CATEGORIES).reduce((s, [, c]) => s + c, restCount);
  const shares = toShares([...ranked.slice(0, MAX_CATEGORIES).map(([, c]) => c), rest]);
  return { name, kind: 'categorical', datetime: false, edges: [], categories, shares, sample: null };
}

/** The standard normal CDF (Abramowitz and Stegun 7.1.26; error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Deciles of the standard normal distribution. */
const NORMAL_DECILES = [-1.2816, -0.8416, -0.5244, -0.2533, 0, 0.2533, 0.5244, 0.8416, 1.2816];

/**
 * The reference from a model card's profile, where the training rows are gone: numeric features
 * as a normal curve with the profile's mean and spread (so no KS test), categories from their top
 * values (the rest as one bin).
 */
export function referenceFromProfile(fields: readonly InputField[], summary: TrainingDataSummary): DriftReference {
  const byName = new Map(summary.columns.map((c) => [c.name, c]));
  const features: ReferenceFeature[] = [];
  for (const f of fields) {
    const c = byName.get(f.name);
    if (!c) continue;
    if (kindOf(f) === 'numeric') {
      if (typeof c.mean !== 'number' || typeof c.std !== 'number' || !(c.std > 0)) continue;
      const edges = NORMAL_DECILES.map((z) => (c.mean as number) + z * (c.std as number));
      const cdf = edges.map((e) => normalCdf((e - (c.mean as number)) / (c.std as number)));
      const shares = [...cdf, 1].map((p, i) => p - (i === 0 ? 0 : (cdf[i - 1] as number)));
      features.push(numeric(f.name, f.kind === 'datetime', edges, shares, null));
    } else if (c.topValues?.length) {
      const counts = new Map(c.topValues.map((t) => [t.value, t.count]));
      const listed = c.topValues.reduce((s, t) => s + t.count, 0);
      features.push(categorical(f.name, counts, Math.max(0, summary.rows - c.missing - listed)));
    }
  }
  return { source: 'card_profile', rows: summary.rows, features };
}

/** A live field's value as the feature's kind reads it; null when missing or unreadable. */
function liveValue(kind: Kind, datetime: boolean, v: unknown): number | string | null {
  if (v === null || v === undefined) return null;
  if (kind === 'categorical')
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const x = datetime
    ? Date.parse(
        /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v.trim()) ? `${v.trim().replace(' ', 'T')}Z` : v,
      )
    : Number(v);
  return Number.isFinite(x) ? x : null;
}

const fmt = (x: number, datetime: boolean) =>
  datetime
    ? new Date(x).toISOString().slice(0, 10)
    : Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0)
      ? x.toExponential(2)
      : String(Number(x.toPrecision(3)));

function numericBins(ref: ReferenceFeature, live: readonly number[]): DriftBin[] {
  const liveShares = toShares(binCounts(ref.edges, live));
  const { edges } = ref;
  return ref.shares.map((share, i) => {
    const lo = i === 0 ? null : (edges[i - 1] as number);
    const hi = i === edges.length ? null : (edges[i] as number);
    const label =
      lo === null
        ? `< ${fmt(hi ?? 0, ref.datetime)}`
        : hi === null
          ? `≥ ${fmt(lo, ref.datetime)}`
          : `${fmt(lo, ref.datetime)} – ${fmt(hi, ref.datetime)}`;
    return { label, lo, hi, training: share, live: liveShares[i] ?? 0 };
  });
}

function categoryBins(ref: ReferenceFeature, live: readonly string[]): DriftBin[] {
  // Matched as the endpoint matches categories: a client's 2 is the profile's "2.0".
  const find = categoryFinder(ref.categories);
  const counts = new Array<number>(ref.categories.length + 1).fill(0);
  for (const v of live) counts[find(v) ?? ref.categories.length]! += 1;
  const liveShares = toShares(counts);
  return [...ref.categories, OTHER].map((label, i) => ({
    label,
    lo: null,
    hi: null,
    training: ref.shares[i] ?? 0,
    live: liveShares[i] ?? 0,
  }));
}

/**
 * Compares sampled live inputs (JSON records) with the reference, feature by feature. Every
 * field the model reads gets an entry, most drifted first; with fewer than MIN_LIVE_ROWS live
 * values a feature (and with fewer inputs, the whole report) is not judged.
 */
export function driftReport(
  fields: readonly InputField[],
  reference: DriftReference | null,
  liveInputs: readonly string[],
  liveRows: number,
): DriftReport {
  const records = liveInputs.map((j) => {
    try {
      const r = JSON.parse(j) as unknown;
      return typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  });
  const refs = new Map(reference?.features.map((f) => [f.name, f]) ?? []);
  const judged = records.length >= MIN_LIVE_ROWS;
  const features: FeatureDrift[] = fields.map((f) => {
    const kind = kindOf(f);
    const values: (number | string)[] = [];
    let missing = 0;
    for (const r of records) {
      const v = liveValue(kind, f.kind === 'datetime', r[f.name]);
      if (v === null) missing++;
      else values.push(v);
    }
    const ref = refs.get(f.name);
    const base = { feature: f.name, kind, liveCount: values.length, liveMissing: missing };
    if (!ref) return { ...base, psi: null, ks: null, drifted: false, reasons: [], bins: [] };
    const bins = kind === 'numeric' ? numericBins(ref, values as number[]) : categoryBins(ref, values as string[]);
    if (!judged || values.length < MIN_LIVE_ROWS)
      return { ...base, psi: null, ks: null, drifted: false, reasons: [], bins };
    const value = psi(
      bins.map((b) => b.training),
      bins.map((b) => b.live),
    );
    const ks =
      kind === 'numeric' && ref.sample && ref.sample.length > 0
        ? ks2Samp(ref.sample, sortedFinite(values as number[]))
        : null;
    const reasons: string[] = [];
    if (value > PSI_DRIFT) reasons.push(`PSI ${value.toFixed(2)} > ${PSI_DRIFT}`);
    if (ks && ks.pValue < KS_P_VALUE && ks.statistic >= KS_MIN_STATISTIC)
      reasons.push(
        `KS ${ks.statistic.toFixed(2)}, p ${ks.pValue < 1e-4 ? ks.pValue.toExponential(1) : ks.pValue.toFixed(4)} < ${KS_P_VALUE}`,
      );
    return { ...base, psi: value, ks, drifted: reasons.length > 0, reasons, bins };
  });
  features.sort((a, b) => Number(b.drifted) - Number(a.drifted) || (b.psi ?? -1) - (a.psi ?? -1));
  const scored = features.map((f) => f.psi).filter((p): p is number => p !== null);
  return {
    reference: reference?.source ?? 'none',
    trainingRows: reference?.rows ?? 0,
    liveRows,
    minLiveRows: MIN_LIVE_ROWS,
    score: judged && scored.length ? Math.max(...scored) : null,
    drifted: features.filter((f) => f.drifted).map((f) => f.feature),
    features,
    thresholds: { psi: PSI_DRIFT, ksPValue: KS_P_VALUE },
  };
}
