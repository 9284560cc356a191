// The runs page: every run in one table; a run's detail, or several runs side by side, open
// over it, as the route says. The table stays mounted underneath, so coming back finds its order, filters,
// selection and scroll position as they were.
import { useCallback, useEffect } from 'react';
import { ErrorPanel } from '../../components/error-panel.js';
import { EmptyPage } from '../../components/empty-page.js';
import { navigate, type RouteOf } from '../../lib/hash-route.js';
import { RunCompare } from './run-compare.js';
import { RunDetail } from './run-detail.js';
import { RunsTable } from './runs-table.js';
import { useRunsList } from './use-runs-list.js';

/**
 * What the route opens over the table: a run's detail (#/runs/<id>), several runs side by side
 * (#/runs?compare=a,b), or a run opened from those (#/runs/<id>?compare=a,b, whose Back returns
 * to the comparison).
 */
export function RunsPage({ route }: { route: RouteOf<'runs'> }) {
  const list = useRunsList();
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
      <div className="runs-main" hidden={top !== undefined}>
        {list.error && <ErrorPanel title="Could not list runs" error={list.error} />}
        {list.runs === undefined ? (
          !list.error && <p className="muted loading-pane">Loading runs…</p>
        ) : list.runs.length === 0 ? (
          <NoRuns />
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
