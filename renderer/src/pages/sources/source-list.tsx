// The Datasets page's "Sources" list: each saved source with its kind and how its last refresh
// went, opening its page; and "Add source…".
import type { Source } from '../../../../shared/api.js';
import { formatDate } from '../../lib/format.js';
import { KIND_LABELS } from './source-form.js';

interface SourceListProps {
  sources: readonly Source[];
  selectedId: string | undefined;
  onSelect: (sourceId: string) => void;
  onAdd: () => void;
}

export function SourceList({ sources, selectedId, onSelect, onAdd }: SourceListProps) {
  const sorted = [...sources].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="source-list" aria-label="Sources">
      <div className="source-list-head">
        <h2>Sources</h2>
        <button type="button" className="btn btn-small" onClick={onAdd} data-testid="source-add">
          Add source…
        </button>
      </div>
      {sorted.length === 0 ? (
        <p className="sidebar-note muted small">
          A database query, a file at a URL or objects in S3, refreshed into a dataset now or on a schedule.
        </p>
      ) : (
        <ul className="dataset-list" data-testid="source-list">
          {sorted.map((s) => (
            <li key={s.id} data-testid="source-item" data-name={s.name}>
              <button
                type="button"
                className={`dataset-item${s.id === selectedId ? ' selected' : ''}`}
                aria-current={s.id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(s.id)}
              >
                <span className="dataset-name" title={s.name}>
                  {s.name}
                </span>
                <span className="dataset-meta">
                  {KIND_LABELS[s.kind]}
                  {s.refreshing
                    ? ' · refreshing…'
                    : s.lastRefresh
                      ? ` · ${s.lastRefresh.status === 'failed' ? 'failed' : 'refreshed'} ${formatDate(s.lastRefresh.startedAt)}`
                      : ''}
                  {s.schedule ? ' · scheduled' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
