// `cairn explain <model>`: why a version predicts what it does, as its run computed on the test
// split: permutation importance, then each of the first N test rows' contributions. With --json
// the shape is fixed: {"model":{"name","version"},"importance":[{"feature","mean","std"}],
// "rows":[{"row","prediction","base","contributions":{...}}]}. Asked for more rows than the run
// kept explained, it says so on stderr and prints those it has.
import type { Command } from 'commander';
import type { ExplainResult } from '../../shared/api.js';
import { EXPLAIN_METHOD_LABEL, KEPT_ROWS, errorBoundText } from '../../shared/api/explain-methods.js';
import { print, withService } from './common.js';
import { table, warn } from './output.js';

function parseRows(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--rows takes a whole number from 1, not "${v}"`);
  return n;
}

/** The fixed JSON shape of `cairn explain --json`. */
export function explainJson(r: ExplainResult) {
  return {
    model: r.model,
    importance: r.explanation.importance.map(({ feature, mean, std }) => ({ feature, mean, std })),
    rows: r.explanation.rows.map(({ row, prediction, base, contributions }) => ({
      row,
      prediction,
      base,
      contributions,
    })),
  };
}

/**
 * One line saying why fewer than the `asked` first test rows came back: the run keeps only so many
 * explained (fewer for a network), or its test split is smaller; undefined when all came back.
 */
export function keptRowsNote(r: ExplainResult, asked: number): string | undefined {
  const got = r.explanation.rows.length;
  if (got >= asked) return undefined;
  const { method } = r.explanation;
  const { first, worst } = KEPT_ROWS[method];
  const kept = `${first} test rows (and up to ${worst} worst errors besides)`;
  const why =
    asked <= first
      ? `its test split has only ${got} row${got === 1 ? '' : 's'}`
      : method === 'kernel_shap'
        ? `a network's run keeps its first ${kept} explained, as KernelSHAP costs thousands of model calls a row`
        : `a run keeps its first ${kept} explained`;
  return `cairn: ${got} of the ${asked} rows asked: ${why}.\n`;
}

const fmt = (v: number) =>
  Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(3) : v.toFixed(4);

function explainText(r: ExplainResult): string {
  const e = r.explanation;
  const lines = [
    `${r.model.name} version ${r.model.version}: importance on ${e.importanceRows} test rows (drop in ${e.metric} when a column is shuffled)`,
    table(
      ['feature', 'mean', 'std'],
      e.importance.map((i) => [i.feature, fmt(i.mean), fmt(i.std)]),
    ),
  ];
  const how = EXPLAIN_METHOD_LABEL[e.method];
  const bound = errorBoundText(e.errorBound, fmt);
  for (const row of e.rows) {
    const what = row.explainedClass === null ? '' : ` (${e.output.replace('_', '-')} of "${row.explainedClass}")`;
    lines.push(
      '',
      `test row ${row.row}: predicted ${String(row.prediction)}${row.actual === null ? '' : `, actual ${String(row.actual)}`}`,
      `  base ${fmt(row.base)} + contributions = ${fmt(row.output)}${what}, ${how}${bound}`,
      table(
        ['feature', 'value', 'contribution'],
        Object.entries(row.contributions)
          .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
          .map(([f, c]) => [f, String(row.values[f] ?? ''), fmt(c)]),
      ),
    );
  }
  return lines.join('\n');
}

export function addExplainCommand(program: Command): void {
  program
    .command('explain <model>')
    .description(
      'why a model predicts what it does: feature importance and test rows explained (<name>[@alias|:version])',
    )
    .option('--rows <n>', 'explain the first N test rows (default 5, at most 100)', parseRows, 5)
    .option('--json', 'print as JSON')
    .action(async (ref: string, o: { rows: number; json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const r = await s.invoke('models.explain', { name: ref, rows: o.rows });
        const note = keptRowsNote(r, o.rows);
        if (note) warn(note);
        print(Boolean(o.json), explainJson(r), () => explainText(r));
      });
    });
}
