// What every page needs from the app shell: the engine client, how files reach it, and the
// import tasks (one store for the window, so a drop anywhere shows up on the datasets page).
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { CairnClient } from '../../shared/api.js';
import type { Transport } from './api/client.js';
import type { ImportStore, ImportTask } from './imports/import-store.js';

export interface AppServices {
  transport: Transport;
  client: CairnClient;
  imports: ImportStore;
  /** Shows a run's page, e.g. right after the user started it. */
  openRun: (runId: string) => void;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside <AppContext.Provider>');
  return services;
}

export function useImportTasks(): readonly ImportTask[] {
  const { imports } = useApp();
  return useSyncExternalStore(imports.subscribe, imports.snapshot);
}

/** Starts importing files picked or dropped by the user. */
export function useStartImports(): (files: Iterable<File>) => void {
  const { imports, transport } = useApp();
  return (files) => {
    for (const file of files) imports.start({ file, source: transport.sourceFor(file) });
  };
}
