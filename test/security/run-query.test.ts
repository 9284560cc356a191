// A runs query is untrusted text (the browser host takes it from any page holding the token, the
// CLI from a script): it must never become SQL. Values are bound parameters, fields come from an
// allow-list, anything else SQL could read (`;`, comments) is not part of the language, and a
// query's size and depth are bounded before the parser recurses or SQLite builds an expression.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whereSql } from '../../electron/core/db/run-query-sql.js';
import type { CairnService } from '../../electron/core/service.js';
import {
  MAX_IN_VALUES,
  MAX_QUERY_CONDITIONS,
  MAX_QUERY_DEPTH,
  MAX_QUERY_LENGTH,
  parseRunQuery,
  runQueryError,
} from '../../shared/run-query.js';
import { freshService } from '../unit/electron/core/helpers.js';
import { sampleRuns, seededRepo } from '../unit/electron/core/db/seed-runs.js';

const HOSTILE_NAMES = [`x" OR 1=1 --`, "o'brien", "'); DROP TABLE runs; --"];
const RUNS = sampleRuns(12, 3).map((r, i) => ({
  ...r,
  status: 'succeeded' as const,
  name: HOSTILE_NAMES[i] ?? r.name ?? 'plain',
}));

const seeded = seededRepo(RUNS);

const names = (query: string) => seeded.repo.list(parseRunQuery(query)).map((r) => r.model?.name);

describe('values in a runs query', () => {
  it('are bound, never written into the SQL: quotes match themselves and nothing else', () => {
    expect(names(String.raw`name = "x\" OR 1=1 --"`)).toEqual([`x" OR 1=1 --`]);
    expect(names(String.raw`name = 'o\'brien'`)).toEqual(["o'brien"]);
    expect(names(`name = "'); DROP TABLE runs; --"`)).toEqual(["'); DROP TABLE runs; --"]);
    expect(names(`name = "' OR '1'='1"`)).toEqual([]);
    expect(names(`name LIKE "%' OR 1=1 OR name LIKE '%"`)).toEqual([]);
    expect(seeded.repo.list(null)).toHaveLength(RUNS.length);
  });

  it('leave the SQL text made only of the engine’s own fragments', () => {
    const where = whereSql(
      parseRunQuery(String.raw`name = "a\" OR 1=1" AND params.optimizer IN (adam) AND test.r2 > 0`),
    );
    expect(where.sql).not.toMatch(/OR 1=1|adam|\.r2/);
    expect(where.sql.split('?').length - 1).toBe(where.params.length);
  });
});

describe('what SQL could read but a runs query cannot', () => {
  it.each([
    ['seed = 1; DELETE FROM runs', "unexpected ';' at column 9"],
    ['seed = 1 -- and the rest', "unexpected '-' at column 10"],
    ['seed = 1 /* note */', "unexpected '/' at column 10"],
    ['seed = 1 OR 1 = 1', "expected a field such as model or test.accuracy, found '1' at column 13"],
    ['seed = 1 UNION SELECT name FROM sqlite_master', "expected AND, OR or the end, found 'UNION' at column 10"],
    ['name = x\u0000', 'unexpected U+0000 at column 9'],
  ])('%j is refused', (query, message) => {
    expect(runQueryError(query)?.message).toBe(message);
  });

  it.each([
    'r.id = 1',
    'sqlite_master.name = runs',
    'params.__proto__ = 1',
    'params.constructor = 1',
    'params.features = a',
    'test.foo = 1',
    'test.accuracy.x = 1',
    'toString = 1',
  ])('unknown field in %j is refused, with the known ones', (query) => {
    expect(runQueryError(query)?.message).toMatch(/^unknown field \S+ at column 1; known: /);
  });
});

describe('a query’s size and depth', () => {
  it('is refused past its length before anything is read', () => {
    const long = `name = "${'a'.repeat(MAX_QUERY_LENGTH)}"`;
    expect(runQueryError(long)?.message).toBe(`the query is longer than ${MAX_QUERY_LENGTH} characters`);
    expect(runQueryError('('.repeat(1_000_000))?.message).toBe(
      `the query is longer than ${MAX_QUERY_LENGTH} characters`,
    );
  });

  it('is refused past its nesting, without deep recursion', () => {
    const parens = `${'('.repeat(900)}seed = 1${')'.repeat(900)}`;
    expect(runQueryError(parens)?.message).toBe(
      `the query nests more than ${MAX_QUERY_DEPTH} levels of parentheses and NOT at column ${MAX_QUERY_DEPTH + 1}`,
    );
    expect(runQueryError(`${'NOT '.repeat(400)}seed = 1`)?.column).toBe(4 * MAX_QUERY_DEPTH + 1);
    expect(runQueryError(`${'('.repeat(MAX_QUERY_DEPTH)}seed = 1${')'.repeat(MAX_QUERY_DEPTH)}`)).toBeUndefined();
  });

  it('is refused past its conditions and IN values', () => {
    const many = Array.from({ length: MAX_QUERY_CONDITIONS + 1 }, (_, i) => `seed = ${i}`).join(' OR ');
    expect(runQueryError(many)?.message).toMatch(`more than ${MAX_QUERY_CONDITIONS} conditions`);
    const list = `seed IN (${Array.from({ length: MAX_IN_VALUES + 1 }, (_, i) => i).join(',')})`;
    expect(runQueryError(list)?.message).toMatch(`at most ${MAX_IN_VALUES} values`);
  });
});

describe('through the service', () => {
  let service: CairnService;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ service, close } = await freshService());
  });
  afterAll(async () => close());

  it('a hostile query is the caller’s error, with its column, and changes nothing', async () => {
    const r = await service.call('runs.list', { query: 'seed = 1; DROP TABLE runs' });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_argument',
        message: "unexpected ';' at column 9",
        details: { query: 'seed = 1; DROP TABLE runs', column: 9, length: 1 },
      },
    });
    const g = await service.call('runs.groups', { groupBy: 'r.id' });
    expect(g.ok).toBe(false);
    expect(await service.call('runs.list', {})).toEqual({ ok: true, result: [] });
  });

  it('a query longer than the limit is refused by the contract', async () => {
    const r = await service.call('runs.list', { query: 'a'.repeat(MAX_QUERY_LENGTH + 1) });
    expect(r.ok).toBe(false);
  });
});
