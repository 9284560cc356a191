import type { Dataset } from '../../../../shared/api.js';
import { formatCount } from '../../lib/format.js';
import type { Selection } from './datasets-page.js';

interface DatasetListProps {
  datasets: Dataset[];
  selected: Selection | undefined;
  onSelect: (s: Selection) => void;
  loading: boolean;
}

/** The datasets, each with its versions listed under it (newest first) while it is selected. */
export function DatasetList({ datasets, selected, onSelect, loading }: DatasetListProps) {
  if (loading) return <p className="sidebar-note muted">Loading…</p>;
  if (datasets.length === 0) return <p className="sidebar-note muted">No datasets yet.</p>;
  const sorted = [...datasets].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <ul className="dataset-list" aria-label="Datasets" data-testid="dataset-list">
      {sorted.map((d) => {
        const isSelected = selected?.datasetId === d.id;
        const shownVersion = isSelected ? (selected.version ?? d.latestVersion) : undefined;
        return (
          // A list of buttons (a listbox's options may not hold buttons): the open one is the current one.
          <li key={d.id} data-testid="dataset-item" data-name={d.name}>
            <button
              type="button"
              className={`dataset-item${isSelected ? ' selected' : ''}`}
              aria-current={isSelected ? 'true' : undefined}
              onClick={() => onSelect({ datasetId: d.id })}
            >
              <span className="dataset-name" title={d.name}>
                {d.name}
              </span>
              <span className="dataset-meta">
                {formatCount(d.rows)} {d.kind === 'images' ? 'pictures' : 'rows'} · {formatCount(d.columns)}{' '}
                {d.kind === 'images' ? 'classes' : 'cols'} · {d.versionCount} version
                {d.versionCount === 1 ? '' : 's'}
              </span>
            </button>
            {isSelected && d.versionCount > 1 && (
              <ul className="version-list" aria-label={`Versions of ${d.name}`}>
                {Array.from({ length: d.latestVersion }, (_, i) => d.latestVersion - i).map((v) => (
                  <li key={v}>
                    <button
                      type="button"
                      className={`version-item${v === shownVersion ? ' selected' : ''}`}
                      onClick={() => onSelect({ datasetId: d.id, version: v })}
                    >
                      v{v}
                      {v === d.latestVersion && <span className="tag">latest</span>}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
