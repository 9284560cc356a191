// The shell: a top bar with the pages that exist (Datasets, Pipelines, Runs, Models, Endpoints,
// Monitoring, About), the page, the status bar, and the window-wide drop target. One ImportStore
// lives here for the window's lifetime.
import { useEffect, useMemo, useState } from 'react';
import type { AppInfo } from '../../shared/api.js';
import type { Transport } from './api/client.js';
import { AppContext, type AppServices } from './app-context.js';
import { DropOverlay } from './components/drop-overlay.js';
import { StatusBar } from './components/status-bar.js';
import { ImportStore } from './imports/import-store.js';
import { useAsync } from './lib/use-async.js';
import { AboutPage } from './pages/about/about-page.js';
import { DatasetsPage, type Selection } from './pages/datasets/datasets-page.js';
import { EndpointsPage } from './pages/endpoints/endpoints-page.js';
import { ModelsPage } from './pages/models/models-page.js';
import { MonitoringPage } from './pages/monitoring/monitoring-page.js';
import { useFiringCount } from './pages/monitoring/use-firing-count.js';
import { PipelinesPage } from './pages/pipelines/pipelines-page.js';
import { RunsPage } from './pages/runs/runs-page.js';

type Page = 'datasets' | 'pipelines' | 'runs' | 'models' | 'endpoints' | 'monitoring' | 'about';

const PAGES: { id: Page; label: string }[] = [
  { id: 'datasets', label: 'Datasets' },
  { id: 'pipelines', label: 'Pipelines' },
  { id: 'runs', label: 'Runs' },
  { id: 'models', label: 'Models' },
  { id: 'endpoints', label: 'Endpoints' },
  { id: 'monitoring', label: 'Monitoring' },
  { id: 'about', label: 'About' },
];

export function App({ transport }: { transport: Transport }) {
  const [page, setPage] = useState<Page>('datasets');
  const [importedTick, setImportedTick] = useState(0);
  const [lastImported, setLastImported] = useState<Selection | undefined>(undefined);
  const [focusRunId, setFocusRunId] = useState<string | undefined>(undefined);
  const [visited, setVisited] = useState<ReadonlySet<Page>>(() => new Set<Page>(['datasets']));
  useEffect(() => setVisited((v) => (v.has(page) ? v : new Set([...v, page]))), [page]);

  const imports = useMemo(
    () =>
      new ImportStore(transport.client, (file) => transport.sourceFor(file), (result) => {
        setImportedTick((t) => t + 1);
        setLastImported({ datasetId: result.datasetId, version: result.version });
        setPage('datasets');
      }),
    [transport],
  );
  useEffect(() => imports.connect(), [imports]);
  const services = useMemo<AppServices>(
    () => ({
      transport,
      client: transport.client,
      imports,
      openRun: (runId) => {
        setFocusRunId(runId);
        setPage('runs');
      },
    }),
    [transport, imports],
  );
  const info = useAsync<AppInfo>(() => transport.client.call('app.info', {}), [transport]);
  const firing = useFiringCount(transport.client);

  const onFiles = (files: File[]) => {
    for (const file of files) imports.start({ file, source: transport.sourceFor(file) });
    setPage('datasets');
  };

  return (
    <AppContext.Provider value={services}>
      <div className="app">
        <header className="topbar">
          <span className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Cairn
          </span>
          <nav className="topnav" aria-label="Pages">
            {PAGES.map((p) => (
              <button key={p.id} type="button" className={page === p.id ? 'active' : ''} aria-current={page === p.id ? 'page' : undefined} onClick={() => setPage(p.id)}>
                {p.label}
                {p.id === 'monitoring' && firing > 0 && (
                  <span className="nav-badge" title={`${firing} alert${firing === 1 ? '' : 's'} firing`} data-testid="nav-firing">
                    {firing}
                  </span>
                )}
              </button>
            ))}
          </nav>
        </header>
        <div className="page">
          {/* A page once shown stays mounted (hidden), so its sort, filters, selection and scroll survive a tab switch. */}
          {visited.has('datasets') && (
            <div className="page-slot" hidden={page !== 'datasets'}>
              <DatasetsPage importedTick={importedTick} lastImported={lastImported} />
            </div>
          )}
          {visited.has('pipelines') && <div className="page-slot" hidden={page !== 'pipelines'}><PipelinesPage /></div>}
          {visited.has('runs') && (
            <div className="page-slot" hidden={page !== 'runs'}>
              <RunsPage focusRunId={focusRunId} />
            </div>
          )}
          {visited.has('models') && <div className="page-slot" hidden={page !== 'models'}><ModelsPage /></div>}
          {visited.has('endpoints') && <div className="page-slot" hidden={page !== 'endpoints'}><EndpointsPage /></div>}
          {visited.has('monitoring') && (
            <div className="page-slot" hidden={page !== 'monitoring'}>
              <MonitoringPage onOpenPage={setPage} />
            </div>
          )}
          {page === 'about' && <AboutPage info={info.data} error={info.error} />}
        </div>
        <StatusBar info={info.data} error={info.error} onAbout={() => setPage('about')} />
        <DropOverlay onFiles={onFiles} />
      </div>
    </AppContext.Provider>
  );
}
