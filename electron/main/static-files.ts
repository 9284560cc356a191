// Maps app:// request paths to files of the renderer build, refusing anything outside it.
import path from 'node:path';

const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file name; unknown kinds are served as opaque bytes. */
export function mimeType(file: string): string {
  return mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL pathname names, or null when the path is malformed or escapes
 * `root` (../, encoded separators, NUL bytes, absolute or drive paths). "/" names index.html.
 */
export function resolveInside(
  root: string,
  pathname: string,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const p = platform === 'win32' ? path.win32 : path.posix;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  // A backslash is a separator on Windows; refusing it everywhere keeps the rule the same.
  if (decoded.includes('\\')) return null;
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  if (relative.split('/').some((segment) => segment === '..')) return null;
  if (p.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return null;
  const base = p.resolve(root);
  const full = p.resolve(base, relative);
  const inside = p.relative(base, full);
  if (inside === '' || inside.startsWith('..') || p.isAbsolute(inside)) return null;
  return full;
}

/**
 * Whether a request that matched no file should get index.html instead: client-side routes
 * (no file extension) do; missing assets (with one) stay 404 so errors are not masked.
 */
export function isClientRoute(pathname: string): boolean {
  const last = pathname.split('/').pop() ?? '';
  return !last.includes('.');
}
