// How many trials of a sweep train at once: what was asked (else one per core less one), lowered
// to what the machine's free memory holds, each trial being a job process whose peak is a
// baseline plus its table's cells times what a model kind keeps per cell. The figures were
// measured with one train job on a generated table (peak RSS, VmHWM, of the job process, explanation
// on, wasm backend, December 2026): 263-266 MB at 1,000 × 5 cells for any kind (Node, DuckDB and
// TensorFlow.js loaded); an MLP 351 MB at 40,000 × 20 and 346 MB at 100,000 × 20 (the wasm heap
// grows in steps, so the slope is rough: 110 bytes a cell at its steepest); GBDT 291 MB at
// 40,000 × 20 and 311 MB at 100,000 × 20 (about 23 bytes a cell). The constants round those up.
import type { ColumnProfile, ModelKindName } from '../../../shared/api.js';
import { MAX_ONE_HOT } from '../training/preprocess.js';

/** A job process's peak before its data: Node, DuckDB and TensorFlow.js loaded, rounded up. */
export const JOB_BASELINE_BYTES = 280e6;
/** Peak bytes per encoded cell: networks keep float64 columns, float32 splits and their tensors; trees keep bins. */
const BYTES_PER_CELL: Record<Exclude<ModelKindName, 'cnn'>, number> = {
  mlp: 110,
  logistic_regression: 110,
  linear_regression: 110,
  gbdt: 32,
};
/**
 * A CNN keeps each picture's 8-bit pixels at its input size (64 × 64 × 3 at most by default) and a
 * float copy of a batch: two bytes a pixel value is a rough upper bound, not a measured figure.
 */
const CNN_BYTES_PER_PICTURE = 64 * 64 * 3 * 2;
/** Free memory left to the host and the rest of the machine: trials may use the rest. */
const HEADROOM = 0.8;

/** What the machine has, as the check reads it (os by default; tests inject figures). */
export interface MachineFigures {
  cores: number;
  freeBytes: number;
  totalBytes: number;
}

/** One trial's estimated peak: the baseline plus rows × encoded width × the kind's bytes per cell. */
export function trialPeakBytes(model: ModelKindName, rows: number, columns: readonly ColumnProfile[]): number {
  // A picture dataset's rows are pictures, and its columns the index's, not features.
  if (model === 'cnn') return JOB_BASELINE_BYTES + rows * CNN_BYTES_PER_PICTURE;
  // A network one-hot encodes categories (up to MAX_ONE_HOT a column); trees read one code a column.
  const width = columns.reduce(
    (w, c) =>
      w + (model === 'gbdt' || c.type === 'numeric' || c.type === 'integer' ? 1 : Math.min(c.distinct, MAX_ONE_HOT)),
    0,
  );
  return JOB_BASELINE_BYTES + rows * Math.max(1, width) * BYTES_PER_CELL[model];
}

/** Trials at once with nothing asked: one per core less one (the host keeps one), at least 1. */
export function automaticParallel(cores: number): number {
  return Math.max(1, Math.floor(cores) - 1);
}

/**
 * The trials that fit: `requested` (else automaticParallel) lowered to what the free memory holds,
 * at least 1 (one trial is what a single run would take anyway), with a sentence saying so when lowered.
 */
export function parallelThatFits(
  requested: number | undefined,
  peakBytes: number,
  machine: MachineFigures,
): { parallel: number; note?: string } {
  const wanted = requested ?? automaticParallel(machine.cores);
  const fits = Math.max(1, Math.floor((machine.freeBytes * HEADROOM) / peakBytes));
  if (wanted <= fits) return { parallel: wanted };
  const mb = (b: number) => `${Math.round(b / 1e6).toLocaleString('en')} MB`;
  return {
    parallel: fits,
    note:
      `Parallel trials lowered from ${wanted} to ${fits}: each trial needs about ${mb(peakBytes)} at its peak ` +
      `and ${mb(machine.freeBytes)} of ${mb(machine.totalBytes)} are free.`,
  };
}
