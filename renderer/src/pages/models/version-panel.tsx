// One version: its lineage, card (inputs, output, metrics, training data), notes and tags, and
// the actions on it.
import { useState } from 'react';
import type { ModelAlias, ModelCardView, ModelVersionInfo } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { formatCount, formatStat, shortHash } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { ConfirmDeleteDialog, ExportDialog, SetAliasDialog } from './model-dialogs.js';

type Dialog = 'alias' | 'export' | 'delete' | undefined;

export function VersionPanel({ version: v, aliases }: { version: ModelVersionInfo; aliases: ModelAlias[] }) {
  const { client, openRun, transport } = useApp();
  const card = useAsync<ModelCardView>(
    () => client.call('models.card', { name: v.name, version: v.version }),
    [client, v.name, v.version, v.sha256],
  );
  const [dialog, setDialog] = useState<Dialog>(undefined);
  const [notes, setNotes] = useState(v.notes);
  const [tags, setTags] = useState(v.tags.join(', '));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | undefined>(undefined);
  const dirty = notes !== v.notes || tags !== v.tags.join(', ');
  const save = () => {
    setSaving(true);
    setSaveError(undefined);
    const list = tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    client.call('models.updateVersion', { name: v.name, version: v.version, notes, tags: list }).then(
      () => setSaving(false),
      (err: unknown) => {
        setSaveError(toApiError(err));
        setSaving(false);
      },
    );
  };

  return (
    <section className="version-panel" data-testid="version-panel" data-version={v.version}>
      <div className="version-panel-head">
        <h2>
          {v.name} v{v.version}
        </h2>
        <span className="status-spacer" />
        <button type="button" className="btn" onClick={() => setDialog('alias')} data-testid="set-alias">
          Set alias…
        </button>
        <button type="button" className="btn" onClick={() => setDialog('export')} data-testid="export-version">
          Export…
        </button>
        <button
          type="button"
          className="btn btn-danger-ghost"
          onClick={() => setDialog('delete')}
          data-testid="delete-version"
        >
          Delete…
        </button>
      </div>
      <dl className="facts">
        <div>
          <dt>Origin</dt>
          <dd>{v.origin === 'run' ? 'training run' : 'imported bundle'}</dd>
        </div>
        {v.lineage.runId && (
          <div>
            <dt>Run</dt>
            <dd>
              <button
                type="button"
                className="btn-link mono"
                onClick={() => openRun(v.lineage.runId as string)}
                data-testid="lineage-run"
              >
                {v.lineage.runId.slice(0, 8)}
              </button>
            </dd>
          </div>
        )}
        {v.lineage.dataset && (
          <div>
            <dt>Dataset</dt>
            <dd title={v.lineage.dataset.hash}>
              {v.lineage.dataset.name} v{v.lineage.dataset.version}{' '}
              <span className="mono small muted">{shortHash(v.lineage.dataset.hash)}</span>
            </dd>
          </div>
        )}
        {v.lineage.pipeline !== undefined && (
          <div>
            <dt>Pipeline</dt>
            <dd title="The run trained on a table this pipeline made from the dataset" data-testid="lineage-pipeline">
              {v.lineage.pipeline}
            </dd>
          </div>
        )}
        <div>
          <dt>Target</dt>
          <dd>{v.lineage.target ?? '–'}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{v.lineage.modelKind ?? '–'}</dd>
        </div>
        <div>
          <dt>Artifact sha256</dt>
          <dd className="mono small" title={v.sha256}>
            {shortHash(v.sha256)}
          </dd>
        </div>
      </dl>

      {card.error && <ErrorPanel title="Could not read the model card" error={card.error} />}
      {card.data && <CardView card={card.data} />}

      <div className="version-notes">
        <label className="field">
          <span>Notes</span>
          <textarea
            rows={3}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            data-testid="version-notes"
            placeholder="What changed, what it is good for…"
          />
        </label>
        <label className="field">
          <span>Tags (comma-separated)</span>
          <input
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            data-testid="version-tags"
            placeholder="candidate, baseline"
          />
        </label>
        <div>
          <button
            type="button"
            className="btn btn-primary btn-small"
            disabled={!dirty || saving}
            onClick={save}
            data-testid="save-notes"
          >
            {saving ? 'Saving…' : 'Save notes and tags'}
          </button>
        </div>
        {saveError && <ErrorPanel title="Could not save" error={saveError} />}
      </div>

      {dialog === 'alias' && (
        <SetAliasDialog
          model={v.name}
          version={v.version}
          current={Object.fromEntries(aliases.map((a) => [a.alias.toLowerCase(), a.version]))}
          run={(alias, reason) => client.call('models.setAlias', { name: v.name, alias, version: v.version, reason })}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'export' && (
        <ExportDialog
          model={v.name}
          version={v.version}
          host={transport.host}
          run={(format) => transport.exportModel({ name: v.name, version: v.version }, format)}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'delete' && (
        <ConfirmDeleteDialog
          model={v.name}
          version={v.version}
          run={() => client.call('models.deleteVersion', { name: v.name, version: v.version })}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}

function CardView({ card }: { card: ModelCardView }) {
  const test = (card.metrics.test ?? {}) as Record<string, unknown>;
  const scalars = Object.entries(test).filter(
    (e): e is [string, number] => typeof e[1] === 'number' && e[0] !== 'rows',
  );
  return (
    <div className="model-card" data-testid="model-card">
      <div className="card-block">
        <h3>Inputs</h3>
        <table className="card-table" data-testid="card-inputs">
          <tbody>
            {card.inputs.map((i) => (
              <tr key={i.name}>
                <td className="mono">{i.name}</td>
                <td>{i.kind}</td>
                <td className="small muted">
                  {i.categories
                    ? i.categories.slice(0, 8).join(', ') +
                      (i.categories.length > 8 ? ` … (${i.categories.length})` : '')
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {card.dropped.length > 0 && (
          <p className="small muted">Left out: {card.dropped.map((d) => `${d.column} (${d.reason})`).join('; ')}</p>
        )}
      </div>
      <div className="card-block">
        <h3>Output</h3>
        <p>
          {card.task} of <strong>{card.target}</strong>
          {card.classes ? (
            <>
              {' '}
              · classes{' '}
              {card.classes.map((c) => (
                <span key={c} className="tag">
                  {c}
                </span>
              ))}
            </>
          ) : null}
        </p>
        <h3>Test metrics</h3>
        <table className="card-table" data-testid="card-metrics">
          <tbody>
            {scalars.map(([k, val]) => (
              <tr key={k}>
                <td>{k}</td>
                <td className="num">{formatStat(val)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {card.trainingData && (
        <div className="card-block">
          <h3>Training data</h3>
          <p className="small">
            {card.trainingData.dataset.name} v{card.trainingData.dataset.version}
            {card.trainingData.pipeline !== undefined && ` through pipeline ${card.trainingData.pipeline}`} ·{' '}
            {formatCount(card.trainingData.rows)} rows
          </p>
          <table className="card-table" data-testid="card-training-data">
            <tbody>
              {card.trainingData.columns.map((c) => (
                <tr key={c.name}>
                  <td className="mono">{c.name}</td>
                  <td>{c.type}</td>
                  <td className="small muted">
                    {c.mean !== undefined && c.mean !== null
                      ? `mean ${formatStat(c.mean)}`
                      : c.topValues
                        ? c.topValues.map((t) => t.value).join(', ')
                        : ''}
                    {c.missing ? ` · ${formatCount(c.missing)} missing` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
