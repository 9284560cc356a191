// The browser host's token file (issue 18, item 3): kept across restarts of the same data folder,
// created readable by its owner only, and trusted only as such. A file others could read, a
// symlink or a file that holds no token is replaced by a new token, never used or followed.
import { chmodSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadUiToken } from '../../electron/server/ui-token.js';
import { tempDirFor } from '../unit/electron/core/helpers.js';

const tmp = tempDirFor('each test', 'cairn-ui-token-');
let dir: string;
let file: string;

beforeEach(() => {
  dir = tmp.dir;
  file = path.join(dir, 'ui-token');
});

const mode = (f: string) => statSync(f).mode & 0o777;

describe('the UI token file', () => {
  it('is made once with mode 0600 and kept on the next start', async () => {
    const first = await loadUiToken(file);
    expect(first.made).toBe('missing');
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${first.token}\n`);
    const second = await loadUiToken(file);
    expect(second).toEqual({ token: first.token, made: 'kept' });
  });

  it('is replaced when the user rotates it', async () => {
    const first = await loadUiToken(file);
    const rotated = await loadUiToken(file, { rotate: true });
    expect(rotated.made).toBe('rotated');
    expect(rotated.token).not.toBe(first.token);
    expect(mode(file)).toBe(0o600);
    expect((await loadUiToken(file)).token).toBe(rotated.token);
  });

  it.each([0o640, 0o604, 0o644, 0o660])('is not trusted when others may read it (mode %o)', async (m) => {
    const first = await loadUiToken(file);
    chmodSync(file, m);
    const next = await loadUiToken(file);
    expect(next.made).toBe('replaced');
    expect(next.reason).toMatch(/other users could read it/);
    expect(next.token).not.toBe(first.token);
    expect(mode(file)).toBe(0o600);
  });

  it.each([
    ['empty', ''],
    ['short', 'abc\n'],
    ['with spaces', `${'a'.repeat(16)} ${'b'.repeat(15)}\n`],
    ['two lines', `${'a'.repeat(32)}\n${'b'.repeat(32)}\n`],
    ['too long', 'a'.repeat(10_000)],
  ])('is not trusted when malformed (%s)', async (_name, content) => {
    writeFileSync(file, content, { mode: 0o600 });
    const next = await loadUiToken(file);
    expect(next.made).toBe('replaced');
    expect(next.reason).toMatch(/does not hold a token/);
    expect(next.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(file, 'utf8')).toBe(`${next.token}\n`);
  });

  it('does not follow a symlink, to read or to write', async () => {
    // A token-shaped file elsewhere, 0600: were the link followed, its content would be trusted.
    const elsewhere = path.join(dir, 'elsewhere');
    const planted = 'P'.repeat(32);
    writeFileSync(elsewhere, `${planted}\n`, { mode: 0o600 });
    symlinkSync(elsewhere, file);
    const next = await loadUiToken(file);
    expect(next.made).toBe('replaced');
    expect(next.reason).toMatch(/symbolic link/);
    expect(next.token).not.toBe(planted);
    // The link itself was replaced; its target is untouched.
    expect(readFileSync(elsewhere, 'utf8')).toBe(`${planted}\n`);
    expect(statSync(file).isFile()).toBe(true);
    expect(mode(file)).toBe(0o600);
  });
});
