// `cairn models ...` as scripts run it: list and show, aliases with reasons and rollback,
// `predict name@alias`, guarded and confirmed deletes, export and import of bundles.
import { existsSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelDetail, ModelSummary } from '../../../../shared/api.js';
import { cliWorkspace } from './run-cairn.js';
import { classificationCsv } from '../core/training/data.js';

const ws = cliWorkspace('cairn-cli-models-', {
  'flowers.csv': classificationCsv(),
  'new.csv': 'x1,x2,color\n1.5,1,red\n',
});

const { cairn, json } = ws;

beforeAll(() => {
  for (const seed of ['1', '2']) {
    ws.must('train', ws.file('flowers.csv'), '--target', 'label', '--epochs', '3', '--seed', seed);
  }
});

describe('cairn models', () => {
  it('lists models and shows one', () => {
    expect(json<ModelSummary[]>('models', 'list')).toMatchObject([
      { name: 'flowers', versionCount: 2, latestVersion: 2, task: 'classification' },
    ]);
    const text = cairn('models', 'list').stdout;
    expect(text).toMatch(/^name\s+versions\s+latest\s+aliases\s+task\s+updated/);
    const d = json<ModelDetail>('models', 'show', 'flowers');
    expect(d.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(cairn('models', 'show', 'flowers').stdout).toMatch(
      /flowers: 2 versions, latest 2 \(classification\)\naliases: none/,
    );
  });

  it('sets and moves an alias with a reason, predicts through it, and rolls it back', () => {
    let r = cairn('models', 'alias', 'flowers', 'production', '1', '--reason', 'first release');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('flowers@production: set to version 1.\n');
    const predicted = () =>
      (
        JSON.parse(cairn('predict', 'flowers@production', ws.file('new.csv'), '--json').stdout) as {
          model: { version: number };
        }
      ).model.version;
    expect(predicted()).toBe(1);
    expect(cairn('models', 'alias', 'flowers', 'production', '2', '--reason', 'better').stdout).toBe(
      'flowers@production: moved from version 1 to 2.\n',
    );
    expect(predicted()).toBe(2);
    r = cairn('models', 'rollback', 'flowers', 'production');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('flowers@production rolled back from version 2 to 1.\n');
    expect(predicted()).toBe(1);
    // A bare name now means production.
    expect(
      (
        JSON.parse(cairn('predict', 'flowers', ws.file('new.csv'), '--json').stdout) as {
          model: { version: number };
        }
      ).model.version,
    ).toBe(1);
    const show = cairn('models', 'show', 'flowers').stdout;
    expect(show).toMatch(/aliases: production → 1/);
    expect(show).toMatch(
      /alias history:\n {2}\S+ {2}production 2 → 1: rollback[^\n]*\n {2}\S+ {2}production 1 → 2: better\n {2}\S+ {2}production set to 1: first release/,
    );
  });

  it('refuses to delete an aliased version, and asks (or needs --yes) for the others', () => {
    let r = cairn('models', 'rm', 'flowers:1', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^cairn: Version 1 of "flowers" cannot be deleted: the alias production points at it\. Move or remove it first\./,
    );
    r = cairn('models', 'rm', 'flowers:2');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs confirmation: add --yes/);
    expect(cairn('models', 'rm', 'flowers').stderr).toMatch(/say which version to delete: flowers:<version>/);
    r = cairn('models', 'rm', 'flowers:2', '--yes');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Deleted flowers version 2.\n');
    expect(json<ModelDetail>('models', 'show', 'flowers').versions.map((v) => v.version)).toEqual([1]);
  });

  it('exports a version and imports the bundle under another name', () => {
    const out = ws.file('bundle.zip');
    let r = cairn('models', 'export', 'flowers@production', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^Exported flowers version 1 to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`),
    );
    expect(existsSync(out)).toBe(true);
    r = cairn('models', 'import', out, '--name', 'irises');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Imported irises version 1 (exported as flowers version 1).\n');
    const p = JSON.parse(cairn('predict', 'irises', ws.file('new.csv'), '--json').stdout) as {
      model: unknown;
      rows: number;
    };
    expect(p).toMatchObject({ model: { name: 'irises', version: 1 }, rows: 1 });
    expect(cairn('models', 'card', 'irises:1').stdout).toMatch(/^irises version 1: mlp classification of label/);
  });

  it('fails clearly on a bundle that is not one', () => {
    writeFileSync(ws.file('junk.zip'), 'junk');
    const r = cairn('models', 'import', ws.file('junk.zip'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^cairn: junk\.zip cannot be imported: it is not a valid, safe zip bundle/);
  });
});
