// The browser transport for `cairn ui`: calls are JSON POSTs, events one EventSource. The token
// lives in an HttpOnly cookie set by the first page load, so same-origin requests carry it.
import type {
  CairnClient,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodResult,
} from '../../../shared/api.js';
import { bridgeEventNames } from '../../../shared/bridge.js';
import { ApiError, unwrapReply } from './api-error.js';
import type { ConnectionStatus } from './connection.js';

// The contract's full event list (compile-checked against shared/api.ts in bridge.ts).
const EVENT_NAMES: readonly EventName[] = bridgeEventNames;

export interface HttpClientOptions {
  /** Prefix for /api/...; '' for same-origin. */
  base?: string;
  fetch?: typeof fetch;
  /** Made lazily on the first subscription, so a page that never listens opens no stream. */
  eventSource?: (url: string) => EventSource;
  /** Told whether the event stream is up; the stream is reopened whenever the browser gives up on it. */
  connection?: ConnectionStatus;
  /** Waits before reopening a closed stream, by attempt (the last repeats). */
  retryDelaysMs?: readonly number[];
}

/** EventSource.CLOSED: the browser will not retry by itself (an HTTP error such as 401). */
const CLOSED = 2;
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];

type Handler = (payload: unknown) => void;

/** A CairnClient over HTTP and server-sent events. */
export function createHttpClient(options: HttpClientOptions = {}): CairnClient {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const makeSource = options.eventSource ?? ((url: string) => new EventSource(url));
  const connection = options.connection;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const handlers = new Map<EventName, Set<Handler>>();
  let source: EventSource | undefined;
  let attempt = 0;

  // A network error leaves the stream CONNECTING and the browser retries it; an HTTP error closes
  // it for good, so it is reopened here, and a 401 says the token is no longer this server's.
  function onStreamError(s: EventSource): void {
    if (s !== source) return;
    // A refused token stays refused until a probe says otherwise: no flicker on every retry.
    if (connection?.snapshot() !== 'refused') connection?.set('reconnecting');
    if (s.readyState !== CLOSED) return;
    source = undefined;
    const wait = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
    attempt++;
    void probeToken().then((refused) => {
      // The stream may be back before the probe answers; then it is right, not the probe.
      if (connection?.snapshot() !== 'connected') connection?.set(refused ? 'refused' : 'reconnecting');
    });
    setTimeout(openSource, wait);
  }

  async function probeToken(): Promise<boolean> {
    try {
      const res = await doFetch(`${base}/api/call/app.info`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      return res.status === 401;
    } catch {
      return false;
    }
  }

  function openSource(): void {
    if (source) return;
    const s = makeSource(`${base}/api/events`);
    source = s;
    s.addEventListener('open', () => {
      attempt = 0;
      connection?.set('connected');
    });
    s.addEventListener('error', () => onStreamError(s));
    for (const name of EVENT_NAMES) {
      s.addEventListener(name, (ev) => {
        let payload: unknown;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return; // a malformed frame is dropped, not fatal to the stream
        }
        for (const h of handlers.get(name) ?? []) {
          try {
            h(payload);
          } catch (err) {
            console.error(`cairn: handler for ${name} failed`, err);
          }
        }
      });
    }
  }

  async function call<M extends MethodName>(method: M, arg: MethodInput<M>): Promise<MethodResult<M>> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/call/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(arg ?? {}),
        credentials: 'same-origin',
      });
    } catch (err) {
      throw new ApiError({
        code: 'internal',
        message: `cannot reach the Cairn server (${err instanceof Error ? err.message : String(err)}); is \`cairn ui\` still running?`,
      });
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      // Non-2xx statuses carry the envelope too; only a proxy or a crash sends something else.
      throw new ApiError({
        code: res.status === 401 ? 'unauthorized' : 'internal',
        message: `the server answered ${res.status} ${res.statusText} without a reply envelope`,
      });
    }
    return unwrapReply<MethodResult<M>>(body);
  }

  function on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
    openSource();
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    const entry: Handler = (p) => handler(p as EventPayload<E>);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  return { call, on };
}
