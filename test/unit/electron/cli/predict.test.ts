// `cairn predict` as scripts run it: the documented --json shape, --out CSV with formulas
// defused, and one clear line for an unknown alias or model.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCairn } from './run-cairn.js';
import { classificationCsv } from '../core/training/data.js';

let dir: string;
let home: string;

const cairn = (...args: string[]) => runCairn(home, args);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-predict-'));
  home = path.join(dir, 'home');
  writeFileSync(path.join(dir, 'flowers.csv'), classificationCsv());
  writeFileSync(path.join(dir, 'new.csv'), 'x1,x2,color,note\n1.5,1,red,=cmd|calc\n-1,-1,purple,"a,b"\n0.2,,blue,@x\n');
  const r = cairn(
    'train',
    path.join(dir, 'flowers.csv'),
    '--target',
    'label',
    '--epochs',
    '5',
    '--learning-rate',
    '0.01',
  );
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cairn predict', () => {
  it('prints every prediction with --json', () => {
    const r = cairn('predict', 'flowers', path.join(dir, 'new.csv'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { predictions: { label: string; probabilities: Record<string, number> }[] };
    expect(Object.keys(out).sort()).toEqual(['model', 'predictions', 'rows']);
    expect(out).toMatchObject({ model: { name: 'flowers', version: 1 }, rows: 3 });
    expect(out.predictions).toHaveLength(3);
    for (const p of out.predictions) {
      expect(Object.keys(p).sort()).toEqual(['label', 'probabilities']);
      const probs = Object.values(p.probabilities);
      expect(probs).toHaveLength(2);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.probabilities[p.label]).toBe(Math.max(...probs));
    }
    // name:version means the same model here.
    expect(JSON.parse(cairn('predict', 'flowers:1', path.join(dir, 'new.csv'), '--json').stdout)).toEqual(out);
  });

  it('writes a CSV with --out: input columns, prediction, probabilities, formulas defused', () => {
    const file = path.join(dir, 'scored.csv');
    const r = cairn('predict', 'flowers', path.join(dir, 'new.csv'), '--out', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Scored 3 rows with flowers version 1 (classification).');
    expect(r.stdout).toContain(`Written to ${file}.`);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^x1,x2,color,note,prediction,probability_\w+,probability_\w+$/);
    expect(lines[1]).toMatch(/^1\.5,1,red,'=cmd\|calc,\w+,[\d.e-]+,[\d.e-]+$/);
    expect(lines[2]).toMatch(/^-1,-1,purple,"a,b",/);
    expect(lines[3]).toMatch(/^0\.2,,blue,'@x,/);
  });

  it('fails with one clear line on an alias the model does not have', () => {
    const r = cairn('predict', 'flowers@production', path.join(dir, 'new.csv'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^cairn: model "flowers" has no alias "production" \(it has no aliases yet\)/);
  });

  it('fails clearly on an unknown model or version', () => {
    const r = cairn('predict', 'nope', path.join(dir, 'new.csv'), '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cairn: no model named "nope"/);
    expect(r.stdout).toBe('');
    expect(cairn('predict', 'flowers:7', path.join(dir, 'new.csv')).stderr).toMatch(
      /cairn: model "flowers" has no version 7 \(its latest is 1\)/,
    );
  });
});
