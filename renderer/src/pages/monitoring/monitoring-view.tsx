// One model's monitoring: version and window pickers, a banner while alerts fire, the headline
// cards, then tabs for traffic, drift, ground truth, alerts and retraining. The overview is
// polled every few seconds while on screen and reloaded at once on the engine's events.
import { useEffect, useRef, useState } from 'react';
import type { Alert, ModelDetail, ModelSummary, MonitoringOverview, MonitoringWindow } from '../../../../shared/api.js';
import { monitoringWindows } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { useAsync } from '../../lib/use-async.js';
import { AlertsPanel } from './alerts-panel.js';
import { DriftPanel } from './drift-panel.js';
import { FeedbackPanel } from './feedback-panel.js';
import { HeadlineCards } from './headline-cards.js';
import { WINDOW_LABELS } from './monitoring-format.js';
import type { ElsewherePage } from './monitoring-page.js';
import { OverviewCharts } from './overview-charts.js';
import { RetrainPanel } from './retrain-panel.js';
import { usePolled } from '../../lib/use-polled.js';

const POLL_MS = 5_000;

type Tab = 'traffic' | 'drift' | 'feedback' | 'alerts' | 'retraining';

export function MonitoringView({
  model,
  onOpenPage,
}: {
  model: ModelSummary;
  onOpenPage: (page: ElsewherePage) => void;
}) {
  const { client, openRun } = useApp();
  const name = model.name;
  const box = useRef<HTMLDivElement>(null);
  // Undefined until the user picks one: the engine then chooses the window that fits the traffic.
  const [range, setRange] = useState<MonitoringWindow | undefined>(undefined);
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [tab, setTab] = useState<Tab>('traffic');
  const [detailTick, setDetailTick] = useState(0);
  const detail = useAsync<ModelDetail>(() => client.call('models.get', { name }), [client, name, detailTick]);
  const overview = usePolled<MonitoringOverview>(
    () =>
      client.call('monitoring.overview', {
        model: name,
        ...(range === undefined ? {} : { window: range }),
        ...(version === undefined ? {} : { version }),
      }),
    [name, range, version],
    box,
    POLL_MS,
  );
  const firing = useFiring(name, overview.data?.firing);
  const { refresh } = overview;

  useEffect(() => {
    const mine = (m: { model: string }) => m.model === name && refresh();
    const offs = [
      client.on('monitoring.changed', mine),
      client.on('alert.fired', mine),
      client.on('alert.resolved', mine),
      client.on('retrain.decided', mine),
      client.on('model.changed', (m) => m.name === name && setDetailTick((t) => t + 1)),
    ];
    return () => offs.forEach((off) => off());
  }, [client, name, refresh]);

  const o = overview.data;
  const task = o?.task ?? model.task;
  const shownWindow = range ?? o?.window;
  return (
    <div
      className="monitoring-view"
      ref={box}
      data-testid="monitoring-view"
      data-model={name}
      data-loaded={o ? 'true' : 'false'}
    >
      <header className="run-header monitor-header">
        <div className="run-title">
          <h1>{name}</h1>
          {model.aliases.map((a) => (
            <span
              key={a.alias}
              className={`alias-badge alias-${a.alias.toLowerCase() === 'production' ? 'production' : a.alias.toLowerCase() === 'staging' ? 'staging' : 'other'}`}
            >
              {a.alias} → v{a.version}
            </span>
          ))}
          <span className="status-spacer" />
          <label className="monitor-version">
            <span className="small muted">Version</span>
            <select
              value={version ?? ''}
              onChange={(e) => setVersion(e.target.value ? Number(e.target.value) : undefined)}
              data-testid="monitor-version"
            >
              <option value="">All versions</option>
              {(detail.data?.versions ?? []).map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                  {v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}
                  {o && !o.versions.includes(v.version) ? ' · no traffic' : ''}
                </option>
              ))}
            </select>
          </label>
          <div className="segmented" role="group" aria-label="Time window">
            {monitoringWindows.map((w) => (
              <button
                key={w}
                type="button"
                className={w === shownWindow ? 'active' : ''}
                aria-pressed={w === shownWindow}
                onClick={() => setRange(w)}
                data-testid={`window-${w}`}
              >
                {WINDOW_LABELS[w]}
              </button>
            ))}
          </div>
        </div>
        <p className="small muted">
          {task ?? 'model'} · {version === undefined ? 'every version' : `v${version}`}
          {shownWindow && ` · the last ${WINDOW_LABELS[shownWindow]}`}
          {shownWindow && range === undefined ? ' (fits its traffic)' : ''}
          {overview.loadedAt ? ` · updated ${clock(overview.loadedAt)}` : ''}
          {o && o.versions.length > 0 && version === undefined
            ? ` · served: ${o.versions.map((v) => `v${v}`).join(', ')}`
            : ''}
        </p>
      </header>

      {firing.length > 0 && (
        <div className="alert-banner" role="alert" data-testid="alert-banner" data-count={firing.length}>
          <span className="alert-banner-icon" aria-hidden="true">
            !
          </span>
          <div className="alert-banner-text">
            <strong>
              {firing.length} alert{firing.length === 1 ? '' : 's'} firing
            </strong>
            <ul>
              {firing.slice(0, 3).map((a) => (
                <li key={a.id}>{a.message}</li>
              ))}
              {firing.length > 3 && <li className="muted">and {firing.length - 3} more</li>}
            </ul>
          </div>
          <button type="button" className="btn btn-small" onClick={() => setTab('alerts')}>
            See alerts
          </button>
        </div>
      )}

      {overview.error && (
        <ErrorPanel title={`Could not read ${name}'s monitoring`} error={overview.error}>
          <button type="button" className="btn btn-small" onClick={refresh}>
            Try again
          </button>
        </ErrorPanel>
      )}
      {!o && !overview.error && <p className="muted loading-pane">Loading monitoring of {name}…</p>}
      {o && (
        <>
          <HeadlineCards o={o} />
          <div className="monitor-tabs" role="tablist" aria-label="Monitoring views">
            {(
              [
                ['traffic', 'Traffic & predictions'],
                ['drift', o.drift.drifted.length ? `Drift (${o.drift.drifted.length} drifting)` : 'Drift'],
                ['feedback', 'Ground truth'],
                ['alerts', firing.length ? `Alerts (${firing.length} firing)` : 'Alerts'],
                ['retraining', 'Retraining'],
              ] as [Tab, string][]
            ).map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                className={`${tab === id ? 'active' : ''}${(id === 'drift' && o.drift.drifted.length) || (id === 'alerts' && firing.length) ? ' attention' : ''}`}
                onClick={() => setTab(id)}
                data-testid={`monitor-tab-${id}`}
              >
                {label}
              </button>
            ))}
          </div>
          {/* Tabs stay mounted (hidden), so a half-typed rule or a feedback result survives a look elsewhere. */}
          <div role="tabpanel" hidden={tab !== 'traffic'}>
            <OverviewCharts o={o} onOpenPage={onOpenPage} onFeedback={() => setTab('feedback')} />
          </div>
          <div role="tabpanel" hidden={tab !== 'drift'}>
            {tab === 'drift' && <DriftPanel drift={o.drift} window={o.window} />}
          </div>
          <div role="tabpanel" hidden={tab !== 'feedback'}>
            <FeedbackPanel
              model={name}
              task={task}
              classes={o.predictions.kind === 'classes' ? o.predictions.labels : []}
            />
          </div>
          <div role="tabpanel" hidden={tab !== 'alerts'}>
            <AlertsPanel model={name} task={task} testSplit={o.live.testSplit} onChanged={refresh} />
          </div>
          <div role="tabpanel" hidden={tab !== 'retraining'}>
            <RetrainPanel model={name} task={task} detail={detail.data} openRun={openRun} />
          </div>
        </>
      )}
    </div>
  );
}

/** The model's firing alerts: the overview's, kept current between polls by alert.fired / alert.resolved. */
function useFiring(model: string, fromOverview: Alert[] | undefined): Alert[] {
  const { client } = useApp();
  const [firing, setFiring] = useState<Alert[]>([]);
  useEffect(() => {
    if (fromOverview) setFiring(fromOverview);
  }, [fromOverview]);
  useEffect(() => {
    const offs = [
      client.on('alert.fired', (a) => a.model === model && setFiring((fs) => [a, ...fs.filter((f) => f.id !== a.id)])),
      client.on('alert.resolved', (a) => a.model === model && setFiring((fs) => fs.filter((f) => f.id !== a.id))),
    ];
    return () => offs.forEach((off) => off());
  }, [client, model]);
  return firing;
}

/** "14:05:32" in local time: when the figures on screen were read. */
function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
