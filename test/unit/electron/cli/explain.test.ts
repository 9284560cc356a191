// `cairn explain --rows N` as a script runs it: the documented --json shape, and, when N is above
// the test rows its run kept explained (a network keeps its first 10), those rows and a one-line
// note on stderr saying how many it kept and why, stdout unchanged in shape.
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './run-cairn.js';
import { classificationCsv } from '../core/training/data.js';

const ws = cliWorkspace('cairn-cli-explain-', { 'flowers.csv': classificationCsv() });

describe('cairn explain', () => {
  it('prints the rows the run kept and says on stderr why there are fewer than asked', () => {
    ws.must('train', ws.file('flowers.csv'), '--target', 'label', '--epochs', '2', '--json');
    const asked = ws.cairn('explain', 'flowers', '--rows', '12', '--json');
    expect(asked.code, asked.stderr).toBe(0);
    const out = JSON.parse(asked.stdout) as { model: unknown; importance: unknown[]; rows: Record<string, unknown>[] };
    expect(Object.keys(out).sort()).toEqual(['importance', 'model', 'rows']);
    expect(out.rows.length).toBeGreaterThanOrEqual(10);
    expect(out.rows.length).toBeLessThan(12);
    for (const row of out.rows) expect(Object.keys(row).sort()).toEqual(['base', 'contributions', 'prediction', 'row']);
    const lines = asked.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^cairn: ${out.rows.length} of the 12 rows asked: a network's run keeps its first 10 test rows .*KernelSHAP`,
      ),
    );
    const within = ws.cairn('explain', 'flowers', '--rows', '3', '--json');
    expect(within.code, within.stderr).toBe(0);
    expect(within.stderr).toBe('');
    expect((JSON.parse(within.stdout) as { rows: unknown[] }).rows).toHaveLength(3);
  });
});
