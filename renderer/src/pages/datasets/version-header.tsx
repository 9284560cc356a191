// Name, version picker and the facts of the chosen version: content hash, source, size, rows,
// skipped rows and warnings.
import type { ReactNode } from 'react';
import type { DatasetDetail, Source } from '../../../../shared/api.js';
import { formatBytes, formatCount, formatDate, shortHash } from '../../lib/format.js';
import { navigate } from '../../lib/hash-route.js';

interface VersionHeaderProps {
  detail: DatasetDetail;
  onVersion: (v: number) => void;
  /** Buttons for this version, at the title's end (e.g. Train). */
  actions?: ReactNode;
  /** The source that refreshes the dataset, linked to its page. */
  source?: Pick<Source, 'id' | 'name'> | undefined;
}

export function VersionHeader({ detail, onVersion, actions, source }: VersionHeaderProps) {
  const { dataset, versions, version: v } = detail;
  // An image dataset counts pictures and classes where a table counts rows and columns.
  const pictures = dataset.kind === 'images';
  return (
    <header className="version-header">
      <div className="version-title">
        <h1 data-testid="dataset-name">{dataset.name}</h1>
        <label className="version-select">
          <span className="sr-only">Version</span>
          <select
            aria-label="Version"
            data-testid="version-select"
            value={v.version}
            onChange={(e) => onVersion(Number(e.target.value))}
          >
            {versions.map((x) => (
              <option key={x.id} value={x.version}>
                Version {x.version}
                {x.version === dataset.latestVersion ? ' (latest)' : ''} · {formatDate(x.createdAt)}
              </option>
            ))}
          </select>
        </label>
        {actions && <div className="version-actions">{actions}</div>}
      </div>
      <dl className="facts" data-testid="version-facts">
        <div>
          <dt>{pictures ? 'Images' : 'Rows'}</dt>
          <dd data-testid="row-count">{formatCount(v.rows)}</dd>
        </div>
        <div>
          <dt>{pictures ? 'Classes' : 'Columns'}</dt>
          <dd data-testid="column-count">{formatCount(v.columns)}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(v.sizeBytes)}</dd>
        </div>
        <div>
          <dt>Format</dt>
          <dd>{v.sourceFormat.toUpperCase()}</dd>
        </div>
        <div>
          <dt>Content hash</dt>
          <dd className="mono" title={`sha256 ${v.contentHash}`} data-testid="content-hash">
            {shortHash(v.contentHash)}
          </dd>
        </div>
        {v.skippedRows > 0 && (
          <div>
            <dt>{pictures ? 'Unreadable files' : 'Skipped rows'}</dt>
            <dd className="warn" data-testid="skipped-rows">
              {formatCount(v.skippedRows)}
            </dd>
          </div>
        )}
        {source && (
          <div>
            <dt>Refreshed from</dt>
            <dd>
              <button
                type="button"
                className="btn-link"
                data-testid="dataset-source-link"
                onClick={() => navigate({ page: 'datasets', sourceId: source.id })}
              >
                {source.name}
              </button>
            </dd>
          </div>
        )}
        <div className="fact-wide">
          <dt>Source</dt>
          <dd className="mono ellipsis" title={v.sourcePath}>
            {v.sourcePath}
          </dd>
        </div>
      </dl>
      {v.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings" data-testid="warnings">
          {v.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </header>
  );
}

/** The version's Train… button, the same on a table's page and a picture dataset's. */
export function TrainButton({ onClick, disabled }: { onClick: () => void; disabled?: boolean }) {
  return (
    <button type="button" className="btn btn-primary" data-testid="train-open" onClick={onClick} disabled={disabled}>
      Train…
    </button>
  );
}

/** The table version's Sweep… button: many trainings over a search space, the best kept. */
export function SweepButton({ onClick, disabled }: { onClick: () => void; disabled?: boolean }) {
  return (
    <button type="button" className="btn" data-testid="sweep-open" onClick={onClick} disabled={disabled}>
      Sweep…
    </button>
  );
}
