// The datasets page: the list of datasets on the left, the chosen one's profile and rows on the
// right, and the import tray above them. The chosen dataset and version are the route's
// (#/datasets/<id>/v<n>); the app opens each finished import there.
import { useEffect } from 'react';
import type { Dataset } from '../../../../shared/api.js';
import { useApp, useStartImports } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FileButton } from '../../components/file-button.js';
import { navigate, type RouteOf } from '../../lib/hash-route.js';
import { useAsync } from '../../lib/use-async.js';
import { DatasetList } from './dataset-list.js';
import { DatasetView } from './dataset-view.js';
import { EmptyState } from './empty-state.js';
import { FolderButton } from './folder-button.js';
import { ImportTasks } from './import-tasks.js';

export interface Selection {
  datasetId: string;
  /** Undefined: the latest version. */
  version?: number;
}

export function DatasetsPage({ route, importedTick }: { route: RouteOf<'datasets'>; importedTick: number }) {
  const { client } = useApp();
  const startImports = useStartImports();
  const list = useAsync<Dataset[]>(() => client.call('datasets.list', {}), [importedTick]);
  const selection: Selection | undefined = route.datasetId
    ? { datasetId: route.datasetId, ...(route.version === undefined ? {} : { version: route.version }) }
    : undefined;
  const setSelection = (s: Selection) => navigate({ page: 'datasets', ...s });

  // Imports made elsewhere (the CLI, another window) land in the same data folder: look again
  // whenever the window comes back to the front.
  const reloadList = list.reload;
  useEffect(() => {
    window.addEventListener('focus', reloadList);
    return () => window.removeEventListener('focus', reloadList);
  }, [reloadList]);

  // With nothing chosen, show the most recently changed dataset rather than a blank pane.
  const datasets = list.data ?? [];
  const fallback =
    datasets.length > 0 ? [...datasets].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] : undefined;
  const current =
    selection && datasets.some((d) => d.id === selection.datasetId)
      ? selection
      : fallback
        ? { datasetId: fallback.id }
        : undefined;

  return (
    <div className="datasets-page">
      <aside className="sidebar" aria-label="Datasets">
        <div className="sidebar-head">
          <h2>Datasets</h2>
          <FileButton onFiles={startImports} primary={datasets.length > 0} />
        </div>
        <FolderButton className="btn-link sidebar-folder" />
        {list.error && <ErrorPanel title="Could not list datasets" error={list.error} />}
        <DatasetList
          datasets={datasets}
          selected={current}
          onSelect={setSelection}
          loading={list.loading && !list.data}
        />
      </aside>
      <main className="content">
        <ImportTasks onOpen={(datasetId, version) => setSelection({ datasetId, version })} />
        {list.data && datasets.length === 0 ? (
          <EmptyState onFiles={startImports} />
        ) : current ? (
          <DatasetView key={current.datasetId} selection={current} refreshTick={importedTick} onSelect={setSelection} />
        ) : null}
      </main>
    </div>
  );
}
