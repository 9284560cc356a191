// The request log's writer thread: SQLite inserts (with their rollups), feedback, WAL checkpoints
// (with their fsync) and pruning happen here, so none of them pauses the endpoint's event loop.
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { FeedbackResult } from '../../../shared/api.js';
import { RequestLogDb, type Retention } from '../db/request-log-db.js';
import { recordFeedback, type FeedbackInput } from '../monitoring/feedback.js';
import { rowsOf, type LogColumns } from './request-log-columns.js';

const PRUNE_EVERY_MS = 30_000;

export type ToLogWorker =
  | { type: 'rows'; rows: LogColumns }
  /** Labels for logged predictions; answered with a 'feedback' message of the same seq. */
  | { type: 'feedback'; seq: number; model: string; items: FeedbackInput[] }
  | { type: 'close' };
export type FromLogWorker =
  | { type: 'error'; message: string; dropped: number }
  /** A 'rows' message handled (written, or dropped with an 'error' first): the sender counts what is in flight. */
  | { type: 'written'; rows: number }
  | { type: 'feedback'; seq: number; result: FeedbackResult }
  | { type: 'feedback'; seq: number; error: string }
  | { type: 'closed' };

/**
 * Writing the log can wait; answering requests cannot. On Linux a thread has its own nice value
 * (setpriority on its thread id), so this thread steps back 5 from the process's: when the
 * endpoint's thread and this one both want a core, the scheduler gives the endpoint's about three
 * quarters of it (weights 1024 to 335), so writing a batch delays requests in flight far less.
 * Elsewhere the call would renice the whole process, so it is not made.
 */
function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    // "<pid>/task/<tid>"; a /proc from another pid namespace would name other ids: left alone then.
    const ids = /^(\d+)\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
    if (!ids || Number(ids[1]) !== process.pid || ids[2] === ids[1]) return;
    const tid = Number(ids[2]);
    os.setPriority(tid, Math.min(19, os.getPriority(tid) + 5));
  } catch {
    // No /proc, or not allowed: the writer keeps the process's priority.
  }
}

lowerThisThreadsPriority();
const { file, retention } = workerData as { file: string; retention: Retention };
const port = parentPort;
if (!port) throw new Error('request-log-worker must run as a worker thread');
const db = new RequestLogDb(file);
let lastPrune = 0;

port.on('message', (m: ToLogWorker) => {
  if (m.type === 'rows') {
    try {
      db.append(rowsOf(m.rows));
    } catch (err) {
      port.postMessage({
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
        dropped: m.rows.at.length,
      } satisfies FromLogWorker);
    }
    port.postMessage({ type: 'written', rows: m.rows.at.length } satisfies FromLogWorker);
    const now = Date.now();
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      try {
        db.prune(retention, now);
      } catch (err) {
        port.postMessage({
          type: 'error',
          message: err instanceof Error ? err.message : String(err),
          dropped: 0,
        } satisfies FromLogWorker);
      }
    }
  } else if (m.type === 'feedback') {
    try {
      const result = recordFeedback(db, m.model, m.items, { source: 'json' });
      port.postMessage({ type: 'feedback', seq: m.seq, result } satisfies FromLogWorker);
    } catch (err) {
      port.postMessage({
        type: 'feedback',
        seq: m.seq,
        error: err instanceof Error ? err.message : String(err),
      } satisfies FromLogWorker);
    }
  } else {
    db.close();
    port.postMessage({ type: 'closed' } satisfies FromLogWorker);
    port.close();
  }
});
