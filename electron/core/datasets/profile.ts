// Column profiles computed by DuckDB over a dataset's Parquet file: a few wide aggregate
// queries (many columns per query) rather than one query per column, so a 10,000-column file
// profiles in seconds and a million-row one in one or two scans.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Cell, ColumnProfile, ColumnType, HistogramBin } from '../../../shared/api.js';
import { ident, toCell, toNumber } from './duck.js';

export interface ColumnSpec {
  name: string;
  storageType: string;
  /** The type to profile as; omitted, it is inferred from storage type and cardinality. */
  type?: ColumnType;
  /**
   * Finite min and max known beforehand (Parquet statistics): they fix the histogram's bins, so
   * a numeric column's histogram comes from the first scan instead of needing a second.
   */
  bounds?: { min: number; max: number };
  /**
   * Exact min, max and count of values known beforehand (Parquet statistics of a DOUBLE or integer
   * column holding no NaN or infinity): a first pass profiling the column as its own type then
   * leaves those aggregates out of its scan.
   */
  known?: { min: Cell; max: Cell; nonNull: number };
}

/** Above this many rows, distinct counts and quantiles are approximate (HyperLogLog, a sample). */
export const EXACT_ROW_LIMIT = 200_000;
/** A text column with at most this many distinct values (and repeats) is categorical. */
export const CATEGORICAL_MAX_DISTINCT = 1000;
const COLUMNS_PER_QUERY = 25;
/** From this many columns, and up to this many cells, profiles are computed in long format. */
export const LONG_MIN_COLUMNS = 200;
const LONG_MAX_CELLS = 5_000_000;
const HISTOGRAM_BINS = 20;
const TOP_VALUES = 10;
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
/**
 * Large tables get quantiles from a uniform sample of this many values: within about half a
 * percentile of the exact ones, and three times faster than DuckDB's t-digest (approx_quantile).
 */
const QUANTILE_SAMPLE = 65_536;

type Storage = 'integer' | 'numeric' | 'boolean' | 'datetime' | 'string' | 'other';

/** Which family a DuckDB storage type belongs to. */
export function storageFamily(storageType: string): Storage {
  const t = storageType.toUpperCase();
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UHUGEINT)$/.test(t)) return 'integer';
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL.*)$/.test(t)) return 'numeric';
  if (t === 'BOOLEAN') return 'boolean';
  if (/^(DATE|TIME.*|TIMESTAMP.*)$/.test(t)) return 'datetime';
  if (t === 'VARCHAR') return 'string';
  return 'other';
}

/** The column's values read as `type`: what a user's type correction means in SQL. */
function valueExpr(name: string, storage: Storage, type: ColumnType): string {
  const c = ident(name);
  switch (type) {
    case 'numeric':
      return storage === 'numeric' ? `${c}::DOUBLE` : `TRY_CAST(${c} AS DOUBLE)`;
    case 'integer':
      return storage === 'integer' ? c : `TRY_CAST(${c} AS BIGINT)`;
    case 'boolean':
      return storage === 'boolean' ? c : `TRY_CAST(${c} AS BOOLEAN)`;
    case 'datetime':
      return storage === 'datetime' ? c : `TRY_CAST(${c} AS TIMESTAMP)`;
    case 'categorical':
    case 'text':
      return `CAST(${c} AS VARCHAR)`;
  }
}

/**
 * The type a column of a number, boolean or date/time storage family is, whatever its values;
 * undefined for text and other storage, whose type the values decide.
 */
export function fixedColumnType(storage: Storage): Extract<ColumnType, Storage> | undefined {
  return storage === 'integer' || storage === 'numeric' || storage === 'boolean' || storage === 'datetime'
    ? storage
    : undefined;
}

function inferType(storage: Storage, distinct: number, present: number): ColumnType {
  const fixed = fixedColumnType(storage);
  if (fixed) return fixed;
  if (storage === 'other') return 'text';
  // Values must repeat: at most half as many distinct values as rows, relaxed to "some
  // repeat" on tiny tables (3 rows of a, b, a are categories; 10 unique names are not).
  return present > 0 &&
    distinct <= CATEGORICAL_MAX_DISTINCT &&
    distinct <= Math.max(present / 2, Math.min(present - 1, 20))
    ? 'categorical'
    : 'text';
}

