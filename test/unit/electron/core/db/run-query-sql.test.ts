// The runs query compiled to SQL, checked against a plain reading of the same runs: hundreds of
// generated queries must keep exactly the runs a JavaScript evaluation of the parsed tree keeps.
import { describe, expect, it } from 'vitest';
import { metricFieldsArg, whereSql } from '../../../../../electron/core/db/run-query-sql.js';
import {
  parseRunQuery,
  queryField,
  type Literal,
  type QueryField,
  type QueryNode,
} from '../../../../../shared/run-query.js';
import { fieldValue, oneOf, sampleRuns, seededRandom, seededRepo, type SeedRun } from './seed-runs.js';

const RUNS = sampleRuns(160, 7);
const seeded = seededRepo(RUNS);

function field(name: string): QueryField {
  const f = queryField(name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}

/** SQL's LIKE: % any run, _ one character, \ escapes, ASCII letters case-blind. */
function likeRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) source += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

function compare(a: Literal, op: string, b: Literal): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** The documented meaning, in plain code: a condition on a missing value is false, and so is its NOT. */
function matches(run: SeedRun, node: QueryNode): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => matches(run, n));
    case 'or':
      return node.items.some((n) => matches(run, n));
    case 'not':
      return !matches(run, node.item);
    case 'missing':
      return (fieldValue(run, node.field) === null) !== node.negated;
  }
  const v = fieldValue(run, node.field);
  if (v === null) return false;
  if (node.kind === 'compare') return compare(v, node.op, node.value);
  if (node.kind === 'in') return node.values.includes(v) !== node.negated;
  return likeRegex(node.pattern).test(String(v)) !== node.negated;
}

/** Conditions a generated query draws from: values both present in the runs and not. */
const CONDITIONS: readonly string[] = [
  'model = gbdt',
  'model != "mlp"',
  'model IN (logistic_regression, linear_regression)',
  'status = succeeded',
  'status NOT IN (failed, queued)',
  'task = classification',
  'task IS NULL',
  'dataset = "Iris-2"',
  'dataset LIKE "iris%"',
  "dataset NOT LIKE 'w_ne'",
  'name LIKE "%\\_v2"',
  'name LIKE "it\\%s"',
  'name IS NOT NULL',
  'name CONTAINS "_v"',
  'name CONTAINS "%"',
  'dataset NOT CONTAINS "IRIS"',
  'version >= 2',
  'version IN (1, 3)',
  'target = species',
  'backend = wasm',
  'created > "2026-12-03"',
  'created <= "2026-12-02T10:30"',
  'duration > 30.5',
  'duration < 10.5',
  'finished IS NULL',
  'seed = 42',
  'params.seed < 3',
  'params.learningRate < 0.05',
  'params.learningRate = 0.01',
  'params.learningRate IS NULL',
  'params.epochs >= 50',
  'params.optimizer = sgd',
  'params.l2 = 0',
  'params.trees > 60',
  'params.loss = squared_error',
  'test.accuracy > 0.5',
  'test.accuracy <= 0.25',
  'test.f1_macro >= 0.4',
  'test.r2 > 0.3',
  'test.mae IS NOT NULL',
  'validation.accuracy > 0.5',
  'validation.r2 IS NULL',
];

function randomQuery(random: () => number, depth: number): string {
  const r = random();
  if (depth === 0 || r < 0.35) return oneOf(random, CONDITIONS);
  if (r < 0.5) return `NOT (${randomQuery(random, depth - 1)})`;
  const op = r < 0.75 ? 'AND' : 'OR';
  const n = 2 + Math.floor(random() * 3);
  return `(${Array.from({ length: n }, () => randomQuery(random, depth - 1)).join(` ${op} `)})`;
}

const ids = (runs: readonly { id: string }[]) => runs.map((r) => r.id).sort();

