// importFile in-process (as the job process runs it): formats, dedupe by content hash, what it
// writes, and a source file that changes or disappears while it is read.
import { appendFileSync, unlinkSync } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLimitFor } from '../../../../../electron/core/datasets/duck.js';
import { importFile, type ImportOutcome } from '../../../../../electron/core/datasets/import-file.js';
import { literal, openDuck } from '../../../../../electron/core/datasets/duck.js';
import { inspectFile } from '../../../../../electron/core/datasets/file-check.js';
import { readSourceAsImported } from '../../../../../electron/core/datasets/to-parquet.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import { FIXTURES, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let n = 0;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(async () => cleanup());

async function run(
  file: string,
  options: { knownHashes?: Record<string, string>; onProgress?: (phase: string) => void } = {},
) {
  const workDir = path.join(dir, `work-${n++}`);
  await mkdir(workDir);
  const outcome = await importFile(
    { path: file, badRows: 'fail', knownHashes: options.knownHashes ?? {}, workDir },
    (p) => options.onProgress?.(p.phase),
  );
  return { outcome, workDir };
}

function created(o: ImportOutcome) {
  if (o.kind !== 'created') throw new Error(`expected a new version, got ${o.kind}`);
  return o;
}

async function failure(p: Promise<unknown>): Promise<CairnError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CairnError);
  return err as CairnError;
}

