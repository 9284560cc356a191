// Where a secret comes from, as a saved record says it without holding it: `$NAME` (an environment
// variable, read at each use), 'stored' (the SecretStore), or nothing. And the two ways a secret
// could leak into what is saved or shown: a password typed inside a URL (split off before saving)
// and a message that quotes it (masked).
import { CairnError } from '../errors.js';
import type { SecretStore } from './secret-store.js';

export const STORED = 'stored';
/** How a secret is shown or exported. */
export const MASK = '***';

/** A URL with its password taken out (`postgres://u:pw@h/db` -> `postgres://u@h/db`, 'pw'); other strings as they are. */
export function splitUrlSecret(raw: string): { url: string; password?: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)@/i.exec(raw);
  if (!scheme) return { url: raw };
  const userinfo = scheme[2] as string;
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { url: raw };
  const user = userinfo.slice(0, colon);
  const password = safeDecode(userinfo.slice(colon + 1));
  const rest = raw.slice(scheme[0].length);
  const url = `${scheme[1] as string}://${user ? `${user}@` : ''}${rest}`;
  return password ? { url, password } : { url };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `$NAME` for an environment variable's name. */
export function envRef(name: string): string {
  return `$${name}`;
}

/** The secret a reference names, read now; `what` names its owner in the message when it is missing. */
export async function resolveSecret(
  ref: string | null,
  key: string,
  store: SecretStore,
  what: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (ref === null) return undefined;
  if (ref.startsWith('$')) {
    const value = env[ref.slice(1)];
    if (value === undefined || value === '')
      throw new CairnError('unauthorized', `${what} takes its password from ${ref}, which is not set here`);
    return value;
  }
  const value = await store.get(key);
  if (value === undefined)
    throw new CairnError(
      'unauthorized',
      `${what}'s stored password is not in this host's secret store (saved by another host?): set it again or use an environment variable`,
    );
  return value;
}

/** `text` with every occurrence of each secret (as typed and URL-encoded) replaced by ***. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join(MASK);
  }
  return out;
}
