// The MySQL kind against a real MariaDB (test/support/servers/mariadb.ts): a table of every kind of
// column streamed into Parquet and back, the preview, the query check, and each bad input the issue
// names.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlKind } from '../../../../../../electron/core/sources/databases/mysql.js';
import type { SourceTarget } from '../../../../../../electron/core/sources/source-kind.js';
import { startMariaDb, type MariaDbServer } from '../../../../../support/servers/mariadb.js';
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

const temp = tempDirFor('each test', 'cairn-mysql-source-');
let server: MariaDbServer;
const reach = () => ({ signal: new AbortController().signal, timeoutMs: 5000 });
const target = (query: string): SourceTarget => ({ kind: 'mysql', url: server.url, secret: server.password, query });

beforeAll(async () => {
  server = await startMariaDb();
  await server.sql(`
    CREATE TABLE things (
      id INT, big BIGINT, ubig BIGINT UNSIGNED, price DECIMAL(10,2), wide DECIMAL(65,30), ratio DOUBLE,
      small TINYINT(1), name VARCHAR(100), day DATE, seen DATETIME(6), at TIMESTAMP(3) NULL, doc JSON,
      size ENUM('s', 'm', 'l'), raw VARBINARY(10), took TIME
    );
    SET time_zone = '+02:00';
    INSERT INTO things VALUES
      (1, 9007199254740993, 18446744073709551615, 12.34, 1.5, 0.1, 1, 'plain', '2024-02-29',
       '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.250', '{"a": [1, 2]}', 'm', X'00ff', '-838:59:59'),
      (2, -5, 0, -0.01, NULL, -1e300, 0, 'a "quoted", comma\nand newline', '1999-12-31', '1999-12-31 23:59:59', '2000-01-01 01:59:59', 'null', 's', X'', '12:00:00'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    CREATE TABLE numbers (n INT);
    INSERT INTO numbers SELECT seq FROM seq_1_to_100000;
  `);
});
afterAll(async () => {
  await server?.stop();
});

