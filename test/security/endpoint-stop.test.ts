// Stopping an endpoint ends its process within the drain timeout, whatever it is doing: sent
// SIGTERM while a request it cannot finish is in flight, it exits when the drain timeout passes;
// with its event loop blocked (no handler or timer of its own can run), the host kills it a
// margin later; and `cairn serve` signalled while its endpoint still starts stops that endpoint
// before it exits. Either way the pid is gone, and nothing of the process is left holding memory.
import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEndpointSpawner } from '../../electron/core/serving/fork-spawner.js';
import type { EndpointProcess, EndpointToHost, ServedModel } from '../../electron/core/serving/protocol.js';
import { EndpointSupervisor } from '../../electron/core/serving/supervisor.js';
import { startCairn } from '../unit/electron/cli/run-cairn.js';
import { alive, tempDirFor } from '../unit/electron/core/helpers.js';
import { flower, trainServedModel } from '../unit/electron/core/serving/fixtures.js';

process.env.CAIRN_BACKEND = 'cpu';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BLOCKED = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'blocked-endpoint-process.ts');

const tmp = tempDirFor('file', 'cairn-endpoint-stop-');
let flowers: ServedModel;
const pids: number[] = [];

beforeAll(async () => {
  flowers = await trainServedModel(tmp.dir, 'flowers', { epochs: 2, hiddenLayers: [{ units: 4 }] });
}, 120_000);

afterAll(async () => {
  // A test that failed may leave its process: it must not outlive the run.
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

function exited(proc: EndpointProcess): Promise<number | null> {
  return new Promise((resolve) => proc.onExit((code) => resolve(code)));
}

/** A gauge from the endpoint's /metrics. */
async function gauge(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

describe('stopping an endpoint process', () => {
  it('on SIGTERM, exits within its drain timeout though a request in flight would take 10 minutes', async () => {
    // Every model call waits 10 minutes, and so may a request: only the drain timeout ends the wait.
    const proc = forkEndpointSpawner({ ...process.env, CAIRN_SERVE_TEST_DELAY_MS: '600000' })();
    pids.push(proc.pid as number);
    const exit = exited(proc);
    const drainMs = 500;
    const url = await new Promise<string>((resolve, reject) => {
      proc.onMessage((m: EndpointToHost) =>
        m.type === 'listening' ? resolve(m.url) : reject(new Error(JSON.stringify(m))),
      );
      proc.send({
        type: 'start',
        config: {
          host: '127.0.0.1',
          port: 0,
          logFile: path.join(tmp.dir, 'a.db'),
          models: [flowers],
          limits: { requestDeadlineMs: 600_000 },
          drainMs,
        },
      });
    });
    const request = fetch(`${url}/v1/models/flowers/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [flower] }),
    }).then(
      (r) => r.status,
      () => 'closed' as const,
    );
    // Waits for the request to be in its model call (bounded: the endpoint answers /metrics meanwhile).
    for (let i = 0; i < 500 && (await gauge(url, 'cairn_in_flight')) !== 1; i++);
    expect(await gauge(url, 'cairn_in_flight')).toBe(1);
    const started = Date.now();
    proc.terminate();
    await exit;
    expect(Date.now() - started).toBeLessThan(drainMs + 4_000);
    expect(alive(proc.pid as number)).toBe(false);
    expect(await request).toBe('closed');
  }, 30_000);

  it('whose event loop is blocked: the supervisor kills it a margin after the drain timeout', async () => {
    let pid: number | undefined;
    const spawn = (): EndpointProcess => {
      const child = fork(BLOCKED, [], {
        execArgv: ['--import', TSX],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      pid = child.pid;
      pids.push(child.pid as number);
      return {
        pid: child.pid,
        send: (message) => {
          if (child.connected) child.send(message);
        },
        onMessage: (listener) => child.on('message', (m) => listener(m as EndpointToHost)),
        onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
        terminate: () => child.kill('SIGTERM'),
        kill: () => child.kill('SIGKILL'),
      };
    };
    const drainMs = 300;
    const supervisor = new EndpointSupervisor({
      spawn,
      resolve: () => [flowers],
      logFile: path.join(tmp.dir, 'b.db'),
      emit: () => undefined,
      drainMs,
    });
    const ep = await supervisor.start({ models: ['flowers'] });
    expect(alive(pid as number)).toBe(true);
    const started = Date.now();
    // SIGTERM too: the process cannot run its handler.
    process.kill(pid as number, 'SIGTERM');
    expect(await supervisor.stop(ep.id)).toBe(true);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(drainMs);
    expect(took).toBeLessThan(drainMs + 2_000 + 3_000);
    expect(alive(pid as number)).toBe(false);
  }, 30_000);

  it('`cairn serve` sent SIGTERM while its endpoint still starts exits only once the endpoint process is gone', async () => {
    const cli = startCairn(path.join(tmp.dir, 'home'), ['serve', 'flowers']);
    pids.push(cli.child.pid as number);
    // The endpoint process, as soon as the CLI has forked it (it then takes seconds to listen).
    let endpointPid: number | undefined;
    for (let i = 0; i < 3_000 && endpointPid === undefined && cli.child.exitCode === null; i++) {
      endpointPid = await endpointChild(cli.child.pid as number);
      if (endpointPid === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    expect(endpointPid).toBeDefined();
    pids.push(endpointPid as number);
    expect(cli.stdout()).not.toMatch(/Serving at/);
    cli.child.kill('SIGTERM');
    await cli.exited;
    expect(alive(endpointPid as number)).toBe(false);
  }, 30_000);
});

/** The endpoint process among `pid`'s children, if it has been forked yet. */
async function endpointChild(pid: number): Promise<number | undefined> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  for (const child of children.split(' ').filter(Boolean).map(Number)) {
    const cmdline = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('endpoint-process')) return child;
  }
  return undefined;
}