interface Working {
  spec: ColumnSpec;
  storage: Storage;
  profile: ColumnProfile;
}

/** Profiles the given columns of `source` (a FROM clause such as read_parquet('...')). */
export async function profileColumns(
  conn: DuckDBConnection,
  source: string,
  specs: ColumnSpec[],
  onProgress?: (done: number, total: number) => void,
): Promise<ColumnProfile[]> {
  const totalRows = await countRows(conn, source);
  const exact = totalRows <= EXACT_ROW_LIMIT;
  // Wide, short tables are profiled in long format: each aggregate in a wide query costs DuckDB
  // a few milliseconds however few the rows, which made 10,000 columns take minutes.
  if (specs.length >= LONG_MIN_COLUMNS && totalRows * specs.length <= LONG_MAX_CELLS) {
    return profileLong(conn, source, specs, totalRows, exact, onProgress);
  }
  const work: Working[] = [];
  const steps = Math.ceil(specs.length / COLUMNS_PER_QUERY) * 2;
  let step = 0;
  for (let i = 0; i < specs.length; i += COLUMNS_PER_QUERY) {
    const chunk = specs.slice(i, i + COLUMNS_PER_QUERY);
    work.push(...(await firstPass(conn, source, chunk, totalRows, exact)));
    onProgress?.(++step, steps);
  }
  for (let i = 0; i < work.length; i += COLUMNS_PER_QUERY) {
    await secondPass(conn, source, work.slice(i, i + COLUMNS_PER_QUERY));
    onProgress?.(++step, steps);
  }
  return work.map((w) => w.profile);
}

