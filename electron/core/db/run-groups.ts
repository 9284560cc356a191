// Runs folded into groups by one field's value, with the mean and spread of chosen metrics per
// group (as MLflow users ask of many runs: the same settings across seeds). Pure, over the rows
// runs-repo.ts selects, so the statistics are tested apart from SQL.
import type { RunGroup, Spread } from '../../../shared/api.js';

/** One run as the grouping reads it: its id, the grouping value, then one value per metric. */
export interface GroupRow {
  id: string;
  key: string | number | null;
  values: readonly unknown[];
}

/** Welford's running mean and sum of squared deviations: one pass, no cancellation of large squares. */
interface Running {
  n: number;
  mean: number;
  m2: number;
}

function spread(r: Running): Spread {
  return {
    n: r.n,
    mean: r.n > 0 ? r.mean : null,
    // The sample standard deviation (pandas' and MLflow's default): a spread needs two runs.
    std: r.n > 1 ? Math.sqrt(r.m2 / (r.n - 1)) : null,
  };
}

/** Keys in order: numbers ascending, then text (natural, case-blind), the runs without a value last. */
function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number' || typeof b === 'number') return typeof a === 'number' ? -1 : 1;
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

/**
 * Rows (in list order) grouped by key, each group's runs in that order, with a spread per metric;
 * without keepEmpty, the metrics no run has are left out (a regression's runs have no accuracy).
 */
export function groupRuns(
  rows: readonly GroupRow[],
  metrics: readonly string[],
  options: { keepEmpty: boolean },
): { metrics: string[]; groups: RunGroup[] } {
  const groups = new Map<string | number | null, { runIds: string[]; running: Running[] }>();
  for (const row of rows) {
    let g = groups.get(row.key);
    if (!g) {
      g = { runIds: [], running: metrics.map(() => ({ n: 0, mean: 0, m2: 0 })) };
      groups.set(row.key, g);
    }
    g.runIds.push(row.id);
    g.running.forEach((r, i) => {
      const x = row.values[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) return;
      r.n++;
      const d = x - r.mean;
      r.mean += d / r.n;
      r.m2 += d * (x - r.mean);
    });
  }
  const kept = metrics.flatMap((name, i) =>
    options.keepEmpty || [...groups.values()].some((g) => (g.running[i] as Running).n > 0) ? [{ name, i }] : [],
  );
  return {
    metrics: kept.map((m) => m.name),
    groups: [...groups]
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([key, g]) => ({
        key,
        count: g.runIds.length,
        runIds: g.runIds,
        stats: Object.fromEntries(kept.map(({ name, i }) => [name, spread(g.running[i] as Running)])),
      })),
  };
}
