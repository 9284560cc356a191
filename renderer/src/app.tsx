// The shell: a top bar with the pages that exist (Datasets, Pipelines, Runs, Models, Endpoints,
// Monitoring, About), the page, the status bar, and the window-wide drop target. One ImportStore
// lives here for the window's lifetime.
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppInfo } from '../../shared/api.js';
import type { Transport } from './api/client.js';
import { AppContext, type AppServices } from './app-context.js';
import { DropOverlay } from './components/drop-overlay.js';
import { StatusBar } from './components/status-bar.js';
import { ImportStore } from './imports/import-store.js';
import { useAsync } from './lib/use-async.js';
import { AboutPage } from './pages/about/about-page.js';
import { DatasetsPage, type Selection } from './pages/datasets/datasets-page.js';
import { useFiringCount } from './pages/monitoring/use-firing-count.js';

// Pages other than the first load when first opened: the canvas and chart libraries they bring
// would otherwise all be parsed before the window shows anything.
const PipelinesPage = lazy(() =>
  import('./pages/pipelines/pipelines-page.js').then((m) => ({ default: m.PipelinesPage })),
);
const RunsPage = lazy(() => import('./pages/runs/runs-page.js').then((m) => ({ default: m.RunsPage })));
const ModelsPage = lazy(() => import('./pages/models/models-page.js').then((m) => ({ default: m.ModelsPage })));
const EndpointsPage = lazy(() =>
  import('./pages/endpoints/endpoints-page.js').then((m) => ({ default: m.EndpointsPage })),
);
const MonitoringPage = lazy(() =>
  import('./pages/monitoring/monitoring-page.js').then((m) => ({ default: m.MonitoringPage })),
);

/** A page once shown stays mounted (hidden), so its sort, filters, selection and scroll survive a tab switch. */
function PageSlot({ shown, children }: { shown: boolean; children: ReactNode }) {
  return (
    <div className="page-slot" hidden={!shown}>
      <Suspense fallback={<p className="muted loading-pane">Loading…</p>}>{children}</Suspense>
    </div>
  );
}

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
      new ImportStore(
        transport.client,
        (file) => transport.sourceFor(file),
        (result) => {
          setImportedTick((t) => t + 1);
          setLastImported({ datasetId: result.datasetId, version: result.version });
          setPage('datasets');
        },
      ),
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
              <button
                key={p.id}
                type="button"
                className={page === p.id ? 'active' : ''}
                aria-current={page === p.id ? 'page' : undefined}
                onClick={() => setPage(p.id)}
              >
                {p.label}
                {p.id === 'monitoring' && firing > 0 && (
                  <span
                    className="nav-badge"
                    title={`${firing} alert${firing === 1 ? '' : 's'} firing`}
                    data-testid="nav-firing"
                  >
                    {firing}
                  </span>
                )}
              </button>
            ))}
          </nav>
        </header>
        <div className="page">
          {visited.has('datasets') && (
            <PageSlot shown={page === 'datasets'}>
              <DatasetsPage importedTick={importedTick} lastImported={lastImported} />
            </PageSlot>
          )}
          {visited.has('pipelines') && (
            <PageSlot shown={page === 'pipelines'}>
              <PipelinesPage />
            </PageSlot>
          )}
          {visited.has('runs') && (
            <PageSlot shown={page === 'runs'}>
              <RunsPage focusRunId={focusRunId} />
            </PageSlot>
          )}
          {visited.has('models') && (
            <PageSlot shown={page === 'models'}>
              <ModelsPage />
            </PageSlot>
          )}
          {visited.has('endpoints') && (
            <PageSlot shown={page === 'endpoints'}>
              <EndpointsPage />
            </PageSlot>
          )}
          {visited.has('monitoring') && (
            <PageSlot shown={page === 'monitoring'}>
              <MonitoringPage onOpenPage={setPage} />
            </PageSlot>
          )}
          {page === 'about' && <AboutPage info={info.data} error={info.error} />}
        </div>
        <StatusBar info={info.data} error={info.error} onAbout={() => setPage('about')} />
        <DropOverlay onFiles={onFiles} />
      </div>
    </AppContext.Provider>
  );
}
