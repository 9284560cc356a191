// One source's page (#/sources/<id>): what it reads (kind, URL with the password as ***, query),
// its schedule and next run, the dataset it feeds; Test connection; Refresh now with progress and Cancel; the
// refresh history as a chart of rows per refresh and a table (when, what started it, outcome,
// rows, version, how long, the error or notes); Edit and Remove. It follows source.changed events,
// so a scheduled refresh shows up without a reload.
import { useEffect, useMemo, useState } from 'react';
import type { SourceDetail, SourceRefresh } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { Chart } from '../../components/chart.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { TableHead } from '../../components/table-head.js';
import { formatCount, formatDate, formatDuration } from '../../lib/format.js';
import { navigate } from '../../lib/hash-route.js';
import { useAction } from '../../lib/use-action.js';
import { useAsync } from '../../lib/use-async.js';
import { EditSourceDialog } from './edit-source-dialog.js';
import { RefreshProgress } from './refresh-progress.js';
import { refreshChartOption, refreshTime } from './refresh-chart.js';
import { describePreset, presetOf } from './schedule-presets.js';
import { KIND_LABELS, maskedUrl, secretWhere } from './source-form.js';
import { useRefreshProgress } from './use-refresh-progress.js';
import '../../styles/models.css';
import '../../styles/train.css';
import '../../styles/sources.css';

