// `cairn --help` and every `cairn <command> --help` must start at once (issue 16: under 0.15 s):
// the command tree is built from plain constants, and the contract's schemas (zod), the databases,
// tfjs, sharp and the web server are loaded only by a command that runs. Checked by what loads, not
// by timing. The built CLI is held to the same in test/e2e/built-cli.test.ts.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEAVY_PACKAGES, tracePackages } from '../../../support/loaded-packages.js';

const root = path.resolve(import.meta.dirname, '../../../..');
const mainUrl = pathToFileURL(path.join(root, 'electron/cli/main.ts')).href;

// Every command's help in one process: the command tree, walked, then each path with --help.
const HELP_OF_EVERY_COMMAND = `
import { buildProgram, main } from ${JSON.stringify(mainUrl)};
const paths = [[]];
const walk = (command, prefix) => {
  for (const sub of command.commands) {
    paths.push([...prefix, sub.name()]);
    walk(sub, [...prefix, sub.name()]);
  }
};
walk(buildProgram(), []);
for (const p of paths) if ((await main([...p, '--help'])) !== 0) process.exitCode = 1;
console.error('help printed for', paths.length, 'commands');
`;

describe('cairn help', () => {
  it('loads none of the heavy packages, for the program or any command', () => {
    const r = tracePackages(['--import', 'tsx', '--input-type=module', '-e', HELP_OF_EVERY_COMMAND], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    // The trace saw the CLI's own package, so an empty result below is not a trace that saw nothing.
    expect(r.packages).toContain('commander');
    expect(Number(/help printed for (\d+) commands/.exec(r.stderr)?.[1])).toBeGreaterThan(30);
    expect(r.packages.filter((p) => (HEAVY_PACKAGES as readonly string[]).includes(p))).toEqual([]);
  });
});
