// Lockdown that applies to every web contents and session: the UI may not navigate away, open
// windows or embed webviews, and is granted no device permission but the camera (permissions.ts).
// Links to outside pages do nothing; nothing in Cairn's UI needs one.
import { app, session, type Session } from 'electron';
import { isTrustedUrl } from './app-origin.js';
import { allowPermission } from './permissions.js';

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

/**
 * Grants the camera (video only) to the app's own page for its picture capture, and denies every
 * other permission request and check (microphone, notifications, clipboard-read, ...).
 */
export function guardPermissions(devServerUrl?: string, target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(allowPermission({ permission, url: details.requestingUrl, mediaTypes }, devServerUrl));
  });
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowPermission(
      {
        permission,
        url: details.requestingUrl ?? requestingOrigin,
        mediaTypes: details.mediaType === undefined ? [] : [details.mediaType],
      },
      devServerUrl,
    ),
  );
}
