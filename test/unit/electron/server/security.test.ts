import { describe, expect, it } from 'vitest';
import {
  allowedHosts,
  newToken,
  readCookie,
  requestToken,
  tokenMatches,
} from '../../../../electron/server/security.js';

describe('token', () => {
  it('is random and url-safe', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken()).not.toBe(a);
  });
  it('matches only the exact token', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
  });
  it('is read from bearer header, then cookie, then query', () => {
    expect(requestToken({ authorization: 'Bearer h', cookie: 'cairn_token=c' }, { token: 'q' })).toBe('h');
    expect(requestToken({ cookie: 'x=1; cairn_token=c%3D' }, { token: 'q' })).toBe('c=');
    expect(requestToken({}, { token: 'q' })).toBe('q');
    expect(requestToken({}, { token: ['q'] })).toBeUndefined();
    expect(requestToken({ authorization: 'Basic q' }, {})).toBeUndefined();
  });
  it('reads a cookie among others', () => {
    expect(readCookie('a=1; b=2', 'b')).toBe('2');
    expect(readCookie('ab=1', 'b')).toBeUndefined();
    expect(readCookie(undefined, 'b')).toBeUndefined();
  });
});

describe('allowedHosts', () => {
  it('allows loopback names on the bound port only', () => {
    const hosts = allowedHosts('127.0.0.1', 8080);
    expect(hosts.has('127.0.0.1:8080')).toBe(true);
    expect(hosts.has('localhost:8080')).toBe(true);
    expect(hosts.has('[::1]:8080')).toBe(true);
    expect(hosts.has('localhost:8081')).toBe(false);
    expect(hosts.has('evil.example:8080')).toBe(false);
  });
  it('adds an explicit bind address', () => {
    expect(allowedHosts('192.168.1.5', 80).has('192.168.1.5:80')).toBe(true);
    expect(allowedHosts('::1', 80).has('[::1]:80')).toBe(true);
  });
});
