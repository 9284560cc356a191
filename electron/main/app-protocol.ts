// Serves the renderer build over app://cairn: a standard, secure origin (so the UI gets the web
// platform's same-origin rules and storage) instead of file://, with the CSP on every response.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin.js';
import { securityHeaders } from '../../shared/csp.js';
import { isClientRoute, mimeType, resolveInside } from './static-files.js';

/** Declares app:// privileged; must run before the app's ready event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** The file an image dataset's thumbnail URL path names, or undefined (CairnService.thumbnailFile). */
export type MediaFiles = (urlPath: string) => string | undefined;

const MEDIA_PREFIX = '/media/';

/**
 * Answers app://cairn/<path> from files under `root` (the built renderer folder), and thumbnails
 * under /media/ from the data folder through `media` (unset until the service has opened).
 */
export function handleAppProtocol(root: string, media: () => MediaFiles | undefined): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return respond(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'method not allowed');
    if (url.pathname.startsWith(MEDIA_PREFIX)) return serveMedia(request, url.pathname, media());
    let file = resolveInside(root, url.pathname);
    if (!file) return respond(403, 'forbidden');
    if (!(await isFile(file))) {
      if (!isClientRoute(url.pathname)) return respond(404, 'not found');
      file = path.join(root, 'index.html');
    }
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
        status: 200,
        headers: { ...securityHeaders(), 'Content-Type': mimeType(file), 'Cache-Control': 'no-cache' },
      });
    } catch {
      return respond(404, 'not found');
    }
  });
}

async function serveMedia(request: Request, pathname: string, media: MediaFiles | undefined): Promise<Response> {
  const file = media?.(pathname);
  const body = file ? await readFile(file).catch(() => undefined) : undefined;
  if (!body) return respond(404, 'not found');
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      ...securityHeaders(),
      'Content-Type': 'image/webp',
      'Cache-Control': 'private, max-age=31536000, immutable',
    },
  });
}

function respond(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