describe('the runs query in SQL', () => {
  it('binds every value: the SQL text holds none of them', () => {
    const where = whereSql(parseRunQuery('name = "iris" AND test.accuracy > 0.9 OR dataset LIKE "wi%"'));
    expect(where.sql).not.toMatch(/iris|0\.9|wi%|accuracy/);
    expect(where.params).toEqual(expect.arrayContaining(['iris', '$.accuracy', 0.9, 'wi%']));
    expect(where.sql.split('?').length - 1).toBe(where.params.length);
  });

  it('keeps what a plain evaluation keeps, for every single condition', () => {
    for (const text of CONDITIONS) {
      const query = parseRunQuery(text);
      const expected = RUNS.filter((r) => matches(r, query as QueryNode));
      expect(ids(seeded.repo.list(query)), text).toEqual(ids(expected));
      // A condition the seeded runs cannot tell apart would prove nothing.
      expect(expected.length, text).toBeGreaterThan(0);
      expect(expected.length, text).toBeLessThan(RUNS.length);
    }
  });

  it('keeps what a plain evaluation keeps, for 200 generated queries with AND, OR, NOT and nesting', () => {
    const random = seededRandom(2026);
    let partial = 0;
    for (let i = 0; i < 200; i++) {
      const text = randomQuery(random, 3);
      const query = parseRunQuery(text);
      const expected = RUNS.filter((r) => matches(r, query as QueryNode));
      expect(ids(seeded.repo.list(query)), text).toEqual(ids(expected));
      if (expected.length > 0 && expected.length < RUNS.length) partial++;
    }
    expect(partial).toBeGreaterThan(100);
  });

  it('reads a setting from a finished run (nested) and from a queued or failed one (as requested)', () => {
    const rate = RUNS.filter((r) => r.params.learningRate === 0.01);
    expect(rate.some((r) => r.status === 'succeeded') && rate.some((r) => r.status !== 'succeeded')).toBe(true);
    expect(ids(seeded.repo.list(parseRunQuery('params.learningRate = 0.01')))).toEqual(ids(rate));
  });

  it('lists every run, newest first, for the empty query', () => {
    const all = seeded.repo.list(parseRunQuery(''));
    expect(all.length).toBe(RUNS.length);
    expect(all.map((r) => r.createdAt)).toEqual([...all.map((r) => r.createdAt)].sort().reverse());
  });
});

/** Mean and sample standard deviation, the plain way. */
function spreadOf(xs: number[]): { n: number; mean: number | null; std: number | null } {
  const n = xs.length;
  const mean = n ? xs.reduce((s, x) => s + x, 0) / n : null;
  const std = n > 1 && mean !== null ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : null;
  return { n, mean, std };
}

describe('runs grouped by a field', () => {
  it.each(['model', 'params.learningRate', 'seed', 'dataset'])('by %s: counts, members and spreads', (by) => {
    const query = parseRunQuery('status != queued');
    const metrics = ['test.accuracy', 'duration'];
    const result = seeded.repo.groups(query, field(by), metricFieldsArg(metrics));
    const kept = RUNS.filter((r) => matches(r, query as QueryNode));
    const keys = [...new Set(kept.map((r) => fieldValue(r, field(by))))];
    expect(result.groupBy).toBe(field(by).name);
    expect(result.metrics).toEqual(metrics);
    expect(result.groups.map((g) => g.key).sort()).toEqual([...keys].sort());
    for (const g of result.groups) {
      const members = kept.filter((r) => fieldValue(r, field(by)) === g.key);
      expect(g.count).toBe(members.length);
      expect([...g.runIds].sort()).toEqual(ids(members));
      for (const m of metrics) {
        const want = spreadOf(
          members.map((r) => fieldValue(r, field(m))).filter((v): v is number => typeof v === 'number'),
        );
        const got = g.stats[m];
        expect(got?.n).toBe(want.n);
        if (want.mean === null) expect(got?.mean).toBeNull();
        else expect(got?.mean).toBeCloseTo(want.mean, 6);
        if (want.std === null) expect(got?.std).toBeNull();
        else expect(got?.std).toBeCloseTo(want.std, 6);
      }
    }
  });

  it('orders groups by key, numbers ascending and the runs without a value last', () => {
    const { groups } = seeded.repo.groups(null, field('params.learningRate'), metricFieldsArg(undefined));
    expect(groups.map((g) => g.key)).toEqual([0.001, 0.01, 0.1, null]);
  });

  it('summarises, unasked, only the test scores some run has', () => {
    const { metrics } = seeded.repo.groups(
      parseRunQuery('task = regression'),
      field('model'),
      metricFieldsArg(undefined),
    );
    expect(metrics).toEqual(['test.mae', 'test.r2']);
  });
});
