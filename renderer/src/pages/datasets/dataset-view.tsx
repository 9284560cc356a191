// One dataset version: what it is (header), its schema and profile, and its rows.
import { useState } from 'react';
import type { ColumnProfile, ColumnType, DatasetDetail } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { useAsync } from '../../lib/use-async.js';
import { TrainDialog } from '../train/train-dialog.js';
import { ColumnDetail } from './column-detail.js';
import type { Selection } from './datasets-page.js';
import { RowsTable } from './rows-table.js';
import { SchemaList } from './schema-list.js';
import { VersionHeader } from './version-header.js';

interface DatasetViewProps {
  selection: Selection;
  refreshTick: number;
  onSelect: (s: Selection) => void;
}

export function DatasetView({ selection, refreshTick, onSelect }: DatasetViewProps) {
  const { client, openRun } = useApp();
  const [training, setTraining] = useState(false);
  const detail = useAsync<DatasetDetail>(
    () => client.call('datasets.get', { ref: selection.datasetId, version: selection.version }),
    [selection.datasetId, selection.version, refreshTick],
  );
  const [focused, setFocused] = useState<string | undefined>(undefined);
  const [typeError, setTypeError] = useState<ApiError | undefined>(undefined);
  const [pendingType, setPendingType] = useState<string | undefined>(undefined);
  // Bumped after a type correction: filters compare by type, so cached pages may be stale.
  const [typeRevision, setTypeRevision] = useState(0);

  if (detail.error) return <ErrorPanel title="Could not open the dataset" error={detail.error} />;
  const d = detail.data;
  if (!d) return <div className="loading-pane muted">Loading dataset…</div>;

  const column = d.columns.find((c) => c.name === focused) ?? d.columns[0];

  const setType = (name: string, type: ColumnType) => {
    setPendingType(name);
    setTypeError(undefined);
    client.call('datasets.setColumnType', { versionId: d.version.id, column: name, type }).then(
      (profile: ColumnProfile) => {
        detail.set(
          (cur) => cur && { ...cur, columns: cur.columns.map((c) => (c.name === profile.name ? profile : c)) },
        );
        setPendingType(undefined);
        setTypeRevision((r) => r + 1);
      },
      (err: unknown) => {
        setTypeError(toApiError(err));
        setPendingType(undefined);
      },
    );
  };

  return (
    <div className="dataset-view" data-testid="dataset-view" data-version={d.version.version}>
      <VersionHeader
        detail={d}
        onVersion={(version) => onSelect({ datasetId: d.dataset.id, version })}
        actions={
          <button
            type="button"
            className="btn btn-primary"
            data-testid="train-open"
            onClick={() => setTraining(true)}
            disabled={d.version.rows === 0}
          >
            Train…
          </button>
        }
      />
      {training && <TrainDialog detail={d} onClose={() => setTraining(false)} onStarted={openRun} />}
      {typeError && <ErrorPanel title="Could not change the column type" error={typeError} />}
      <section className="profile" aria-label="Schema and profile">
        <SchemaList
          columns={d.columns}
          rows={d.version.rows}
          focused={column?.name}
          onFocus={setFocused}
          onType={setType}
          pending={pendingType}
        />
        {column && (
          <ColumnDetail
            column={column}
            rows={d.version.rows}
            onType={(t) => setType(column.name, t)}
            pending={pendingType === column.name}
          />
        )}
      </section>
      <RowsTable key={d.version.id} versionId={d.version.id} columns={d.columns} revision={typeRevision} />
    </div>
  );
}
