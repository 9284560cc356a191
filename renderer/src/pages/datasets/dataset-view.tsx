// One dataset version: what it is (header), its schema and profile, and its rows; an image
// dataset's version is image-dataset-view.tsx's.
import { useState } from 'react';
import type { ColumnType, DatasetDetail, Source } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { navigate } from '../../lib/hash-route.js';
import { useAsync } from '../../lib/use-async.js';
import { SweepDialog } from '../sweeps/sweep-dialog.js';
import { TrainDialog } from '../train/train-dialog.js';
import { ColumnDetail } from './column-detail.js';
import type { Selection } from './datasets-page.js';
import { ImageDatasetView } from './image-dataset-view.js';
import { RowsTable } from './rows-table.js';
import { SchemaList } from './schema-list.js';
import { costlyTypeChange, describeInvalid, type InvalidCount } from './type-change.js';
import { SweepButton, TrainButton, VersionHeader } from './version-header.js';
// The confirm dialog's frame and buttons, as the other pages that ask before a step load them.
import '../../styles/models.css';

/** A type change waiting for the user's yes, with what it would cost. */
interface TypeQuestion {
  column: string;
  from: ColumnType;
  type: ColumnType;
  cost: InvalidCount;
}

interface DatasetViewProps {
  selection: Selection;
  refreshTick: number;
  onSelect: (s: Selection) => void;
  /** The source that refreshes this dataset, if one does. */
  source?: Pick<Source, 'id' | 'name' | 'lastRefresh'> | undefined;
}

export function DatasetView({ selection, refreshTick, onSelect, source }: DatasetViewProps) {
  const { client, openRun } = useApp();
  const [training, setTraining] = useState(false);
  const [sweeping, setSweeping] = useState(false);
  const detail = useAsync<DatasetDetail>(
    () => client.call('datasets.get', { ref: selection.datasetId, version: selection.version }),
    // A refresh of its source may have made the version the page shows as latest.
    [selection.datasetId, selection.version, refreshTick, source?.lastRefresh?.endedAt],
  );
  const [focused, setFocused] = useState<string | undefined>(undefined);
  const [typeError, setTypeError] = useState<ApiError | undefined>(undefined);
  const [pendingType, setPendingType] = useState<string | undefined>(undefined);
  const [asking, setAsking] = useState<TypeQuestion | undefined>(undefined);
  // Bumped after a type correction: filters compare by type, so cached pages may be stale.
  const [typeRevision, setTypeRevision] = useState(0);

  if (detail.error) return <ErrorPanel title="Could not open the dataset" error={detail.error} />;
  const d = detail.data;
  if (!d) return <div className="loading-pane muted">Loading dataset…</div>;
  if (d.dataset.kind === 'images') return <ImageDatasetView detail={d} onSelect={onSelect} />;

  const column = d.columns.find((c) => c.name === focused) ?? d.columns[0];

  const applyType = (name: string, type: ColumnType) =>
    client.call('datasets.setColumnType', { versionId: d.version.id, column: name, type }).then((profile) => {
      detail.set((cur) => cur && { ...cur, columns: cur.columns.map((c) => (c.name === profile.name ? profile : c)) });
      setTypeRevision((r) => r + 1);
    });

  // The engine first says what the new type would cost; a change that invalidates most values waits for a yes.
  const setType = (name: string, type: ColumnType) => {
    const current = d.columns.find((c) => c.name === name);
    if (!current) return;
    setPendingType(name);
    setTypeError(undefined);
    client
      .call('datasets.previewColumnType', { versionId: d.version.id, column: name, type })
      .then((preview) => {
        const cost = costlyTypeChange(current, preview, d.version.rows);
        if (cost) setAsking({ column: name, from: current.type, type, cost });
        else return applyType(name, type);
      })
      .catch((err: unknown) => setTypeError(toApiError(err)))
      .finally(() => setPendingType(undefined));
  };

  return (
    <div className="dataset-view" data-testid="dataset-view" data-version={d.version.version}>
      <VersionHeader
        detail={d}
        onVersion={(version) => onSelect({ datasetId: d.dataset.id, version })}
        source={source}
        actions={
          <>
            <SweepButton onClick={() => setSweeping(true)} disabled={d.version.rows === 0} />
            <TrainButton onClick={() => setTraining(true)} disabled={d.version.rows === 0} />
          </>
        }
      />
      {training && <TrainDialog detail={d} onClose={() => setTraining(false)} onStarted={openRun} />}
      {sweeping && (
        <SweepDialog
          detail={d}
          onClose={() => setSweeping(false)}
          onStarted={(sweepId) => navigate({ page: 'sweeps', sweepId })}
        />
      )}
      {typeError && <ErrorPanel title="Could not change the column type" error={typeError} />}
      {asking && (
        <ConfirmDialog
          title={`Read ${asking.column} as ${asking.type}?`}
          testId="type-confirm"
          confirmLabel={`Set to ${asking.type}`}
          action={() => applyType(asking.column, asking.type)}
          onClose={() => setAsking(undefined)}
        >
          <p>
            <strong>{describeInvalid(asking.cost)}</strong> of <strong>{asking.column}</strong> cannot be read as{' '}
            {asking.type} and would become invalid: training treats them as missing.
          </p>
          <p className="muted">Its values stay in the file; setting the type back to {asking.from} restores them.</p>
        </ConfirmDialog>
      )}
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
