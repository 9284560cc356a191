// The runs a query keeps, grouped by one field (the engine's runs.groups): a row per group with
// its run count and each metric's mean ± standard deviation, opening to the group's runs with
// their own values under the group's. Any field groups, so a sweep's trials can gather under their
// sweep the same way.
import { useMemo, useState } from 'react';
import type { RunGroup, RunGroups, RunSummary, Spread } from '../../../../shared/api.js';
import { formatCount } from '../../lib/format.js';
import { formatMetric, MODEL_KIND_LABELS, modelRef, runDurationMs, shortId } from './runs-query.js';

/** An open group lists this many of its runs; a narrower query shows the rest. */
const RUNS_PER_GROUP = 200;

/** How a group's key reads: "(none)" gathers the runs without a value. */
export function groupLabel(field: string, key: RunGroup['key']): string {
  if (key === null) return '(none)';
  if (field === 'model' && typeof key === 'string' && key in MODEL_KIND_LABELS)
    return MODEL_KIND_LABELS[key as RunSummary['modelKind']];
  return String(key);
}

/** A metric field's value on one run, as far as its summary holds it (test scores and duration). */
function runValue(run: RunSummary, metric: string): number | null {
  if (metric === 'duration') {
    const ms = runDurationMs(run, Date.now());
    return ms === null ? null : ms / 1000;
  }
  if (!metric.startsWith('test.')) return null;
  const v = run.testMetrics?.[metric.slice('test.'.length)];
  return typeof v === 'number' ? v : null;
}

/** "0.9133 ± 0.0120"; the mean alone for a single run; "—" where none has the metric. */
function spreadText(s: Spread | undefined): string {
  if (!s || s.mean === null) return '—';
  return s.std === null ? formatMetric(s.mean) : `${formatMetric(s.mean)} ± ${formatMetric(s.std)}`;
}

/** "test.accuracy" → "accuracy" in a column head; other fields as named. */
function metricLabel(metric: string): string {
  return metric.startsWith('test.') ? metric.slice('test.'.length) : metric;
}

interface RunGroupsViewProps {
  groups: RunGroups;
  runs: readonly RunSummary[];
  onOpen: (runId: string) => void;
}

export function RunGroupsView({ groups, runs, onOpen }: RunGroupsViewProps) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const byId = useMemo(() => new Map(runs.map((r) => [r.id, r])), [runs]);
  const keyOf = (g: RunGroup) => JSON.stringify(g.key);
  const toggle = (g: RunGroup) =>
    setOpen((cur) => {
      const next = new Set(cur);
      if (next.has(keyOf(g))) next.delete(keyOf(g));
      else next.add(keyOf(g));
      return next;
    });
  const allOpen = groups.groups.length > 0 && groups.groups.every((g) => open.has(keyOf(g)));
  const total = groups.groups.reduce((s, g) => s + g.count, 0);

  return (
    <section
      className="runs-groups"
      aria-label="Run groups"
      data-testid="runs-groups"
      data-groups={groups.groups.length}
    >
      <div className="runs-toolbar">
        <h2>Runs by {groups.groupBy}</h2>
        <span className="muted small" data-testid="runs-groups-count">
          {formatCount(groups.groups.length)} group{groups.groups.length === 1 ? '' : 's'} · {formatCount(total)} run
          {total === 1 ? '' : 's'} · mean ± standard deviation
        </span>
        <span className="runs-spacer" />
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => setOpen(allOpen ? new Set() : new Set(groups.groups.map(keyOf)))}
          disabled={groups.groups.length === 0}
        >
          {allOpen ? 'Collapse all' : 'Expand all'}
        </button>
      </div>
      <div className="runs-groups-scroll">
        <table className="runs-groups-table">
          <thead>
            <tr>
              <th scope="col">{groups.groupBy}</th>
              <th scope="col" className="num">
                runs
              </th>
              {groups.metrics.map((m) => (
                <th key={m} scope="col" className="num">
                  {metricLabel(m)}
                </th>
              ))}
            </tr>
          </thead>
          {groups.groups.map((g) => {
            const isOpen = open.has(keyOf(g));
            const members = isOpen ? g.runIds.slice(0, RUNS_PER_GROUP) : [];
            return (
              <tbody key={keyOf(g)} className={isOpen ? 'open' : undefined}>
                <tr className="runs-group-row" data-testid="runs-group" data-key={String(g.key)} data-count={g.count}>
                  <th scope="row">
                    <button
                      type="button"
                      className="runs-group-toggle"
                      aria-expanded={isOpen}
                      onClick={() => toggle(g)}
                    >
                      <span className="runs-group-chevron" aria-hidden="true">
                        {isOpen ? '▾' : '▸'}
                      </span>
                      {groupLabel(groups.groupBy, g.key)}
                    </button>
                  </th>
                  <td className="num">{formatCount(g.count)}</td>
                  {groups.metrics.map((m) => (
                    <td key={m} className="num mono" title={g.stats[m] ? `n = ${g.stats[m].n}` : undefined}>
                      {spreadText(g.stats[m])}
                    </td>
                  ))}
                </tr>
                {members.map((id) => {
                  const run = byId.get(id);
                  if (!run) return null;
                  return (
                    <tr key={id} className="runs-group-run" data-testid="runs-group-run">
                      <td title={`${run.datasetName}@v${run.datasetVersion} · ${modelRef(run) ?? run.modelKind}`}>
                        <button type="button" className="btn-link mono" onClick={() => onOpen(id)}>
                          {shortId(id)}
                        </button>{' '}
                        <span className={`run-status run-status-${run.status}`}>{run.status}</span>{' '}
                        <span className="muted">
                          {run.datasetName}@v{run.datasetVersion} · {modelRef(run) ?? MODEL_KIND_LABELS[run.modelKind]}
                        </span>
                      </td>
                      <td />
                      {groups.metrics.map((m) => {
                        const v = runValue(run, m);
                        return (
                          <td key={m} className="num mono">
                            {v === null ? '' : formatMetric(v)}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
                {isOpen && g.count > RUNS_PER_GROUP && (
                  <tr className="runs-group-more">
                    <td colSpan={2 + groups.metrics.length} className="muted small">
                      and {formatCount(g.count - RUNS_PER_GROUP)} more: narrow the query to see them.
                    </td>
                  </tr>
                )}
              </tbody>
            );
          })}
        </table>
        {groups.groups.length === 0 && <p className="grid-empty muted">No runs match the query.</p>}
      </div>
    </section>
  );
}
