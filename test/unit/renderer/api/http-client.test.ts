import { describe, expect, it, vi } from 'vitest';
import { ApiError, toApiError, unwrapReply } from '../../../../renderer/src/api/api-error.js';
import { ConnectionStatus } from '../../../../renderer/src/api/connection.js';
import { createHttpClient } from '../../../../renderer/src/api/http-client.js';
import { ErrorCode } from '../../../../shared/api.js';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

class FakeEventSource {
  readonly listeners = new Map<string, Array<(ev: MessageEvent<string>) => void>>();
  /** 0 CONNECTING, 1 OPEN, 2 CLOSED, as EventSource has them. */
  readyState = 0;
  constructor(readonly url: string) {}
  addEventListener(name: string, fn: (ev: MessageEvent<string>) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  emit(name: string, data: string) {
    for (const fn of this.listeners.get(name) ?? []) fn({ data } as MessageEvent<string>);
  }
}

describe('HTTP client', () => {
  it('posts the argument as JSON to /api/call/<method> and returns the result', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(jsonResponse(200, { ok: true, result: [] }));
    const client = createHttpClient({ fetch });
    await expect(client.call('datasets.list', {})).resolves.toEqual([]);
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('/api/call/datasets.list');
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json');
    expect(init?.body).toBe('{}');
  });

  it('throws the envelope error with code, message and details on non-2xx replies', async () => {
    const error = {
      code: 'bad_rows',
      message: 'x.csv has 2 malformed rows',
      details: { lines: [{ line: 3, reason: 'r' }] },
    };
    const client = createHttpClient({ fetch: () => Promise.resolve(jsonResponse(422, { ok: false, error })) });
    const thrown = await client.call('datasets.importNow', { path: '/x.csv' }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject(error);
  });

  it('reports an unreachable server and a reply without an envelope as internal errors', async () => {
    const down = createHttpClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(down.call('app.info', {})).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('cannot reach') as string,
    });
    const html = createHttpClient({
      fetch: () => Promise.resolve(new Response('<html>', { status: 502, statusText: 'Bad Gateway' })),
    });
    await expect(html.call('app.info', {})).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('502') as string,
    });
  });

  it('opens one event stream lazily and dispatches parsed payloads to subscribers', () => {
    const sources: FakeEventSource[] = [];
    const client = createHttpClient({
      fetch: vi.fn(),
      eventSource: (url) => {
        const s = new FakeEventSource(url);
        sources.push(s);
        return s as unknown as EventSource;
      },
    });
    expect(sources).toHaveLength(0);
    const seen: unknown[] = [];
    const off = client.on('job.started', (p) => seen.push(p));
    client.on('job.finished', () => undefined);
    expect(sources).toHaveLength(1);
    expect(sources[0]?.url).toBe('/api/events');
    sources[0]?.emit('job.started', '{"jobId":"j1","kind":"import","label":"Import a.csv"}');
    sources[0]?.emit('job.started', 'not json');
    off();
    sources[0]?.emit('job.started', '{"jobId":"j2","kind":"import","label":"b"}');
    expect(seen).toEqual([{ jobId: 'j1', kind: 'import', label: 'Import a.csv' }]);
  });
});

describe('HTTP client connection', () => {
  function withSources(fetch: typeof globalThis.fetch) {
    const sources: FakeEventSource[] = [];
    const connection = new ConnectionStatus();
    const client = createHttpClient({
      fetch,
      connection,
      retryDelaysMs: [1000],
      eventSource: (url) => {
        const s = new FakeEventSource(url);
        sources.push(s);
        return s as unknown as EventSource;
      },
    });
    return { sources, connection, client };
  }

  it('says when the stream drops and comes back, and lets the browser retry a dropped connection', () => {
    const { sources, connection, client } = withSources(vi.fn());
    client.on('job.started', () => undefined);
    expect(connection.snapshot()).toBe('connecting');
    sources[0]?.emit('open', '');
    expect(connection.snapshot()).toBe('connected');
    // Server gone: the browser keeps the stream CONNECTING and retries it itself.
    sources[0]?.emit('error', '');
    expect(connection.snapshot()).toBe('reconnecting');
    expect(sources).toHaveLength(1);
    sources[0]?.emit('open', '');
    expect(connection.snapshot()).toBe('connected');
  });

  it('reopens a stream the browser closed, with the same subscribers', async () => {
    vi.useFakeTimers();
    try {
      const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(jsonResponse(200, { ok: true, result: {} }));
      const { sources, connection, client } = withSources(fetch);
      const seen: unknown[] = [];
      client.on('job.started', (p) => seen.push(p));
      sources[0]!.readyState = 2;
      sources[0]?.emit('error', '');
      expect(connection.snapshot()).toBe('reconnecting');
      await vi.advanceTimersByTimeAsync(1000);
      expect(sources).toHaveLength(2);
      sources[1]?.emit('open', '');
      sources[1]?.emit('job.started', '{"jobId":"j3","kind":"import","label":"c"}');
      expect(connection.snapshot()).toBe('connected');
      expect(seen).toEqual([{ jobId: 'j3', kind: 'import', label: 'c' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says the token was refused when the server is back but answers 401', async () => {
    vi.useFakeTimers();
    try {
      const fetch = vi
        .fn<typeof globalThis.fetch>()
        .mockResolvedValue(jsonResponse(401, { ok: false, error: { code: 'unauthorized', message: 'wrong token' } }));
      const { sources, connection, client } = withSources(fetch);
      client.on('job.started', () => undefined);
      sources[0]!.readyState = 2;
      sources[0]?.emit('error', '');
      await vi.advanceTimersByTimeAsync(0);
      expect(connection.snapshot()).toBe('refused');
      expect(fetch.mock.calls[0]?.[0]).toBe('/api/call/app.info');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('envelope helpers', () => {
  it('unwraps results and rejects unknown shapes', () => {
    expect(unwrapReply({ ok: true, result: 5 })).toBe(5);
    expect(() => unwrapReply({ ok: false, error: { code: 'not_found', message: 'gone' } })).toThrow('gone');
    expect(() => unwrapReply('nope')).toThrow(ApiError);
  });

  it('maps unknown codes to internal and keeps details only when they are an object', () => {
    expect(toApiError({ code: 'weird', message: 'm' }).code).toBe('internal');
    expect(toApiError({ code: 'not_found', message: 'm', details: 'x' }).details).toBeUndefined();
    expect(toApiError(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
    expect(toApiError(42, 'fallback').message).toBe('fallback');
  });
});

describe('toApiError', () => {
  it('keeps every error code the contract names, and reads unknown ones as internal', () => {
    for (const code of ErrorCode.options) expect(toApiError({ code, message: 'm' }).code).toBe(code);
    expect(toApiError({ code: 'no_such_code', message: 'm' }).code).toBe('internal');
  });
});
