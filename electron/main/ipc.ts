// The IPC bridge: one invoke channel into the service and one event channel out of it. Every
// call is checked against its sender frame, so only the app's own UI reaches the engine.
import { BrowserWindow, dialog, ipcMain, type WebFrameMain } from 'electron';
import type { ApiErrorShape, CallReply, MethodName } from '../../shared/api.js';
import {
  CALL_CHANNEL,
  EVENT_CHANNEL,
  GRANT_FOLDER_CHANNEL,
  GRANT_READ_CHANNEL,
  GRANT_SAVE_CHANNEL,
} from '../../shared/bridge.js';
import type { CairnService } from '../core/service.js';
import { isTrustedUrl } from './app-origin.js';
import { grantFolder, grantRead, grantSave, type FileGrants, type GrantRequestDeps } from './file-grants.js';

function refusal(error: ApiErrorShape): CallReply<MethodName> {
  return { ok: false, error };
}

/** Routes `cairn:call` to service.call; returns a function that removes the handler. */
export function handleCalls(service: CairnService, devServerUrl?: string): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, arg: unknown) => {
    const frame: WebFrameMain | null = event.senderFrame;
    if (!frame || !isTrustedUrl(frame.url, devServerUrl)) {
      console.warn(`cairn: refused IPC call from ${frame?.url ?? 'a destroyed frame'}`);
      return refusal({ code: 'unauthorized', message: 'calls are accepted only from the Cairn UI' });
    }
    if (typeof method !== 'string') return refusal({ code: 'invalid_argument', message: 'method must be a string' });
    return service.call(method, arg);
  });
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** Forwards every service event to the window while it shows the app's UI; returns unsubscribe. */
export function forwardEvents(
  service: CairnService,
  window: () => BrowserWindow | undefined,
  devServerUrl?: string,
): () => void {
  return service.events.subscribe((name, payload) => {
    const win = window();
    if (!win || win.isDestroyed()) return;
    const contents = win.webContents;
    if (contents.isDestroyed() || !isTrustedUrl(contents.getURL(), devServerUrl)) return;
    contents.send(EVENT_CHANNEL, name, payload);
  });
}

/**
 * Routes the three grant channels: a read handle for a file the preload got from a drop or a file
 * input, a write handle from a save dialog, and a read handle for a folder from a folder dialog. Returns a function that removes the handlers.
 */
export function handleFileGrants(grants: FileGrants, devServerUrl?: string): () => void {
  const deps = (sender: Electron.WebContents): GrantRequestDeps => ({
    grants,
    trusted: (url) => isTrustedUrl(url, devServerUrl),
    showSaveDialog: async (suggestedName) => {
      const win = BrowserWindow.fromWebContents(sender);
      // macOS and Windows always ask before replacing a file; Linux only when told to.
      const options: Electron.SaveDialogOptions = {
        defaultPath: suggestedName,
        filters: [{ name: 'Model bundle', extensions: ['zip'] }],
        properties: ['showOverwriteConfirmation'],
      };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled ? undefined : r.filePath;
    },
    showFolderDialog: async () => {
      const win = BrowserWindow.fromWebContents(sender);
      const options: Electron.OpenDialogOptions = {
        title: 'Import a folder of pictures',
        properties: ['openDirectory'],
      };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? undefined : r.filePaths[0];
    },
  });
  ipcMain.handle(GRANT_READ_CHANNEL, (event, file: unknown) =>
    grantRead(deps(event.sender), event.senderFrame?.url, file),
  );
  ipcMain.handle(GRANT_SAVE_CHANNEL, (event, name: unknown) =>
    grantSave(deps(event.sender), event.senderFrame?.url, name),
  );
  ipcMain.handle(GRANT_FOLDER_CHANNEL, (event) => grantFolder(deps(event.sender), event.senderFrame?.url));
  return () => {
    ipcMain.removeHandler(GRANT_READ_CHANNEL);
    ipcMain.removeHandler(GRANT_SAVE_CHANNEL);
    ipcMain.removeHandler(GRANT_FOLDER_CHANNEL);
  };
}
