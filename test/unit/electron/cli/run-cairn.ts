// Runs the real `cairn` command as a child process, as scripts and CI do.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../../../bin/cairn.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `cairn --home <home> <args>`, with CAIRN_HOME cleared and training on the plain CPU backend. */
export function runCairn(home: string, args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CAIRN_HOME: '', CAIRN_BACKEND: 'cpu' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `cairn --home <home> <args> --json`, parsed; throws with its stderr when it does not exit 0. */
export function runCairnJson<T>(home: string, args: string[]): T {
  const r = runCairn(home, [...args, '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** A CLI test file's temp folder, its data folder, and `cairn` run against that data folder. */
export interface CliWorkspace {
  readonly dir: string;
  /** `<dir>/home`, the --home every command here gets. */
  readonly home: string;
  /** A path under `dir`: a file the workspace was given, or one a command is to write. */
  file: (...parts: string[]) => string;
  cairn: (...args: string[]) => CliResult;
  json: <T>(...args: string[]) => T;
  /** Runs a command the tests build on (the setup's `cairn train`), throwing with its stderr if it fails. */
  must: (...args: string[]) => CliResult;
}

/**
 * Registers the hooks that make a temp folder before the file's tests, with `files` (name → text)
 * written into it, and remove it after them. Call it before the file's own hooks: they run after
 * this beforeAll and before this afterAll, so they may train into `home` and stop what runs there.
 */
export function cliWorkspace(prefix: string, files: Record<string, string> = {}): CliWorkspace {
  let made: string | undefined;
  beforeAll(() => {
    made = mkdtempSync(path.join(os.tmpdir(), prefix));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(made, name), text);
  });
  afterAll(() => {
    if (made) rmSync(made, { recursive: true, force: true });
  });
  const ws: CliWorkspace = {
    get dir() {
      if (!made) throw new Error('the workspace exists only while the tests run');
      return made;
    },
    get home() {
      return path.join(ws.dir, 'home');
    },
    file: (...parts) => path.join(ws.dir, ...parts),
    cairn: (...args) => runCairn(ws.home, args),
    json: <T>(...args: string[]) => runCairnJson<T>(ws.home, args),
    must: (...args) => {
      const r = runCairn(ws.home, args);
      if (r.code !== 0) throw new Error(r.stderr);
      return r;
    },
  };
  return ws;
}

/** A `cairn` command left running (cairn serve, cairn ui): its output so far, and its end. */
export interface RunningCairn {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match in stdout (or stderr), waiting for it; rejects if the command ends first. */
  waitFor(pattern: RegExp, timeoutMs?: number, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `cairn --home <home> <args>` without waiting for it, as runCairn's environment. */
export function startCairn(home: string, args: string[], env: NodeJS.ProcessEnv = {}): RunningCairn {
  const child = spawn(process.execPath, [BIN, '--home', home, ...args], {
    env: { ...process.env, CAIRN_HOME: '', CAIRN_BACKEND: 'cpu', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern, timeoutMs = 60_000, stream = 'stdout') =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const m = (stream === 'stdout' ? out : err).match(pattern);
          if (m) {
            clearInterval(poll);
            resolve(m);
          } else if (ended || Date.now() - started > timeoutMs) {
            clearInterval(poll);
            reject(
              new Error(
                `cairn ${args.join(' ')}: no ${String(pattern)} in its output${ended ? ' before it ended' : ''}\n${out}\n${err}`,
              ),
            );
          }
        }, 20);
      }),
  };
}
