// The shell: a top bar with the pages that exist (Datasets, Pipelines, Runs, Sweeps, Models, Endpoints,
// Monitoring, Settings, About), the page, the status bar, and the window-wide drop target. One ImportStore
// lives here for the window's lifetime. The page and its selection live in the URL's fragment
// (lib/hash-route.ts); each page keeps the last route it showed, so coming back to it by the top
// bar finds the same run, model or pipeline (and the URL says so).
import { Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppInfo } from '../../shared/api.js';
import { ApiError } from './api/api-error.js';
import type { Transport } from './api/client.js';
import { AppContext, type AppServices } from './app-context.js';
import { ConnectionBanner } from './components/connection-banner.js';
import { DropOverlay, type Dropped } from './components/drop-overlay.js';
import { PageBoundary } from './components/page-boundary.js';
import { StatusBar } from './components/status-bar.js';
import { ImportStore } from './imports/import-store.js';
import { navigate, useHashRoute, type Page, type Route, type RouteOf } from './lib/hash-route.js';
import { retryableLazy } from './lib/retryable-lazy.js';
import { useAsync } from './lib/use-async.js';
import { AboutPage } from './pages/about/about-page.js';
import { DatasetsPage } from './pages/datasets/datasets-page.js';
import { useFiringCount } from './pages/monitoring/use-firing-count.js';

// Pages other than the first load when first opened: the canvas and chart libraries they bring
// would otherwise all be parsed before the window shows anything.
const PipelinesPage = retryableLazy(() => import('./pages/pipelines/pipelines-page.js').then((m) => m.PipelinesPage));
const RunsPage = retryableLazy(() => import('./pages/runs/runs-page.js').then((m) => m.RunsPage));
const SweepsPage = retryableLazy(() => import('./pages/sweeps/sweeps-page.js').then((m) => m.SweepsPage));
const ModelsPage = retryableLazy(() => import('./pages/models/models-page.js').then((m) => m.ModelsPage));
const EndpointsPage = retryableLazy(() => import('./pages/endpoints/endpoints-page.js').then((m) => m.EndpointsPage));
const SettingsPage = retryableLazy(() => import('./pages/settings/settings-page.js').then((m) => m.SettingsPage));
const MonitoringPage = retryableLazy(() =>
  import('./pages/monitoring/monitoring-page.js').then((m) => m.MonitoringPage),
);

/**
 * A page once shown stays mounted (hidden), so its sort, filters, selection and scroll survive a
 * tab switch. A page that fails (or whose code cannot be fetched) shows the failure here only.
 */
function PageSlot({ shown, label, children }: { shown: boolean; label: string; children: ReactNode }) {
  return (
    <div className="page-slot" hidden={!shown}>
      <PageBoundary label={label}>
        <Suspense fallback={<p className="muted loading-pane">Loading…</p>}>{children}</Suspense>
      </PageBoundary>
    </div>
  );
}

const PAGES: { id: Page; label: string }[] = [
  { id: 'datasets', label: 'Datasets' },
  { id: 'pipelines', label: 'Pipelines' },
  { id: 'runs', label: 'Runs' },
  { id: 'sweeps', label: 'Sweeps' },
  { id: 'models', label: 'Models' },
  { id: 'endpoints', label: 'Endpoints' },
  { id: 'monitoring', label: 'Monitoring' },
  { id: 'settings', label: 'Settings' },
  { id: 'about', label: 'About' },
];

const LABEL = Object.fromEntries(PAGES.map((p) => [p.id, p.label])) as Record<Page, string>;

