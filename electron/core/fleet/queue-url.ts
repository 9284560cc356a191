// The fleet's queue address: `redis://[user:pass@]host:port[/db]` (`rediss://` for TLS). The
// password comes from the URL, from the caller (held in memory only) or from an environment
// variable; anything shown or logged is the masked form.
import { CairnError } from '../errors.js';

export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** Where a password may come from besides the URL itself. */
export interface PasswordSource {
  password?: string;
  /** The name of an environment variable holding it. */
  passwordEnv?: string;
}

/** Parses a queue URL into what ioredis takes; the URL's own password wins over the others. */
export function parseQueueUrl(url: string, source: PasswordSource = {}, env = process.env): QueueAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CairnError('invalid_argument', `not a queue URL: ${maskQueueUrl(url)}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new CairnError('invalid_argument', `a queue is redis:// or rediss://, not ${parsed.protocol}//`);
  const dbPath = parsed.pathname.replace(/^\//, '');
  if (dbPath !== '' && !/^\d{1,2}$/.test(dbPath))
    throw new CairnError('invalid_argument', `the queue's database is a number (redis://host:port/0), not "${dbPath}"`);
  let password = parsed.password ? decodeURIComponent(parsed.password) : source.password;
  if (password === undefined && source.passwordEnv !== undefined) {
    password = env[source.passwordEnv];
    if (password === undefined)
      throw new CairnError(
        'invalid_argument',
        `the environment variable ${source.passwordEnv} (the queue's password) is not set`,
      );
  }
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db: dbPath === '' ? 0 : Number(dbPath),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(password !== undefined ? { password } : {}),
    tls: parsed.protocol === 'rediss:',
  };
}

/** The URL with its password replaced by *** (what status, logs and app.db may hold). */
export function maskQueueUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return colon < 0 ? `${scheme}${auth}@` : `${scheme}${auth.slice(0, colon)}:***@`;
  });
}

/** The URL without its password: what a remembered connection saves (the password is asked for again). */
export function queueUrlWithoutPassword(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    const user = colon < 0 ? auth : auth.slice(0, colon);
    return user === '' ? scheme : `${scheme}${user}@`;
  });
}

/** ioredis options for an address; BullMQ needs maxRetriesPerRequest null to block on its streams. */
export function redisOptions(address: QueueAddress): Record<string, unknown> {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username ? { username: address.username } : {}),
    ...(address.password !== undefined ? { password: address.password } : {}),
    ...(address.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    // Reconnect for ever, at most every two seconds: a Redis restart must not lose the fleet.
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}
