// The Monitoring page: every model on the left with its last day's requests and firing alerts;
// on the right the chosen model's monitoring (traffic, predictions, drift, ground truth, alert
// rules, retraining). The list follows models.list and monitoring.models, refreshed by events
// and every few seconds while the page is on screen.
import { useEffect, useRef, useState } from 'react';
import type { ModelSummary, MonitoredModel } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { EmptyPage } from '../../components/empty-page.js';
import { SideListItem } from '../../components/side-list-item.js';
import { formatCount } from '../../lib/format.js';
import { navigate, type RouteOf } from '../../lib/hash-route.js';
import { servedText } from './monitoring-format.js';
import { MonitoringView } from './monitoring-view.js';
import { usePolled } from '../../lib/use-polled.js';
import '../../styles/models.css';
import '../../styles/endpoints.css';
import '../../styles/monitoring.css';

/** Pages the monitoring page sends a user to when there is nothing to watch yet. */
export type ElsewherePage = 'runs' | 'endpoints' | 'models';

const LIST_POLL_MS = 5_000;

/** The chosen model is the route's (#/monitoring/<model>). */
export function MonitoringPage({
  route,
  onOpenPage,
}: {
  route: RouteOf<'monitoring'>;
  onOpenPage: (page: ElsewherePage) => void;
}) {
  const { client } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const models = usePolled<ModelSummary[]>(() => client.call('models.list', {}), [], box, LIST_POLL_MS);
  const monitored = usePolled<MonitoredModel[]>(() => client.call('monitoring.models', {}), [], box, LIST_POLL_MS);
  // Picked by hand (the route), else the default chosen once both lists were in.
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const selected = route.model ?? picked;
  const { refresh: refreshModels } = models;
  const { refresh: refreshMonitored } = monitored;

  useEffect(() => {
    const offs = [
      client.on('model.changed', () => refreshModels()),
      client.on('alert.fired', () => refreshMonitored()),
      client.on('alert.resolved', () => refreshMonitored()),
      client.on('monitoring.changed', () => refreshMonitored()),
    ];
    return () => offs.forEach((off) => off());
  }, [client, refreshModels, refreshMonitored]);

  const stats = new Map((monitored.data ?? []).map((m) => [m.name, m]));
  const list = models.data;
  const summaryKnown = monitored.data !== undefined || monitored.error !== undefined;
  // The default is picked once both lists are in and then kept, so the view does not jump when a
  // later poll ranks another model first.
  const current =
    selected && list?.some((m) => m.name === selected) ? selected : summaryKnown ? pickDefault(list, stats) : undefined;
  useEffect(() => {
    if (current && current !== selected) setPicked(current);
  }, [current, selected]);

  return (
    <div className="models-page monitoring-page" ref={box} data-testid="monitoring-page">
      {models.error ? (
        <main className="model-main">
          <ErrorPanel title="Could not list models" error={models.error} />
        </main>
      ) : !list ? (
        <p className="muted loading-pane">Loading models…</p>
      ) : list.length === 0 ? (
        <NoModels onOpenPage={onOpenPage} />
      ) : (
        <>
          <aside className="models-list" aria-label="Monitored models">
            <h2 className="models-list-head">Models</h2>
            <ul>
              {list.map((m) => {
                const s = stats.get(m.name);
                return (
                  <SideListItem
                    key={m.name}
                    active={m.name === current}
                    onClick={() => navigate({ page: 'monitoring', model: m.name })}
                    testId="monitor-model-item"
                    data-name={m.name}
                  >
                    <span className="endpoint-item-title">
                      <span className="model-item-name">{m.name}</span>
                      {s && s.firingAlerts > 0 && (
                        <span className="firing-pill" data-testid="monitor-model-firing">
                          {s.firingAlerts} firing
                        </span>
                      )}
                    </span>
                    <span className="small muted ellipsis">
                      {s && s.requests24h > 0
                        ? `${formatCount(s.requests24h)} request${s.requests24h === 1 ? '' : 's'} in 24 h${s.errors24h ? ` · ${formatCount(s.errors24h)} error${s.errors24h === 1 ? '' : 's'}` : ''}`
                        : 'no traffic in 24 h'}
                    </span>
                    <span className="small muted ellipsis">
                      {m.task ?? 'model'} · {servedText(m)}
                      {s && s.rules > 0 ? ` · ${s.rules} rule${s.rules === 1 ? '' : 's'}` : ''}
                    </span>
                  </SideListItem>
                );
              })}
            </ul>
            {monitored.error && (
              <div className="monitor-list-error">
                <ErrorPanel title="Could not read the monitoring summary" error={monitored.error} />
              </div>
            )}
          </aside>
          <main className="model-main">
            {current && (
              <MonitoringView
                key={current}
                model={list.find((m) => m.name === current) ?? list[0]!}
                onOpenPage={onOpenPage}
              />
            )}
          </main>
        </>
      )}
    </div>
  );
}

/** The model to show first: one with firing alerts, else the busiest, else the first listed. */
function pickDefault(list: ModelSummary[] | undefined, stats: Map<string, MonitoredModel>): string | undefined {
  if (!list?.length) return undefined;
  const ranked = [...list].sort((a, b) => {
    const sa = stats.get(a.name);
    const sb = stats.get(b.name);
    return (sb?.firingAlerts ?? 0) - (sa?.firingAlerts ?? 0) || (sb?.requests24h ?? 0) - (sa?.requests24h ?? 0);
  });
  return ranked[0]?.name;
}

function NoModels({ onOpenPage }: { onOpenPage: (page: ElsewherePage) => void }) {
  return (
    <EmptyPage icon="◉" title="Nothing to monitor yet" testId="monitoring-empty">
      <p>
        Monitoring watches models while they serve: requests, errors, latency, what they predict, whether live inputs
        drift from the training data, and how accurate they are once ground truth comes back.
      </p>
      <p>Train a model first, then start an endpoint for it.</p>
      <div className="empty-actions">
        <button type="button" className="btn btn-primary" onClick={() => onOpenPage('runs')}>
          Go to Runs
        </button>
        <button type="button" className="btn" onClick={() => onOpenPage('endpoints')}>
          Go to Endpoints
        </button>
      </div>
    </EmptyPage>
  );
}