export function SourceView({ sourceId }: { sourceId: string }) {
  const { client } = useApp();
  const detail = useAsync<SourceDetail>(() => client.call('sources.get', { name: sourceId }), [client, sourceId]);
  const source = detail.data;
  const reload = detail.reload;
  useEffect(() => client.on('source.changed', reload), [client, reload]);
  const progress = useRefreshProgress(source?.name);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [actionError, setActionError] = useState<ApiError | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const test = useAction();
  const [tested, setTested] = useState<number | undefined>(undefined);
  const refreshing = starting || source?.refreshing === true;
  useEffect(() => {
    if (!source?.refreshing) setCancelling(false);
  }, [source?.refreshing]);

  if (detail.error && !source) return <ErrorPanel title="Could not open the source" error={detail.error} />;
  if (!source) return <p className="muted loading-pane">Loading source…</p>;

  const refreshNow = () => {
    setActionError(undefined);
    setStarting(true);
    client
      .call('sources.refresh', { name: source.name })
      .catch((err: unknown) => {
        const e = toApiError(err);
        // A cancel is the user's own step; the history row says so.
        if (e.code !== 'cancelled') setActionError(e);
      })
      .finally(() => {
        setStarting(false);
        reload();
      });
  };
  const cancel = () => {
    setCancelling(true);
    client.call('sources.cancelRefresh', { name: source.name }).catch((err: unknown) => {
      setActionError(toApiError(err));
      setCancelling(false);
    });
  };
  const runTest = () => {
    setTested(undefined);
    test.run(
      () => client.call('sources.test', { name: source.name }),
      (r) => setTested(r.seconds),
    );
  };
  const last = source.lastRefresh;
  const lastFailure = last?.status === 'failed' && last.error ? last : undefined;
  const openDataset = () => source.datasetId && navigate({ page: 'datasets', datasetId: source.datasetId });

  return (
    <div
      className="source-view"
      data-testid="source-view"
      data-source={source.name}
      data-refreshing={refreshing ? 'true' : 'false'}
      data-refreshes={source.refreshes.length}
    >
      <header className="source-head">
        <div>
          <h1 data-testid="source-title">
            {source.name} <span className="source-kind-badge">{KIND_LABELS[source.kind]}</span>
          </h1>
          <p className="muted small">
            Feeds{' '}
            {source.datasetId ? (
              <button type="button" className="btn-link" onClick={openDataset} data-testid="source-dataset-link">
                {source.dataset}
              </button>
            ) : (
              <strong>{source.dataset}</strong>
            )}{' '}
            · added {formatDate(source.createdAt)}
          </p>
        </div>
        <div className="source-actions">
          {tested !== undefined && (
            <span className="source-ok" role="status" data-testid="source-test-ok">
              ✓ Connected in {tested.toFixed(2)} s
            </span>
          )}
          <button type="button" className="btn" onClick={runTest} disabled={test.busy} data-testid="source-test">
            {test.busy ? 'Testing…' : 'Test connection'}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            onClick={refreshNow}
            disabled={refreshing}
            data-testid="source-refresh"
          >
            {refreshing ? 'Refreshing…' : 'Refresh now'}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => setEditing(true)}
            disabled={refreshing}
            data-testid="source-edit"
          >
            Edit…
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => setRemoving(true)}
            disabled={refreshing}
            data-testid="source-remove"
          >
            Remove…
          </button>
        </div>
      </header>
      {refreshing && <RefreshProgress progress={progress} cancelling={cancelling} onCancel={cancel} />}
      {lastFailure && (
        <ErrorPanel
          title={`The last refresh failed (${formatDate(lastFailure.startedAt)})`}
          error={toApiError(lastFailure.error)}
        />
      )}
      {/* A refresh's own failure is the history's; this is one that never started (one was running already). */}
      {actionError && actionError.message !== lastFailure?.error?.message && (
        <ErrorPanel title="Could not refresh" error={actionError} />
      )}
      {test.error && <ErrorPanel title="The connection test failed" error={test.error} />}
      <dl className="facts source-facts" data-testid="source-facts">
        <div className="fact-wide">
          <dt>{source.kind === 'sqlite' ? 'File' : 'URL'}</dt>
          <dd className="mono" data-testid="source-url">
            {maskedUrl(source)}
          </dd>
        </div>
        {source.kind !== 'sqlite' && source.kind !== 'url' && (
          <div className="fact-wide">
            <dt>{source.kind === 's3' ? 'Secret key' : 'Password'}</dt>
            <dd data-testid="source-secret-where">{secretWhere(source)}</dd>
          </div>
        )}
        <div className="fact-wide">
          <dt>Schedule</dt>
          <dd data-testid="source-schedule">
            {source.schedule ? (
              <>
                {describePreset(presetOf(source.schedule))} (<span className="mono">{source.schedule}</span>)
                {source.nextRefreshAt && <> · next {formatDate(source.nextRefreshAt)}</>}
              </>
            ) : (
              <span className="muted">none: refreshed by hand or by a pipeline</span>
            )}
          </dd>
        </div>
        {source.query && (
          <div className="fact-wide">
            <dt>Query</dt>
            <dd>
              <pre className="source-query-text mono" data-testid="source-query-text">
                {source.query}
              </pre>
            </dd>
          </div>
        )}
      </dl>
      <RefreshHistory history={source.refreshes} />
      {editing && (
        <EditSourceDialog
          source={source}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            if (saved.id !== sourceId) navigate({ page: 'datasets', sourceId: saved.id }, { replace: true });
            reload();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove source ${source.name}?`}
          testId="source-remove-confirm"
          confirmLabel="Remove"
          action={() =>
            client
              .call('sources.remove', { name: source.name })
              .then(() =>
                navigate(source.datasetId ? { page: 'datasets', datasetId: source.datasetId } : { page: 'datasets' }),
              )
          }
          onClose={() => setRemoving(false)}
        >
          <p>
            The source, its schedule, its refresh history and its stored password are forgotten.{' '}
            {source.datasetId ? (
              <>
                The dataset <strong>{source.dataset}</strong> and all its versions stay as they are; it is simply no
                longer refreshed.
              </>
            ) : (
              <>It has made no dataset yet.</>
            )}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const STATUS_LABEL: Record<SourceRefresh['status'], string> = {
  running: 'running',
  changed: 'new version',
  unchanged: 'unchanged',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** The status pills' tones (base.css): a new version reads as success, unchanged stays neutral. */
const STATUS_CLASS: Record<SourceRefresh['status'], string> = {
  running: 'run-status-running',
  changed: 'run-status-succeeded',
  unchanged: '',
  failed: 'run-status-failed',
  cancelled: 'run-status-cancelled',
};

const TRIGGER_LABEL: Record<SourceRefresh['trigger'], string> = {
  manual: 'by hand',
  schedule: 'schedule',
  catch_up: 'catch-up on start',
  pipeline: 'pipeline',
};

/** The refreshes, newest first: a chart of rows per refresh once there are two, and the table. */
function RefreshHistory({ history }: { history: readonly SourceRefresh[] }) {
  const option = useMemo(() => refreshChartOption(history), [history]);
  const ended = history.filter((r) => r.status !== 'running').length;
  return (
    <section className="source-history" aria-label="Refresh history">
      <h2>Refreshes</h2>
      {history.length === 0 ? (
        <p className="muted">No refresh yet.</p>
      ) : (
        <>
          {ended >= 2 && (
            <div className="source-chart">
              <Chart option={option} height={180} label="Rows per refresh" testId="source-rows-chart" />
            </div>
          )}
          <table
            className="versions-table source-history-table"
            data-testid="source-history"
            data-count={history.length}
          >
            <TableHead
              columns={[
                'when',
                'started by',
                'outcome',
                { label: 'rows', num: true },
                'version',
                { label: 'took', num: true },
                'error or notes',
              ]}
            />
            <tbody>
              {history.map((r) => (
                <tr key={r.id} data-testid="source-refresh-row" data-status={r.status} data-trigger={r.trigger}>
                  <td>{refreshTime(r.startedAt)}</td>
                  <td>{TRIGGER_LABEL[r.trigger]}</td>
                  <td>
                    <span className={`run-status ${STATUS_CLASS[r.status]}`}>{STATUS_LABEL[r.status]}</span>
                  </td>
                  <td className="num">{r.rows === null ? '—' : formatCount(r.rows)}</td>
                  <td>{r.version === null ? '—' : `v${r.version}`}</td>
                  <td className="num">{r.seconds === null ? '—' : formatDuration(r.seconds * 1000)}</td>
                  <td className="source-history-note">
                    {r.error ? (
                      <span className="warn" title={r.error.code}>
                        {r.error.message}
                      </span>
                    ) : (
                      <span className="muted">{r.notes.join(' · ')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
