// The datasets page: the list of datasets on the left with the data sources under it, the chosen
// dataset's profile and rows (or a source's page) on the right, and the import tray above them.
// The chosen dataset and version are the route's (#/datasets/<id>/v<n>, a source's #/sources/<id>);
// the app opens each finished import there.
import { useEffect, useState } from 'react';
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
import { AddSourceDialog } from '../sources/add-source-dialog.js';
import { SourceList } from '../sources/source-list.js';
import { SourceView } from '../sources/source-view.js';
import { useSources } from '../sources/use-sources.js';

export interface Selection {
  datasetId: string;
  /** Undefined: the latest version. */
  version?: number;
}

export function DatasetsPage({ route, importedTick }: { route: RouteOf<'datasets'>; importedTick: number }) {
  const { client } = useApp();
  const startImports = useStartImports();
  const list = useAsync<Dataset[]>(() => client.call('datasets.list', {}), [importedTick]);
  const sources = useSources();
  const [adding, setAdding] = useState(false);
  const selection: Selection | undefined = route.datasetId
    ? { datasetId: route.datasetId, ...(route.version === undefined ? {} : { version: route.version }) }
    : undefined;
  const setSelection = (s: Selection) => navigate({ page: 'datasets', ...s });

  // Imports made elsewhere (the CLI, another window) land in the same data folder: look again
  // whenever the window comes back to the front.
  const reloadList = list.reload;
  const reloadSources = sources.reload;
  useEffect(() => {
    window.addEventListener('focus', reloadList);
    window.addEventListener('focus', reloadSources);
    return () => {
      window.removeEventListener('focus', reloadList);
      window.removeEventListener('focus', reloadSources);
    };
  }, [reloadList, reloadSources]);
  // A source added, changed or refreshed (by hand, a schedule or a pipeline) may have made a version.
  useEffect(() => client.on('source.changed', reloadList), [client, reloadList]);

  // With nothing chosen, show the most recently changed dataset rather than a blank pane.
  const datasets = list.data ?? [];
  const fallback =
    datasets.length > 0 ? [...datasets].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] : undefined;
  const sourceId = route.sourceId;
  const feeding = (datasetId: string) => sources.data?.find((s) => s.datasetId === datasetId);
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
          selected={sourceId ? undefined : current}
          onSelect={setSelection}
          loading={list.loading && !list.data}
        />
        <SourceList
          sources={sources.data ?? []}
          selectedId={sourceId}
          onSelect={(id) => navigate({ page: 'datasets', sourceId: id })}
          onAdd={() => setAdding(true)}
        />
        {sources.error && <ErrorPanel title="Could not list sources" error={sources.error} />}
      </aside>
      <main className="content">
        <ImportTasks onOpen={(datasetId, version) => setSelection({ datasetId, version })} />
        {sourceId ? (
          <SourceView key={sourceId} sourceId={sourceId} />
        ) : list.data && datasets.length === 0 ? (
          <EmptyState onFiles={startImports} onAddSource={() => setAdding(true)} />
        ) : current ? (
          <DatasetView
            key={current.datasetId}
            selection={current}
            refreshTick={importedTick}
            onSelect={setSelection}
            source={feeding(current.datasetId)}
          />
        ) : null}
      </main>
      {adding && (
        <AddSourceDialog
          onClose={() => setAdding(false)}
          onImported={(datasetId, version) => {
            reloadList();
            reloadSources();
            setSelection({ datasetId, version });
          }}
        />
      )}
    </div>
  );
}
