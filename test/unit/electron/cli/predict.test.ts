// `cairn predict` as scripts run it: the documented --json shape, --out CSV with formulas
// defused, and one clear line for an unknown alias or model.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliWorkspace } from './run-cairn.js';
import { classificationCsv } from '../core/training/data.js';

const ws = cliWorkspace('cairn-cli-predict-', {
  'flowers.csv': classificationCsv(),
  'new.csv': 'x1,x2,color,note\n1.5,1,red,=cmd|calc\n-1,-1,purple,"a,b"\n0.2,,blue,@x\n',
});

const { cairn } = ws;

beforeAll(() => {
  ws.must('train', ws.file('flowers.csv'), '--target', 'label', '--epochs', '5', '--learning-rate', '0.01');
});

describe('cairn predict', () => {
  it('prints every prediction with --json', () => {
    const r = cairn('predict', 'flowers', ws.file('new.csv'), '--json');
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
    expect(JSON.parse(cairn('predict', 'flowers:1', ws.file('new.csv'), '--json').stdout)).toEqual(out);
  });

  it('writes a CSV with --out: input columns, prediction, probabilities, formulas defused', () => {
    const file = ws.file('scored.csv');
    const r = cairn('predict', 'flowers', ws.file('new.csv'), '--out', file);
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
    const r = cairn('predict', 'flowers@production', ws.file('new.csv'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^cairn: model "flowers" has no alias "production" \(it has no aliases yet\)/);
  });

  it('fails clearly on an unknown model or version', () => {
    const r = cairn('predict', 'nope', ws.file('new.csv'), '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cairn: no model named "nope"/);
    expect(r.stdout).toBe('');
    expect(cairn('predict', 'flowers:7', ws.file('new.csv')).stderr).toMatch(
      /cairn: model "flowers" has no version 7 \(its latest is 1\)/,
    );
  });
});
