import { describe, expect, it } from 'vitest';
import { events } from '../../../../shared/api.js';
import { bridgeEventNames, CALL_CHANNEL, EVENT_CHANNEL, GRANT_READ_CHANNEL } from '../../../../shared/bridge.js';
import { createBridge, type BridgeIpc } from '../../../../electron/preload/create-bridge.js';

/** An ipcRenderer stand-in that records invokes and lets the test emit events. */
function fakeIpc(reply: (channel: string, ...args: unknown[]) => Promise<unknown>) {
  const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  const invoked: unknown[][] = [];
  const ipc: BridgeIpc = {
    invoke: (channel, ...args) => {
      invoked.push([channel, ...args]);
      return reply(channel, ...args);
    },
    on: (channel, listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
  };
  const emit = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'secret' }, ...args);
  };
  return { ipc, invoked, emit, listeners };
}

const noPath = () => '';

describe('createBridge', () => {
  it('lists exactly the events of the contract', () => {
    expect([...bridgeEventNames].sort()).toEqual(Object.keys(events).sort());
  });

  it('is frozen and exposes only call, on, grantFile, chooseSaveFile and chooseFolder', () => {
    const bridge = createBridge(fakeIpc(() => Promise.resolve(null)).ipc, noPath);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'chooseFolder', 'chooseSaveFile', 'grantFile', 'on']);
  });

  it('sends calls over the one invoke channel and returns the envelope', async () => {
    const envelope = { ok: true, result: [] };
    const fake = fakeIpc(() => Promise.resolve(envelope));
    const bridge = createBridge(fake.ipc, noPath);
    await expect(bridge.call('datasets.list', {})).resolves.toBe(envelope);
    expect(fake.invoked).toEqual([[CALL_CHANNEL, 'datasets.list', {}]]);
  });

  it('turns a transport failure into an error envelope instead of rejecting', async () => {
    const bridge = createBridge(fakeIpc(() => Promise.reject(new Error('An object could not be cloned.'))).ipc, noPath);
    await expect(bridge.call('app.info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'An object could not be cloned.' },
    });
  });

  it('refuses a non-string method without touching IPC', async () => {
    const fake = fakeIpc(() => Promise.resolve(null));
    const bridge = createBridge(fake.ipc, noPath);
    const reply = await bridge.call(42 as unknown as 'app.info', {});
    expect(reply.ok).toBe(false);
    expect(fake.invoked).toEqual([]);
  });

  it('delivers events to their subscribers only, payload without the IPC event', () => {
    const fake = fakeIpc(() => Promise.resolve(null));
    const bridge = createBridge(fake.ipc, noPath);
    expect(fake.listeners.get(EVENT_CHANNEL)).toHaveLength(1);
    const started: unknown[][] = [];
    const progress: unknown[][] = [];
    const off = bridge.on('job.started', (...args) => started.push(args));
    bridge.on('job.progress', (...args) => progress.push(args));
    const payload = { jobId: 'j', kind: 'import', label: 'Import a.csv' };
    fake.emit(EVENT_CHANNEL, 'job.started', payload);
    fake.emit(EVENT_CHANNEL, 'not.an.event', payload);
    expect(started).toEqual([[payload]]);
    expect(progress).toEqual([]);
    off();
    fake.emit(EVENT_CHANNEL, 'job.started', payload);
    expect(started).toHaveLength(1);
  });

  it('keeps delivering when one handler throws', () => {
    const fake = fakeIpc(() => Promise.resolve(null));
    const bridge = createBridge(fake.ipc, noPath);
    const seen: unknown[] = [];
    const original = console.error;
    console.error = () => undefined;
    try {
      bridge.on('job.finished', () => {
        throw new Error('boom');
      });
      bridge.on('job.finished', (p) => seen.push(p));
      fake.emit(EVENT_CHANNEL, 'job.finished', { jobId: 'j' });
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([{ jobId: 'j' }]);
  });

  it('rejects unknown event names and non-function handlers', () => {
    const bridge = createBridge(fakeIpc(() => Promise.resolve(null)).ipc, noPath);
    expect(() => bridge.on('ipc.raw' as 'job.started', () => undefined)).toThrow(TypeError);
    expect(() => bridge.on('job.started', 'x' as unknown as () => void)).toThrow(TypeError);
  });

  it('asks webUtils for a dropped file path and main for its handle', async () => {
    const file = { name: 'a.csv' } as File;
    const fake = fakeIpc(() => Promise.resolve({ ok: true, result: 'cairn-file:h' }));
    const bridge = createBridge(fake.ipc, (f) => (f === file ? '/tmp/a.csv' : ''));
    await expect(bridge.grantFile(file)).resolves.toBe('cairn-file:h');
    expect(fake.invoked).toEqual([[GRANT_READ_CHANNEL, '/tmp/a.csv']]);
  });
});
