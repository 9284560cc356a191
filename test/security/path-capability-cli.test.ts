// Paths are a capability of the host (issue 17, item 2), for the CLI: its shell user may name any
// file, but an output never replaces an existing file without --force and never creates a folder.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliWorkspace } from '../unit/electron/cli/run-cairn.js';
import { classificationCsv } from '../unit/electron/core/training/data.js';

const ws = cliWorkspace('cairn-sec-cli-', {
  'flowers.csv': classificationCsv(120),
  'new.csv': 'x1,x2,color\n1.5,1,red\n',
});
const { cairn } = ws;

beforeAll(() => {
  ws.must('train', ws.file('flowers.csv'), '--target', 'label', '--epochs', '2');
});

describe('cairn outputs', () => {
  it('models export: refuses an existing file without --force, replaces it with --force', () => {
    const out = ws.file('keep.zip');
    writeFileSync(out, 'mine');
    const refused = cairn('models', 'export', 'flowers', '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/keep\.zip already exists: pass --force to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = cairn('models', 'export', 'flowers', '--out', out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });

  it('models export: never creates a missing folder, and names it', () => {
    const folder = ws.file('no', 'such');
    const r = cairn('models', 'export', 'flowers', '--out', path.join(folder, 'm.zip'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the folder ${folder} does not exist`);
    expect(existsSync(ws.file('no'))).toBe(false);
  });

  it('predict --out: the same rules', () => {
    const out = ws.file('scores.csv');
    writeFileSync(out, 'mine');
    const refused = cairn('predict', 'flowers', ws.file('new.csv'), '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists: pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = cairn('predict', 'flowers', ws.file('new.csv'), '--out', out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^x1,x2,color,prediction/);
    const missing = cairn('predict', 'flowers', ws.file('new.csv'), '--out', ws.file('gone', 's.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`the folder ${ws.file('gone')} does not exist`);
    expect(existsSync(ws.file('gone'))).toBe(false);
  });

  it('pipelines new --out: the same rules', () => {
    const out = ws.file('pipe.json');
    writeFileSync(out, 'mine');
    const args = [
      'pipelines',
      'new',
      '--template',
      'tabular-classification',
      '--dataset',
      ws.file('flowers.csv'),
      '--target',
      'label',
      '--out',
    ];
    const refused = cairn(...args, out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists: pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = cairn(...args, out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ name: expect.any(String) as string });
    const missing = cairn(...args, ws.file('nowhere', 'p.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    expect(existsSync(ws.file('nowhere'))).toBe(false);
  });

  it('names a pipeline file that is not JSON and its line, never quoting it', () => {
    const file = ws.file('notes.json');
    writeFileSync(file, '{\n"a": 1,\nsecret-line-of-the-file\n}\n');
    const r = cairn('run', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.json, line 3 is not JSON/);
    expect(r.stderr).not.toContain('secret-line');
  });

  it('still reads any file its shell user names', () => {
    const r = cairn('predict', 'flowers', ws.file('new.csv'), '--json');
    expect(r.code, r.stderr).toBe(0);
  });
});
