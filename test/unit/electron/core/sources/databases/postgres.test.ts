// The PostgreSQL kind against a real PostgreSQL 15 (test/support/servers/postgres.ts): a table of
// every kind of column read through a server-side cursor into Parquet and back, the preview, the
// query check, and each bad input the issue names.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresKind } from '../../../../../../electron/core/sources/databases/postgres.js';
import type { SourceTarget } from '../../../../../../electron/core/sources/source-kind.js';
import { startPostgres, type PostgresServer } from '../../../../../support/servers/postgres.js';
import { tempDirFor } from '../../helpers.js';
import {
  asFetched,
  closedPort,
  expectCancelMidStream,
  expectEmpty,
  failure,
  readParquet,
  silentServer,
} from './kind-checks.js';

const temp = tempDirFor('each test', 'cairn-pg-source-');
let server: PostgresServer;
const reach = () => ({ signal: new AbortController().signal, timeoutMs: 5000 });
const target = (query: string): SourceTarget => ({ kind: 'postgres', url: server.url, secret: server.password, query });

beforeAll(async () => {
  server = await startPostgres();
  await server.sql(`
    CREATE TYPE mood AS ENUM ('sad', 'happy');
    CREATE DOMAIN score AS integer CHECK (VALUE >= 0);
    CREATE TABLE things (
      id integer, big bigint, price numeric(10,2), huge numeric, ratio double precision, flag boolean,
      name text, day date, seen timestamp, at timestamptz, doc jsonb, tags int[], feeling mood,
      raw bytea, points score
    );
    INSERT INTO things VALUES
      (1, 9007199254740993, 12.34, 1.5, 0.1, true, 'plain', '2024-02-29', '2024-02-29 13:14:15.123456',
       '2024-02-29 13:14:15+02', '{"a": [1, 2]}', '{1,2}', 'happy', '\\x00ff', 7),
      (2, -5, -0.01, NULL, 'NaN', false, 'a "quoted", comma
and newline', '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59+00', 'null', '{}', 'sad', '\\x', 0),
      (3, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  `);
});
afterAll(async () => {
  await server?.stop();
});

