// Runs the real `cairn` command as a child process, as scripts and CI do.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

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
