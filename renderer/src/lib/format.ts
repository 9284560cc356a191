// Number, size and cell formatting shared by the profile, the table, the charts and the progress
// bar: figures on screen go through formatStat (ticks through formatTicks), with formatFull on hover.
// Fixed to en-US grouping so tests and screenshots read the same on every machine.
import type { Cell, JobProgress } from '../../../shared/api.js';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? grouped.format(n) : String(n);
}

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

/**
 * The engine sends timestamps as ISO instants ("2024-01-05T00:00:00.000Z"); a table reads better
 * with "2024-01-05" for midnights and no zero milliseconds. Other strings pass through.
 */
export function compactDateTime(value: string): string {
  const m = ISO_INSTANT.exec(value);
  if (!m) return value;
  const [, date, time, fraction] = m;
  const ms = fraction && /[1-9]/.test(fraction) ? `.${fraction.replace(/0+$/, '')}` : '';
  return time === '00:00:00' && !ms ? (date ?? value) : `${date} ${time}${ms}`;
}

/** A statistic for a narrow cell: integers grouped, others to 4 significant digits, extremes in e-notation. */
export function formatStat(value: number | string | boolean | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return compactDateTime(value);
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : 'NaN';
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1e9) return grouped.format(value);
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-4)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  // toPrecision may itself answer in e-notation for large values; the guards above exclude those.
  const rounded = Number(value.toPrecision(4));
  return abs >= 1000 ? grouped.format(rounded) : String(rounded);
}

/**
 * A number in full for a hover title: every digit it has, less binary noise
 * (0.30000000000000004 -> "0.3"), so the rounded figure on screen can be checked.
 */
export function formatFull(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : formatStat(value);
}

/**
 * Labels for evenly spaced values such as a histogram's bin edges: the fewest decimals that still
 * tell neighbours apart (0.9215, 1.643 -> "0.9", "1.6" for bins 0.72 wide); very large or
 * small values as formatStat writes them.
 */
export function formatTicks(values: readonly number[]): string[] {
  const finite = values.filter(Number.isFinite);
  let step = Infinity;
  for (let i = 1; i < finite.length; i++) {
    const gap = Math.abs((finite[i] as number) - (finite[i - 1] as number));
    if (gap > 0) step = Math.min(step, gap);
  }
  if (!Number.isFinite(step)) return values.map((v) => formatStat(v));
  const largest = Math.max(...finite.map(Math.abs));
  // Past these the label is formatStat's: e-notation or grouped integers.
  if (largest >= 1e9 || (largest !== 0 && largest < 1e-4)) return values.map((v) => formatStat(v));
  const label = (v: number, decimals: number) =>
    Number.isFinite(v) ? decimalFormat(decimals).format(v === 0 ? 0 : v) : formatStat(v);
  let decimals = Math.max(0, -Math.floor(Math.log10(step)));
  // Rounding can still make two neighbours read the same: one more decimal until they differ.
  for (; decimals < 8; decimals++) {
    const labels = values.map((v) => label(v, decimals));
    if (labels.every((l, i) => i === 0 || l !== labels[i - 1])) return labels;
  }
  return values.map((v) => label(v, decimals));
}

const decimalFormats = new Map<number, Intl.NumberFormat>();

/** en-US grouping with exactly `decimals` digits after the point. */
function decimalFormat(decimals: number): Intl.NumberFormat {
  let f = decimalFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    decimalFormats.set(decimals, f);
  }
  return f;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes in binary steps with one decimal: 1536 -> "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[u]}`;
}

/** A table cell as text; null is left to the caller to render as a distinct "null" marker. */
export function formatCell(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return String(cell);
}

/** The first 12 hex digits of a content hash, enough to tell versions apart at a glance. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/** ISO timestamp -> "2025-01-31 14:05" in local time. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Share as a percentage with at most one decimal, "0%" only when truly zero. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const p = (part / whole) * 100;
  if (p < 0.1) return '<0.1%';
  return `${p >= 10 ? Math.round(p) : Number(p.toFixed(1))}%`;
}

/**
 * A rate or score kept as a fraction, as a percentage with one decimal at most (two below 0.1%,
 * where an error rate still matters): 0.0423 -> "4.2%", 1 -> "100%". Unlike formatPercent (a
 * narrow cell's share, "<0.1%" and whole percents from 10 up) it keeps the figure's precision.
 */
export function formatPercentValue(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  const p = fraction * 100;
  return `${Number(p.toFixed(p !== 0 && Math.abs(p) < 0.1 ? 2 : 1))}%`;
}

/** Milliseconds for a card or a table: two decimals below 10 ms, one above, none past 1000. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

const PHASES: Record<JobProgress['phase'], string> = {
  checking: 'Checking',
  hashing: 'Hashing',
  reading: 'Reading',
  profiling: 'Profiling',
  saving: 'Saving',
};

/** One line under the progress bar: phase, bytes and rows (or pictures) so far. */
export function describeProgress(p: Pick<JobProgress, 'phase' | 'bytesDone' | 'bytesTotal' | 'rows' | 'unit'>): string {
  const parts = [PHASES[p.phase]];
  if (p.bytesTotal > 0) parts.push(`${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`);
  if (p.rows !== undefined) parts.push(`${formatCount(p.rows)} ${p.unit ?? 'rows'}`);
  return parts.join(' · ');
}

/** A span of time for people: "850 ms", "12.4 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m} min ${String(totalS % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
