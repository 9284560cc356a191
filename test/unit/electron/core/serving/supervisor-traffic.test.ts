// The supervisor's traffic requests to an endpoint process, against a fake process: the answer
// with the request's id, nothing for an endpoint that is not running, an error (not an empty
// chart) when a busy process does not answer in time, and nothing left waiting when it dies.
import { describe, expect, it } from 'vitest';
import type { EndpointProcess, EndpointToHost, HostToEndpoint } from '../../../../../electron/core/serving/protocol.js';
import { EndpointSupervisor } from '../../../../../electron/core/serving/supervisor.js';
import { LiveTraffic } from '../../../../../electron/core/serving/live-traffic.js';

/** A process that listens at once and answers traffic requests as `answer` says. */
function fakeProcess(answer: 'yes' | 'never') {
  const listeners: ((m: EndpointToHost) => void)[] = [];
  const exits: ((code: number | null, signal: string | null) => void)[] = [];
  const live = new LiveTraffic();
  live.record(Date.now(), 200, 3, 1);
  const proc: EndpointProcess & { die: () => void } = {
    pid: 4242,
    send(m: HostToEndpoint) {
      const reply = (r: EndpointToHost) => setImmediate(() => listeners.forEach((l) => l(r)));
      if (m.type === 'start') reply({ type: 'listening', url: 'http://127.0.0.1:9', port: 9, models: [] });
      if (m.type === 'stop') setImmediate(() => proc.die());
      if (m.type === 'traffic' && answer === 'yes')
        reply({ type: 'traffic', id: m.id, traffic: live.window(m.from, m.to, m.bucketMs) });
    },
    onMessage: (l) => void listeners.push(l),
    onExit: (l) => void exits.push(l),
    terminate: () => undefined,
    kill: () => undefined,
    die: () => exits.forEach((l) => l(null, 'SIGKILL')),
  };
  return proc;
}

function supervisor(proc: EndpointProcess): EndpointSupervisor {
  return new EndpointSupervisor({
    spawn: () => proc,
    resolve: () => [],
    logFile: '/nonexistent',
    emit: () => undefined,
    backoffMs: 60_000,
  });
}

describe('EndpointSupervisor.traffic', () => {
  it('returns what the process counted, and nothing for an unknown endpoint', async () => {
    const s = supervisor(fakeProcess('yes'));
    const ep = await s.start({ models: [] });
    const now = Date.now();
    const w = await s.traffic(ep.id, now - 10_000, now + 1_000, 11_000);
    expect(w?.total).toMatchObject({ requests: 1, predictions: 1 });
    expect(await s.traffic('nope', now - 10_000, now, 10_000)).toBeUndefined();
    await s.closeAll();
  });

  it('fails, rather than showing an empty chart, when a busy process does not answer in time', async () => {
    const s = supervisor(fakeProcess('never'));
    const ep = await s.start({ models: [] });
    const now = Date.now();
    await expect(s.traffic(ep.id, now - 10_000, now, 10_000)).rejects.toThrow(/did not report its traffic/);
    await s.closeAll();
  }, 10_000);

  it('answers nothing once the process dies while asked', async () => {
    const proc = fakeProcess('never');
    const s = supervisor(proc);
    const ep = await s.start({ models: [] });
    const now = Date.now();
    const asked = s.traffic(ep.id, now - 10_000, now, 10_000);
    proc.die();
    expect(await asked).toBeUndefined();
    // Restarting now (its backoff is long): not running, so nothing to ask.
    expect(await s.traffic(ep.id, now - 10_000, now, 10_000)).toBeUndefined();
    await s.closeAll();
  });
});
