// The alerts tab: the model's alert rules (add, edit, delete with confirmation) with each rule's
// latest value and webhook, and every alert fired, firing ones first and highlighted, with its
// webhook deliveries. Fired and resolved alerts and deliveries arrive live as alert.fired /
// alert.resolved / alert.delivery events.
import { useEffect, useState } from 'react';
import type { Alert, AlertRule, TaskName, WebhookDelivery } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { formatDate } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ALERT_METRICS, WINDOW_LABELS, describeRule, formatMetric } from './monitoring-format.js';
import { RuleForm } from './rule-form.js';
import { TableHead } from '../../components/table-head.js';
import { TEMPLATE_LABELS, deliveryOutcome } from './webhook-fields.js';

interface AlertsPanelProps {
  model: string;
  task: TaskName | null;
  testSplit: number | null;
  /** Called after a rule changed, so the overview (and its firing list) reloads. */
  onChanged: () => void;
}

export function AlertsPanel({ model, task, testSplit, onChanged }: AlertsPanelProps) {
  const { client } = useApp();
  const [tick, setTick] = useState(0);
  const rules = useAsync<AlertRule[]>(() => client.call('monitoring.rules.list', { model }), [client, model, tick]);
  const alerts = useAsync<Alert[]>(
    () => client.call('monitoring.alerts', { model, status: 'all', limit: 200 }),
    [client, model, tick],
  );
  const [deliveryTick, setDeliveryTick] = useState(0);
  const deliveries = useAsync<WebhookDelivery[]>(
    () => client.call('monitoring.deliveries', { model, limit: 1000 }),
    [client, model, tick, deliveryTick],
  );
  const [editing, setEditing] = useState<AlertRule | 'new' | undefined>(undefined);
  const [deleting, setDeleting] = useState<AlertRule | undefined>(undefined);

  useEffect(() => {
    const reload = (a: { model: string }) => a.model === model && setTick((t) => t + 1);
    const offs = [
      client.on('alert.fired', reload),
      client.on('alert.resolved', reload),
      client.on('monitoring.changed', reload),
      client.on('alert.delivery', (d) => d.model === model && setDeliveryTick((t) => t + 1)),
    ];
    return () => offs.forEach((off) => off());
  }, [client, model]);

  const changed = () => {
    setTick((t) => t + 1);
    onChanged();
  };
  const list = rules.data ?? [];
  const fired = alerts.data ?? [];
  const firing = fired.filter((a) => a.resolvedAt === null);
  const deliveriesOf = new Map<number, WebhookDelivery[]>();
  for (const d of deliveries.data ?? []) deliveriesOf.set(d.alertId, [...(deliveriesOf.get(d.alertId) ?? []), d]);

  return (
    <div className="alerts-panel" data-testid="alerts-panel">
      <section className="panel" data-testid="rules-panel">
        <div className="panel-head">
          <h2 className="panel-title">Alert rules</h2>
          <span className="small muted">
            Each rule is checked as traffic, inputs and labels arrive; a firing rule shows here and in the banner above.
          </span>
          <span className="status-spacer" />
          {editing === undefined && (
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={() => setEditing('new')}
              data-testid="rule-add"
            >
              + Add rule
            </button>
          )}
        </div>
        {editing !== undefined && (
          <RuleForm
            key={editing === 'new' ? 'new' : editing.id}
            model={model}
            task={task}
            testSplit={testSplit}
            rule={editing === 'new' ? undefined : editing}
            onSaved={() => {
              setEditing(undefined);
              changed();
            }}
            onCancel={() => setEditing(undefined)}
          />
        )}
        {rules.error && <ErrorPanel title="Could not list the rules" error={rules.error} />}
        {rules.data && list.length === 0 && editing === undefined && (
          <p className="muted small" data-testid="rules-empty">
            No rules yet. Add one to be told when latency, the error rate, drift or live{' '}
            {task === 'regression' ? 'MAE' : 'accuracy'} crosses a threshold — for example drift score &gt; 0.2 over 24
            hours.
          </p>
        )}
        {list.length > 0 && (
          <table className="versions-table rules-table" data-testid="rules-table">
            <TableHead columns={['Rule', 'When it fires', { label: 'Now', num: true }, 'State', '']} />
            <tbody>
              {list.map((r) => (
                <tr
                  key={r.id}
                  className={r.state.firing ? 'firing' : r.enabled ? '' : 'disabled'}
                  data-testid="rule-row"
                  data-metric={r.metric}
                  data-firing={r.state.firing}
                >
                  <td>
                    <strong data-testid="rule-text">{describeRule(r)}</strong>
                    <div className="small muted">judged from {r.minSamples} samples</div>
                  </td>
                  <td>
                    {r.action === 'retrain' ? 'alert and retrain' : 'alert'}
                    {r.webhook && (
                      <div className="small muted" data-testid="rule-webhook-target">
                        and {TEMPLATE_LABELS[r.webhook.template]} webhook {r.webhook.url}
                      </div>
                    )}
                  </td>
                  <td className="num" data-testid="rule-value">
                    {formatMetric(r.metric, r.state.value)}
                  </td>
                  <td>
                    {!r.enabled ? (
                      <span className="state-chip">disabled</span>
                    ) : r.state.firing ? (
                      <span className="state-chip firing">firing</span>
                    ) : r.state.value === null ? (
                      <span className="state-chip" title="Too few samples in the window to judge">
                        not judged
                      </span>
                    ) : (
                      <span className="state-chip ok">ok</span>
                    )}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setEditing(r)}
                      data-testid="rule-edit"
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-danger-ghost"
                      onClick={() => setDeleting(r)}
                      data-testid="rule-delete"
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" data-testid="fired-alerts">
        <div className="panel-head">
          <h2 className="panel-title">Fired alerts</h2>
          <span className="small muted">
            {firing.length ? `${firing.length} firing now · ` : ''}
            {fired.length} recorded
          </span>
        </div>
        {alerts.error && <ErrorPanel title="Could not list the alerts" error={alerts.error} />}
        {alerts.data && fired.length === 0 && <p className="muted small">No alert has fired for this model.</p>}
        {fired.length > 0 && (
          <table className="versions-table alerts-table">
            <TableHead columns={['State', 'Alert', { label: 'Value', num: true }, 'Fired', 'Resolved', 'Webhook']} />
            <tbody>
              {[...firing, ...fired.filter((a) => a.resolvedAt !== null)].map((a) => (
                <tr
                  key={a.id}
                  className={a.resolvedAt === null ? 'firing' : ''}
                  data-testid="alert-row"
                  data-firing={a.resolvedAt === null}
                >
                  <td>
                    {a.resolvedAt === null ? (
                      <span className="state-chip firing">firing</span>
                    ) : (
                      <span className="state-chip">resolved</span>
                    )}
                  </td>
                  <td>
                    {a.message}
                    <div className="small muted">
                      {ALERT_METRICS[a.metric].label} over {WINDOW_LABELS[a.window]}
                      {a.action === 'retrain' ? ' · started a retrain' : ''}
                    </div>
                  </td>
                  <td className="num">{formatMetric(a.metric, a.value)}</td>
                  <td className="small">{formatDate(a.firedAt)}</td>
                  <td className="small">{a.resolvedAt ? formatDate(a.resolvedAt) : '—'}</td>
                  <td className="small">
                    <Deliveries list={deliveriesOf.get(a.id) ?? []} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {deleting && (
        <DeleteRuleDialog
          rule={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={() => {
            if (editing !== undefined && editing !== 'new' && editing.id === deleting.id) setEditing(undefined);
            changed();
          }}
        />
      )}
    </div>
  );
}

/** An alert's webhook deliveries, oldest first: what each told, and how it went. */
function Deliveries({ list }: { list: WebhookDelivery[] }) {
  if (!list.length) return <span className="muted">—</span>;
  return (
    <div className="delivery-list">
      {[...list].reverse().map((d) => (
        <div key={d.id} data-testid="alert-delivery" data-status={d.status} title={`to ${d.target}`}>
          <span className={`state-chip ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'firing' : ''}`}>
            {d.event} {d.status}
          </span>{' '}
          {d.status === 'pending' && d.attempts === 0 ? 'sending…' : deliveryOutcome(d)}
        </div>
      ))}
    </div>
  );
}

function DeleteRuleDialog({
  rule,
  onClose,
  onDeleted,
}: {
  rule: AlertRule;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { client } = useApp();
  return (
    <ConfirmDialog
      title="Delete this alert rule?"
      testId="rule-delete-dialog"
      confirmLabel="Delete"
      action={() => client.call('monitoring.rules.delete', { id: rule.id }).then(onDeleted)}
      onClose={onClose}
    >
      <p>
        <strong>{describeRule(rule)}</strong> stops being checked. Alerts it already fired stay in the list.
      </p>
    </ConfirmDialog>
  );
}
