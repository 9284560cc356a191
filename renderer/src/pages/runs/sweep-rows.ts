// The runs table's rows with a sweep's trials gathered under one row per sweep: the sweep's row
// stands where its first trial would in the table's order, and its trials follow it (in that
// order) only while it is open. Runs not in a sweep stay rows of their own.
import type { RunSummary } from '../../../../shared/api.js';

export type TableRow =
  | { kind: 'run'; run: RunSummary; /** Shown under its open sweep's row. */ trial: boolean }
  | { kind: 'sweep'; sweepId: string; /** Its trials the table keeps, in the table's order. */ runs: RunSummary[] };

export function withSweepRows(shown: readonly RunSummary[], open: ReadonlySet<string>): TableRow[] {
  const trials = new Map<string, RunSummary[]>();
  for (const run of shown) {
    if (run.sweepId === null) continue;
    const list = trials.get(run.sweepId);
    if (list) list.push(run);
    else trials.set(run.sweepId, [run]);
  }
  const rows: TableRow[] = [];
  for (const run of shown) {
    if (run.sweepId === null) {
      rows.push({ kind: 'run', run, trial: false });
      continue;
    }
    const runs = trials.get(run.sweepId);
    // Only the first trial in order places its sweep; the others came with it.
    if (!runs || runs[0] !== run) continue;
    rows.push({ kind: 'sweep', sweepId: run.sweepId, runs });
    if (open.has(run.sweepId)) for (const r of runs) rows.push({ kind: 'run', run: r, trial: true });
  }
  return rows;
}
