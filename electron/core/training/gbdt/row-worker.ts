// A helper thread of row-threads.ts: waits on its control array for a task, runs its part on the
// shared arrays it was started with, and reports it done. Started by moduleWorker (a module of its
// own, so it runs exactly the code the training thread runs, from sources and from the bundle).
import { parentPort, workerData } from 'node:worker_threads';
import { Ctrl, waitForChange, type HelperData } from './row-threads.js';
import { rowState, runPart, type Task } from './row-tasks.js';

const { arrays, ctrl, part, parts } = workerData as HelperData;
const state = rowState(arrays);
const hist = arrays.hists[part]!;
const args = new Int32Array(ctrl.buffer, Ctrl.Args * 4);
Atomics.store(ctrl, Ctrl.Ready, 1);
// The one message: that it runs, for a training that ends before it asks this helper for anything.
parentPort?.postMessage('ready');
let seen = 0;
for (;;) {
  waitForChange(ctrl, Ctrl.Seq, seen, Infinity);
  seen = Atomics.load(ctrl, Ctrl.Seq);
  if (ctrl[Ctrl.Quit] === 1) break;
  try {
    runPart(state, ctrl[Ctrl.Task] as Task, args, part, parts, hist);
  } catch {
    ctrl[Ctrl.Failed] = 1;
  }
  Atomics.store(ctrl, Ctrl.Done, seen);
  Atomics.notify(ctrl, Ctrl.Done);
}
