// One webhook POST with retries: Node's fetch (undici), each attempt bounded by a timeout, a wait
// between attempts that grows (1 s, then 4 s by default), and redirects followed only within the
// URL's own origin (a 3xx to another host is refused: it would carry the alert, and the next hop
// may be anyone). What comes back names the failure in words (refused, timed out, HTTP 500 and a
// snippet of the body) and never the URL, which is a secret.
import { setTimeout as wait } from 'node:timers/promises';
import { maskWebhookUrl } from '../../../../shared/webhook-url.js';

export interface DeliveryPolicy {
  /** The waits before the 2nd, 3rd... attempt: their count + 1 attempts at most. */
  delaysMs: readonly number[];
  /** Each attempt's bound, from connecting to reading the answer. */
  timeoutMs: number;
}

/** Three attempts, 1 s and 4 s apart (exponential, base 4), 10 s each. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { delaysMs: [1000, 4000], timeoutMs: 10_000 };

/** Same-origin redirects followed per attempt, at most. */
const MAX_REDIRECTS = 3;
/** How much of a refusing answer's body is kept, in characters. */
const SNIPPET_CHARS = 200;

export interface AttemptOutcome {
  delivered: boolean;
  httpStatus: number | null;
  error: string | null;
  /** Whether another attempt may succeed (a 5xx, 408, 429, a refused connection or a timeout). */
  retry: boolean;
}

export interface PostOutcome {
  delivered: boolean;
  attempts: number;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

export interface PostOptions extends DeliveryPolicy {
  /** Aborts the attempt under way and the waits: the host is closing. */
  signal?: AbortSignal;
  /** After each attempt but the last, with the attempt's number (1-based). */
  onRetry?: (attempt: number, outcome: AttemptOutcome) => void;
}

/** The first SNIPPET_CHARS of a body, on one line; empty when it cannot be read. */
async function snippet(res: Response): Promise<string> {
  try {
    const text = (await res.text()).replace(/\s+/g, ' ').trim();
    return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text;
  } catch {
    return '';
  }
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
};

/** A fetch failure in words: undici's "fetch failed" holds the reason in its cause's code. */
function networkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  // fetch refuses ports of other protocols (SMTP's 25, X11's 6000...) before connecting.
  if (cause?.message === 'bad port')
    return 'the port is one fetch refuses to send HTTP to (it belongs to another protocol)';
  const code = cause?.code ?? (err as { code?: string }).code;
  if (code && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
  if (code && /CERT|SSL|TLS/.test(code)) return `TLS failed (${code})`;
  return code ? `could not connect (${code})` : 'could not connect';
}

/** One attempt: POST, following same-origin redirects. */
async function attempt(url: URL, body: string, timeoutMs: number, stop?: AbortSignal): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stop ? AbortSignal.any([stop, timeout]) : timeout;
  let target = url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Cairn' },
        body,
        redirect: 'manual',
        signal,
      });
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (location !== null) {
        await res.body?.cancel();
        const next = new URL(location, target);
        if (next.origin !== url.origin)
          return {
            delivered: false,
            httpStatus: res.status,
            error: `redirected to another host (${maskWebhookUrl(next.href)}): not followed`,
            retry: false,
          };
        if (hop >= MAX_REDIRECTS)
          return { delivered: false, httpStatus: res.status, error: 'too many redirects', retry: false };
        target = next;
        continue;
      }
      if (res.ok) {
        await res.body?.cancel();
        return { delivered: true, httpStatus: res.status, error: null, retry: false };
      }
      const text = await snippet(res);
      return {
        delivered: false,
        httpStatus: res.status,
        error: `HTTP ${res.status}${text ? `: ${text}` : ''}`,
        retry: res.status >= 500 || res.status === 408 || res.status === 429,
      };
    }
  } catch (err) {
    if (stop?.aborted)
      return { delivered: false, httpStatus: null, error: 'stopped: Cairn closed during the delivery', retry: false };
    if (timeout.aborted)
      return { delivered: false, httpStatus: null, error: `timed out after ${timeoutMs / 1000} s`, retry: true };
    return { delivered: false, httpStatus: null, error: networkError(err), retry: true };
  }
}

/** POSTs `body` (JSON text) to `url`, retrying as the policy says; never throws. */
export async function postWebhook(url: string, body: string, options: PostOptions): Promise<PostOutcome> {
  const started = performance.now();
  const target = new URL(url);
  const attempts = options.delaysMs.length + 1;
  let last: AttemptOutcome = { delivered: false, httpStatus: null, error: null, retry: false };
  let n = 0;
  while (n < attempts) {
    if (n > 0) {
      options.onRetry?.(n, last);
      try {
        await wait(options.delaysMs[n - 1] ?? 0, undefined, { signal: options.signal });
      } catch {
        last = { ...last, error: 'stopped: Cairn closed during the delivery', retry: false };
        break;
      }
    }
    n++;
    last = await attempt(target, body, options.timeoutMs, options.signal);
    if (!last.retry) break;
  }
  return {
    delivered: last.delivered,
    attempts: n,
    httpStatus: last.httpStatus,
    error: last.error,
    durationMs: Math.round(performance.now() - started),
  };
}
