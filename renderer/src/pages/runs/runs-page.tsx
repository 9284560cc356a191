// The runs page: a query box over every run in one table (or their groups); a run's detail, or
// several runs side by side, open over it, as the route says. The table stays mounted underneath,
// so coming back finds its order, filters, selection and scroll position as they were.
import { useCallback, useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/error-panel.js';
import { EmptyPage } from '../../components/empty-page.js';
import { navigate, type RouteOf } from '../../lib/hash-route.js';
import { RunCompare } from './run-compare.js';
import { RunDetail } from './run-detail.js';
import { RunGroupsView } from './run-groups.js';
import { RunsQueryBar } from './runs-query-bar.js';
import { RunsTable } from './runs-table.js';
import { useRunsList, type RunsView } from './use-runs-list.js';

/** The last query and grouping, across mounts of the page: coming back finds them as they were. */
let lastView: RunsView = { query: '', groupBy: null };

/**
 * What the route opens over the table: a run's detail (#/runs/<id>), several runs side by side
 * (#/runs?compare=a,b), or a run opened from those (#/runs/<id>?compare=a,b, whose Back returns
 * to the comparison).
 */
export function RunsPage({ route }: { route: RouteOf<'runs'> }) {
  const [view, setView] = useState<RunsView>(lastView);
  useEffect(() => {
    lastView = view;
  }, [view]);
  const list = useRunsList(view);
  const setQuery = useCallback((query: string) => setView((v) => (v.query === query ? v : { ...v, query })), []);
  const setGroupBy = useCallback((groupBy: string | null) => setView((v) => ({ ...v, groupBy })), []);
  const { runId, compare: compared } = route;

  const { reload } = list;
  // A run the list has not seen yet (one the user just started, or a link to it): look again.
  const known = runId === undefined || list.runs === undefined || list.runs.some((r) => r.id === runId);
  useEffect(() => {
    if (!known) reload();
  }, [known, reload]);

  const open = useCallback(
    (id: string) => navigate({ page: 'runs', runId: id, ...(compared ? { compare: compared } : {}) }),
    [compared],
  );
  const compare = useCallback((ids: string[]) => navigate({ page: 'runs', compare: ids }), []);
  const back = useCallback(
    () => navigate(runId && compared ? { page: 'runs', compare: compared } : { page: 'runs' }),
    [runId, compared],
  );
  const top = runId ? 'detail' : compared ? 'compare' : undefined;

  return (
    <div className="runs-page" data-testid="runs-page">
      {top === 'detail' && runId && (
        <div className="runs-overlay">
          <RunDetail key={runId} runId={runId} onBack={back} />
        </div>
      )}
      {top === 'compare' && compared && (
        <div className="runs-overlay">
          <RunCompare runIds={compared} onBack={back} onOpen={open} />
        </div>
      )}
      <div
        className="runs-main"
        hidden={top !== undefined}
        data-testid="runs-main"
        data-query={list.shown?.query}
        data-group-by={list.shown?.groupBy ?? ''}
      >
        {/* Nothing to query before the first run (the empty page says how to make one). */}
        {!(list.runs?.length === 0 && list.shown?.query === '') && (
          <RunsQueryBar initialQuery={view.query} groupBy={view.groupBy} onQuery={setQuery} onGroupBy={setGroupBy} />
        )}
        {list.error && <ErrorPanel title="Could not list runs" error={list.error} />}
        {list.runs === undefined ? (
          !list.error && <p className="muted loading-pane">Loading runs…</p>
        ) : list.runs.length === 0 && list.shown?.query === '' ? (
          <NoRuns />
        ) : list.groups && list.shown?.groupBy ? (
          <RunGroupsView groups={list.groups} runs={list.runs} onOpen={open} />
        ) : list.runs.length === 0 ? (
          <p className="muted loading-pane" data-testid="runs-query-none">
            No runs match the query.
          </p>
        ) : (
          <RunsTable
            runs={list.runs}
            sweeps={list.sweeps}
            progress={list.progress}
            onOpen={open}
            onCompare={compare}
            onChanged={reload}
          />
        )}
      </div>
    </div>
  );
}

function NoRuns() {
  return (
    <EmptyPage icon="◔" title="No runs yet" testId="runs-empty">
      <p>
        Open a dataset on the <strong>Datasets</strong> page and press <strong>Train</strong>: each training run shows
        up here with its status, parameters and test metrics.
      </p>
      <p className="muted small">
        Runs started from the command line (<code>cairn train &lt;dataset&gt; --target &lt;column&gt;</code>) use the
        same data folder and appear here too.
      </p>
    </EmptyPage>
  );
}
