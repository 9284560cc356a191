// The passes over the rows (row-tasks.ts) on one thread or several. With helpers, each pass big
// enough to pay for waking them is cut into one part per thread: this thread runs part 0 while
// each helper runs its own, and sums that must stay in row order (the round's loss, a child's
// cover) are made here afterwards. Everything the passes touch lives in SharedArrayBuffers, so
// nothing is copied per pass; histograms are cut by features, each helper summing its block into
// its own histogram, which this thread copies into the node's (a few thousand values).
//
// Threads meet through Atomics on a small shared control array per helper rather than messages:
// a pass takes from a fraction of a millisecond to a few, a message round trip would cost a good
// share of that, and the grower needs the result synchronously. A helper that is still starting
// (loading its module takes a moment, longer from TypeScript sources) has its part run here
// instead: the parts are the same, so the result is too.
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../../module-worker.js';
import { HIST_STRIDE, type HistogramLayout } from './histogram.js';
import { meanOfTerms, type Loss } from './losses.js';
import { joinParts } from './partition.js';
import { cut, rowState, runPart, Task, TASK_ARGS, type RowArrays, type RowState } from './row-tasks.js';

/** The row passes of training, as the booster and the grower ask for them. */
export interface RowWork {
  readonly state: RowState;
  /** Fills state.gh from state.raw for every row and output; returns the mean training loss. */
  gradients(): number;
  /** Histograms of `features` over rows[start, end) from output `output`'s gradients, into hist. */
  build(hist: Float64Array, start: number, end: number, output: number, features: Int32Array): void;
  /** Reorders rows[start, end), rows whose bin of `feature` goLeft first; returns where the rest start. */
  partition(start: number, end: number, feature: number, goLeft: Uint8Array): number;
  /** Adds the leaves' values to output `output`'s raw scores: leaf j holds rows[starts[j], ends[j]), all n rows in all. */
  addLeaves(starts: number[], ends: number[], values: number[], output: number): void;
  close(): Promise<void>;
}

/** Bins × rows below which a node's histograms are summed on this thread alone: waking a helper costs more. */
const PARALLEL_MIN_CELLS = 200_000;
/** Rows below which a partition, gradient or leaf pass runs on this thread alone. */
const PARALLEL_MIN_ROWS = 30_000;
/** A helper that has not answered in this long has failed; training stops rather than hang. */
const HELPER_TIMEOUT_MS = 120_000;

/**
 * How long a thread polls for the other's signal before it sleeps. Passes follow each other with
 * gaps of tens of microseconds (a split search, a join), and waking a sleeping thread takes about
 * as long again, on every one of some hundred passes a tree; OpenMP's threads (sklearn's) spin too.
 */
const SPIN_MS = 0.2;

/**
 * Waits until ctrl[slot] is no longer `value`: polls for SPIN_MS, then sleeps. Returns false when
 * `timeoutMs` passed first.
 */
export function waitForChange(ctrl: Int32Array, slot: number, value: number, timeoutMs: number): boolean {
  const spinUntil = performance.now() + SPIN_MS;
  for (let i = 0; Atomics.load(ctrl, slot) === value; i++) {
    if ((i & 63) === 63 && performance.now() > spinUntil) {
      return Atomics.wait(ctrl, slot, value, timeoutMs) !== 'timed-out' || Atomics.load(ctrl, slot) !== value;
    }
  }
  return true;
}

/** Control array slots; the task's arguments follow from Args. */
export const Ctrl = { Seq: 0, Done: 1, Task: 2, Quit: 3, Failed: 4, Ready: 5, Args: 6 } as const;

/** What a helper thread is started with. */
export interface HelperData {
  arrays: RowArrays;
  ctrl: Int32Array;
  part: number;
  parts: number;
}

interface Helper {
  worker: Worker;
  ctrl: Int32Array;
  seq: number;
  /** Why the thread stopped, once it has. */
  error?: Error;
  /** Settles once the helper is running or has failed to start. */
  started: Promise<void>;
}

function shared<T>(make: (buffer: SharedArrayBuffer) => T, bytes: number): T {
  return make(new SharedArrayBuffer(Math.max(bytes, 8)));
}

/** The training rows as the passes need them: `bins` (feature-major, n rows), targets and weights. */
export interface RowInputs {
  layout: HistogramLayout;
  bins: Uint8Array;
  y: Int32Array | Float32Array;
  w: Float32Array | undefined;
  loss: Loss;
  /** The most leaves a tree may have. */
  maxLeaves: number;
}