export function App({ transport }: { transport: Transport }) {
  const route = useHashRoute();
  const page = route.page;
  const [importedTick, setImportedTick] = useState(0);
  const [visited, setVisited] = useState<ReadonlySet<Page>>(() => new Set<Page>([page]));
  useEffect(() => setVisited((v) => (v.has(page) ? v : new Set([...v, page]))), [page]);
  // The last route each page showed: a hidden page keeps its selection, and the top bar returns to it.
  const lastRoutes = useRef(new Map<Page, Route>());
  lastRoutes.current.set(page, route);
  const routeOf = <P extends Page>(p: P): RouteOf<P> => (lastRoutes.current.get(p) ?? { page: p }) as RouteOf<P>;

  const imports = useMemo(
    () =>
      new ImportStore(
        transport.client,
        (file) => transport.sourceFor(file),
        (result) => {
          setImportedTick((t) => t + 1);
          // A finished import opens what it made (or the version that already had the content).
          navigate({ page: 'datasets', datasetId: result.datasetId, version: result.version });
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
      openRun: (runId) => navigate({ page: 'runs', runId }),
    }),
    [transport, imports],
  );
  const info = useAsync<AppInfo>(() => transport.client.call('app.info', {}), [transport]);
  const firing = useFiringCount(transport.client);

  const onDrop = ({ files, folders }: Dropped) => {
    for (const file of files) imports.start({ file, source: transport.sourceFor(file) });
    // The desktop app grants a dropped folder's path like a file's, and the engine imports a folder
    // as pictures; a browser cannot upload a folder as one file.
    for (const folder of folders) {
      if (transport.host === 'desktop' && folder.file)
        imports.start({ file: folder.file, source: transport.sourceFor(folder.file) });
      else imports.reject(folder.name, folderError(folder.name));
    }
    navigate(routeOf('datasets'));
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
                onClick={() => navigate(routeOf(p.id))}
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
        <ConnectionBanner connection={transport.connection} />
        <div className="page">
          {visited.has('datasets') && (
            <PageSlot shown={page === 'datasets'} label={LABEL.datasets}>
              <DatasetsPage route={routeOf('datasets')} importedTick={importedTick} />
            </PageSlot>
          )}
          {visited.has('pipelines') && (
            <PageSlot shown={page === 'pipelines'} label={LABEL.pipelines}>
              <PipelinesPage route={routeOf('pipelines')} />
            </PageSlot>
          )}
          {visited.has('runs') && (
            <PageSlot shown={page === 'runs'} label={LABEL.runs}>
              <RunsPage route={routeOf('runs')} />
            </PageSlot>
          )}
          {visited.has('sweeps') && (
            <PageSlot shown={page === 'sweeps'} label={LABEL.sweeps}>
              <SweepsPage route={routeOf('sweeps')} />
            </PageSlot>
          )}
          {visited.has('models') && (
            <PageSlot shown={page === 'models'} label={LABEL.models}>
              <ModelsPage route={routeOf('models')} />
            </PageSlot>
          )}
          {visited.has('endpoints') && (
            <PageSlot shown={page === 'endpoints'} label={LABEL.endpoints}>
              <EndpointsPage route={routeOf('endpoints')} />
            </PageSlot>
          )}
          {visited.has('monitoring') && (
            <PageSlot shown={page === 'monitoring'} label={LABEL.monitoring}>
              <MonitoringPage route={routeOf('monitoring')} onOpenPage={(p) => navigate(routeOf(p))} />
            </PageSlot>
          )}
          {visited.has('settings') && (
            <PageSlot shown={page === 'settings'} label={LABEL.settings}>
              <SettingsPage />
            </PageSlot>
          )}
          {page === 'about' && <AboutPage info={info.data} error={info.error} />}
        </div>
        <StatusBar info={info.data} error={info.error} onAbout={() => navigate({ page: 'about' })} />
        <DropOverlay onDrop={onDrop} />
      </div>
    </AppContext.Provider>
  );
}

/** Why a folder dropped in the browser is not imported: a browser uploads files, not folders. */
function folderError(name: string): ApiError {
  return new ApiError({
    code: 'invalid_argument',
    message: `${name} is a folder, and a browser cannot upload a folder as one file. For pictures (a folder of class folders), zip the folder and drop or import the .zip; for tables, drop the files inside it. The desktop app and \`cairn import ${name}\` import a folder as it is.`,
  });
}
