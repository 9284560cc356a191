// A job process started ahead of its job (prepare) is the one the next job of its kind runs in,
// and is ended when nothing comes; one that died while waiting is not handed a job.
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../../../../electron/core/jobs/job-runner.js';
import type { HostToJob, JobInputs, JobProcess, JobToHost } from '../../../../../electron/core/jobs/protocol.js';

interface FakeProcess extends JobProcess {
  sent: HostToJob[];
  killed: boolean;
  exit(code: number): void;
  reply(message: JobToHost): void;
}

function fakeSpawner(): { spawn: () => FakeProcess; spawned: FakeProcess[] } {
  const spawned: FakeProcess[] = [];
  const spawn = () => {
    const exits: ((code: number | null) => void)[] = [];
    const listeners: ((m: JobToHost) => void)[] = [];
    const child: FakeProcess = {
      sent: [],
      killed: false,
      send: (m) => child.sent.push(m),
      onMessage: (l) => listeners.push(l),
      onExit: (l) => exits.push(l),
      kill: () => {
        child.killed = true;
      },
      exit: (code) => exits.forEach((l) => l(code)),
      reply: (m) => listeners.forEach((l) => l(m)),
    };
    spawned.push(child);
    return child;
  };
  return { spawn, spawned };
}

const explainInput = {} as JobInputs['explain'];

describe('JobRunner.prepare', () => {
  it('runs the next job of its kind in the prepared process', async () => {
    const { spawn, spawned } = fakeSpawner();
    const jobs = new JobRunner(spawn);
    jobs.prepare('explain');
    expect(spawned).toHaveLength(1);
    expect(spawned[0]!.sent).toEqual([{ type: 'prepare', kind: 'explain' }]);
    const handle = jobs.start('explain', explainInput, () => undefined);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]!.sent.at(-1)).toMatchObject({ type: 'start', kind: 'explain' });
    spawned[0]!.reply({ type: 'done', output: { method: 'linear' } as never });
    await expect(handle.done).resolves.toEqual({ method: 'linear' });
    // Handed over once: the next job gets a process of its own.
    jobs.start('explain', explainInput, () => undefined);
    expect(spawned).toHaveLength(2);
    jobs.cancelAll();
  });

  it('does not hand a job to a prepared process that has died, and ends one no job came for', () => {
    const { spawn, spawned } = fakeSpawner();
    const jobs = new JobRunner(spawn);
    jobs.prepare('explain');
    spawned[0]!.exit(1);
    jobs.start('explain', explainInput, () => undefined);
    expect(spawned).toHaveLength(2);
    expect(spawned[1]!.sent).toEqual([expect.objectContaining({ type: 'start', kind: 'explain' })]);
    jobs.prepare('train');
    jobs.prepare('train');
    expect(spawned).toHaveLength(3);
    jobs.cancelAll();
    expect(spawned[2]!.killed).toBe(true);
  });
});