/** `threads` threads in all (this one and threads - 1 helpers); the inputs are copied into shared memory once. */
export function rowThreads(inputs: RowInputs, threads: number): RowWork {
  const { layout, loss } = inputs;
  const n = inputs.y.length;
  const K = loss.nOutputs;
  const parts = Math.max(1, threads);
  const copy = <A extends Uint8Array | Int32Array | Float32Array>(a: A): A => {
    const out = shared((b) => new (a.constructor as new (b: SharedArrayBuffer) => A)(b), a.byteLength);
    out.set(a);
    return out;
  };
  const histValues = layout.totalBins * HIST_STRIDE;
  const arrays: RowArrays = {
    n,
    bins: copy(inputs.bins),
    offset: copy(layout.offset),
    rows: shared((b) => new Uint32Array(b), n * 4),
    right: shared((b) => new Uint32Array(b), n * 4),
    y: copy(inputs.y),
    w: inputs.w ? copy(inputs.w) : undefined,
    raw: shared((b) => new Float64Array(b), K * n * 8),
    gh: shared((b) => new Float32Array(b), 2 * K * n * 4),
    terms: shared((b) => new Float64Array(b), n * 8),
    ogh: shared((b) => new Float32Array(b), 2 * n * 4),
    features: shared((b) => new Int32Array(b), (layout.offset.length - 1) * 4),
    goLeft: shared((b) => new Uint8Array(b), 256),
    lefts: shared((b) => new Int32Array(b), parts * 4),
    leafStart: shared((b) => new Int32Array(b), inputs.maxLeaves * 4),
    leafEnd: shared((b) => new Int32Array(b), inputs.maxLeaves * 4),
    leafValue: shared((b) => new Float64Array(b), inputs.maxLeaves * 8),
    // Leaf numbers fit: maxLeaves is at most TREE_CAPS.nodesPerTree / 2 = 65,536.
    leafOfRow: shared((b) => new Uint16Array(b), n * 2),
    hists: Array.from({ length: parts }, (_v, p) =>
      p === 0 ? new Float64Array(0) : shared((b) => new Float64Array(b), histValues * 8),
    ),
    lossSpec: loss.spec,
  };
  const state = rowState(arrays);
  const helpers = Array.from({ length: parts - 1 }, (_v, i) => startHelper(arrays, i + 1, parts));

  /**
   * Runs every part of a task: this thread's, then those of helpers not yet started; waits for the
   * others. With one part (`alone`) this thread runs the whole task.
   */
  const run = (task: Task, args: number[], hist: Float64Array, alone: boolean): void => {
    if (alone) {
      runPart(state, task, args, 0, 1, hist);
      return;
    }
    const dispatched: Helper[] = [];
    const local: number[] = [];
    helpers.forEach((h, i) => {
      if (h.error) throw new Error(`a training thread failed: ${h.error.message}`);
      if (Atomics.load(h.ctrl, Ctrl.Ready) !== 1) {
        local.push(i + 1);
        return;
      }
      h.ctrl[Ctrl.Task] = task;
      h.ctrl.set(args, Ctrl.Args);
      h.seq++;
      Atomics.store(h.ctrl, Ctrl.Seq, h.seq);
      Atomics.notify(h.ctrl, Ctrl.Seq);
      dispatched.push(h);
    });
    runPart(state, task, args, 0, parts, hist);
    for (const p of local) runPart(state, task, args, p, parts, arrays.hists[p]!);
    for (const h of dispatched) {
      for (;;) {
        const done = Atomics.load(h.ctrl, Ctrl.Done);
        if (done === h.seq) break;
        if (!waitForChange(h.ctrl, Ctrl.Done, done, HELPER_TIMEOUT_MS)) {
          throw new Error('a training thread stopped answering');
        }
      }
      if (h.ctrl[Ctrl.Failed] === 1) throw new Error('a training thread failed');
    }
  };
  const small = (rows: number): boolean => parts === 1 || rows < PARALLEL_MIN_ROWS;

  return {
    state,
    gradients() {
      run(Task.Gradients, [], state.hists[0]!, small(n));
      return meanOfTerms(state.terms, state.w);
    },
    build(hist, start, end, output, list) {
      const count = list.length;
      const alone = parts === 1 || (end - start) * count < PARALLEL_MIN_CELLS || count < parts;
      run(Task.Gather, [start, end, output], hist, alone);
      state.features.set(list);
      run(Task.Histograms, [start, end, count], hist, alone);
      if (alone) return;
      for (let p = 1; p < parts; p++) {
        const own = state.hists[p]!;
        for (let j = cut(0, count, p, parts); j < cut(0, count, p + 1, parts); j++) {
          const f = state.features[j]!;
          const a = state.offset[f]! * HIST_STRIDE;
          const b = state.offset[f + 1]! * HIST_STRIDE;
          hist.set(own.subarray(a, b), a);
        }
      }
    },
    partition(start, end, feature, goLeft) {
      state.goLeft.set(goLeft);
      const alone = small(end - start);
      run(Task.Partition, [start, end, feature], state.hists[0]!, alone);
      const used = alone ? 1 : parts;
      const cuts = Array.from({ length: used + 1 }, (_v, p) => cut(start, end, p, used));
      return joinParts(state.rows, state.right, cuts, state.lefts.subarray(0, used));
    },
    addLeaves(starts, ends, values, output) {
      state.leafStart.set(starts);
      state.leafEnd.set(ends);
      state.leafValue.set(values);
      run(Task.MarkLeaves, [starts.length], state.hists[0]!, small(n));
      run(Task.AddLeaves, [output], state.hists[0]!, small(n));
    },
    async close() {
      for (const h of helpers) {
        h.ctrl[Ctrl.Quit] = 1;
        Atomics.add(h.ctrl, Ctrl.Seq, 1);
        Atomics.notify(h.ctrl, Ctrl.Seq);
      }
      // A helper that could not start must not pass unnoticed because this thread ran its parts.
      await Promise.all(helpers.map((h) => h.started));
      await Promise.all(helpers.map((h) => h.worker.terminate()));
      const failed = helpers.find((h) => h.error);
      if (failed) throw new Error(`a training thread failed: ${failed.error!.message}`);
    },
  };
}

function startHelper(arrays: RowArrays, part: number, parts: number): Helper {
  const ctrl = shared((b) => new Int32Array(b), (Ctrl.Args + TASK_ARGS) * 4);
  const data: HelperData = { arrays, ctrl, part, parts };
  const worker = moduleWorker(import.meta.url, 'row-worker', 'GBDT row thread', data);
  const helper: Helper = { worker, ctrl, seq: 0, started: Promise.resolve() };
  helper.started = new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.on('error', (err) => {
      helper.error = err;
      resolve();
    });
    worker.once('exit', () => resolve());
  });
  return helper;
}
