// The SQLite kind on files made here: a table of every storage class read into Parquet and back,
// the preview, the query check, an untrusted path (missing, a folder, not SQLite: never created),
// and a query that fails, returns nothing, or is cancelled.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqliteKind } from '../../../../../../electron/core/sources/databases/sqlite.js';
import type { SourceTarget } from '../../../../../../electron/core/sources/source-kind.js';
import { tempDirFor } from '../../helpers.js';
import { asFetched, expectCancelMidStream, expectEmpty, failure, readParquet } from './kind-checks.js';

const files = tempDirFor('file', 'cairn-sqlite-files-');
const temp = tempDirFor('each test', 'cairn-sqlite-source-');
const reach = () => ({ signal: new AbortController().signal, timeoutMs: 5000 });
let dbFile: string;
const target = (query: string, url = dbFile): SourceTarget => ({ kind: 'sqlite', url, query });

beforeAll(() => {
  dbFile = path.join(files.dir, 'shop.db');
  const db = new Database(dbFile);
  db.exec(`
    CREATE TABLE things (id INTEGER, big INTEGER, ratio REAL, name TEXT, raw BLOB, day DATE, seen DATETIME,
                         flag BOOLEAN, mixed, whole INTEGER, odd DATE);
    INSERT INTO things VALUES
      (1, 9223372036854775807, 0.1, 'plain', x'00ff', '2024-02-29', '2024-02-29 13:14:15.123', 1, 5, 7, '2024-01-01'),
      (2, -5, -1e300, 'a "quoted", comma
and newline', x'', '1999-12-31', '1999-12-31 23:59:59', 0, 'five', 2.5, 'soon'),
      (3, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  `);
  db.close();
});

describe('sqlite kind', () => {
  it('reads a real table into Parquet: values and NULLs round-trip; each column typed by what it holds, conversions said', async () => {
    const fetched = asFetched(
      await sqliteKind.fetch(target('SELECT * FROM things ORDER BY id;'), { ...reach(), tempDir: temp.dir }),
    );
    expect(fetched).toMatchObject({ format: 'parquet', rows: 3 });
    const { types, rows } = await readParquet(fetched.path);
    expect(types).toEqual({
      id: 'BIGINT',
      big: 'BIGINT',
      ratio: 'DOUBLE',
      name: 'VARCHAR',
      raw: 'VARCHAR',
      day: 'DATE',
      seen: 'TIMESTAMP',
      flag: 'BOOLEAN',
      mixed: 'VARCHAR',
      whole: 'DOUBLE',
      odd: 'VARCHAR',
    });
    const [one, two, three] = rows;
    expect(one).toMatchObject({
      id: 1n,
      big: 9223372036854775807n,
      ratio: 0.1,
      name: 'plain',
      raw: '\\x00ff',
      flag: true,
    });
    expect((one?.day as Date).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect((one?.seen as Date).toISOString()).toBe('2024-02-29T13:14:15.123Z');
    expect(one).toMatchObject({ mixed: '5', whole: 7, odd: '2024-01-01' });
    expect(two).toMatchObject({
      big: -5n,
      ratio: -1e300,
      name: 'a "quoted", comma\nand newline',
      raw: '\\x',
      flag: false,
    });
    expect(two).toMatchObject({ mixed: 'five', whole: 2.5, odd: 'soon' });
    expect(three).toEqual({ ...Object.fromEntries(Object.keys(types).map((k) => [k, null])), id: 3n, name: '' });
    expect(fetched.notes).toEqual([
      'Column "raw" (BLOB) was converted to text (\\x and hex): it holds blobs',
      'Column "mixed" (integer and text) was converted to text: it mixes numbers and text',
      'Column "odd" (DATE) was kept as text: a value ("soon") is not a DATE',
    ]);
  });

  it('previews at most N rows with their declared types', async () => {
    const preview = await sqliteKind.preview(
      target('SELECT id, name, big * 1.0 AS scaled FROM things ORDER BY id'),
      2,
      reach(),
    );
    expect(preview.columns).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'TEXT' },
      { name: 'scaled', type: 'real' },
    ]);
    expect(preview.rows).toEqual([
      [1, 'plain', 9223372036854776000],
      [2, 'a "quoted", comma\nand newline', -5],
    ]);
  });

  it('test prepares the query: tables and columns checked, one statement that reads', async () => {
    await sqliteKind.test(target('SELECT * FROM things'), reach());
    const missing = await failure(sqliteKind.test(target('SELECT * FROM nothing_here'), reach()), 'not_found');
    expect(missing.message).toBe('SQLite (shop.db): no such table: nothing_here');
    await failure(sqliteKind.test(target('SELECT nope FROM things'), reach()), 'invalid_argument');
    await failure(sqliteKind.test(target('SELECT 1; DELETE FROM things'), reach()), 'invalid_argument');
    await failure(sqliteKind.test(target('DELETE FROM things'), reach()), 'invalid_argument');
  });

  it('an untrusted path: missing is not_found and never created, a folder or a non-SQLite file is refused', async () => {
    const missing = path.join(files.dir, 'missing.db');
    await failure(sqliteKind.test(target('SELECT 1', missing), reach()), 'not_found');
    await expect(stat(missing)).rejects.toThrow(/ENOENT/);
    const folder = path.join(files.dir, 'folder.db');
    await mkdir(folder);
    await failure(sqliteKind.test(target('SELECT 1', folder), reach()), 'invalid_argument');
    const text = path.join(files.dir, 'notes.db');
    await writeFile(text, 'id,name\n1,a\n');
    const err = await failure(sqliteKind.test(target('SELECT 1', text), reach()), 'import_failed', 'format');
    expect(err.message).toBe('notes.db is not a SQLite database');
    // A SQLite header over garbage is caught by SQLite itself.
    const damaged = path.join(files.dir, 'damaged.db');
    await writeFile(damaged, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096, 7)]));
    await failure(sqliteKind.test(target('SELECT 1', damaged), reach()), 'import_failed', 'format');
  });

  it("a query that fails while running gives SQLite's message; no rows is empty; neither leaves a file", async () => {
    const err = await failure(
      sqliteKind.fetch(target("SELECT json_extract(name, '$.a') FROM things ORDER BY id"), {
        ...reach(),
        tempDir: temp.dir,
      }),
      'import_failed',
      'query',
    );
    expect(err.message).toBe('SQLite (shop.db): malformed JSON');
    expect(await readdir(temp.dir)).toEqual([]);
    await expectEmpty(sqliteKind, target('SELECT * FROM things WHERE 0'), temp.dir);
  });

  it('cancel mid-stream stops the read and removes every file', async () => {
    const rows = 1_000_000;
    await expectCancelMidStream(
      sqliteKind,
      target(
        `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${rows}) SELECT n, hex(n) FROM s`,
      ),
      rows,
      temp.dir,
    );
  });
});
