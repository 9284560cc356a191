import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isClientRoute, mimeType, resolveInside } from '../../../../electron/main/static-files.js';

const root = path.resolve('/srv/cairn/out/renderer');

describe('resolveInside', () => {
  it('maps paths to files under the root, "/" to index.html', () => {
    expect(resolveInside(root, '/', 'linux')).toBe(path.posix.join(root, 'index.html'));
    expect(resolveInside(root, '/index.html', 'linux')).toBe(path.posix.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/index-abc.js', 'linux')).toBe(path.posix.join(root, 'assets/index-abc.js'));
    expect(resolveInside(root, '/assets/a%20b.png', 'linux')).toBe(path.posix.join(root, 'assets/a b.png'));
  });

  it('refuses traversal, encoded separators, NUL bytes and malformed escapes', () => {
    for (const pathname of [
      '/../secret',
      '/assets/../../secret',
      '/%2e%2e/secret',
      '/assets/%2e%2e/%2e%2e/secret',
      '/..%2fsecret',
      '/..%5csecret',
      '/assets\\..\\..\\secret',
      '/index.html%00.png',
      '/%E0%A4%A',
      '//etc/passwd/..',
    ]) {
      expect(resolveInside(root, pathname, 'linux'), pathname).toBeNull();
    }
  });

  it('treats a doubled leading slash as a relative path, not the filesystem root', () => {
    expect(resolveInside(root, '//etc/passwd', 'linux')).toBe(path.posix.join(root, 'etc/passwd'));
  });

  it('refuses drive letters and UNC paths on Windows', () => {
    const winRoot = 'C:\\Cairn\\out\\renderer';
    expect(resolveInside(winRoot, '/C:/Windows/win.ini', 'win32')).toBeNull();
    expect(resolveInside(winRoot, '/%5c%5cserver%5cshare', 'win32')).toBeNull();
    expect(resolveInside(winRoot, '/assets/app.js', 'win32')).toBe('C:\\Cairn\\out\\renderer\\assets\\app.js');
  });
});

describe('mimeType', () => {
  it('knows the build output kinds, case-insensitively', () => {
    expect(mimeType('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeType('a/b/app.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('style.css')).toBe('text/css; charset=utf-8');
    expect(mimeType('tfjs-backend-wasm.wasm')).toBe('application/wasm');
    expect(mimeType('logo.svg')).toBe('image/svg+xml');
  });

  it('serves unknown kinds as opaque bytes, never as something a browser would run', () => {
    expect(mimeType('data.bin')).toBe('application/octet-stream');
    expect(mimeType('README')).toBe('application/octet-stream');
  });
});

describe('isClientRoute', () => {
  it('falls back to index.html only for extension-less paths', () => {
    expect(isClientRoute('/datasets/abc')).toBe(true);
    expect(isClientRoute('/')).toBe(true);
    expect(isClientRoute('/assets/missing.js')).toBe(false);
  });
});
