// The host's run queue with several runs training at once (a sweep widens it): runs start in FIFO
// order up to the width, each shows its own curves while it trains, cancelling one starts the next,
// a closing host records every active and waiting run as interrupted, and without a widening the
// queue trains one run at a time as ever. Job processes are fakes the test ends (fake-jobs.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MethodInput, Run } from '../../../../../shared/api.js';
import type { RunQueue } from '../../../../../electron/core/jobs/run-queue.js';
import { tempDirFor } from '../helpers.js';
import { serviceWithFakeJobs } from './fake-jobs.js';

const tmp = tempDirFor('file', 'cairn-run-queue-');
const env = serviceWithFakeJobs(() => path.join(tmp.dir, 'home'));
/** The queue itself: widen() is what a sweep calls, and no method of the contract reaches it. */
const queue = () => (env.service as unknown as { runQueue: RunQueue }).runQueue;

const REQ: MethodInput<'runs.start'> = { dataset: 'iris', target: 'species', model: 'mlp' };

function start(): { runId: string; ended: Promise<Run> } {
  const q = queue().enqueue(REQ as Parameters<RunQueue['enqueue']>[0]);
  // Awaited by each test that ends the run; caught so a run the test leaves to the close is no unhandled rejection.
  q.ended.catch(() => undefined);
  return q;
}

const status = async (runId: string) => (await env.service.invoke('runs.get', { runId })).status;

describe('the run queue', () => {
  it('trains one run at a time when nothing widened it', async () => {
    const [a, b] = [start(), start()];
    await env.fake.until(() => env.fake.train.length === 1);
    expect(await status(b.runId)).toBe('queued');
    await env.fake.train[0]!.succeed(0.9);
    expect((await a.ended).status).toBe('succeeded');
    await env.fake.until(() => env.fake.train.length === 2);
    await env.fake.train[1]!.succeed(0.8);
    expect((await b.ended).status).toBe('succeeded');
    expect(env.fake.maxAlive).toBe(1);
  });

  it('trains as many runs as it was widened to, each with its own curves, and a cancel starts the next', async () => {
    const release = queue().widen(1);
    expect(queue().width).toBe(2);
    const [a, b, c] = [start(), start(), start()];
    await env.fake.until(() => env.fake.alive.length === 2);
    expect([await status(a.runId), await status(b.runId), await status(c.runId)]).toEqual([
      'running',
      'running',
      'queued',
    ]);
    const [jobA, jobB] = env.fake.train as [(typeof env.fake.train)[0], (typeof env.fake.train)[0]];
    const progressed = new Promise<void>((resolve) => {
      let seen = 0;
      const off = env.service.events.subscribe((event) => {
        if (event === 'run.progress' && ++seen === 3) {
          off();
          resolve();
        }
      });
    });
    jobA.epoch(1, 0.9);
    jobA.epoch(2, 0.7);
    jobB.epoch(1, 0.5);
    await progressed;
    const curve = async (runId: string) =>
      (await env.service.invoke('runs.get', { runId })).history.map((h) => h.logs.val_loss);
    expect(await curve(a.runId)).toEqual([0.9, 0.7]);
    expect(await curve(b.runId)).toEqual([0.5]);

    // Cancelling one of the two frees its place for the third; the other trains on.
    expect(await env.service.invoke('runs.cancel', { runId: a.runId })).toEqual({ cancelled: true });
    await expect(a.ended).rejects.toThrow(/cancelled/);
    expect(jobA.killed).toBe(true);
    await env.fake.until(() => env.fake.train.length === 3);
    expect(jobB.alive).toBe(true);
    expect([await status(a.runId), await status(b.runId), await status(c.runId)]).toEqual([
      'cancelled',
      'running',
      'running',
    ]);

    // Released, the queue goes back to one at a time once the runs under way end.
    release();
    const d = start();
    await jobB.succeed(0.9);
    await env.fake.train[2]!.succeed(0.8);
    await env.fake.until(() => env.fake.train.length === 4);
    await env.fake.train[3]!.succeed(0.7);
    expect((await d.ended).status).toBe('succeeded');
    expect(env.fake.maxAlive).toBe(2);
  });

  it('records every active and waiting run as interrupted when the host closes', async () => {
    queue().widen(1);
    const runs = [start(), start(), start()];
    await env.fake.until(() => env.fake.alive.length === 2);
    await env.service.close();
    expect(env.fake.train.map((j) => j.killed)).toEqual([true, true]);
    await env.open();
    for (const r of runs) expect(await status(r.runId)).toBe('interrupted');
  });
});
