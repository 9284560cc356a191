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

/** Answers app://cairn/<path> from files under `root` (the built renderer folder). */
export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return respond(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'method not allowed');
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
