// The desktop host (DESIGN.md, "One engine, three hosts"): Electron main owns the CairnService,
// serves the UI over app://cairn, and bridges the two with one IPC channel each way.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { APP_NAME } from '../core/paths.js';
import { CairnService } from '../core/service.js';
import { notifyAlerts } from './alert-notifications.js';
import { handleAppProtocol, registerAppScheme, type MediaFiles } from './app-protocol.js';
import { desktopHome } from './home.js';
import { grantedFiles } from '../core/file-access.js';
import { FileGrants } from './file-grants.js';
import { forwardEvents, handleCalls, handleFileGrants } from './ipc.js';
import { installMenu } from './menu.js';
import { electronSqliteBindingPath } from './native-binding.js';
import { guardPermissions, guardWebContents } from './security.js';
import { utilityEndpointSpawner, utilitySpawner } from './utility-spawner.js';
import { createMainWindow } from './window.js';
import { desktopSecretStore } from './safe-storage-codec.js';

const here = import.meta.dirname;
const files = {
  renderer: path.join(here, '..', 'renderer'),
  preload: path.join(here, '..', 'preload', 'index.cjs'),
  worker: path.join(here, 'job-worker.js'),
  endpoint: path.join(here, 'endpoint-process.js'),
  migrations: path.join(here, 'migrations'),
};
// electron-vite sets this for `npm run dev`; a packaged app never trusts it.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

registerAppScheme();
guardWebContents(devServerUrl);
app.setName(APP_NAME);
const home = desktopHome(process.argv, process.env, app.getPath('appData'));
// Chromium's own files and the single-instance lock follow the data folder, so two instances may
// run on two folders but never on one.
app.setPath('userData', home);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  prepareEnvironment();
  start().catch((err: unknown) => fail('Cairn could not start', err));
}

/** Points core at the bundle's migrations and, unpackaged, at the Electron build of better-sqlite3. */
function prepareEnvironment(): void {
  if (!process.env.CAIRN_MIGRATIONS_DIR && existsSync(files.migrations)) {
    process.env.CAIRN_MIGRATIONS_DIR = files.migrations;
  }
  // Packaged builds carry a better-sqlite3 that electron-builder rebuilt for Electron.
  if (!app.isPackaged && !process.env.CAIRN_SQLITE_BINDING) {
    const binding = electronSqliteBindingPath(app.getAppPath(), process.versions.electron);
    if (existsSync(binding)) process.env.CAIRN_SQLITE_BINDING = binding;
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  guardPermissions(devServerUrl);
  // Thumbnails come from the data folder once the service has opened it.
  const media: { files?: MediaFiles } = {};
  handleAppProtocol(files.renderer, () => media.files);
  installMenu();

  // Paths reach the engine only as handles main granted for a drop, a picked file or a save dialog.
  const grants = new FileGrants();
  let service: CairnService;
  try {
    service = await CairnService.open({
      home,
      host: 'desktop',
      files: grantedFiles(grants),
      spawn: utilitySpawner(files.worker),
      spawnEndpoint: utilityEndpointSpawner(files.endpoint),
      secrets: desktopSecretStore(home),
    });
  } catch (err) {
    fail(`Cairn could not open its data folder\n${home}`, err);
    return;
  }
  media.files = (urlPath) => service.thumbnailFile(urlPath);
  handleCalls(service, devServerUrl);
  handleFileGrants(grants, devServerUrl);

  let win: BrowserWindow | undefined;
  const open = () => {
    win = createMainWindow({ preload: files.preload, devServerUrl });
    win.on('closed', () => (win = undefined));
  };
  forwardEvents(service, () => win, devServerUrl);
  open();
  notifyAlerts(service, () => {
    if (!win) return open();
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on('second-instance', () => {
    if (!win) return open();
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Job processes are cancelled, endpoints drained and app.db closed cleanly before the process ends.
  let closed = false;
  let closing = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    service
      .close()
      .catch((err: unknown) => console.error('cairn: closing the service failed', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

function fail(title: string, err: unknown): void {
  let message = err instanceof Error ? err.message : String(err);
  if (!app.isPackaged && message.includes('NODE_MODULE_VERSION')) {
    message +=
      '\n\nbetter-sqlite3 is built for Node, not Electron: run `node scripts/electron-native.mjs` (npm start does).';
  }
  console.error(`cairn: ${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(1);
}
