// readRows on a real Parquet file: paging, sorting, filters, totals, awkward column names.
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnProfile, RowFilter } from '../../../../../shared/api.js';
import { asText, literal, openDuck } from '../../../../../electron/core/datasets/duck.js';
import { profileColumns } from '../../../../../electron/core/datasets/profile.js';
import { readRows } from '../../../../../electron/core/datasets/rows.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import { tempDir } from '../helpers.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let dataFile: string;
let columns: ColumnProfile[];
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  dataFile = path.join(t.dir, 'data.parquet');
  ({ instance, conn } = await openDuck());
  // 25 rows: id 1..25, score = id mod 7 (ties), name with a NULL every 5th row, a __proto__ column.
  await conn.run(`COPY (SELECT i + 1 AS id, (i + 1) % 7 AS score,
      CASE WHEN (i + 1) % 5 = 0 THEN NULL ELSE 'name_' || (i + 1)::VARCHAR END AS name,
      'p' || (i % 3)::VARCHAR AS "__proto__",
      CASE WHEN i = 24 THEN 9007199254740993 ELSE i END::BIGINT AS big
    FROM range(25) t(i)) TO ${literal(dataFile)} (FORMAT parquet)`);
  const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(dataFile)})`)).getRowsJS();
  columns = await profileColumns(
    conn,
    `read_parquet(${literal(dataFile)})`,
    described.map((r) => ({ name: asText(r[0]), storageType: asText(r[1]) })),
  );
});
afterAll(async () => {
  conn.closeSync();
  instance.closeSync();
  await cleanup();
});

const rows = (q: {
  offset?: number;
  limit?: number;
  sort?: { column: string; direction: 'asc' | 'desc' };
  filters?: RowFilter[];
}) =>
  readRows(conn, {
    dataFile,
    columns,
    offset: q.offset ?? 0,
    limit: q.limit ?? 100,
    sort: q.sort,
    filters: q.filters ?? [],
  });

const col = (page: { columns: string[]; rows: unknown[][] }, name: string) =>
  page.rows.map((r) => r[page.columns.indexOf(name) + 1]);

describe('readRows', () => {
  it('pages in file order, each row led by its 1-based row number, with the total', async () => {
    const page = await rows({ offset: 10, limit: 5 });
    expect(page.columns).toEqual(['id', 'score', 'name', '__proto__', 'big']);
    expect(page.total).toBe(25);
    expect(page.offset).toBe(10);
    expect(page.rows.map((r) => r[0])).toEqual([11, 12, 13, 14, 15]);
    expect(page.rows[0]).toEqual([11, 11, 4, 'name_11', 'p1', 10]);
    expect((await rows({ offset: 24 })).rows).toHaveLength(1);
    expect((await rows({ offset: 30 })).rows).toEqual([]);
  });

  it('sorts ascending and descending, ties broken by file order, NULLs last either way', async () => {
    const asc = await rows({ sort: { column: 'score', direction: 'asc' }, limit: 5 });
    expect(col(asc, 'score')).toEqual([0, 0, 0, 1, 1]);
    expect(col(asc, 'id')).toEqual([7, 14, 21, 1, 8]);
    const desc = await rows({ sort: { column: 'score', direction: 'desc' }, limit: 4 });
    expect(col(desc, 'score')).toEqual([6, 6, 6, 5]);
    expect(col(desc, 'id')).toEqual([6, 13, 20, 5]);
    for (const direction of ['asc', 'desc'] as const) {
      const all = await rows({ sort: { column: 'name', direction } });
      expect(col(all, 'name').slice(-5)).toEqual([null, null, null, null, null]);
    }
  });

  it('filters: contains (case-insensitive, wildcards literal), eq, gt, is_null, combined', async () => {
    expect(col(await rows({ filters: [{ column: 'name', op: 'contains', value: 'NAME_2' }] }), 'id')).toEqual([
      2, 21, 22, 23, 24,
    ]);
    expect((await rows({ filters: [{ column: 'name', op: 'contains', value: '%' }] })).total).toBe(0);
    expect((await rows({ filters: [{ column: 'name', op: 'contains', value: '_' }] })).total).toBe(20);
    expect(col(await rows({ filters: [{ column: 'score', op: 'eq', value: 3 }] }), 'id')).toEqual([3, 10, 17, 24]);
    // Numeric comparison, not text: "10" < "9" as text.
    expect(col(await rows({ filters: [{ column: 'id', op: 'gt', value: '22' }] }), 'id')).toEqual([23, 24, 25]);
    expect(col(await rows({ filters: [{ column: 'name', op: 'is_null' }] }), 'id')).toEqual([5, 10, 15, 20, 25]);
    const both = await rows({
      filters: [
        { column: 'score', op: 'gte', value: 5 },
        { column: 'name', op: 'not_null' },
      ],
      limit: 2,
    });
    expect(both.total).toBe(4); // score 5 or 6: ids 5, 6, 12, 13, 19, 20, less the NULL names 5 and 20
    expect(col(both, 'id')).toEqual([6, 12]);
  });

  it('works with a column called __proto__', async () => {
    const page = await rows({
      filters: [{ column: '__proto__', op: 'eq', value: 'p2' }],
      sort: { column: '__proto__', direction: 'desc' },
    });
    expect(page.total).toBe(8);
    expect(new Set(col(page, '__proto__'))).toEqual(new Set(['p2']));
  });

  it('returns integers above 2^53 as exact strings', async () => {
    const page = await rows({ offset: 24 });
    expect(col(page, 'big')).toEqual(['9007199254740993']);
  });

  it('refuses an unknown column in a sort or a filter, and a filter without its value', async () => {
    const codeOf = async (p: Promise<unknown>) => {
      const err: unknown = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CairnError);
      return (err as CairnError).code;
    };
    expect(await codeOf(rows({ sort: { column: 'nope', direction: 'asc' } }))).toBe('invalid_argument');
    expect(await codeOf(rows({ filters: [{ column: 'id"; DROP TABLE x; --', op: 'eq', value: 1 }] }))).toBe(
      'invalid_argument',
    );
    expect(await codeOf(rows({ filters: [{ column: 'id', op: 'eq' }] }))).toBe('invalid_argument');
  });
});
