// The desktop app's process spawners, without an Electron binary: 'electron' is replaced by a
// utilityProcess look-alike. For endpoints it forks the real endpoint process from sources with
// Electron's parentPort shimmed in, so start, health, drain on SIGTERM, SIGKILL and the
// supervisor's restart all run through the utilityProcess code paths; for jobs a bare
// EventEmitter checks that messages wait for 'spawn'.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { Endpoint } from '../../../../shared/api.js';
import type { EndpointToHost } from '../../../../electron/core/serving/protocol.js';
import { EndpointSupervisor } from '../../../../electron/core/serving/supervisor.js';
import { utilityEndpointSpawner, utilitySpawner } from '../../../../electron/main/utility-spawner.js';
import { alive, tempDirFor } from '../core/helpers.js';

interface FakeChild extends EventEmitter {
  pid: number | undefined;
  posted: unknown[];
  postMessage(message: unknown): void;
  kill(): boolean;
}

const fake = vi.hoisted(() => ({
  /** 'real': fork the module for real; 'bare': an EventEmitter the test drives. */
  mode: 'real',
  forks: [] as { modulePath: string; serviceName: string; child: unknown }[],
  realFork: undefined as undefined | ((modulePath: string) => unknown),
  bareFork: undefined as undefined | (() => unknown),
}));

vi.mock('electron', () => ({
  utilityProcess: {
    fork: (modulePath: string, _args: string[], options: { serviceName: string }) => {
      const child = fake.mode === 'real' ? fake.realFork?.(modulePath) : fake.bareFork?.();
      fake.forks.push({ modulePath, serviceName: options.serviceName, child });
      return child;
    },
  },
}));

const here = import.meta.dirname;
const endpointEntry = path.resolve(here, '../../../../electron/core/serving/endpoint-process.ts');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const shim = pathToFileURL(path.join(here, 'parent-port-shim.ts')).href;

/** A utilityProcess look-alike over child_process.fork: 'spawn', 'message' and 'exit' (a code only). */
fake.realFork = (modulePath: string): FakeChild => {
  const ee = new EventEmitter() as FakeChild;
  ee.posted = [];
  const child = fork(modulePath, [], {
    execArgv: ['--import', tsx, '--import', shim],
    stdio: ['ignore', 2, 'inherit', 'ipc'],
    serialization: 'advanced',
    env: { ...process.env, CAIRN_BACKEND: 'cpu' },
  });
  child.on('spawn', () => {
    ee.pid = child.pid;
    ee.emit('spawn');
  });
  child.on('message', (m) => ee.emit('message', m));
  child.on('exit', (code, signal) => {
    ee.pid = undefined;
    ee.emit('exit', code ?? 128 + (signal ? os.constants.signals[signal] : 0));
  });
  ee.postMessage = (m) => {
    if (!child.connected) throw new Error('the process is gone');
    ee.posted.push(m);
    child.send(m as object);
  };
  ee.kill = () => child.kill('SIGTERM');
  return ee;
};

fake.bareFork = (): FakeChild => {
  const ee = new EventEmitter() as FakeChild;
  ee.posted = [];
  ee.pid = undefined;
  ee.postMessage = (m) => ee.posted.push(m);
  ee.kill = () => true;
  return ee;
};

const tmp = tempDirFor('file', 'cairn-utility-');

describe('utilitySpawner (jobs)', () => {
  it('holds messages until the process has started, and drops them once it has exited', () => {
    fake.mode = 'bare';
    try {
      const proc = utilitySpawner('/app/out/main/job-worker.js')();
      const { modulePath, serviceName, child } = fake.forks.at(-1) as {
        modulePath: string;
        serviceName: string;
        child: FakeChild;
      };
      expect([modulePath, serviceName]).toEqual(['/app/out/main/job-worker.js', 'Cairn job']);
      const exits: (number | null)[] = [];
      proc.onExit((code) => exits.push(code));
      proc.send({ type: 'start', kind: 'import', input: { path: 'a.csv' } as never });
      expect(child.posted).toEqual([]);
      child.emit('spawn');
      expect(child.posted).toEqual([{ type: 'start', kind: 'import', input: { path: 'a.csv' } }]);
      child.emit('exit', 3);
      proc.send({ type: 'start', kind: 'import', input: { path: 'b.csv' } as never });
      expect(child.posted).toHaveLength(1);
      expect(exits).toEqual([3]);
    } finally {
      fake.mode = 'real';
    }
  });
});

describe('utilityEndpointSpawner (endpoints)', () => {
  const start = (name: string) => ({
    type: 'start' as const,
    config: { host: '127.0.0.1', port: 0, logFile: path.join(tmp.dir, `${name}.db`), models: [] },
  });

  function listening(proc: ReturnType<ReturnType<typeof utilityEndpointSpawner>>) {
    return new Promise<Extract<EndpointToHost, { type: 'listening' }>>((resolve, reject) => {
      proc.onMessage((m) => (m.type === 'listening' ? resolve(m) : reject(new Error(JSON.stringify(m)))));
    });
  }
  function exited(proc: ReturnType<ReturnType<typeof utilityEndpointSpawner>>) {
    return new Promise<number | null>((resolve) => proc.onExit((code) => resolve(code)));
  }

  it('starts the endpoint process as a utility process: pid once spawned, health, SIGTERM drains and exits 0', async () => {
    const proc = utilityEndpointSpawner(endpointEntry)();
    expect(fake.forks.at(-1)?.serviceName).toBe('Cairn endpoint');
    const up = listening(proc);
    const done = exited(proc);
    proc.send(start('a'));
    const { url } = await up;
    const pid = proc.pid as number;
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    proc.terminate();
    expect(await done).toBe(0);
    expect(proc.pid).toBeUndefined();
    // Nothing is posted to a process that has gone.
    proc.send({ type: 'stop' });
    proc.terminate();
  });

  it('kill() ends it with SIGKILL', async () => {
    const proc = utilityEndpointSpawner(endpointEntry)();
    const up = listening(proc);
    const done = exited(proc);
    proc.send(start('b'));
    await up;
    proc.kill();
    expect(await done).toBe(128 + os.constants.signals.SIGKILL);
  });

  it('under the supervisor: restarted on the same port after a crash, drained on stop', async () => {
    const events: Endpoint[] = [];
    const supervisor = new EndpointSupervisor({
      spawn: utilityEndpointSpawner(endpointEntry),
      resolve: () => [],
      logFile: path.join(tmp.dir, 'supervised.db'),
      emit: (e) => events.push(e),
      backoffMs: 50,
    });
    try {
      const ep = await supervisor.start({ models: [] });
      expect(ep).toMatchObject({ status: 'running' });
      expect(ep.pid).toBeGreaterThan(0);
      const restarted = new Promise<Endpoint>((resolve) => {
        const poll = setInterval(() => {
          const e = events.find((x) => x.status === 'running' && x.restarts === 1);
          if (e) {
            clearInterval(poll);
            resolve(e);
          }
        }, 20);
      });
      process.kill(ep.pid as number, 'SIGKILL');
      const back = await restarted;
      expect(back.url).toBe(ep.url);
      expect(back.pid).not.toBe(ep.pid);
      expect((await fetch(`${back.url}/healthz`)).status).toBe(200);
      expect(await supervisor.stop(ep.id)).toBe(true);
      expect(alive(back.pid as number)).toBe(false);
    } finally {
      await supervisor.closeAll();
    }
  });
});