export async function countRows(conn: DuckDBConnection, source: string): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(*) FROM ${source}`);
  return Number(reader.getRowsJS()[0]?.[0] ?? 0);
}

/** A first-pass statistic of one column, as toWorking reads it back. */
type Stat = 'nonNull' | 'present' | 'distinct' | 'min' | 'max' | 'mean' | 'std' | 'nonFinite' | 'quantiles';

/**
 * The aggregates of one column over its raw value r, its value v read as the type, and x, the
 * finite double of v, each with the statistic it gives. Values are computed once in a projection
 * (x = the finite double, NULL otherwise) rather than with FILTER clauses on each aggregate:
 * DuckDB runs that about three times faster. With `known` (a column read as its own number type,
 * whose statistics say it holds only finite values), its counts, min and max are not scanned for.
 */
function aggregates(
  provisional: ColumnType,
  exact: boolean,
  r: string,
  v: string,
  x: string,
  known = false,
): [Stat, string][] {
  const distinct: [Stat, string] = ['distinct', exact ? `count(DISTINCT ${v})` : `approx_count_distinct(${v})`];
  const out: [Stat, string][] = known ? [distinct] : [['nonNull', `count(${r})`], ['present', `count(${v})`], distinct];
  if (provisional === 'numeric' || provisional === 'integer') {
    const list = `[${QUANTILES.join(',')}]`;
    if (!known) {
      out.push(
        ['min', provisional === 'integer' ? `min(${v})` : `min(${x})`],
        ['max', provisional === 'integer' ? `max(${v})` : `max(${x})`],
      );
    }
    out.push(['mean', `avg(${x})`], ['std', `stddev_samp(${x})`]);
    if (!known) out.push(['nonFinite', `count(${v}) - count(${x})`]);
    out.push([
      'quantiles',
      exact ? `quantile_cont(${x}, ${list})` : `reservoir_quantile(${x}, ${list}, ${QUANTILE_SAMPLE})`,
    ]);
  } else if (provisional === 'datetime') {
    out.push(['min', `min(${v})::VARCHAR`], ['max', `max(${v})::VARCHAR`]);
  }
  return out;
}

/** Records where each of a column's statistics lands in its result row, from `start` on. */
function place(l: Layout, stats: [Stat, string][], start: number): string[] {
  l.at = new Map(stats.map(([stat], i) => [stat, start + i]));
  return stats.map(([, sql]) => sql);
}

const finite = (v: string) => `CASE WHEN isfinite(${v}::DOUBLE) THEN ${v}::DOUBLE END`;

interface Layout {
  spec: ColumnSpec;
  storage: Storage;
  /** The type profiled as: strings need their distinct count before we know categorical vs text. */
  provisional: ColumnType;
  numeric: boolean;
  /** Histogram bins known before the scan (from Parquet bounds). */
  bins?: Bins;
  /** Known beforehand (Parquet statistics), so left out of the scan. */
  known?: { min: Cell; max: Cell; nonNull: number };
  /** Where each of the column's aggregates is in its result row. */
  at: Map<Stat, number>;
  histogramAt: number;
  readHistogram?: (value: unknown) => HistogramBin[];
}

/** With `useStatistics`, the spec's bounds and known values spare the scan work they cover. */
function columnLayout(spec: ColumnSpec, useStatistics: boolean): Layout {
  const storage = storageFamily(spec.storageType);
  const provisional: ColumnType = spec.type ?? inferType(storage, 0, 1);
  const numeric = provisional === 'numeric' || provisional === 'integer';
  const bins =
    numeric && useStatistics && spec.bounds ? binsFor(spec.bounds.min, spec.bounds.max, provisional) : undefined;
  // Statistics of the stored values hold for the column read as its own type, not as another.
  const known = useStatistics && numeric && provisional === fixedColumnType(storage) ? spec.known : undefined;
  return { spec, storage, provisional, numeric, bins, known, at: new Map(), histogramAt: -1 };
}

async function firstPass(
  conn: DuckDBConnection,
  source: string,
  chunk: ColumnSpec[],
  totalRows: number,
  exact: boolean,
): Promise<Working[]> {
  // Each column contributes a fixed list of aggregates over r0, v0, x0, r1...
  const layout = chunk.map((spec) => columnLayout(spec, true));
  const projections: string[] = [];
  const selects: string[] = [];
  layout.forEach((l, k) => {
    projections.push(`${ident(l.spec.name)} AS r${k}`, `${valueExpr(l.spec.name, l.storage, l.provisional)} AS v${k}`);
    if (l.numeric) projections.push(`${finite(`v${k}`)} AS x${k}`);
    selects.push(
      ...place(l, aggregates(l.provisional, exact, `r${k}`, `v${k}`, `x${k}`, l.known !== undefined), selects.length),
    );
    if (l.bins) {
      const histogram = histogramSql(`x${k}`, l.bins);
      l.histogramAt = selects.length;
      l.readHistogram = histogram.read;
      selects.push(histogram.sql);
    }
  });
  const sql = `SELECT ${selects.join(', ')} FROM (SELECT ${projections.join(', ')} FROM ${source})`;
  const row = (await conn.runAndReadAll(sql)).getRowsJS()[0] ?? [];
  return layout.map((l) => toWorking(l, row, totalRows, exact));
}

/** A column's profile from its first-pass aggregates, found in `row` where `l.at` says. */
function toWorking(l: Layout, row: unknown[], totalRows: number, exact: boolean): Working {
  const { spec, storage, provisional, numeric, known, histogramAt, readHistogram } = l;
  const get = (stat: Stat): unknown => {
    const i = l.at.get(stat);
    return i === undefined ? undefined : row[i];
  };
  const nonNull = known ? known.nonNull : Number(get('nonNull') ?? 0);
  // Known: read as its own type, every value is present and finite.
  const present = known ? known.nonNull : Number(get('present') ?? 0);
  // HyperLogLog can overshoot: never report more distinct values than values.
  const distinct = Math.min(Number(get('distinct') ?? 0), present);
  const inferred = inferType(storage, distinct, present);
  const type = spec.type ?? inferred;
  const profile: ColumnProfile = {
    name: spec.name,
    type,
    inferredType: spec.type === undefined ? inferred : inferType(storage, distinct, nonNull),
    storageType: spec.storageType,
    missing: totalRows - nonNull,
    invalid: nonNull - present,
    nonFinite: 0,
    distinct,
    distinctApprox: !exact,
  };
  if (numeric) {
    profile.min = known ? known.min : toCell(get('min'));
    profile.max = known ? known.max : toCell(get('max'));
    profile.mean = toNumber(get('mean'));
    profile.std = toNumber(get('std'));
    profile.nonFinite = known ? 0 : Number(get('nonFinite') ?? 0);
    const q = get('quantiles');
    if (Array.isArray(q)) {
      profile.quantiles = QUANTILES.map((p, i) => ({ q: p, value: toNumber(q[i]) ?? Number.NaN })).filter((e) =>
        Number.isFinite(e.value),
      );
    }
    if (readHistogram) profile.histogram = readHistogram(row[histogramAt]);
  } else if (provisional === 'datetime') {
    profile.min = toCell(get('min'));
    profile.max = toCell(get('max'));
  }
  return { spec: { ...spec, type }, storage, profile };
}

/**
 * A numeric column's histogram: right-closed bins (b[j-1], b[j]] with b[j] = start + (j+1)*width,
 * the first bin also taking everything below. Integers with a small range get one bin per value.
 */
interface Bins {
  start: number;
  width: number;
  count: number;
  /** Where the first bin starts, as shown. */
  lo: number;
}

function binsFor(lo: number, hi: number, type: ColumnType): Bins | undefined {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) return undefined;
  if (hi === lo) return { start: lo - 1, width: 1, count: 1, lo };
  if (type === 'integer' && hi - lo < HISTOGRAM_BINS) return { start: lo - 1, width: 1, count: hi - lo + 1, lo };
  const width = (hi - lo) / HISTOGRAM_BINS;
  return { start: lo, width, count: HISTOGRAM_BINS, lo };
}

function profileBins(p: ColumnProfile): Bins | undefined {
  return binsFor(
    typeof p.min === 'number' ? p.min : Number(p.min),
    typeof p.max === 'number' ? p.max : Number(p.max),
    p.type,
  );
}

/** Long format: SQL for the bin number of x; NULL for a NULL x (greatest() would make it bin 0). */
function binExpr(x: string, bins: Bins): string {
  return `CASE WHEN ${x} IS NOT NULL THEN least(greatest(ceil((${x} - ${bins.start}) / ${bins.width}) - 1, 0), ${bins.count - 1})::INTEGER END`;
}

/** Upper bounds of the bins, the last one open-ended. */
function upperBounds(bins: Bins): number[] {
  return Array.from({ length: bins.count }, (_, j) =>
    j === bins.count - 1 ? Infinity : bins.start + (j + 1) * bins.width,
  );
}

/**
 * Wide queries: the histogram aggregate, keyed by bin. DuckDB's binned histogram (each value
 * counted at the first bound >= it) is the same right-closed binning as binExpr and about 40%
 * faster; bounds too close to tell apart fall back to the bin number.
 */
function histogramSql(x: string, bins: Bins): { sql: string; read: (value: unknown) => HistogramBin[] } {
  const bounds = upperBounds(bins);
  if (bounds.some((b, j) => j > 0 && !(b > (bounds[j - 1] as number)))) {
    return { sql: `histogram(${binExpr(x, bins)})`, read: (value) => toHistogram(bins, value, (key) => key) };
  }
  // Quoted, then cast: DuckDB reads a bare 0.0001 as a DECIMAL, whose conversion to DOUBLE can land
  // one unit off, and the map's keys would then not be exactly our bounds.
  const list = bounds.map((b) => `'${Number.isFinite(b) ? String(b) : 'infinity'}'::DOUBLE`).join(', ');
  const index = new Map(bounds.map((b, j) => [b, j]));
  return {
    sql: `histogram(${x}, [${list}])`,
    read: (value) => toHistogram(bins, value, (key) => index.get(key) ?? -1),
  };
}

/** Turns a histogram map into bins; `indexOf` maps a key (bin number or bound) to its bin. */
function toHistogram(bins: Bins, value: unknown, indexOf: (key: number) => number): HistogramBin[] {
  const counts = new Map(mapEntries(value).map(([key, v]) => [indexOf(Number(key)), v]));
  return Array.from({ length: bins.count }, (_, i) => ({
    lo: bins.lo + i * bins.width,
    hi: bins.lo + (i + 1) * bins.width,
    count: counts.get(i) ?? 0,
  }));
}

/** Categorical and boolean columns get their values counted, unless the first pass found too many. */
function wantsTopValues(profile: ColumnProfile): boolean {
  return (
    (profile.type === 'categorical' || profile.type === 'boolean') &&
    profile.distinct <= CATEGORICAL_MAX_DISTINCT * 1.05
  );
}

/** Top values from a histogram map of the values as text; the map also gives the exact distinct count. */
function setTopValues(profile: ColumnProfile, value: unknown): void {
  const entries = mapEntries(value);
  profile.topValues = entries
    .map(([key, v]) => ({ value: String(key), count: v }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, TOP_VALUES);
  profile.distinct = entries.length;
  profile.distinctApprox = false;
}

async function secondPass(conn: DuckDBConnection, source: string, chunk: Working[]): Promise<void> {
  const projections: string[] = [];
  const selects: string[] = [];
  const readers: ((value: unknown) => void)[] = [];
  chunk.forEach(({ profile, spec, storage }, k) => {
    const expr = valueExpr(spec.name, storage, profile.type);
    if (profile.type === 'numeric' || profile.type === 'integer') {
      if (profile.histogram) return;
      const bins = profileBins(profile);
      if (!bins) return;
      projections.push(`CASE WHEN isfinite((${expr})::DOUBLE) THEN (${expr})::DOUBLE END AS x${k}`);
      const histogram = histogramSql(`x${k}`, bins);
      selects.push(histogram.sql);
      readers.push((value) => {
        profile.histogram = histogram.read(value);
      });
    } else if (wantsTopValues(profile)) {
      projections.push(`CAST(${expr} AS VARCHAR) AS c${k}`);
      selects.push(`histogram(c${k})`);
      readers.push((value) => setTopValues(profile, value));
    }
  });
  if (selects.length === 0) return;
  const sql = `SELECT ${selects.join(', ')} FROM (SELECT ${projections.join(', ')} FROM ${source})`;
  const row = (await conn.runAndReadAll(sql)).getRowsJS()[0] ?? [];
  readers.forEach((read, i) => read(row[i]));
}

/**
 * Columns one query reads into the long table. DuckDB's Parquet reader costs grow with the square
 * of the columns a query reads (10,000 of 20,000 columns: 1.7-2.9 s, 2,500: 0.2-0.36 s) while every
 * query binds the file's whole schema (about 2 us per column): 1,000 keeps both small.
 */
export const LONG_COLUMNS_PER_READ = 1000;
let longTables = 0;

/**
 * Long format: each column is read once from `source` into a narrow temporary table of (column
 * number, value), one per type and storage type (a list holds one type), and all statistics are
 * grouped by column number from there. Before, each pass re-read the source with an UNPIVOT of
 * 250 columns, about 85 ms per query whatever the rows: four such queries per 250 columns made a
 * 20,000-column profile take 21 s.
 */
async function profileLong(
  conn: DuckDBConnection,
  source: string,
  specs: ColumnSpec[],
  totalRows: number,
  exact: boolean,
  onProgress?: (done: number, total: number) => void,
): Promise<ColumnProfile[]> {
  const layout = specs.map((spec) => columnLayout(spec, false));
  const groups = new Map<string, number[]>();
  layout.forEach((l, k) => {
    const key = `${l.provisional}|${l.spec.storageType}`;
    const members = groups.get(key);
    if (members) members.push(k);
    else groups.set(key, [k]);
  });
  const prefix = `cairn_profile_${++longTables}`;
  const tables: string[] = [];
  const steps = [...groups.values()].reduce((n, m) => n + Math.ceil(m.length / LONG_COLUMNS_PER_READ) + 2, 0);
  let step = 0;
  try {
    const rows: unknown[][] = [];
    const grouped: { members: number[]; table: string }[] = [];
    for (const members of groups.values()) {
      const first = layout[members[0] as number] as Layout;
      const table = `${prefix}_${tables.length}`;
      tables.push(table, `${table}_bins`);
      grouped.push({ members, table });
      for (let i = 0; i < members.length; i += LONG_COLUMNS_PER_READ) {
        const part = members.slice(i, i + LONG_COLUMNS_PER_READ);
        const names = part.map((k) => ident((layout[k] as Layout).spec.name));
        const select = `SELECT unnest([${part.join(', ')}]) AS k, unnest([${names.join(', ')}]) AS r FROM ${source}`;
        await conn.run(i === 0 ? `CREATE TEMP TABLE ${table} AS ${select}` : `INSERT INTO ${table} ${select}`);
        onProgress?.(++step, steps);
      }
      const x = first.numeric ? `, ${finite('v')} AS x` : '';
      const stats = aggregates(first.provisional, exact, 'r', 'v', 'x');
      // Each row is the column number k, then its aggregates.
      for (const k of members) place(layout[k] as Layout, stats, 1);
      const sql =
        `SELECT k, ${stats.map(([, sql]) => sql).join(', ')} FROM (` +
        `SELECT k, r, v${x} FROM (SELECT k, r, ${valueExpr('r', first.storage, first.provisional)} AS v FROM ${table})) GROUP BY k`;
      for (const row of (await conn.runAndReadAll(sql)).getRowsJS()) rows[Number(row[0])] = row;
      onProgress?.(++step, steps);
    }
    const work = layout.map((l, k) => toWorking(l, rows[k] ?? [], totalRows, exact));
    for (const { members, table } of grouped) {
      await longHistograms(
        conn,
        table,
        members.map((k) => work[k] as Working),
        members,
      );
      onProgress?.(++step, steps);
    }
    return work.map((w) => w.profile);
  } finally {
    for (const table of tables) await conn.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

/**
 * Long format, second pass over one group's table: numeric histograms (bins joined by column
 * number, their bounds appended as doubles) or categorical value counts.
 */
async function longHistograms(conn: DuckDBConnection, table: string, work: Working[], keys: number[]): Promise<void> {
  const readers = new Map<number, (value: unknown) => void>();
  const bins: { k: number; bins: Bins }[] = [];
  let type: ColumnType | undefined;
  work.forEach(({ profile }, i) => {
    const k = keys[i] as number;
    if (profile.type === 'numeric' || profile.type === 'integer') {
      const b = profileBins(profile);
      if (!b) return;
      bins.push({ k, bins: b });
      readers.set(k, (value) => {
        profile.histogram = toHistogram(b, value, (key) => key);
      });
    } else if (wantsTopValues(profile)) {
      bins.push({ k, bins: { start: 0, width: 1, count: 1, lo: 0 } });
      readers.set(k, (value) => setTopValues(profile, value));
    } else return;
    type = profile.type;
  });
  const first = work[0];
  if (!type || !first) return;
  // All columns with a histogram in one group share their type (a group's strings split into
  // categorical and text, and only the categorical ones are here).
  await conn.run(`CREATE TEMP TABLE ${table}_bins (k INTEGER, s DOUBLE, w DOUBLE, n INTEGER)`);
  const appender = await conn.createAppender(`${table}_bins`, 'main', 'temp');
  for (const { k, bins: b } of bins) {
    appender.appendInteger(k);
    appender.appendDouble(b.start);
    appender.appendDouble(b.width);
    appender.appendInteger(b.count);
    appender.endRow();
  }
  appender.closeSync();
  const v = valueExpr('r', first.storage, type);
  const sql =
    type === 'numeric' || type === 'integer'
      ? `SELECT t.k, histogram(CASE WHEN x IS NOT NULL THEN least(greatest(ceil((x - b.s) / b.w) - 1, 0), b.n - 1)::INTEGER END) ` +
        `FROM (SELECT k, ${finite(`(${v})`)} AS x FROM ${table}) t JOIN ${table}_bins b ON t.k = b.k GROUP BY t.k`
      : `SELECT k, histogram(CAST(${v} AS VARCHAR)) FROM ${table} WHERE k IN (SELECT k FROM ${table}_bins) GROUP BY k`;
  const found = new Map<number, unknown>();
  for (const row of (await conn.runAndReadAll(sql)).getRowsJS()) found.set(Number(row[0]), row[1]);
  // A column with no values at all has an empty (NULL) histogram.
  for (const [k, read] of readers) read(found.get(k) ?? []);
}

/** DuckDB MAP values arrive as [{key, value}, ...] from getRowsJS. */
function mapEntries(value: unknown): [Cell, number][] {
  if (!Array.isArray(value)) return [];
  return value.map((entry: unknown) => {
    const e = entry as { key: unknown; value: unknown };
    return [toCell(e.key), Number(e.value)];
  });
}
