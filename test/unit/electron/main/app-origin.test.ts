import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isTrustedUrl } from '../../../../electron/main/app-origin.js';

describe('isTrustedUrl', () => {
  it('trusts the app:// UI', () => {
    expect(isTrustedUrl(APP_ENTRY_URL)).toBe(true);
    expect(isTrustedUrl('app://cairn/')).toBe(true);
    expect(isTrustedUrl('app://cairn/datasets/abc?x=1#top')).toBe(true);
  });

  it('refuses other hosts, schemes and malformed or missing URLs', () => {
    for (const url of [
      'app://evil/index.html',
      'app://cairn.evil.com/index.html',
      'app://user:pw@cairn/index.html',
      'file:///work/out/renderer/index.html',
      'https://cairn/index.html',
      'http://localhost:5173/',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'data:text/html,<script>1</script>',
      'not a url',
      '',
      undefined,
      null,
    ]) {
      expect(isTrustedUrl(url), String(url)).toBe(false);
    }
  });

  it('trusts the dev server only when one is given, by exact origin', () => {
    const dev = 'http://localhost:5173';
    expect(isTrustedUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/index.html', dev)).toBe(false);
    expect(isTrustedUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/', 'file:///etc')).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/', 'garbage')).toBe(false);
  });
});
