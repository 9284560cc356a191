// The Sweeps page: every sweep on the left (newest first, with its status, trials and best score),
// the chosen one's page on the right (#/sweeps/<id>). The list follows sweep.progress events.
import { useEffect, useState } from 'react';
import type { SweepSummary } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { EmptyPage } from '../../components/empty-page.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { SideListItem } from '../../components/side-list-item.js';
import { formatDate } from '../../lib/format.js';
import { navigate, type RouteOf } from '../../lib/hash-route.js';
import { useAsync } from '../../lib/use-async.js';
import { formatMetric, MODEL_KIND_LABELS } from '../runs/runs-query.js';
import { SweepView } from './sweep-view.js';
import '../../styles/models.css';
import '../../styles/sweeps.css';

export function SweepsPage({ route }: { route: RouteOf<'sweeps'> }) {
  const { client } = useApp();
  const [tick, setTick] = useState(0);
  const list = useAsync<SweepSummary[]>(() => client.call('sweeps.list', {}), [client, tick]);
  // Trials end a few seconds apart at most, so a reload per event is cheap; a new sweep appears too.
  useEffect(() => client.on('sweep.progress', () => setTick((t) => t + 1)), [client]);
  const sweeps = list.data;
  const current = route.sweepId ?? sweeps?.[0]?.id;

  if (list.error && !sweeps) return <ErrorPanel title="Could not list sweeps" error={list.error} />;
  if (!sweeps) return <p className="muted loading-pane">Loading sweeps…</p>;
  if (sweeps.length === 0 && !route.sweepId) return <NoSweeps />;
  return (
    <div className="models-page sweeps-page" data-testid="sweeps-page">
      <aside className="models-list" aria-label="Sweeps">
        <h2 className="models-list-head">Sweeps</h2>
        <ul>
          {sweeps.map((s) => (
            <SideListItem
              key={s.id}
              active={s.id === current}
              onClick={() => navigate({ page: 'sweeps', sweepId: s.id })}
              testId="sweep-item"
              data-status={s.status}
            >
              <span className="model-item-name">
                {s.datasetName} · {s.target}
              </span>
              <span className="small muted">
                {MODEL_KIND_LABELS[s.model]} · {s.strategy} · {formatDate(s.createdAt)}
              </span>
              <span className="sweep-item-status small">
                <span className={`run-status run-status-${s.status}`}>{s.status}</span>
                <span>
                  {s.trialsDone}
                  {s.budget.trials ? `/${s.budget.trials}` : ''} trials
                </span>
              </span>
              {s.bestValue !== null && (
                <span className="small muted">
                  best {s.metric} {formatMetric(s.bestValue)}
                </span>
              )}
            </SideListItem>
          ))}
        </ul>
      </aside>
      <main className="model-main">{current && <SweepView key={current} sweepId={current} />}</main>
    </div>
  );
}

function NoSweeps() {
  return (
    <EmptyPage icon="⋔" title="No sweeps yet" testId="sweeps-empty">
      <p>
        Open a table dataset on the <strong>Datasets</strong> page (or a run) and press <strong>Sweep…</strong>: Cairn
        trains a series of trials over a search space and keeps the best by its validation score.
      </p>
      <p className="muted small">
        Sweeps started from the command line (<code>cairn sweep &lt;dataset&gt; --target &lt;column&gt;</code>) appear
        here too.
      </p>
    </EmptyPage>
  );
}
