// The passes over the rows a boosting round makes, each cut into parts so threads can share it:
// gathering a node's gradients, summing its histograms (by features), partitioning its rows,
// computing gradients and loss terms, and adding a tree's leaf values. One definition, run by
// the training thread (row-threads.ts) and by its helpers (row-worker.ts) alike, on arrays in
// shared memory. Every part writes only its own cells and sums stay in row order, so the result
// is the same to the bit however many parts a pass is cut into.
import { accumulateHistograms, gatherGradients } from './histogram.js';
import { addLeafValues, markLeaves } from './leaf-values.js';
import { lossOf, type Loss, type LossSpec } from './losses.js';
import { partitionPart } from './partition.js';

export const Task = {
  Gather: 1,
  Histograms: 2,
  Partition: 3,
  Gradients: 4,
  MarkLeaves: 5,
  AddLeaves: 6,
} as const;
export type Task = (typeof Task)[keyof typeof Task];

/** Integer arguments a task takes (their meaning is per task, see runPart). */
export const TASK_ARGS = 4;

/** The arrays every thread works on, all in SharedArrayBuffers; what a helper thread is started with. */
export interface RowArrays {
  n: number;
  /** Feature-major bins of the n rows. */
  bins: Uint8Array;
  /** The histogram layout's offsets. */
  offset: Int32Array;
  /** Row indices the trees grow on, partitioned in place. */
  rows: Uint32Array;
  /** Scratch for partitions' right rows (n). */
  right: Uint32Array;
  /** Targets, weights, raw scores (K × n) and interleaved gradients (2 × K × n). */
  y: Int32Array | Float32Array;
  w: Float32Array | undefined;
  raw: Float64Array;
  gh: Float32Array;
  /** Per-row weighted losses of the last gradient pass. */
  terms: Float64Array;
  /** A node's gathered gradients (2 × n). */
  ogh: Float32Array;
  /** The features of a histogram build. */
  features: Int32Array;
  /** The split's bins going left, for a partition. */
  goLeft: Uint8Array;
  /** Each part's count of left rows after a partition. */
  lefts: Int32Array;
  /** A tree's leaves: row ranges and values, and each row's leaf. */
  leafStart: Int32Array;
  leafEnd: Int32Array;
  leafValue: Float64Array;
  leafOfRow: Uint16Array;
  /** Each part's own histogram (part 0's is unused: the training thread writes the node's). */
  hists: Float64Array[];
  lossSpec: LossSpec;
}

/** Where part `part` of `parts` of [from, to) starts (part === parts gives `to`). */
export function cut(from: number, to: number, part: number, parts: number): number {
  return from + Math.round(((to - from) * part) / parts);
}

/** RowArrays with its loss built, as each thread holds it. */
export interface RowState extends RowArrays {
  loss: Loss;
}

export function rowState(arrays: RowArrays): RowState {
  return { ...arrays, loss: lossOf(arrays.lossSpec) };
}

/**
 * Runs part `part` of `parts` of a task. Arguments: Gather (start, end, output); Histograms (start,
 * end, feature count), into `hist`; Partition (start, end, feature); Gradients (); MarkLeaves (leaf
 * count); AddLeaves (output).
 */
export function runPart(
  s: RowState,
  task: Task,
  args: ArrayLike<number>,
  part: number,
  parts: number,
  hist: Float64Array,
): void {
  const n = s.n;
  switch (task) {
    case Task.Gather: {
      const [start, end, output] = [args[0]!, args[1]!, args[2]!];
      const gh = s.gh.subarray(2 * output * n, 2 * (output + 1) * n);
      gatherGradients(s.rows, start, cut(start, end, part, parts), cut(start, end, part + 1, parts), gh, s.ogh);
      return;
    }
    case Task.Histograms: {
      const [start, end, count] = [args[0]!, args[1]!, args[2]!];
      const from = cut(0, count, part, parts);
      const to = cut(0, count, part + 1, parts);
      accumulateHistograms(hist, s.offset, s.bins, n, s.rows, start, end, s.ogh, s.features, from, to);
      return;
    }
    case Task.Partition: {
      const [start, end, feature] = [args[0]!, args[1]!, args[2]!];
      const from = cut(start, end, part, parts);
      const to = cut(start, end, part + 1, parts);
      s.lefts[part] = partitionPart(s.rows, from, to, s.bins, feature * n, s.goLeft, s.right);
      return;
    }
    case Task.Gradients:
      s.loss.gradients(s.y, s.raw, s.w, s.gh, s.terms, cut(0, n, part, parts), cut(0, n, part + 1, parts));
      return;
    case Task.MarkLeaves:
      markLeaves(
        s.rows,
        s.leafStart,
        s.leafEnd,
        args[0]!,
        s.leafOfRow,
        cut(0, n, part, parts),
        cut(0, n, part + 1, parts),
      );
      return;
    case Task.AddLeaves:
      addLeafValues(s.raw, args[0]! * n, s.leafValue, s.leafOfRow, cut(0, n, part, parts), cut(0, n, part + 1, parts));
      return;
  }
}
