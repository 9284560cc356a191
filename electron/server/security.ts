// The browser host's guards, kept free of the HTTP framework so they are easy to test:
// a per-start token (as Jupyter does) and a Host allowlist against DNS rebinding.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'cairn_token';

/** A fresh random token for one server start. */
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

/** Reads one cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
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

/**
 * Host header values this server answers to. A page on another site that rebinds its DNS name to
 * 127.0.0.1 still sends its own name as Host, so it is refused.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bindHost.includes(':') ? `[${bindHost}]` : bindHost);
  return new Set([...names].map((n) => `${n}:${port}`));
}
