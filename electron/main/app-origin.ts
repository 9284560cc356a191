// Where the UI comes from, and so which frames may talk to the engine over IPC.

/** The privileged custom scheme the built renderer is served from. */
export const APP_SCHEME = 'app';
/** The one host under that scheme; the page's origin is app://cairn. */
export const APP_HOST = 'cairn';

/** The URL the window loads in a build. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** `url` parsed, or undefined when it is missing or not a URL. */
function parseUrl(url: string | undefined | null): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether a frame at `url` is the app's own UI: app://cairn, or in development the electron-vite
 * dev server's origin. Compared by protocol and host because WHATWG URL reports the origin of a
 * non-special scheme such as app: as "null".
 */
export function isTrustedUrl(url: string | undefined | null, devServerUrl?: string): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password) {
    return true;
  }
  const dev = parseUrl(devServerUrl);
  if (!dev) return false;
  return (dev.protocol === 'http:' || dev.protocol === 'https:') && parsed.origin === dev.origin;
}
