// `cairn runs list [--query EXPR] [--group-by FIELD [--metric FIELD]...] [--json]`: the runs a query
// keeps (the runs query language, shared/run-query/), or their groups with each metric's mean and
// spread. A query the parser refuses exits non-zero with its column on stderr (output.ts).
import type { Command } from 'commander';
import type { RunGroups, RunSummary, Spread } from '../../shared/api.js';
import { print, withService } from './common.js';
import { table } from './output.js';

interface ListOptions {
  query?: string;
  groupBy?: string;
  metric?: string[];
  json?: boolean;
}

function runsTable(runs: RunSummary[], queried: boolean): string {
  if (runs.length === 0)
    return queried
      ? 'No runs match the query.'
      : 'No runs yet. Train one with `cairn train <dataset> --target <column>`.';
  return table(
    ['id', 'status', 'dataset', 'target', 'task', 'model', 'created'],
    runs.map((r) => [
      r.id,
      r.status,
      `${r.datasetName}@${r.datasetVersion}`,
      r.target,
      r.task ?? '',
      r.model ? `${r.model.name}:${r.model.version}` : '',
      r.createdAt,
    ]),
  );
}

/** "0.9133 ± 0.0120 (n=5)"; "" where no run of the group has the metric. */
function spreadText(s: Spread | undefined): string {
  if (!s || s.mean === null) return '';
  const f = (v: number) => (Math.abs(v) < 10 ? v.toFixed(4) : v.toPrecision(5));
  return `${f(s.mean)}${s.std === null ? '' : ` ± ${f(s.std)}`} (n=${s.n})`;
}

function groupsTable(g: RunGroups): string {
  if (g.groups.length === 0) return 'No runs match the query.';
  return table(
    [g.groupBy, 'runs', ...g.metrics],
    g.groups.map((group) => [
      group.key === null ? '(none)' : String(group.key),
      group.count,
      ...g.metrics.map((m) => spreadText(group.stats[m])),
    ]),
  );
}

export function addRunsListCommand(program: Command, runs: Command): void {
  runs
    .command('list')
    .description('list runs, newest first; a query keeps some, and --group-by summarises them per group')
    .option('--query <expr>', 'keep the runs this matches, e.g. \'model = "gbdt" AND test.accuracy > 0.9\'')
    .option('--group-by <field>', 'group the runs by a field (model, seed, params.learningRate, ...)')
    .option(
      '--metric <field>',
      'with --group-by: a number field to average per group (repeatable; default: every test score)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--json', 'print as JSON')
    .action(async (o: ListOptions) => {
      await withService(program, 'cli', async (s) => {
        if (o.groupBy !== undefined) {
          const g = await s.invoke('runs.groups', { query: o.query, groupBy: o.groupBy, metrics: o.metric });
          print(Boolean(o.json), g, () => groupsTable(g));
        } else {
          const list = await s.invoke('runs.list', { query: o.query });
          print(Boolean(o.json), list, () => runsTable(list, Boolean(o.query?.trim())));
        }
      });
    });
}
