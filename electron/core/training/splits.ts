// Train/validation/test splits as index arrays into a column set: random, stratified by a
// classification target, time-ordered, or as a column assigns them. Sizes come from the fractions
// by rounding, every split with a positive fraction gets at least one row, and the same seed gives
// the same split. chooseSplit picks one from a run's split parameters, for training and for
// making a run's split again (monitoring, retraining) alike.
import { splitParts } from '../../../shared/pipeline.js';
import { CairnError } from '../errors.js';
import type { ColumnData, ColumnSet } from './columns.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

/** 70/15/15, the split most tools start from. */
export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.7, validation: 0.15, test: 0.15 };

/** Row indices of each split. Random and stratified splits list rows ascending; a time split oldest first. */
export interface Splits {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

export interface SplitOptions {
  fractions?: SplitFractions;
  /** Only these rows are split (e.g. those with a target); all rows when omitted. */
  rows?: Uint32Array;
}

/** How many rows each split gets out of `n`; a clear error when `n` is too few. */
export function splitSizes(n: number, fractions: SplitFractions = DEFAULT_FRACTIONS): [number, number, number] {
  const f = [fractions.train, fractions.validation, fractions.test];
  if (f.some((x) => !Number.isFinite(x) || x < 0) || !(fractions.train > 0)) {
    throw new CairnError(
      'invalid_argument',
      'Split fractions must be non-negative numbers with a positive training share',
      { fractions },
    );
  }
  const sum = f[0]! + f[1]! + f[2]!;
  if (Math.abs(sum - 1) > 1e-6) {
    throw new CairnError('invalid_argument', `Split fractions must add up to 1 (they add up to ${sum})`, { fractions });
  }
  const needed = f.filter((x) => x > 0).length;
  if (n < needed) {
    throw new CairnError(
      'invalid_argument',
      `A ${f.map((x) => Math.round(x * 100)).join('/')} split needs at least ${needed} rows; there ${n === 1 ? 'is' : 'are'} ${n}`,
      {
        rows: n,
        needed,
      },
    );
  }
  // Validation and test are rounded and given at least one row each; training takes the rest.
  const part = (x: number) => (x > 0 ? Math.max(1, Math.round(n * x)) : 0);
  let validation = part(fractions.validation);
  let test = part(fractions.test);
  // Rounding both up can leave training empty on tiny tables: take the row back from the larger.
  while (n - validation - test < 1) {
    if (test >= validation && test > 1) test--;
    else validation--;
  }
  return [n - validation - test, validation, test];
}

/** A shuffled split with `seed`. */
export function randomSplit(n: number, seed: number, options: SplitOptions = {}): Splits {
  const rows = candidateRows(n, options.rows);
  const [train, validation] = splitSizes(rows.length, options.fractions);
  const shuffled = shuffleInPlace(Uint32Array.from(rows), seededRandom(seed));
  return {
    train: shuffled.slice(0, train).sort(),
    validation: shuffled.slice(train, train + validation).sort(),
    test: shuffled.slice(train + validation).sort(),
  };
}

/**
 * A split that keeps each class's share: every split holds each class within one row of its
 * exact share, and split sizes are exactly those of splitSizes. Rows with a missing target are
 * left out. Each class needs at least 2 rows and must land at least once in training (with the
 * default fractions 2 rows always do), since a model cannot learn a class it never sees.
 */
export function stratifiedSplit(target: ColumnData, seed: number, options: SplitOptions = {}): Splits {
  const { codes, classes } = classCodes(target);
  const rows = candidateRows(codes.length, options.rows).filter((r) => (codes[r] as number) >= 0);
  if (rows.length === 0)
    throw new CairnError('invalid_argument', `Target "${target.name}" has no values`, { column: target.name });
  const members: number[][] = classes.map(() => []);
  for (const r of rows) members[codes[r] as number]!.push(r);
  const present = members.map((m, k) => ({ k, rows: m })).filter((c) => c.rows.length > 0);
  if (present.length < 2) {
    throw new CairnError(
      'invalid_argument',
      `Target "${target.name}" has only one class (${JSON.stringify(classes[present[0]!.k])}): classification needs at least two`,
      {
        column: target.name,
      },
    );
  }
  const rare = present.filter((c) => c.rows.length < 2);
  if (rare.length > 0) {
    throw new CairnError(
      'invalid_argument',
      `A stratified split needs at least 2 rows of each class of "${target.name}"; ${rare.map((c) => JSON.stringify(classes[c.k])).join(', ')} ${rare.length > 1 ? 'have' : 'has'} 1`,
      { column: target.name, classes: rare.map((c) => classes[c.k]) },
    );
  }
  const total = splitSizes(rows.length, options.fractions);
  const n = rows.length;
  // Floors of each class's exact share n_c * T_s / n, with integer remainders; the rows left
  // over (few per class, exact in total per split) go where the remaining demand is largest,
  // largest classes first: the Gale–Ryser construction, which always finds a fit here.
  const alloc = present.map((c) => total.map((t) => Math.floor((c.rows.length * t) / n)));
  const remainder = present.map((c) => total.map((t) => (c.rows.length * t) % n));
  const demand = total.map((t, s) => t - alloc.reduce((sum, a) => sum + (a[s] as number), 0));
  const extras = present.map((c, i) => c.rows.length - (alloc[i] as number[]).reduce((a, b) => a + b, 0));
  const order = present.map((_c, i) => i).sort((a, b) => (extras[b] as number) - (extras[a] as number) || a - b);
  for (const i of order) {
    const targets = [0, 1, 2].sort(
      (a, b) =>
        (demand[b] as number) - (demand[a] as number) ||
        (remainder[i]![b] as number) - (remainder[i]![a] as number) ||
        a - b,
    );
    for (const s of targets.slice(0, extras[i])) {
      if ((demand[s] as number) <= 0) throw new CairnError('internal', 'Stratified split allocation failed');
      demand[s]!--;
      alloc[i]![s]!++;
    }
  }
  const random = seededRandom(seed);
  const out: number[][] = [[], [], []];
  present.forEach((c, i) => {
    const a = alloc[i] as number[];
    if (a[0] === 0) {
      throw new CairnError(
        'invalid_argument',
        `Class ${JSON.stringify(classes[c.k])} of "${target.name}" has too few rows (${c.rows.length}) to appear in the training split`,
        {
          column: target.name,
          class: classes[c.k],
        },
      );
    }
    const shuffled = shuffleInPlace(c.rows.slice(), random);
    out[0]!.push(...shuffled.slice(0, a[0]));
    out[1]!.push(...shuffled.slice(a[0], (a[0] as number) + (a[1] as number)));
    out[2]!.push(...shuffled.slice((a[0] as number) + (a[1] as number)));
  });
  const [train, validation, test] = out.map((o) => Uint32Array.from(o).sort()) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  return { train, validation, test };
}

/**
 * A split in time: the oldest rows train, the newest test, so evaluation looks forward as
 * prediction will. Rows without a time are left out; ties keep file order.
 */
export function timeSplit(time: ColumnData, options: SplitOptions = {}): Splits {
  if (time.kind !== 'number' || time.type !== 'datetime') {
    throw new CairnError(
      'invalid_argument',
      `A time-ordered split needs a datetime column; "${time.name}" is ${time.type}`,
      { column: time.name },
    );
  }
  const values = time.values;
  const rows = candidateRows(values.length, options.rows).filter((r) => !Number.isNaN(values[r]));
  if (rows.length === 0)
    throw new CairnError('invalid_argument', `Column "${time.name}" has no times to order rows by`, {
      column: time.name,
    });
  const [train, validation] = splitSizes(rows.length, options.fractions);
  rows.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  return {
    train: rows.slice(0, train),
    validation: rows.slice(train, train + validation),
    test: rows.slice(train + validation),
  };
}

/**
 * The split a column already assigns (as a pipeline's split step writes it): rows whose value is
 * train, validation or test; rows with any other value or none are left out.
 */
export function assignedSplit(column: ColumnData, options: SplitOptions = {}): Splits {
  if (column.kind !== 'codes') {
    throw new CairnError(
      'invalid_argument',
      `Split column "${column.name}" must hold the words train, validation and test; it is ${column.type}`,
      {
        column: column.name,
      },
    );
  }
  const codeOf = splitParts.map((v) => column.dictionary.indexOf(v));
  const parts: number[][] = [[], [], []];
  for (const r of candidateRows(column.codes.length, options.rows)) {
    const part = codeOf.indexOf(column.codes[r] as number);
    if (part >= 0 && (column.codes[r] as number) >= 0) parts[part]!.push(r);
  }
  const [train, validation, test] = parts.map((p) => Uint32Array.from(p)) as [Uint32Array, Uint32Array, Uint32Array];
  if (train.length === 0 || test.length === 0) {
    throw new CairnError(
      'invalid_argument',
      `Split column "${column.name}" leaves ${train.length === 0 ? 'no training rows' : 'no test rows'} among the rows with a target`,
      { column: column.name, rows: { train: train.length, validation: validation.length, test: test.length } },
    );
  }
  return { train, validation, test };
}

/** How a run's rows were split, as params.split.method records it. */
export type SplitMethod = 'random' | 'stratified' | 'time' | 'column';

/** A run's split parameters: enough to make its split again from the same data. */
export interface SplitChoice {
  method: SplitMethod;
  seed: number;
  fractions: SplitFractions;
  /** The datetime column of a time split. */
  timeColumn?: string;
  /** The column assigning rows to parts (a pipeline's split step). */
  splitColumn?: string;
}

/** The method a training request implies: its split column, else its time column, else stratified for classes, else random. */
export function splitMethodOf(
  request: { splitColumn?: string; timeColumn?: string },
  task: 'classification' | 'regression',
): SplitMethod {
  if (request.splitColumn) return 'column';
  if (request.timeColumn) return 'time';
  return task === 'classification' ? 'stratified' : 'random';
}

/**
 * The train/validation/test rows of `data` by a run's split parameters, among the rows with a
 * `target` value. `data` must hold the target and the split's time or split column.
 */
export function chooseSplit(data: ColumnSet, target: string, choice: SplitChoice): Splits {
  const column = (name: string | undefined, what: string): ColumnData => {
    const col = data.columns.get(name ?? '');
    if (!col)
      throw new CairnError('invalid_argument', `The data has no ${what} column ${JSON.stringify(name ?? '')}`, {
        column: name ?? null,
      });
    return col;
  };
  const targetColumn = column(target, 'target');
  const rows = presentRows(targetColumn);
  const fractions = choice.fractions;
  switch (choice.method) {
    case 'column':
      return assignedSplit(column(choice.splitColumn, 'split'), { rows });
    case 'time':
      return timeSplit(column(choice.timeColumn, 'time'), { fractions, rows });
    case 'stratified':
      return stratifiedSplit(targetColumn, choice.seed, { fractions });
    case 'random':
      return randomSplit(data.rows, choice.seed, { fractions, rows });
  }
}

/** Rows whose value in `column` is present: for leaving out rows without a target. */
export function presentRows(column: ColumnData, rows?: Uint32Array): Uint32Array {
  const isPresent =
    column.kind === 'number'
      ? (r: number) => !Number.isNaN(column.values[r])
      : (r: number) => (column.codes[r] as number) >= 0;
  const n = column.kind === 'number' ? column.values.length : column.codes.length;
  return candidateRows(n, rows).filter(isPresent);
}

/**
 * A column's values as class codes (-1 missing) and the class names they stand for: category
 * codes as they are, numbers (an integer target) by their distinct values in ascending order.
 */
export function classCodes(column: ColumnData): { codes: Int32Array; classes: string[] } {
  if (column.kind === 'codes') return { codes: column.codes, classes: column.dictionary };
  const distinct = [...new Set(column.values.filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, i) => [v, i]));
  const codes = new Int32Array(column.values.length);
  column.values.forEach((v, i) => (codes[i] = Number.isNaN(v) ? -1 : (index.get(v) as number)));
  return { codes, classes: distinct.map(String) };
}

function candidateRows(n: number, rows?: Uint32Array): Uint32Array {
  if (!rows) return Uint32Array.from({ length: n }, (_v, i) => i);
  for (const r of rows)
    if (r >= n) throw new CairnError('invalid_argument', `Row ${r} is beyond the table's ${n} rows`);
  return rows;
}
