// `npm run bench -- import [--rows N]`: the whole `cairn import` command (the built CLI, as a user
// runs it: start-up, job process, import and profile) against the whole pandas script (Python's
// start-up, read_csv and describe) on the same generated CSV, in the same run. Prints times, peak
// memories and ratios. Target (issue 16): Cairn at most 1.0x pandas' time.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtCairn } from './built-cli.js';
import { ensurePython, PYTHON } from './python.js';
import { measure } from './process-tree.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
const COLS = 20;

/** Deterministic mixed-type data: 10 floats, 5 integers, 3 categoricals, a boolean and a date. */
async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  const header = [
    ...Array.from({ length: 10 }, (_, i) => `f${i}`),
    ...Array.from({ length: 5 }, (_, i) => `i${i}`),
    'city',
    'grade',
    'segment',
    'active',
    'day',
  ];
  if (header.length !== COLS) throw new Error('column count drifted');
  out.write(`${header.join(',')}\n`);
  let seed = 42;
  const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const cities = ['Lyon', 'Oslo', 'Quito', 'Pune', 'Accra', 'Hobart', 'Turku', 'Cusco'];
  const grades = ['A', 'B', 'C', 'D'];
  let batch = '';
  for (let r = 0; r < ROWS; r++) {
    const cells: string[] = [];
    for (let i = 0; i < 10; i++) cells.push(r % 97 === i ? '' : (rnd() * 1000 - 500).toFixed(4));
    for (let i = 0; i < 5; i++) cells.push(String(Math.floor(rnd() * 10 ** (i + 1))));
    cells.push(cities[Math.floor(rnd() * cities.length)] as string, grades[Math.floor(rnd() * 4)] as string);
    cells.push(`s${Math.floor(rnd() * 50)}`, rnd() < 0.5 ? 'true' : 'false');
    const d = new Date(Date.UTC(2020, 0, 1) + Math.floor(rnd() * 1500) * 86_400_000);
    cells.push(d.toISOString().slice(0, 10));
    batch += `${cells.join(',')}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await new Promise<void>((r) => out.once('drain', () => r()));
      batch = '';
    }
  }
  out.end(batch);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

const PANDAS = `
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
d = df.describe(include='all')
print(len(df), len(df.columns), d.shape)
`;

async function main(): Promise<void> {
  ensurePython('pandas', 'python3-pandas');
  const dataDir = path.join(root, 'bench', '.data');
  mkdirSync(dataDir, { recursive: true });
  const csv = path.join(dataDir, `import-${ROWS}x${COLS}.csv`);
  if (!existsSync(csv)) {
    console.log(`generating ${ROWS} rows x ${COLS} columns ...`);
    await generate(csv);
  }
  const pandasVersion = execFileSync(PYTHON, ['-c', 'import pandas; print(pandas.__version__)']).toString().trim();
  const home = path.join(os.tmpdir(), `cairn-bench-${process.pid}`);
  rmSync(home, { recursive: true, force: true });

  // Warm both once (OS file cache) so neither pays a cold start the other does not.
  await measure(PYTHON, ['-c', PANDAS, csv]);
  const cairnArgs = [builtCairn(), 'import', csv, '--home', home, '--json'];
  await measure(process.execPath, cairnArgs);
  rmSync(home, { recursive: true, force: true });

  const cairn = await measure(process.execPath, cairnArgs);
  if (cairn.code !== 0) throw new Error(`cairn import failed (exit ${cairn.code})`);
  const pandas = await measure(PYTHON, ['-c', PANDAS, csv]);
  if (pandas.code !== 0) throw new Error(`pandas failed (exit ${pandas.code})`);
  rmSync(home, { recursive: true, force: true });

  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\nimport + profile of ${ROWS.toLocaleString('en')} rows x ${COLS} columns (${csv})`);
  console.log(
    `  cairn import (built CLI, whole command)        ${s(cairn.wallMs).padStart(8)}   peak RSS ${mb(cairn.peakRssBytes)}`,
  );
  console.log(
    `  pandas ${pandasVersion.padEnd(8)} (whole read_csv+describe script) ${s(pandas.wallMs).padStart(8)}   peak RSS ${mb(pandas.peakRssBytes)}`,
  );
  console.log(`  time ratio cairn/pandas:   ${(cairn.wallMs / pandas.wallMs).toFixed(2)}x  (target <= 1.0x)`);
  console.log(`  memory ratio cairn/pandas: ${(cairn.peakRssBytes / pandas.peakRssBytes).toFixed(2)}x  (target < 1x)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
