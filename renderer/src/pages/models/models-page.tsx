// The Models page: every model on the left; the chosen model's versions (aliases as badges,
// lineage, key test metrics) with its alias history and rollback; the chosen version's card,
// notes and tags, and its actions (set alias, export, delete). Kept current by model.changed.
import { useEffect, useMemo, useState } from 'react';
import type { AliasEvent, ModelDetail, ModelSummary, ModelVersionInfo } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { EmptyPage } from '../../components/empty-page.js';
import { SideListItem } from '../../components/side-list-item.js';
import { formatDate, formatStat } from '../../lib/format.js';
import { navigate, type RouteOf } from '../../lib/hash-route.js';
import { useAsync } from '../../lib/use-async.js';
import { HeldOutComparison } from './held-out-comparison.js';
import { ImportBundleButton } from './import-bundle.js';
import { KEY_METRICS } from './key-metrics.js';
import { VersionPanel } from './version-panel.js';
import '../../styles/models.css';
import { TableHead } from '../../components/table-head.js';

/** The chosen model and version are the route's (#/models/<name>/v<n>). */
export function ModelsPage({ route }: { route: RouteOf<'models'> }) {
  const { client } = useApp();
  const [tick, setTick] = useState(0);
  const list = useAsync<ModelSummary[]>(() => client.call('models.list', {}), [client, tick]);
  const selected = route.model;
  const setSelected = (model: string) => navigate({ page: 'models', model });
  useEffect(() => client.on('model.changed', () => setTick((t) => t + 1)), [client]);
  const models = list.data;
  const current = selected && models?.some((m) => m.name === selected) ? selected : models?.[0]?.name;

  if (list.error) return <ErrorPanel title="Could not list models" error={list.error} />;
  if (!models) return <p className="muted loading-pane">Loading models…</p>;
  // After an import the new version is shown: its model chosen, then picked by ModelView.
  const imported = (v: ModelVersionInfo) => {
    setSelected(v.name);
    setTick((t) => t + 1);
  };
  if (models.length === 0) return <NoModels onImported={imported} />;
  return (
    <div className="models-page" data-testid="models-page">
      <aside className="models-list" aria-label="Models">
        <h2 className="models-list-head">Models</h2>
        <div className="models-list-actions">
          <ImportBundleButton onImported={imported} />
        </div>
        <ul>
          {models.map((m) => (
            <SideListItem
              key={m.name}
              active={m.name === current}
              onClick={() => setSelected(m.name)}
              testId="model-item"
            >
              <span className="model-item-name">{m.name}</span>
              <span className="model-item-meta small muted">
                {m.versionCount} version{m.versionCount === 1 ? '' : 's'} · latest v{m.latestVersion}
                {m.task ? ` · ${m.task}` : ''}
              </span>
              <span className="model-item-aliases">
                {m.aliases.map((a) => (
                  <AliasBadge key={a.alias} alias={a.alias} version={a.version} />
                ))}
              </span>
            </SideListItem>
          ))}
        </ul>
      </aside>
      <main className="model-main">
        {current && (
          <ModelView
            key={current}
            name={current}
            tick={tick}
            chosen={current === route.model ? route.version : undefined}
            onChoose={(version) => navigate({ page: 'models', model: current, version })}
          />
        )}
      </main>
    </div>
  );
}

function AliasBadge({ alias, version }: { alias: string; version?: number }) {
  return (
    <span
      className={`alias-badge alias-${alias.toLowerCase() === 'production' ? 'production' : alias.toLowerCase() === 'staging' ? 'staging' : 'other'}`}
      data-testid="alias-badge"
    >
      {alias}
      {version !== undefined ? ` → v${version}` : ''}
    </span>
  );
}