describe('postgres kind', () => {
  it('reads a real table into Parquet: values, NULLs, dates and time zones round-trip; converted types are said', async () => {
    const progress: number[] = [];
    const fetched = asFetched(
      await postgresKind.fetch(target('SELECT * FROM things ORDER BY id;'), {
        ...reach(),
        tempDir: temp.dir,
        onProgress: (p) => progress.push(p.rows ?? -1),
      }),
    );
    expect(fetched).toMatchObject({ format: 'parquet', rows: 3 });
    expect(progress.at(-1)).toBe(3);
    const { types, rows } = await readParquet(fetched.path);
    expect(types).toEqual({
      id: 'INTEGER',
      big: 'BIGINT',
      price: 'DECIMAL(10,2)',
      huge: 'DOUBLE',
      ratio: 'DOUBLE',
      flag: 'BOOLEAN',
      name: 'VARCHAR',
      day: 'DATE',
      seen: 'TIMESTAMP',
      at: 'TIMESTAMP WITH TIME ZONE',
      doc: 'VARCHAR',
      tags: 'VARCHAR',
      feeling: 'VARCHAR',
      raw: 'VARCHAR',
      points: 'INTEGER',
    });
    const [one, two, three] = rows;
    expect(one).toMatchObject({
      id: 1,
      big: 9007199254740993n,
      price: 12.34,
      huge: 1.5,
      ratio: 0.1,
      flag: true,
      name: 'plain',
    });
    expect((one?.day as Date).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect((one?.seen as Date).toISOString()).toBe('2024-02-29T13:14:15.123Z');
    // +02 in the database is the same instant, kept as UTC.
    expect((one?.at as Date).toISOString()).toBe('2024-02-29T11:14:15.000Z');
    expect(one).toMatchObject({ doc: '{"a": [1, 2]}', tags: '{1,2}', feeling: 'happy', raw: '\\x00ff', points: 7 });
    expect(two).toMatchObject({
      big: -5n,
      price: -0.01,
      huge: null,
      flag: false,
      name: 'a "quoted", comma\nand newline',
    });
    expect(Number.isNaN(two?.ratio)).toBe(true);
    expect((two?.at as Date).toISOString()).toBe('1999-12-31T23:59:59.000Z');
    expect(two).toMatchObject({ doc: 'null', tags: '{}', raw: '\\x' });
    // The empty string stays apart from NULL.
    expect(three).toEqual({ ...Object.fromEntries(Object.keys(types).map((k) => [k, null])), id: 3, name: '' });
    expect(fetched.notes).toEqual([
      expect.stringMatching(/^Column "huge" \(numeric\) was converted to double/),
      'Column "doc" (jsonb) was converted to text',
      'Column "tags" (integer[]) was converted to text (an array)',
      'Column "feeling" (mood) was converted to text (an enum)',
      'Column "raw" (bytea) was converted to text (\\x and hex)',
    ]);
  });

  it('a date before year 1 keeps its era; a timestamp before it, which DuckDB cannot cast, is kept as text and said so', async () => {
    const fetched = asFetched(
      await postgresKind.fetch(target(`SELECT date '0044-03-15 BC' AS d, timestamp '0044-03-15 10:00 BC' AS t`), {
        ...reach(),
        tempDir: temp.dir,
      }),
    );
    const { types, rows } = await readParquet(fetched.path);
    expect(types).toEqual({ d: 'DATE', t: 'VARCHAR' });
    // 44 BC is year -43 in the proleptic Gregorian calendar JavaScript counts in.
    expect((rows[0]?.d as Date).getUTCFullYear()).toBe(-43);
    expect(rows[0]?.t).toBe('0044-03-15 10:00:00 BC');
    expect(fetched.notes).toEqual([
      'Column "t" (timestamp without time zone) was kept as text: a value ("0044-03-15 10:00:00 BC") is not a TIMESTAMP',
    ]);
  });

  it('previews at most N rows with the database type names', async () => {
    const preview = await postgresKind.preview(
      target('SELECT id, price, at, feeling FROM things ORDER BY id'),
      2,
      reach(),
    );
    expect(preview.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'price', type: 'numeric(10,2)' },
      { name: 'at', type: 'timestamp with time zone' },
      { name: 'feeling', type: 'mood' },
    ]);
    expect(preview.rows).toEqual([
      [1, '12.34', '2024-02-29 11:14:15+00', 'happy'],
      [2, '-0.01', '1999-12-31 23:59:59+00', 'sad'],
    ]);
  });

  it('test checks the query (tables, columns, privileges) without reading it', async () => {
    await postgresKind.test(target('SELECT * FROM things'), reach());
    // A query that would fail on its first row passes: nothing is fetched.
    await postgresKind.test(target('SELECT 1 / (id - id) FROM things'), reach());
    const missing = await failure(postgresKind.test(target('SELECT * FROM nothing_here'), reach()), 'not_found');
    expect(missing.message).toBe('PostgreSQL: relation "nothing_here" does not exist');
    const column = await failure(postgresKind.test(target('SELECT nope FROM things'), reach()), 'invalid_argument');
    expect(column.message).toContain('column "nope" does not exist');
    // DECLARE takes one SELECT: a second statement or a write never runs.
    await failure(postgresKind.test(target('SELECT 1; DROP TABLE things'), reach()), 'invalid_argument');
    await failure(postgresKind.test(target('DELETE FROM things RETURNING id'), reach()), 'invalid_argument');
    expect(await server.sql('SELECT count(*) FROM things')).toBe('3\n');
  });

  it('a wrong password is unauthorized, and no message holds the password', async () => {
    const wrong = 'not-the-password-1234';
    const err = await failure(postgresKind.test({ ...target('SELECT 1'), secret: wrong }, reach()), 'unauthorized');
    expect(err.message).toBe('PostgreSQL: password authentication failed for user "cairn"');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(wrong);
    // The right password never appears in a query's failure either.
    const failed = await failure(
      postgresKind.test(target(`SELECT '${server.password}'::int`), reach()),
      'import_failed',
      'query',
    );
    expect(failed.message).toBe('PostgreSQL: invalid input syntax for type integer: "***"');
    expect(failed.message).not.toContain(server.password);
  });

  it('an unreachable host answers within the timeout: a closed port at once, a silent server at the deadline', async () => {
    const port = await closedPort();
    const refused = { ...target('SELECT 1'), url: `postgres://cairn@127.0.0.1:${port}/postgres` };
    const started = performance.now();
    const err = await failure(postgresKind.test(refused, reach()), 'import_failed', 'unreachable');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(performance.now() - started).toBeLessThan(5000);

    const silent = await silentServer();
    try {
      const hanging = { ...target('SELECT 1'), url: `postgres://cairn@127.0.0.1:${silent.port}/postgres` };
      const t0 = performance.now();
      await failure(
        postgresKind.test(hanging, { signal: new AbortController().signal, timeoutMs: 400 }),
        'import_failed',
        'timeout',
      );
      const took = performance.now() - t0;
      expect(took).toBeGreaterThanOrEqual(350);
      expect(took).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
  });

  it("a query that fails while running gives PostgreSQL's message, and leaves no file", async () => {
    const err = await failure(
      postgresKind.fetch(target('SELECT 1 / (id - 2) FROM things ORDER BY id'), { ...reach(), tempDir: temp.dir }),
      'import_failed',
      'query',
    );
    expect(err.message).toBe('PostgreSQL: division by zero');
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('a query that returns no rows is import_failed/empty, with no file left', async () => {
    await expectEmpty(postgresKind, target('SELECT * FROM things WHERE false'), temp.dir);
  });

  it('cancel mid-stream stops the read and removes every file', async () => {
    const rows = 5_000_000;
    await expectCancelMidStream(
      postgresKind,
      target(`SELECT g, md5(g::text) FROM generate_series(1, ${rows}) g`),
      rows,
      temp.dir,
    );
    // The server is fine, and the cancelled session ends (its backend sees the closed socket): asked
    // again, a bounded number of times, until it has.
    let sessions = '';
    for (let i = 0; i < 50 && sessions !== '0\n'; i++) {
      sessions = await server.sql(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cairn'`);
    }
    expect(sessions).toBe('0\n');
  });
});
