import { describe, expect, it, vi } from 'vitest';
import type { CairnClient, EventName, EventPayload, ImportResult } from '../../../../shared/api.js';
import type { FileSource } from '../../../../renderer/src/api/client.js';
import { ApiError } from '../../../../renderer/src/api/api-error.js';
import { ImportStore } from '../../../../renderer/src/imports/import-store.js';

type Handler = (payload: unknown) => void;

/** A client whose calls the test answers and whose events the test sends. */
function fakeClient() {
  const handlers = new Map<string, Set<Handler>>();
  const calls: Array<{ method: string; arg: unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }> =
    [];
  const client = {
    call: (method: string, arg: unknown) =>
      new Promise((resolve, reject) => calls.push({ method, arg, resolve, reject })),
    on: (event: string, handler: Handler) => {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler);
      return () => set.delete(handler);
    },
  } as unknown as CairnClient;
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const h of handlers.get(event) ?? []) h(payload);
  };
  return { client, calls, emit };
}

const file = (name: string) => new File(['a,b\n1,2\n'], name);
const flush = () => new Promise((r) => setTimeout(r, 0));
/** A desktop source: main's grant for the file, here a handle string at once. */
const handle = (h: string): FileSource => ({ kind: 'handle', grant: () => Promise.resolve(h) });
const result = (over: Partial<ImportResult> = {}): ImportResult => ({
  kind: 'table',
  datasetId: 'd1',
  versionId: 'v1',
  name: 'a',
  version: 1,
  rows: 1,
  created: true,
  skippedRows: 0,
  columns: [],
  warnings: [],
  ...over,
});

