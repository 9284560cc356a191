// `cairn serve` in the foreground, as a user runs it: it prints the URL, answers predictions,
// drains what is in flight and exits 0 on SIGTERM; off loopback it prints an API key and
// refuses requests without it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCairn, startCairn, type RunningCairn } from './run-cairn.js';
import { classificationCsv } from '../core/training/data.js';

let dir: string;
let home: string;
const started: RunningCairn[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-serve-'));
  home = path.join(dir, 'home');
  writeFileSync(path.join(dir, 'flowers.csv'), classificationCsv());
  const r = runCairn(home, ['train', path.join(dir, 'flowers.csv'), '--target', 'label', '--epochs', '3']);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(async () => {
  for (const c of started) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await c.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const instance = { x1: 1.2, x2: 0.5, color: 'red' };

function serve(args: string[], env: NodeJS.ProcessEnv = {}): RunningCairn {
  const c = startCairn(home, ['serve', ...args], env);
  started.push(c);
  return c;
}

async function predict(url: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${url}/v1/models/flowers/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ instances: [instance] }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** An address of this machine other than loopback, where it has one. */
function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

describe('cairn serve', () => {
  it('prints its URL, answers predictions, and on SIGTERM answers what is in flight and exits 0', async () => {
    // Each model call takes 300 ms, so requests are still in flight when SIGTERM arrives.
    const c = serve(['flowers'], { CAIRN_SERVE_TEST_DELAY_MS: '300' });
    const [, url] = (await c.waitFor(/^Serving at (http:\/\/127\.0\.0\.1:\d+)$/m)) as [string, string];
    await c.waitFor(/Press Ctrl\+C to stop\./);
    expect(c.stdout()).toMatch(/^ {2}flowers version 1 \(default\)/m);
    expect(c.stdout()).not.toMatch(/API key/);
    expect(await predict(url)).toBe(200);
    const inFlight = Promise.all(Array.from({ length: 5 }, () => predict(url)));
    await new Promise((r) => setTimeout(r, 100));
    c.child.kill('SIGTERM');
    expect(await inFlight).toEqual([200, 200, 200, 200, 200]);
    expect(await c.exited).toEqual({ code: 0, signal: null });
    expect(c.stderr()).toMatch(/Stopping: answering requests in flight/);
    // The endpoint process went with it.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('with --host 0.0.0.0 prints an API key and refuses requests without it', async () => {
    const c = serve(['flowers', '--host', '0.0.0.0']);
    const [, port] = (await c.waitFor(/^Serving at http:\/\/127\.0\.0\.1:(\d+)$/m)) as [string, string];
    const [, key] = (await c.waitFor(/^API key \(send as Authorization: Bearer <key>\): (\S+)$/m)) as [string, string];
    expect(key).toMatch(/^[\w-]{32}$/);
    // Reached from this machine's network address where it has one, else through loopback.
    const url = `http://${externalAddress() ?? '127.0.0.1'}:${port}`;
    expect(await predict(url)).toBe(401);
    expect(await predict(url, { authorization: 'Bearer wrong-key-wrong-key-wrong-key-xx' })).toBe(401);
    expect(await predict(url, { authorization: `Bearer ${key}` })).toBe(200);
    c.child.kill('SIGTERM');
    expect((await c.exited).code).toBe(0);
  });
});
