// Histogram building on several cores, feature-parallel: the node's gradients are gathered once,
// then each helper thread sums its block of features while this thread sums the first block. Bins,
// rows and gathered gradients live in SharedArrayBuffers so nothing is copied per node; a helper
// writes its features into its own shared scratch histogram and this thread copies those bins
// into the node's histogram (a few thousand values, against millions of additions).
//
// Threads meet through Atomics on a small shared control array rather than messages: a node's
// histogram takes milliseconds, a message round trip would cost a good share of that, and the
// build must finish synchronously inside the tree grower. The helper runs accumulateHistograms
// itself, from its source text, so the kernel is defined once and the helper needs no module of
// its own in the app bundle.
import { Worker } from 'node:worker_threads';
import { accumulateHistograms, gatherGradients, HIST_STRIDE, type HistogramLayout } from './histogram.js';

/** Builds the histograms of a node: the one thing the grower asks of the data. */
export interface HistogramBuilder {
  /** Row indices the grower partitions (shared with helper threads when there are any). */
  readonly rows: Uint32Array;
  build(
    hist: Float64Array,
    start: number,
    end: number,
    grad: Float32Array,
    hess: Float32Array,
    features: Int32Array,
  ): void;
  close(): Promise<void>;
}

/** Bins × rows below which a node is summed on this thread alone: waking a helper costs more. */
const PARALLEL_MIN_CELLS = 200_000;
/** A helper that has not answered in this long has failed; training stops rather than hang. */
const HELPER_TIMEOUT_MS = 120_000;

// Control array slots.
const SEQ = 0;
const DONE = 1;
const START = 2;
const END = 3;
const FROM = 4;
const TO = 5;
const QUIT = 6;
const FAILED = 7;

function sharedArray<T>(make: (buffer: SharedArrayBuffer) => T, bytes: number): T {
  return make(new SharedArrayBuffer(Math.max(bytes, 8)));
}

/** One thread: gather and sum. */
export function serialHistograms(layout: HistogramLayout, bins: Uint8Array, n: number): HistogramBuilder {
  const rows = new Uint32Array(n);
  const og = new Float32Array(n);
  const oh = new Float32Array(n);
  return {
    rows,
    build(hist, start, end, grad, hess, features) {
      gatherGradients(rows, start, end, grad, hess, og, oh);
      accumulateHistograms(hist, layout.offset, bins, n, rows, start, end, og, oh, features, 0, features.length);
    },
    close: () => Promise.resolve(),
  };
}

interface Helper {
  worker: Worker;
  ctrl: Int32Array;
  hist: Float64Array;
}

const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const accumulate = (${accumulateHistograms.toString()});
const { ctrl, hist, offset, bins, n, rows, og, oh, features } = workerData;
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, ${SEQ}, seen);
  seen = Atomics.load(ctrl, ${SEQ});
  if (ctrl[${QUIT}] === 1) break;
  try {
    accumulate(hist, offset, bins, n, rows, ctrl[${START}], ctrl[${END}], og, oh, features, ctrl[${FROM}], ctrl[${TO}]);
  } catch (e) {
    ctrl[${FAILED}] = 1;
  }
  Atomics.store(ctrl, ${DONE}, seen);
  Atomics.notify(ctrl, ${DONE});
}
`;

/**
 * `threads` threads in all (this one and threads - 1 helpers) over the feature-major `bins` of n
 * rows, which are copied into shared memory once.
 */
export function parallelHistograms(
  layout: HistogramLayout,
  binsIn: Uint8Array,
  n: number,
  threads: number,
): HistogramBuilder {
  const bins = sharedArray((b) => new Uint8Array(b), binsIn.length);
  bins.set(binsIn);
  const rows = sharedArray((b) => new Uint32Array(b), n * 4);
  const og = sharedArray((b) => new Float32Array(b), n * 4);
  const oh = sharedArray((b) => new Float32Array(b), n * 4);
  const nFeatures = layout.offset.length - 1;
  const features = sharedArray((b) => new Int32Array(b), nFeatures * 4);
  const offset = sharedArray((b) => new Int32Array(b), layout.offset.length * 4);
  offset.set(layout.offset);
  const helpers: Helper[] = Array.from({ length: threads - 1 }, () => {
    const ctrl = sharedArray((b) => new Int32Array(b), 8 * 4);
    const hist = sharedArray((b) => new Float64Array(b), layout.totalBins * HIST_STRIDE * 8);
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { ctrl, hist, offset, bins, n, rows, og, oh, features },
    });
    // The helper never messages; an error here also shows as FAILED or a timeout in build().
    worker.on('error', () => undefined);
    return { worker, ctrl, hist };
  });
  let seq = 0;
  return {
    rows,
    build(hist, start, end, grad, hess, list) {
      gatherGradients(rows, start, end, grad, hess, og, oh);
      const count = list.length;
      if ((end - start) * count < PARALLEL_MIN_CELLS || count < threads) {
        accumulateHistograms(hist, offset, bins, n, rows, start, end, og, oh, list, 0, count);
        return;
      }
      features.set(list);
      const cuts = featureBlocks(count, threads);
      seq++;
      helpers.forEach((h, i) => {
        h.ctrl[START] = start;
        h.ctrl[END] = end;
        h.ctrl[FROM] = cuts[i + 1]!;
        h.ctrl[TO] = cuts[i + 2]!;
        Atomics.store(h.ctrl, SEQ, seq);
        Atomics.notify(h.ctrl, SEQ);
      });
      accumulateHistograms(hist, offset, bins, n, rows, start, end, og, oh, features, 0, cuts[1]!);
      helpers.forEach((h, i) => {
        for (;;) {
          const done = Atomics.load(h.ctrl, DONE);
          if (done === seq) break;
          if (Atomics.wait(h.ctrl, DONE, done, HELPER_TIMEOUT_MS) === 'timed-out') {
            throw new Error('a histogram thread stopped answering');
          }
        }
        if (h.ctrl[FAILED] === 1) throw new Error('a histogram thread failed');
        for (let j = cuts[i + 1]!; j < cuts[i + 2]!; j++) {
          const f = features[j]!;
          const a = offset[f]! * HIST_STRIDE;
          const b = offset[f + 1]! * HIST_STRIDE;
          hist.set(h.hist.subarray(a, b), a);
        }
      });
    },
    async close() {
      for (const h of helpers) {
        h.ctrl[QUIT] = 1;
        Atomics.add(h.ctrl, SEQ, 1);
        Atomics.notify(h.ctrl, SEQ);
      }
      await Promise.all(helpers.map((h) => h.worker.terminate()));
    },
  };
}

/** threads + 1 cut points into features[0, count): equal numbers of features, each costing a pass over the rows. */
function featureBlocks(count: number, threads: number): number[] {
  return Array.from({ length: threads + 1 }, (_v, i) => Math.round((count * i) / threads));
}
