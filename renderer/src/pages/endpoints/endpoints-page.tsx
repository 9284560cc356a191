// The Endpoints page: endpoints on the left (status, URL, models, restarts), "Start endpoint"
// above them; on the right the chosen endpoint, or the start form. Kept current by
// endpoint.status events, which also fill each endpoint's event log.
import { useState } from 'react';
import { ErrorPanel } from '../../components/error-panel.js';
import { navigate, type RouteOf } from '../../lib/hash-route.js';
import { SideListItem } from '../../components/side-list-item.js';
import { isLive } from './endpoint-log.js';
import { EndpointView, StatusBadge, endpointTitle } from './endpoint-view.js';
import { StartForm } from './start-form.js';
import { useEndpoints } from './use-endpoints.js';
import '../../styles/models.css';
import '../../styles/endpoints.css';

/** The chosen endpoint is the route's (#/endpoints/<id>). */
export function EndpointsPage({ route }: { route: RouteOf<'endpoints'> }) {
  const { endpoints, loaded, error, seen, dismiss } = useEndpoints();
  const selected = route.endpointId;
  const setSelected = (endpointId: string | undefined) =>
    navigate(endpointId ? { page: 'endpoints', endpointId } : { page: 'endpoints' });
  const [starting, setStarting] = useState(false);
  const list = [...endpoints.values()].reverse();
  const current = (selected && endpoints.get(selected)) || list.find((t) => isLive(t.endpoint.status)) || list[0];
  const showForm = starting || (loaded && list.length === 0);

  if (error) return <ErrorPanel title="Could not list endpoints" error={error} />;
  return (
    <div className="models-page endpoints-page" data-testid="endpoints-page">
      <aside className="models-list" aria-label="Endpoints">
        <div className="endpoints-list-head">
          <h2 className="models-list-head">Endpoints</h2>
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => setStarting(true)}
            data-testid="endpoint-new"
          >
            + Start endpoint
          </button>
        </div>
        {loaded && list.length === 0 && <p className="small muted endpoints-none">None running.</p>}
        <ul>
          {list.map(({ endpoint: e }) => (
            <SideListItem
              key={e.id}
              active={!showForm && current?.endpoint.id === e.id}
              onClick={() => {
                setSelected(e.id);
                setStarting(false);
              }}
              testId="endpoint-item"
              data-status={e.status}
            >
              <span className="endpoint-item-title">
                <span className="model-item-name">{endpointTitle(e)}</span>
                <StatusBadge status={e.status} />
              </span>
              <span className="small muted ellipsis">{e.models.map((m) => `${m.name} v${m.version}`).join(', ')}</span>
              {(e.restarts > 0 || e.status === 'restarting') && (
                <span className="small warn ellipsis" data-testid="endpoint-item-restarts">
                  {e.restarts} restart{e.restarts === 1 ? '' : 's'}
                  {e.message ? ` · ${e.message}` : ''}
                </span>
              )}
            </SideListItem>
          ))}
        </ul>
      </aside>
      <main className="model-main">
        {!loaded && <p className="muted loading-pane">Loading endpoints…</p>}
        {showForm && (
          <StartForm
            onStarted={(e) => {
              seen(e);
              setSelected(e.id);
              setStarting(false);
            }}
            onCancel={list.length ? () => setStarting(false) : undefined}
          />
        )}
        {!showForm && current && (
          <EndpointView
            key={current.endpoint.id}
            tracked={current}
            onDismiss={() => {
              dismiss(current.endpoint.id);
              setSelected(undefined);
            }}
          />
        )}
      </main>
    </div>
  );
}
