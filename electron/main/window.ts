// The one app window. Its web contents get no Node, run sandboxed and isolated from the preload
// script, and reach the engine only through window.cairn.
import path from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-origin.js';

export interface WindowOptions {
  /** out/preload/index.cjs */
  preload: string;
  /** The electron-vite dev server in development; app://cairn otherwise. */
  devServerUrl?: string;
}

/** Creates the main window and loads the UI; shows it once the first frame is ready. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Cairn',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    webPreferences: {
      preload: path.resolve(options.preload),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.devServerUrl ?? APP_ENTRY_URL).catch((err: unknown) => {
    console.error('cairn: the UI failed to load', err);
  });
  return win;
}
