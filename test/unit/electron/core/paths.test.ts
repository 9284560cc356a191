import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, relativeInside } from '../../../../electron/core/paths.js';

describe('relativeInside', () => {
  const p = path.posix;
  it('answers the path inside the folder, or "" for the folder itself', () => {
    expect(relativeInside('/data', '/data/a/b.csv', p)).toBe(p.join('a', 'b.csv'));
    expect(relativeInside('/data', '/data/', p)).toBe('');
    expect(relativeInside('/data/', '/data/x/../y', p)).toBe('y');
  });

  it('counts a name that starts with two dots as inside', () => {
    expect(relativeInside('/data', '/data/..foo', p)).toBe('..foo');
    expect(relativeInside('/data', '/data/...', p)).toBe('...');
  });

  it('refuses the parent, anything through it and a sibling with the same prefix', () => {
    expect(relativeInside('/data', '/', p)).toBeUndefined();
    expect(relativeInside('/data', '/data/..', p)).toBeUndefined();
    expect(relativeInside('/data', '/data/../x', p)).toBeUndefined();
    expect(relativeInside('/data', '/data-old/x', p)).toBeUndefined();
    expect(relativeInside('/data', '/dat', p)).toBeUndefined();
  });

  it('follows Windows rules: either separator, any case, and another drive is outside', () => {
    const w = path.win32;
    expect(relativeInside('C:\\Data', 'c:/data/Sub/..foo', w)).toBe('Sub\\..foo');
    expect(relativeInside('C:\\Data', 'C:\\DATA', w)).toBe('');
    expect(relativeInside('C:\\Data', 'C:\\Data\\..\\x', w)).toBeUndefined();
    expect(relativeInside('C:\\Data', 'D:\\Data\\x', w)).toBeUndefined();
    expect(relativeInside('C:\\Data', '\\\\server\\share\\x', w)).toBeUndefined();
  });
});

describe('isInside', () => {
  const p = path.posix;
  it('excludes the folder itself unless asked', () => {
    expect(isInside('/data', '/data', { p })).toBe(false);
    expect(isInside('/data', '/data', { orSelf: true, p })).toBe(true);
    expect(isInside('/data', '/data/..foo', { p })).toBe(true);
    expect(isInside('/data', '/data/../x', { orSelf: true, p })).toBe(false);
  });

  it('uses the platform path by default', () => {
    const here = path.resolve('some-folder');
    expect(isInside(here, path.join(here, 'child'))).toBe(true);
    expect(isInside(here, path.dirname(here))).toBe(false);
  });
});
