// The browser host's guards, kept free of the HTTP framework so they are easy to test:
// a token (as Jupyter's; kept across restarts by ui-token.ts) and a Host allowlist against DNS rebinding.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';

export const TOKEN_COOKIE = 'cairn_token';

/** A fresh random token: 24 bytes, base64url. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed a byte at a time. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A request the guards cannot read (a malformed header): the host answers 400, not 500. */
export class MalformedRequest extends Error {}

/** Reads one cookie's value from a Cookie header; throws MalformedRequest on a broken %-escape. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        throw new MalformedRequest(`the ${name} cookie is not valid percent-encoding`);
      }
    }
  }
  return undefined;
}

/** The token a request carries: Authorization header, then cookie, then ?token= (first page load, EventSource). */
export function requestToken(headers: { authorization?: string; cookie?: string }, query: unknown): string | undefined {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const cookie = readCookie(headers.cookie, TOKEN_COOKIE);
  if (cookie) return cookie;
  const q = (query as { token?: unknown } | undefined)?.token;
  return typeof q === 'string' ? q : undefined;
}

/** Whether a bind address listens on every interface. */
export function isWildcard(bindHost: string): boolean {
  return bindHost === '0.0.0.0' || bindHost === '::';
}

/** An address as it goes in a URL's host part (IPv6 in brackets). */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * The addresses a server bound to `bindHost` is reached at from elsewhere: the bind address itself,
 * or for a wildcard every non-loopback address of this machine (IPv6 ones only for '::').
 */
export function reachableAddresses(bindHost: string, interfaces = os.networkInterfaces()): string[] {
  if (!isWildcard(bindHost)) return [bindHost];
  const found: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      // Link-local IPv6 needs a zone id in a URL, which browsers do not take.
      if (a.family === 'IPv6' && (bindHost !== '::' || a.address.toLowerCase().startsWith('fe80:'))) continue;
      found.push(a.address);
    }
  }
  return [...new Set(found)];
}

/**
 * Host header values this server answers to: loopback names and the addresses it printed. A page
 * on another site that rebinds its DNS name to this machine still sends its own name as Host, so
 * it is refused.
 */
export function allowedHosts(
  bindHost: string,
  port: number,
  printed: readonly string[] = isWildcard(bindHost) ? [] : [bindHost],
): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', ...printed.map(urlHost)]);
  return new Set([...names].map((n) => `${n}:${port}`));
}