describe('mysql kind (MariaDB)', () => {
  it('reads a real table into Parquet: values, NULLs, dates and time zones round-trip; converted types are said', async () => {
    const fetched = asFetched(
      await mysqlKind.fetch(target('SELECT * FROM things ORDER BY id'), { ...reach(), tempDir: temp.dir }),
    );
    expect(fetched).toMatchObject({ format: 'parquet', rows: 3 });
    const { types, rows } = await readParquet(fetched.path);
    expect(types).toEqual({
      id: 'INTEGER',
      big: 'BIGINT',
      ubig: 'UBIGINT',
      price: 'DECIMAL(10,2)',
      wide: 'DOUBLE',
      ratio: 'DOUBLE',
      small: 'INTEGER',
      name: 'VARCHAR',
      day: 'DATE',
      seen: 'TIMESTAMP',
      at: 'TIMESTAMP WITH TIME ZONE',
      doc: 'VARCHAR',
      size: 'VARCHAR',
      raw: 'VARCHAR',
      took: 'VARCHAR',
    });
    const [one, two, three] = rows;
    expect(one).toMatchObject({
      id: 1,
      big: 9007199254740993n,
      ubig: 18446744073709551615n,
      price: 12.34,
      wide: 1.5,
      ratio: 0.1,
      small: 1,
      name: 'plain',
      doc: '{"a": [1, 2]}',
      size: 'm',
      raw: '\\x00ff',
      took: '-838:59:59',
    });
    expect((one?.day as Date).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect((one?.seen as Date).toISOString()).toBe('2024-02-29T13:14:15.123Z');
    // Written at +02:00, the same instant is kept as UTC.
    expect((one?.at as Date).toISOString()).toBe('2024-02-29T11:14:15.250Z');
    expect(two).toMatchObject({
      big: -5n,
      ubig: 0n,
      price: -0.01,
      wide: null,
      ratio: -1e300,
      name: 'a "quoted", comma\nand newline',
    });
    expect((two?.at as Date).toISOString()).toBe('1999-12-31T23:59:59.000Z');
    expect(two).toMatchObject({ doc: 'null', raw: '\\x', took: '12:00:00' });
    expect(three).toEqual({ ...Object.fromEntries(Object.keys(types).map((k) => [k, null])), id: 3, name: '' });
    expect(fetched.notes).toEqual([
      expect.stringMatching(/^Column "wide" \(DECIMAL\(65,30\)\) was converted to double/),
      'Column "doc" (json) was converted to text',
      'Column "size" (ENUM) was converted to text (an enum)',
      'Column "raw" (VARBINARY) was converted to text (\\x and hex)',
      'Column "took" (TIME) was converted to text (a duration)',
    ]);
  });

  it('streams a result larger than a batch, and previews at most N rows with type names', async () => {
    const fetched = asFetched(
      await mysqlKind.fetch(target('SELECT n FROM numbers ORDER BY n'), { ...reach(), tempDir: temp.dir }),
    );
    expect(fetched.rows).toBe(100_000);
    const { rows } = await readParquet(fetched.path);
    expect(rows.at(-1)).toEqual({ n: 100_000 });
    expect(rows.reduce((sum, r) => sum + (r.n as number), 0)).toBe((100_000 * 100_001) / 2);

    const preview = await mysqlKind.preview(
      target('SELECT n, n / 2 AS half, CAST(n AS CHAR) AS t FROM numbers ORDER BY n'),
      3,
      reach(),
    );
    expect(preview.columns).toEqual([
      { name: 'n', type: 'INT' },
      { name: 'half', type: 'DECIMAL(14,4)' },
      { name: 't', type: 'VARCHAR' },
    ]);
    expect(preview.rows).toEqual([
      [1, '0.5000', '1'],
      [2, '1.0000', '2'],
      [3, '1.5000', '3'],
    ]);
  });

  it('test checks the query (tables, columns) on the server without running it', async () => {
    await mysqlKind.test(target('SELECT * FROM things'), reach());
    const missing = await failure(mysqlKind.test(target('SELECT * FROM nothing_here'), reach()), 'not_found');
    expect(missing.message).toBe("MySQL: Table 'cairn.nothing_here' doesn't exist");
    const column = await failure(mysqlKind.test(target('SELECT nope FROM things'), reach()), 'invalid_argument');
    expect(column.message).toContain("Unknown column 'nope'");
    await failure(mysqlKind.test(target('SELECT 1; DROP TABLE things'), reach()), 'invalid_argument');
    expect(await server.sql('SELECT count(*) FROM things')).toBe('3\n');
  });

  it('a wrong password is unauthorized, and the message holds no password', async () => {
    const wrong = 'not-the-password-1234';
    const err = await failure(mysqlKind.test({ ...target('SELECT 1'), secret: wrong }, reach()), 'unauthorized');
    expect(err.message).toMatch(/^MySQL: Access denied for user 'cairn'@'127.0.0.1' \(using password: YES\)$/);
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(wrong);
  });

  it('an unreachable host answers within the timeout: a closed port at once, a silent server at the deadline', async () => {
    const port = await closedPort();
    const started = performance.now();
    await failure(
      mysqlKind.test({ ...target('SELECT 1'), url: `mysql://cairn@127.0.0.1:${port}/cairn` }, reach()),
      'import_failed',
      'unreachable',
    );
    expect(performance.now() - started).toBeLessThan(5000);
    const silent = await silentServer();
    try {
      const t0 = performance.now();
      await failure(
        mysqlKind.test(
          { ...target('SELECT 1'), url: `mysql://cairn@127.0.0.1:${silent.port}/cairn` },
          { signal: new AbortController().signal, timeoutMs: 400 },
        ),
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

  it("a query that fails while running gives the server's message; no rows is empty; neither leaves a file", async () => {
    const err = await failure(
      mysqlKind.fetch(target('SELECT id, (SELECT n FROM numbers WHERE n > things.id) FROM things'), {
        ...reach(),
        tempDir: temp.dir,
      }),
      'import_failed',
      'query',
    );
    expect(err.message).toBe('MySQL: Subquery returns more than 1 row');
    expect(await readdir(temp.dir)).toEqual([]);
    await expectEmpty(mysqlKind, target('SELECT * FROM things WHERE 1 = 0'), temp.dir);
  });

  it('cancel mid-stream stops the read and removes every file', async () => {
    await expectCancelMidStream(mysqlKind, target('SELECT a.n, b.n FROM numbers a, numbers b'), 100_000 ** 2, temp.dir);
  });
});
