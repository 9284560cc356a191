// ConnectionGuard's budgets on sockets that arrive together: a burst the server accepts in one
// turn of the event loop, before any shed socket has emitted 'close', must still leave at most
// maxPendingConnections pending and each address within its limit. (The endpoint-level tests are
// in test/security/slowloris.test.ts.)
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConnectionGuard } from '../../../../../electron/core/serving/connection-guard.js';

/** A socket as the guard sees it: an address, and 'close' a tick after destroy(), as Node emits it. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  constructor(readonly remoteAddress: string) {
    super();
  }
  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      process.nextTick(() => this.emit('close', false));
    }
    return this;
  }
}

function guarded(limits: {
  maxConnections?: number;
  maxPendingConnections?: number;
  maxConnectionsPerAddress?: number;
}) {
  const server = new EventEmitter();
  const guard = new ConnectionGuard({
    maxConnections: 100,
    maxPendingConnections: 100,
    maxConnectionsPerAddress: 100,
    ...limits,
  });
  guard.attach(server);
  const open = (address: string) => {
    const s = new FakeSocket(address);
    server.emit('connection', s);
    return s;
  };
  return { guard, open };
}

const tick = () => new Promise((r) => process.nextTick(r));

describe('ConnectionGuard', () => {
  it('sheds the oldest pending sockets of a burst at once, not one per close', async () => {
    const { guard, open } = guarded({ maxPendingConnections: 3 });
    const burst = Array.from({ length: 10 }, (_, i) => open(`127.0.0.${2 + (i % 3)}`));
    expect(burst.map((s) => s.destroyed)).toEqual([...Array<boolean>(7).fill(true), false, false, false]);
    expect(guard.counts()).toEqual({ pending: 3, established: 0, shed: 7 });
    await tick();
    expect(guard.counts()).toEqual({ pending: 3, established: 0, shed: 7 });
  });

  it("frees an address's places as its sockets close or are shed", async () => {
    const { guard, open } = guarded({ maxConnectionsPerAddress: 2, maxPendingConnections: 2 });
    const [a, b] = [open('127.0.0.2'), open('127.0.0.2')];
    expect(open('127.0.0.2').destroyed).toBe(true);
    // The client closed a.
    a.destroy();
    await tick();
    const d = open('127.0.0.2');
    expect(d.destroyed).toBe(false);
    // c sheds b, the oldest pending, and b's place is free at once.
    const c = open('127.0.0.3');
    expect([b.destroyed, d.destroyed, c.destroyed]).toEqual([true, false, false]);
    const e = open('127.0.0.2');
    expect([d.destroyed, e.destroyed]).toEqual([true, false]);
    await tick();
    expect(guard.counts()).toEqual({ pending: 2, established: 0, shed: 3 });
  });
});
