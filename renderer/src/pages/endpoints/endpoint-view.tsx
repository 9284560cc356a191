// One endpoint: its URL, status, models with their versions and aliases, API key (off loopback),
// what happened to it (restarts and their reasons), Stop with a confirmation, the test console
// and the live traffic chart.
import { useState } from 'react';
import type { Endpoint, EndpointStatus } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { formatDate } from '../../lib/format.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { maskKey } from './console-form.js';
import { CopyButton } from './copy-button.js';
import { describeEvent, isLive, type TrackedEndpoint } from './endpoint-log.js';
import { LiveTraffic } from './live-traffic.js';
import { TestConsole } from './test-console.js';
import { TableHead } from '../../components/table-head.js';

export function StatusBadge({ status }: { status: EndpointStatus }) {
  return (
    <span className={`ep-status ep-status-${status}`} data-testid="endpoint-status" data-status={status}>
      {status}
    </span>
  );
}

/** "port 8080" once it listens. */
export function endpointTitle(e: Endpoint): string {
  return e.port ? `${e.host}:${e.port}` : e.host;
}

export function EndpointView({ tracked, onDismiss }: { tracked: TrackedEndpoint; onDismiss: () => void }) {
  const { endpoint: e, events } = tracked;
  const live = isLive(e.status);
  const [confirm, setConfirm] = useState(false);
  return (
    <div
      className="endpoint-view"
      data-testid="endpoint-view"
      data-status={e.status}
      data-pid={e.pid ?? undefined}
      data-restarts={e.restarts}
    >
      <header className="run-header">
        <div className="run-title">
          <h1>Endpoint {endpointTitle(e)}</h1>
          <StatusBadge status={e.status} />
          <span className="status-spacer" />
          {live ? (
            <button
              type="button"
              className="btn btn-danger-ghost"
              onClick={() => setConfirm(true)}
              disabled={e.status === 'stopping'}
              data-testid="endpoint-stop"
            >
              Stop…
            </button>
          ) : (
            <button type="button" className="btn" onClick={onDismiss} data-testid="endpoint-dismiss">
              Remove from list
            </button>
          )}
        </div>
        <div className="endpoint-url">
          {e.url ? (
            <>
              <code className="mono" data-testid="endpoint-url">
                {e.url}
              </code>
              <CopyButton text={e.url} label="Copy URL" testId="copy-url" />
              <span className="small muted">
                docs: <code>{e.url}/openapi.json</code> · health: <code>/healthz</code> · metrics: <code>/metrics</code>
              </span>
            </>
          ) : (
            <span className="muted">no URL yet: it has not listened</span>
          )}
        </div>
        <p className="small muted">
          started {formatDate(e.startedAt)}
          {e.pid ? ` · process ${e.pid}` : ''} · {e.restarts} restart{e.restarts === 1 ? '' : 's'}
          {e.message ? ` · ${e.message}` : ''}
        </p>
        {e.apiKey && <ApiKey apiKey={e.apiKey} host={e.host} />}
      </header>
      <div className="endpoint-columns">
        <div className="endpoint-main-col">
          <ServedModels endpoint={e} />
          <LiveTraffic endpointId={e.id} live={live} />
          {live && <TestConsole endpoint={e} />}
        </div>
        <EventLog events={events} />
      </div>
      {confirm && <StopDialog endpoint={e} onClose={() => setConfirm(false)} />}
    </div>
  );
}

function ApiKey({ apiKey, host }: { apiKey: string; host: string }) {
  const [shown, setShown] = useState(false);
  return (
    <div className="api-key" data-testid="api-key">
      <span className="small">
        <strong>API key</strong> <span className="muted">(required: {host} is reachable from other machines)</span>
      </span>
      <code className="mono" data-testid="api-key-value">
        {shown ? apiKey : maskKey(apiKey)}
      </code>
      <button
        type="button"
        className="btn btn-small btn-ghost"
        onClick={() => setShown((s) => !s)}
        data-testid="api-key-reveal"
      >
        {shown ? 'Hide' : 'Reveal'}
      </button>
      <CopyButton text={apiKey} label="Copy key" testId="copy-key" />
    </div>
  );
}

function ServedModels({ endpoint: e }: { endpoint: Endpoint }) {
  return (
    <table className="versions-table served-models" data-testid="served-models">
      <TableHead columns={['Model', 'Version', 'Aliases', 'Route']} />
      <tbody>
        {e.models.map((m) => (
          <tr key={`${m.name}:${m.version}`} data-testid="served-model" data-name={m.name}>
            <td>
              <strong>{m.name}</strong>
            </td>
            <td>v{m.version}</td>
            <td>
              {m.aliases.map((a) => (
                <span
                  key={a}
                  className={`alias-badge alias-${a.toLowerCase() === 'production' ? 'production' : a.toLowerCase() === 'staging' ? 'staging' : 'other'}`}
                >
                  {a}
                </span>
              ))}
            </td>
            <td className="small">
              {m.error ? (
                <span className="field-error">{m.error}</span>
              ) : (
                <code>
                  /v1/models/{m.name}
                  {m.isDefault ? '' : `/versions/${m.version}`}/predict
                </code>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EventLog({ events }: { events: TrackedEndpoint['events'] }) {
  return (
    <section className="panel event-log" data-testid="endpoint-events">
      <h2 className="panel-title">Events</h2>
      <ol>
        {events.map((ev, i) => (
          <li key={`${ev.at}-${i}`} className={`ev-${ev.status}`} data-testid="endpoint-event" data-status={ev.status}>
            <div>
              <span className="ev-dot" aria-hidden="true" />
              <strong>{describeEvent(ev)}</strong>
            </div>
            <div className="small muted">
              {new Date(ev.at).toLocaleTimeString()}
              {ev.message ? ` · ${ev.message}` : ''}
            </div>
          </li>
        ))}
      </ol>
      <p className="small muted">
        Seen since this page was first opened. A process that dies is started again on the same port.
      </p>
    </section>
  );
}

function StopDialog({ endpoint: e, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const { client } = useApp();
  return (
    <ConfirmDialog
      title={`Stop the endpoint on ${endpointTitle(e)}?`}
      testId="stop-dialog"
      confirmLabel="Stop"
      action={() => client.call('endpoints.stop', { endpointId: e.id })}
      onClose={onClose}
    >
      <p>
        It answers the requests in flight, then exits. Clients of <code>{e.url}</code> get connection errors until an
        endpoint is started on that port again.
      </p>
    </ConfirmDialog>
  );
}
