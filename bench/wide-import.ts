// `npm run bench -- wide-import [--columns 2000,20000]`: the whole `cairn import` of generated
// 3-row CSVs as wide as given (integers, and as many text columns), with time and peak memory per
// width and the cost per column of the widest relative to the narrowest (after taking off the
// time of a 10-column import: starting the CLI and DuckDB would otherwise hide the growth).
// Target (issue 17): linear in the columns, so the per-column ratio stays near 1x (under 1.5x).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, type Measured } from './process-tree.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const columnsArg = process.argv.indexOf('--columns');
const WIDTHS = (columnsArg > 0 ? (process.argv[columnsArg + 1] ?? '') : '2000,20000').split(',').map(Number);

/** A header c0, c1, ... and three rows: integers (row k holds i * k) or short repeated words. */
function wideCsv(columns: number, kind: 'integer' | 'text'): string {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
  const cell = (i: number, k: number) => (kind === 'integer' ? String(i * k) : `w${(i * k) % 7}`);
  const row = (k: number) => Array.from({ length: columns }, (_, i) => cell(i, k)).join(',');
  return `${[header, row(1), row(2), row(3)].join('\n')}\n`;
}

async function main(): Promise<void> {
  const dataDir = path.join(root, 'bench', '.data');
  mkdirSync(dataDir, { recursive: true });
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  for (const kind of ['integer', 'text'] as const) {
    const results: { columns: number; run: Measured }[] = [];
    for (const columns of [10, ...WIDTHS]) {
      const csv = path.join(dataDir, `wide-${kind}-${columns}x3.csv`);
      writeFileSync(csv, wideCsv(columns, kind));
      const home = path.join(os.tmpdir(), `cairn-bench-wide-${process.pid}`);
      rmSync(home, { recursive: true, force: true });
      const run = await measure(process.execPath, [
        path.join(root, 'bin', 'cairn.js'),
        'import',
        csv,
        '--home',
        home,
        '--json',
      ]);
      rmSync(home, { recursive: true, force: true });
      if (run.code !== 0) throw new Error(`cairn import of ${columns} ${kind} columns failed (exit ${run.code})`);
      results.push({ columns, run });
      console.log(
        `${kind.padEnd(7)} ${String(columns).padStart(6)} columns x 3 rows   ${s(run.wallMs).padStart(8)}   peak RSS ${mb(run.peakRssBytes)}`,
      );
    }
    const [base, first, ...rest] = results;
    const last = rest.at(-1);
    if (base && first && last) {
      const perColumn = (r: { columns: number; run: Measured }) => (r.run.wallMs - base.run.wallMs) / r.columns;
      const ratio = perColumn(last) / perColumn(first);
      console.log(
        `  time per column, ${last.columns} vs ${first.columns} columns: ${ratio.toFixed(2)}x  (target < 1.5x; 1x is linear)`,
      );
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
