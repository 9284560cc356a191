// Lockdown that applies to every web contents and session: the UI may not navigate away, open
// windows, embed webviews or be granted device permissions. Links to outside pages do nothing;
// nothing in Cairn's UI needs one.
import { app, session, type Session } from 'electron';
import { isTrustedUrl } from './app-origin.js';

/** Installs the navigation, window-open and webview guards on every web contents created. */
export function guardWebContents(devServerUrl?: string): void {
  app.on('web-contents-created', (_event, contents) => {
    // A full load of another app:// page stays allowed; anything else would hand the preload's
    // bridge to a foreign page.
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (!isTrustedUrl(url, devServerUrl)) event.preventDefault();
    };
    contents.on('will-navigate', (event) => guard(event, event.url));
    contents.on('will-redirect', (event) => guard(event, event.url));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Denies every permission request and check (camera, notifications, clipboard-read, ...). */
export function denyPermissions(target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
}
