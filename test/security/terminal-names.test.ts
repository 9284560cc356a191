// Issue 17, item 7: a name holding terminal escape sequences (a dataset named so, a model from a
// third-party bundle) is printed escaped by every human-readable CLI output; --json stays exact.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeControls } from '../../electron/cli/output.js';
import { runCairn } from '../unit/electron/cli/run-cairn.js';
import { classificationCsv } from '../unit/electron/core/training/data.js';

// Sets the terminal title ("pwned"), then a DEL, a C1 CSI and a right-to-left override.
const EVIL = 'a\x1b]0;pwned\x07b\x7fc\u009bd\u202ee';
const SHOWN = 'a\\e]0;pwned\\ab\\x7fc\\x9bd\\u202ee';
// Bytes a terminal acts on: C0 controls, DEL, C1 controls, bidi overrides.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let home: string;
const cairn = (...args: string[]) => runCairn(home, args);

/** A command's human output: exit 0, the escaped name shown, no control byte on either stream. */
function expectEscaped(args: string[]): string {
  const r = cairn(...args);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(SHOWN);
  expect(r.stdout).not.toMatch(CONTROL);
  expect(r.stderr).not.toMatch(CONTROL);
  return r.stdout;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-sec-names-'));
  home = path.join(dir, 'home');
  writeFileSync(path.join(dir, 'flowers.csv'), classificationCsv(60));
  expect(cairn('import', path.join(dir, 'flowers.csv'), '--name', EVIL).code).toBe(0);
  const trained = cairn('train', EVIL, '--target', 'label', '--model', 'logistic', '--epochs', '1', '--json');
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('escapeControls', () => {
  it('shows control characters as ls and git do, and leaves other text alone', () => {
    expect(escapeControls(EVIL)).toBe(SHOWN);
    expect(escapeControls('tab\there\r\n\u0000')).toBe('tab\\there\\r\\n\\x00');
    expect(escapeControls('line\nbreak', true)).toBe('line\nbreak');
    expect(escapeControls('naïve 数据 — ok')).toBe('naïve 数据 — ok');
  });
});

describe('names that reach a terminal', () => {
  it('datasets list and show print the name escaped', () => {
    expectEscaped(['datasets', 'list']);
    expectEscaped(['datasets', 'show', EVIL]);
  });

  it('models list, show and card print the name escaped', () => {
    const name = (JSON.parse(cairn('models', 'list', '--json').stdout) as { name: string }[])[0]!.name;
    expect(name).toBe(EVIL);
    expectEscaped(['models', 'list']);
    expectEscaped(['models', 'show', EVIL]);
    expectEscaped(['models', 'card', EVIL]);
  });

  it('runs list prints the names escaped', () => {
    expectEscaped(['runs', 'list']);
  });

  it('errors naming it are escaped on stderr', () => {
    for (const args of [
      ['train', EVIL, '--target', `no${EVIL}`],
      ['datasets', 'show', `no${EVIL}`],
    ]) {
      const r = cairn(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('pwned');
      expect(r.stderr).not.toMatch(CONTROL);
    }
  });

  it('--json keeps the exact name', () => {
    const list = JSON.parse(cairn('datasets', 'list', '--json').stdout) as { name: string }[];
    expect(list.map((d) => d.name)).toContain(EVIL);
  });
});
