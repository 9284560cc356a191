// The runs page: a query box over every run in one table (or their groups); a run's detail, or
// several runs side by side, open over it. The table stays mounted underneath, so coming back
// finds its order, filters, selection and scroll position as they were.
import { useCallback, useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/error-panel.js';
import { EmptyPage } from '../../components/empty-page.js';
import { RunCompare } from './run-compare.js';
import { RunDetail } from './run-detail.js';
import { RunGroupsView } from './run-groups.js';
import { RunsQueryBar } from './runs-query-bar.js';
import { RunsTable } from './runs-table.js';
import { useRunsList, type RunsView } from './use-runs-list.js';

/** The last focusRunId shown, across mounts of the page. */
let shownFocus: string | undefined;
/** The last query and grouping, across mounts of the page: coming back finds them as they were. */
let lastView: RunsView = { query: '', groupBy: null };

type View = { kind: 'detail'; runId: string } | { kind: 'compare'; runIds: string[] };

export function RunsPage({ focusRunId }: { focusRunId?: string }) {
  const [view, setView] = useState<RunsView>(lastView);
  useEffect(() => {
    lastView = view;
  }, [view]);
  const list = useRunsList(view);
  const setQuery = useCallback((query: string) => setView((v) => (v.query === query ? v : { ...v, query })), []);
  const setGroupBy = useCallback((groupBy: string | null) => setView((v) => ({ ...v, groupBy })), []);
  // Views opened over the table, the last on top: a run opened from the compare view goes back to it.
  const [stack, setStack] = useState<View[]>([]);
  const top = stack[stack.length - 1];

  const { reload } = list;
  // Set by the app when the user starts a training run: show that run, once. The app keeps the
  // last id and this page mounts anew on every visit, which must not reopen it each time.
  useEffect(() => {
    if (!focusRunId || focusRunId === shownFocus) return;
    shownFocus = focusRunId;
    setStack([{ kind: 'detail', runId: focusRunId }]);
    reload();
  }, [focusRunId, reload]);

  const open = useCallback((runId: string) => setStack((s) => [...s, { kind: 'detail', runId }]), []);
  const compare = useCallback((runIds: string[]) => setStack((s) => [...s, { kind: 'compare', runIds }]), []);
  const back = useCallback(() => setStack((s) => s.slice(0, -1)), []);

  return (
    <div className="runs-page" data-testid="runs-page">
      {top?.kind === 'detail' && (
        <div className="runs-overlay">
          <RunDetail key={top.runId} runId={top.runId} onBack={back} />
        </div>
      )}
      {top?.kind === 'compare' && (
        <div className="runs-overlay">
          <RunCompare runIds={top.runIds} onBack={back} onOpen={open} />
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
          <RunsTable runs={list.runs} progress={list.progress} onOpen={open} onCompare={compare} onChanged={reload} />
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