describe('ImportStore', () => {
  it('imports a granted handle and follows the job to success', async () => {
    const { client, calls, emit } = fakeClient();
    const imported = vi.fn();
    const store = new ImportStore(client, () => handle('/data/a.csv'), imported);
    store.connect();
    const id = store.start({ file: file('a.csv'), source: handle('/data/a.csv') });
    await flush();
    expect(store.snapshot()[0]).toMatchObject({ id, state: 'importing', fileName: 'a.csv' });
    expect(calls[0]).toMatchObject({ method: 'datasets.import', arg: { path: '/data/a.csv', badRows: 'fail' } });
    calls[0]?.resolve({ jobId: 'j1', kind: 'import', label: 'Import a.csv' });
    await flush();
    emit('job.progress', {
      jobId: 'j1',
      kind: 'import',
      phase: 'reading',
      fraction: 0.5,
      bytesDone: 5,
      bytesTotal: 10,
      rows: 100,
      label: '',
    });
    expect(store.snapshot()[0]?.progress).toMatchObject({ phase: 'reading', fraction: 0.5, rows: 100 });
    emit('job.progress', {
      jobId: 'other',
      kind: 'import',
      phase: 'reading',
      fraction: 0.9,
      bytesDone: 9,
      bytesTotal: 10,
      label: '',
    });
    expect(store.snapshot()[0]?.progress?.fraction).toBe(0.5);
    emit('job.finished', { jobId: 'j1', kind: 'import', status: 'succeeded', result: result() });
    expect(store.snapshot()[0]).toMatchObject({ state: 'succeeded', result: { version: 1 } });
    expect(imported).toHaveBeenCalledWith(result());
  });

  it('imports a sample by id on the engine side, under its name', async () => {
    const { client, calls, emit } = fakeClient();
    const imported = vi.fn();
    const store = new ImportStore(client, () => handle('/unused'), imported);
    store.connect();
    store.startSample({ id: 'iris', name: 'Iris' });
    expect(store.snapshot()[0]).toMatchObject({ state: 'importing', fileName: 'Iris' });
    expect(calls[0]).toMatchObject({ method: 'samples.import', arg: { id: 'iris' } });
    calls[0]?.resolve({ jobId: 'j9', kind: 'import', label: 'Import iris.csv' });
    await flush();
    emit('job.finished', { jobId: 'j9', kind: 'import', status: 'succeeded', result: result({ name: 'iris' }) });
    expect(store.snapshot()[0]).toMatchObject({ state: 'succeeded' });
    expect(imported).toHaveBeenCalledWith(result({ name: 'iris' }));
  });

  it('imports a folder the desktop dialog granted, under its name, and can cancel it', async () => {
    const { client, calls, emit } = fakeClient();
    const store = new ImportStore(client, () => handle('/unused'));
    store.connect();
    const id = store.startGranted({ name: 'pets', handle: 'cairn-file:d' });
    expect(store.snapshot()[0]).toMatchObject({ id, state: 'importing', fileName: 'pets' });
    await flush();
    expect(calls[0]).toMatchObject({ method: 'datasets.import', arg: { path: 'cairn-file:d' } });
    calls[0]?.resolve({ jobId: 'j3', kind: 'import', label: 'Import pets' });
    await flush();
    store.cancel(id);
    expect(calls[1]).toMatchObject({ method: 'jobs.cancel', arg: { jobId: 'j3' } });
    emit('job.finished', { jobId: 'j3', kind: 'import', status: 'cancelled' });
    expect(store.snapshot()[0]).toMatchObject({ state: 'cancelled' });
  });

  it('accepts a job that finished before the call replied with its id', async () => {
    const { client, calls, emit } = fakeClient();
    const store = new ImportStore(client, () => handle('/a.csv'));
    store.connect();
    store.start({ file: file('a.csv'), source: handle('/a.csv') });
    await flush();
    emit('job.finished', { jobId: 'j9', kind: 'import', status: 'succeeded', result: result({ created: false }) });
    calls[0]?.resolve({ jobId: 'j9', kind: 'import', label: '' });
    await flush();
    expect(store.snapshot()[0]).toMatchObject({ state: 'succeeded', result: { created: false } });
  });

  it('uploads first in the browser, then imports the upload and removes it after', async () => {
    const { client, calls } = fakeClient();
    let progress: (sent: number, total: number) => void = () => undefined;
    let finishUpload: (v: { path: string; name: string }) => void = () => undefined;
    const source: FileSource = {
      kind: 'upload',
      start: (onProgress) => {
        progress = onProgress;
        return { done: new Promise((resolve) => (finishUpload = resolve)), abort: () => undefined };
      },
    };
    const store = new ImportStore(client, () => source);
    store.start({ file: file('b.csv'), source });
    expect(store.snapshot()[0]?.state).toBe('uploading');
    progress(50, 200);
    expect(store.snapshot()[0]?.uploaded).toEqual({ sent: 50, total: 200 });
    finishUpload({ path: '/home/uploads/x/b.csv', name: 'b.csv' });
    await flush();
    expect(store.snapshot()[0]?.state).toBe('importing');
    expect(calls[0]?.arg).toEqual({
      path: '/home/uploads/x/b.csv',
      originalName: 'b.csv',
      removeSourceAfter: true,
      badRows: 'fail',
    });
  });

  it('offers a retry that skips bad rows with a fresh source for the same file', async () => {
    const { client, calls, emit } = fakeClient();
    const sourceFor = vi.fn((): FileSource => handle('/r.csv'));
    const store = new ImportStore(client, sourceFor);
    store.connect();
    const f = file('r.csv');
    const id = store.start({ file: f, source: handle('/r.csv') });
    await flush();
    calls[0]?.resolve({ jobId: 'j1', kind: 'import', label: '' });
    await flush();
    const error = { code: 'bad_rows' as const, message: 'r.csv has 2 malformed rows', details: { lines: [] } };
    emit('job.finished', { jobId: 'j1', kind: 'import', status: 'failed', error });
    expect(store.snapshot()[0]).toMatchObject({ state: 'failed', error: { code: 'bad_rows', message: error.message } });
    const retry = store.retrySkippingBadRows(id);
    await flush();
    expect(retry).toBeDefined();
    expect(sourceFor).toHaveBeenCalledWith(f);
    expect(store.snapshot().map((t) => t.id)).toEqual([retry]);
    expect(calls[1]?.arg).toEqual({ path: '/r.csv', badRows: 'skip' });
  });

  it('cancels a job asked to stop before its id was known, and reports it cancelled', async () => {
    const { client, calls, emit } = fakeClient();
    const store = new ImportStore(client, () => handle('/c.csv'));
    store.connect();
    const id = store.start({ file: file('c.csv'), source: handle('/c.csv') });
    await flush();
    store.cancel(id);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve({ jobId: 'j1', kind: 'import', label: '' });
    await flush();
    expect(calls[1]).toMatchObject({ method: 'jobs.cancel', arg: { jobId: 'j1' } });
    emit('job.finished', {
      jobId: 'j1',
      kind: 'import',
      status: 'cancelled',
      error: { code: 'cancelled', message: 'import of c.csv was cancelled' },
    });
    expect(store.snapshot()[0]?.state).toBe('cancelled');
    store.dismiss(id);
    expect(store.snapshot()).toEqual([]);
  });

  it('turns a rejected call into a failed task with the engine message', async () => {
    const { client, calls } = fakeClient();
    const store = new ImportStore(client, () => handle('/x'));
    store.start({ file: file('x.csv'), source: handle('/x') });
    await flush();
    calls[0]?.reject({ code: 'not_found', message: 'x.csv: file not found (/x)' });
    await flush();
    expect(store.snapshot()[0]).toMatchObject({
      state: 'failed',
      error: { code: 'not_found', message: 'x.csv: file not found (/x)' },
    });
  });

  it('lets a success notice go by itself, keeps failures until dismissed, and dismisses all finished at once', async () => {
    vi.useFakeTimers();
    try {
      const { client, calls, emit } = fakeClient();
      const store = new ImportStore(client, () => handle('/x'), undefined, { noticeMs: 5000 });
      store.connect();
      const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);
      const ok = store.start({ file: file('ok.csv'), source: handle('/ok') });
      const bad = store.start({ file: file('bad.png'), source: handle('/bad') });
      const worse = store.start({ file: file('worse.png'), source: handle('/worse') });
      const running = store.start({ file: file('big.csv'), source: handle('/big') });
      await tick(0);
      calls[0]?.resolve({ jobId: 'j-ok', kind: 'import', label: 'ok' });
      calls[1]?.reject({ code: 'invalid_argument', message: 'bad.png is not a table' });
      calls[2]?.reject({ code: 'invalid_argument', message: 'worse.png is not a table' });
      calls[3]?.resolve({ jobId: 'j-big', kind: 'import', label: 'big' });
      await tick(0);
      emit('job.finished', { jobId: 'j-ok', kind: 'import', status: 'succeeded', result: result() });
      const ids = () => store.snapshot().map((t) => t.id);
      expect(ids()).toEqual([running, worse, bad, ok]);
      await tick(4999);
      expect(ids()).toContain(ok);
      await tick(1);
      // The notice went; the failures wait for the user.
      expect(ids()).toEqual([running, worse, bad]);
      await tick(60_000);
      expect(ids()).toEqual([running, worse, bad]);
      store.dismissFinished();
      expect(ids()).toEqual([running]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a rejected drop (a folder) as a failed task with its reason, dismissible', () => {
    const { client } = fakeClient();
    const store = new ImportStore(client, () => handle('/x'));
    const id = store.reject('photos', new ApiError({ code: 'invalid_argument', message: 'photos is a folder' }));
    expect(store.snapshot()[0]).toMatchObject({
      id,
      fileName: 'photos',
      state: 'failed',
      error: { message: 'photos is a folder' },
    });
    store.dismiss(id);
    expect(store.snapshot()).toEqual([]);
  });
});
