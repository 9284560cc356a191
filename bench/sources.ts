// `npm run bench -- sources [--rows N]`: N (10,000,000) rows x 10 columns made in a fresh PostgreSQL
// with generate_series, read by Cairn's postgres source kind into Parquet (its fetch: a server-side
// cursor streamed through DuckDB) and then through the ordinary import of that file (import-file.ts:
// hash, Parquet copy, profile, as a job process runs it; without the sources service), against the
// peer path a data scientist would take: `psql \copy (query) to csv` then pandas' read_csv into a
// DataFrame. Same run, same server, same query: prints time and peak memory (the process tree's RSS,
// not the server's) of each, and the ratios. Issue 20 bounds Cairn's peak RSS to 1 GB at 10M rows.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importFile } from '../electron/core/datasets/import-file.js';
import { postgresKind } from '../electron/core/sources/databases/postgres.js';
import { startPostgres } from '../test/support/servers/postgres.js';
import { intArg } from './args.js';
import { measure } from './process-tree.js';
import { ensurePython, PYTHON } from './python.js';

const QUERY = 'SELECT * FROM bench ORDER BY id';
const PASSWORD_ENV = 'CAIRN_BENCH_PGPASSWORD';

/** Ten columns of the usual kinds: a key, four doubles, an integer, a category, a date, a timestamp, a flag. */
function createTable(rows: number): string {
  return `CREATE TABLE bench AS SELECT
      g::bigint AS id,
      random() * 1000 - 500 AS x1,
      random() AS x2,
      (g % 977) / 7.0::float8 AS x3,
      CASE WHEN g % 97 = 0 THEN NULL ELSE random() * 1e6 END AS x4,
      (g % 100000)::int AS n,
      (ARRAY['Lyon','Oslo','Quito','Pune','Accra','Hobart','Turku','Cusco'])[1 + g % 8] AS city,
      date '2020-01-01' + (g % 1500)::int AS day,
      timestamp '2020-01-01' + g * interval '17 seconds' AS seen,
      g % 3 = 0 AS active
    FROM generate_series(1, ${rows}) g`;
}

const PANDAS = `
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], parse_dates=['day', 'seen'])
print(len(df), len(df.columns))
`;

/** The Cairn side, in its own process so its memory is measured alone: fetch, then the ordinary import. */
async function cairnChild(url: string, work: string): Promise<void> {
  const secret = process.env[PASSWORD_ENV];
  mkdirSync(work, { recursive: true });
  const t0 = performance.now();
  const fetched = await postgresKind.fetch(
    { kind: 'postgres', url, query: QUERY, ...(secret ? { secret } : {}) },
    { signal: new AbortController().signal, timeoutMs: 10_000, tempDir: work },
  );
  if ('notModified' in fetched) throw new Error('a database never answers notModified');
  const t1 = performance.now();
  const importDir = path.join(work, 'import');
  mkdirSync(importDir);
  const outcome = await importFile(
    { path: fetched.path, badRows: 'fail', knownHashes: {}, workDir: importDir },
    () => undefined,
  );
  const t2 = performance.now();
  if (outcome.kind !== 'created') throw new Error('the import made no version');
  console.log(
    JSON.stringify({
      rows: fetched.rows,
      fetchMs: t1 - t0,
      importMs: t2 - t1,
      parquetBytes: statSync(fetched.path).size,
      columns: outcome.columns.length,
      notes: fetched.notes,
    }),
  );
}

async function main(): Promise<void> {
  const child = process.argv.indexOf('--child');
  if (child >= 0) return cairnChild(process.argv[child + 1] as string, process.argv[child + 2] as string);

  const rows = intArg('rows', 10_000_000, 1);
  ensurePython('pandas', 'python3-pandas');
  const work = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-sources-'));
  console.log(`starting PostgreSQL and making ${rows.toLocaleString('en')} rows x 10 columns ...`);
  const server = await startPostgres();
  try {
    await server.sql(createTable(rows));
    await server.sql('VACUUM ANALYZE bench');
    // Both read a table the server has just scanned: neither pays a cold cache the other does not.
    await server.sql('SELECT count(*) FROM bench');

    const self = fileURLToPath(import.meta.url);
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const cairnWork = path.join(work, 'cairn');
    const cairn = await measure(process.execPath, ['--import', tsx, self, '--child', server.url, cairnWork], {
      ...process.env,
      [PASSWORD_ENV]: server.password,
    });
    if (cairn.code !== 0) throw new Error(`the Cairn side failed (exit ${cairn.code})`);
    const result = JSON.parse(cairn.stdout.trim().split('\n').at(-1) as string) as {
      rows: number;
      fetchMs: number;
      importMs: number;
      parquetBytes: number;
      notes: string[];
    };
    if (result.rows !== rows) throw new Error(`Cairn read ${result.rows} rows, not ${rows}`);
    rmSync(cairnWork, { recursive: true, force: true });

    const csv = path.join(work, 'bench.csv');
    const env = { ...process.env, PGPASSWORD: server.password };
    const psql = await measure(
      'psql',
      [
        '-h',
        server.host,
        '-p',
        String(server.port),
        '-U',
        server.user,
        '-d',
        server.database,
        '-c',
        `\\copy (${QUERY}) to '${csv}' csv header`,
      ],
      env,
    );
    if (psql.code !== 0) throw new Error(`psql failed (exit ${psql.code})`);
    const pandas = await measure(PYTHON, ['-c', PANDAS, csv]);
    if (pandas.code !== 0) throw new Error(`pandas failed (exit ${pandas.code})`);
    if (!pandas.stdout.startsWith(`${rows} 10`)) throw new Error(`pandas read ${pandas.stdout.trim()}`);
    const csvBytes = statSync(csv).size;

    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const peerMs = psql.wallMs + pandas.wallMs;
    const peerPeak = Math.max(psql.peakRssBytes, pandas.peakRssBytes);
    console.log(`\n${rows.toLocaleString('en')} rows x 10 columns from PostgreSQL 15 (${QUERY})`);
    console.log(
      `  cairn  postgres kind fetch -> Parquet  ${s(result.fetchMs).padStart(8)}   (${mb(result.parquetBytes)} Parquet)`,
    );
    console.log(`         + ordinary import (hash, copy, profile) ${s(result.importMs).padStart(8)}`);
    console.log(
      `         whole process                  ${s(cairn.wallMs).padStart(8)}   peak RSS ${mb(cairn.peakRssBytes)}`,
    );
    console.log(
      `  peer   psql \\copy to csv            ${s(psql.wallMs).padStart(8)}   peak RSS ${mb(psql.peakRssBytes)}   (${mb(csvBytes)} CSV)`,
    );
    console.log(
      `         + pandas read_csv             ${s(pandas.wallMs).padStart(8)}   peak RSS ${mb(pandas.peakRssBytes)}`,
    );
    console.log(`         whole path                    ${s(peerMs).padStart(8)}   peak RSS ${mb(peerPeak)}`);
    console.log(`  time ratio cairn/peer (whole):           ${(cairn.wallMs / peerMs).toFixed(2)}x`);
    console.log(`  time ratio cairn fetch / psql+pandas:    ${(result.fetchMs / peerMs).toFixed(2)}x`);
    console.log(`  memory ratio cairn/peer:                 ${(cairn.peakRssBytes / peerPeak).toFixed(2)}x`);
    console.log(`  cairn peak RSS under 1 GB: ${cairn.peakRssBytes < 2 ** 30 ? 'yes' : 'NO'}`);
    if (result.notes.length > 0) console.log(`  notes: ${result.notes.join('; ')}`);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