function ModelView({
  name,
  tick,
  chosen,
  onChoose,
}: {
  name: string;
  tick: number;
  chosen: number | undefined;
  onChoose: (version: number) => void;
}) {
  const { client } = useApp();
  const detail = useAsync<ModelDetail>(() => client.call('models.get', { name }), [client, name, tick]);
  const [rollbackError, setRollbackError] = useState<ApiError | undefined>(undefined);
  const d = detail.data;
  const version = useMemo(() => d?.versions.find((v) => v.version === chosen) ?? d?.versions[0], [d, chosen]);
  if (detail.error) return <ErrorPanel title={`Could not open ${name}`} error={detail.error} />;
  if (!d || !version) return <p className="muted loading-pane">Loading {name}…</p>;
  const metrics = d.model.task ? KEY_METRICS[d.model.task] : [];
  const rollback = (alias: string) => {
    setRollbackError(undefined);
    client
      .call('models.rollbackAlias', { name: d.model.name, alias })
      .catch((err: unknown) => setRollbackError(toApiError(err)));
  };
  return (
    <div className="model-view" data-testid="model-view">
      <header className="run-header">
        <div className="run-title">
          <h1>{d.model.name}</h1>
          {d.model.aliases.map((a) => (
            <AliasBadge key={a.alias} alias={a.alias} version={a.version} />
          ))}
        </div>
        <p className="small muted">
          {d.model.versionCount} version{d.model.versionCount === 1 ? '' : 's'}
          {d.model.task ? ` · ${d.model.task}` : ''} · updated {formatDate(d.model.updatedAt)} · a bare{' '}
          <code>{d.model.name}</code> means{' '}
          {d.model.aliases.some((a) => a.alias.toLowerCase() === 'production')
            ? 'its production version'
            : 'its latest version (no production alias yet)'}
        </p>
      </header>
      <table className="versions-table" data-testid="versions-table">
        <TableHead
          columns={[
            'Version',
            'Aliases',
            'Origin',
            'Dataset',
            ...metrics.map((m) => ({ label: m.label, num: true })),
            'Tags',
            'Created',
          ]}
        />
        <tbody>
          {d.versions.map((v) => (
            <VersionRow
              key={v.version}
              v={v}
              metrics={metrics}
              selected={v.version === version.version}
              onSelect={() => onChoose(v.version)}
            />
          ))}
        </tbody>
      </table>
      <HeldOutComparison model={d.model.name} metrics={metrics} tick={tick} />
      <div className="model-columns">
        <VersionPanel key={version.version} version={version} aliases={d.model.aliases} />
        <AliasHistory
          history={d.aliasHistory}
          aliases={d.model.aliases.map((a) => a.alias)}
          onRollback={rollback}
          error={rollbackError}
        />
      </div>
    </div>
  );
}

function VersionRow({
  v,
  metrics,
  selected,
  onSelect,
}: {
  v: ModelVersionInfo;
  metrics: { key: string }[];
  selected: boolean;
  onSelect: () => void;
}) {
  return (
    <tr
      className={selected ? 'selected' : ''}
      onClick={onSelect}
      data-testid="version-row"
      data-version={v.version}
      aria-selected={selected}
    >
      <td>
        <button type="button" className="btn-link" onClick={onSelect}>
          v{v.version}
        </button>
      </td>
      <td>
        {v.aliases.map((a) => (
          <AliasBadge key={a} alias={a} />
        ))}
      </td>
      <td>
        {v.origin === 'import'
          ? `import${v.importedFrom ? ` of ${v.importedFrom.name} v${v.importedFrom.version}` : ''}`
          : 'run'}
      </td>
      <td>{v.lineage.dataset ? `${v.lineage.dataset.name} v${v.lineage.dataset.version}` : '–'}</td>
      {metrics.map((m) => (
        <td key={m.key} className="num">
          {formatStat(v.lineage.metrics[m.key] ?? null)}
        </td>
      ))}
      <td>
        {v.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </td>
      <td className="small">{formatDate(v.createdAt)}</td>
    </tr>
  );
}

function moveText(e: AliasEvent): string {
  if (e.fromVersion === null) return `set to v${e.toVersion}`;
  if (e.toVersion === null) return `removed (was v${e.fromVersion})`;
  return `v${e.fromVersion} → v${e.toVersion}`;
}

function AliasHistory({
  history,
  aliases,
  onRollback,
  error,
}: {
  history: AliasEvent[];
  aliases: string[];
  onRollback: (alias: string) => void;
  error?: ApiError;
}) {
  // Rollback is offered once per alias, on its latest move.
  const latest = new Set<number>();
  const seen = new Set<string>();
  for (const e of history) {
    const key = e.alias.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      latest.add(e.id);
    }
  }
  return (
    <section className="alias-history" data-testid="alias-history">
      <h2>Alias history</h2>
      {error && <ErrorPanel title="Rollback failed" error={error} />}
      {history.length === 0 ? (
        <p className="small muted">No alias has been set. Choose a version and press “Set alias…”.</p>
      ) : (
        <ol>
          {history.map((e) => (
            <li key={e.id} data-testid="alias-event">
              <div>
                <AliasBadge alias={e.alias} /> <strong>{moveText(e)}</strong>
                {latest.has(e.id) && (aliases.includes(e.alias) || e.toVersion === null) && (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => onRollback(e.alias)}
                    data-testid={`rollback-${e.alias}`}
                  >
                    Rollback
                  </button>
                )}
              </div>
              <div className="small muted">
                {formatDate(e.at)}
                {e.reason ? ` · ${e.reason}` : ''}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function NoModels({ onImported }: { onImported: (v: ModelVersionInfo) => void }) {
  return (
    <EmptyPage icon="◆" title="No models yet" testId="models-empty">
      <p>
        Each successful training run saves a model version here, with its lineage, card and metrics. Point aliases such
        as <strong>production</strong> at the version to serve.
      </p>
      <ImportBundleButton onImported={onImported} primary />
      <p className="muted small">
        A bundle is a .zip exported from another Cairn (Export on a version, or <code>cairn models export</code>).
      </p>
    </EmptyPage>
  );
}