describe('importFile', () => {
  it('imports a JSON array of records', async () => {
    const { outcome, workDir } = await run(path.join(FIXTURES, 'bad-input', 'records.json'));
    const o = created(outcome);
    expect(o).toMatchObject({ format: 'json', rows: 2, skippedRows: 0, warnings: [] });
    expect(o.columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['id', 'integer', 0],
      ['name', 'text', 0],
      ['score', 'numeric', 1],
    ]);
    // Everything it wrote is in its work folder: the Parquet file (and DuckDB's spill folder, if used).
    expect(o.dataFile).toBe(path.join(workDir, 'data.parquet'));
    expect((await readdir(workDir)).filter((f) => f !== 'spill')).toEqual(['data.parquet']);
  });

  it('imports NDJSON, and JSON lines under a .jsonl name', async () => {
    const ndjson = created((await run(path.join(FIXTURES, 'bad-input', 'records.ndjson'))).outcome);
    expect(ndjson).toMatchObject({ format: 'json', rows: 3 });
    expect(ndjson.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'integer'],
      ['tag', 'categorical'],
    ]);
    const jsonl = path.join(dir, 'lines.jsonl');
    await copyFile(path.join(FIXTURES, 'bad-input', 'records.ndjson'), jsonl);
    expect(created((await run(jsonl)).outcome).rows).toBe(3);
  });

  it('imports Parquet, keeping its column types', async () => {
    const file = path.join(dir, 'source.parquet');
    const { instance, conn } = await openDuck();
    await conn.run(
      `COPY (SELECT i AS id, 'n' || i AS name, i * 0.5 AS x, i % 2 = 0 AS even, DATE '2024-01-01' + i::INTEGER AS day
        FROM range(6) t(i)) TO ${literal(file)} (FORMAT parquet)`,
    );
    conn.closeSync();
    instance.closeSync();
    const o = created((await run(file)).outcome);
    expect(o).toMatchObject({ format: 'parquet', rows: 6, warnings: [] });
    expect(o.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'integer'],
      ['name', 'text'],
      ['x', 'numeric'],
      ['even', 'boolean'],
      ['day', 'datetime'],
    ]);
    expect(o.columns[2]).toMatchObject({ min: 0, max: 2.5 });
  });

  it('reports a known content hash as unchanged, stopping the copy started alongside the hash', async () => {
    // A small file and one of a few megabytes: the copy runs while the file is hashed, and a
    // known hash stops it before it reports reading, leaving nothing in the work folder.
    const big = path.join(dir, 'known-big.csv');
    const rows = Array.from({ length: 300_000 }, (_, i) => `${i},${(i * 0.37).toFixed(3)},k${i % 7}`);
    await writeFile(big, `id,x,k\n${rows.join('\n')}\n`);
    for (const file of [path.join(FIXTURES, 'bad-input', 'crlf.csv'), big]) {
      const first = created((await run(file)).outcome);
      expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
      const phases: string[] = [];
      const { outcome, workDir } = await run(file, {
        knownHashes: { [first.sha256]: 'v-existing' },
        onProgress: (p) => phases.push(p),
      });
      expect(outcome).toEqual({ kind: 'unchanged', versionId: 'v-existing', sha256: first.sha256 });
      expect(phases).not.toContain('reading');
      expect(await readdir(workDir)).toEqual([]);
    }
  });

  it('infers types in a plain CSV: integer, numeric, boolean, datetime, categorical', async () => {
    const file = path.join(dir, 'types.csv');
    const lines = ['n,x,flag,when,kind'];
    for (let i = 0; i < 12; i++)
      lines.push(
        `${i},${i}.25,${i % 2 === 0 ? 'true' : 'false'},2024-01-${String(i + 1).padStart(2, '0')} 10:00:00,${['a', 'b', 'c'][i % 3]}`,
      );
    await writeFile(file, `${lines.join('\n')}\n`);
    const o = created((await run(file)).outcome);
    expect(o.columns.map((c) => c.type)).toEqual(['integer', 'numeric', 'boolean', 'datetime', 'categorical']);
  });

  it('keeps yes/no, y/n and t/f as written (a category), where true/false is a boolean', async () => {
    const file = path.join(dir, 'worded.csv');
    const lines = ['card,short,letter,flag'];
    for (let i = 0; i < 12; i++) {
      const on = i % 3 === 0;
      lines.push(`${on ? 'yes' : 'no'},${on ? 'Y' : 'N'},${on ? 't' : 'f'},${on ? 'TRUE' : 'False'}`);
    }
    await writeFile(file, `${lines.join('\n')}\n`);
    const o = created((await run(file)).outcome);
    expect(o.columns.map((c) => [c.name, c.type, c.storageType])).toEqual([
      ['card', 'categorical', 'VARCHAR'],
      ['short', 'categorical', 'VARCHAR'],
      ['letter', 'categorical', 'VARCHAR'],
      ['flag', 'boolean', 'BOOLEAN'],
    ]);
    expect(o.columns[0]?.topValues?.map((t) => [t.value, t.count])).toEqual([
      ['no', 8],
      ['yes', 4],
    ]);
    // A file scored or labelled later reads the same words, so they match the model's classes.
    const { instance, conn } = await openDuck();
    try {
      const source = await readSourceAsImported(conn, await inspectFile(file));
      expect((await conn.runAndReadAll(`SELECT * FROM ${source} LIMIT 2`)).getRowsJS()).toEqual([
        ['yes', 'Y', 't', true],
        ['no', 'N', 'f', false],
      ]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('fails, naming the file, when the file is rewritten while it is imported', async () => {
    const file = path.join(dir, 'growing.csv');
    await writeFile(file, 'a,b\n1,2\n3,4\n');
    let touched = false;
    const err = await failure(
      run(file, {
        onProgress: (phase) => {
          if (phase === 'hashing' && !touched) {
            touched = true;
            appendFileSync(file, '5,6\n');
          }
        },
      }),
    );
    expect(err.code).toBe('import_failed');
    expect(err.message).toBe('growing.csv changed while it was being imported; import it again');
  });

  it('fails, naming the file, when the file is deleted after it was hashed', async () => {
    const file = path.join(dir, 'vanishing.csv');
    await writeFile(file, 'a,b\n1,2\n3,4\n');
    let deleted = false;
    const { workDir } = { workDir: path.join(dir, `work-${n}`) };
    const err = await failure(
      run(file, {
        onProgress: (phase) => {
          if (phase === 'hashing' && !deleted) {
            deleted = true;
            unlinkSync(file);
          }
        },
      }),
    );
    expect(err.code).toBe('import_failed');
    expect(err.message).toBe('vanishing.csv was deleted or moved while it was being imported');
    expect((await readdir(workDir)).filter((f) => f !== 'spill')).toEqual([]);
  });

  it('gives a 10,000-column CSV the memory DuckDB needs to read it into Parquet', async () => {
    const columns = 10_000;
    const file = path.join(dir, 'wide.csv');
    const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
    const row = (k: number) => Array.from({ length: columns }, (_, i) => String(i * k)).join(',');
    await writeFile(file, `${[header, row(1), row(2)].join('\n')}\n`);
    const limit = memoryLimitFor(columns);
    expect(Number.parseInt(limit, 10)).toBeGreaterThan(512);
    expect(memoryLimitFor(20)).toBe('512MB');
    const { instance, conn } = await openDuck({ memoryLimit: limit, tempDir: path.join(dir, 'spill') });
    try {
      const out = path.join(dir, 'wide.parquet');
      await conn.run(
        `COPY (SELECT * FROM read_csv(${literal(file)}, header=true)) TO ${literal(out)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      const reader = await conn.runAndReadAll(`SELECT count(*), max(c9999) FROM read_parquet(${literal(out)})`);
      expect(reader.getRowsJS()[0]?.map(Number)).toEqual([2, 19998]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
