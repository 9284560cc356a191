// Endpoints through CairnService: each in its own process, supervised. Started and listed with
// status events, restarted after SIGKILL under load (clients get errors, not hangs), draining
// in-flight requests on SIGTERM, hot-swapped when an alias moves, stopped when the service closes.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../../../shared/api.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { forkEndpointSpawner } from '../../../../../electron/core/serving/fork-spawner.js';
import { alive, tempDir } from '../helpers.js';
import { flower, post, trainModels } from './fixtures.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let home: string;
let cleanup: () => Promise<void>;
let service: CairnService;
const env: NodeJS.ProcessEnv = { ...process.env };
const events: Endpoint[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-supervise-'));
  home = path.join(dir, 'home');
  service = await CairnService.open({ home, host: 'cli', spawnEndpoint: forkEndpointSpawner(env) });
  service.events.subscribe((event, payload) => {
    if (event === 'endpoint.status') events.push(payload as Endpoint);
  });
  await trainModels(service, dir);
}, 120_000);

afterAll(async () => {
  await service.close();
  await cleanup();
});

/** Resolves with the first status event (from now on) that matches. */
function nextEvent(match: (e: Endpoint) => boolean, timeoutMs = 30_000): Promise<Endpoint> {
  const from = events.length;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = events.slice(from).find(match);
      if (found) {
        clearInterval(poll);
        resolve(found);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error('no such endpoint.status event'));
      }
    }, 20);
  });
}

async function attempt(url: string): Promise<'ok' | 'error' | 'timeout'> {
  try {
    const res = await fetch(`${url}/v1/models/flowers/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [flower] }),
      signal: AbortSignal.timeout(5000),
    });
    await res.text();
    return res.status === 200 ? 'ok' : 'error';
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? 'timeout' : 'error';
  }
}

describe('supervised endpoints', () => {
  it('starts an endpoint process, lists it and reports its status', async () => {
    const ep = await service.invoke('endpoints.start', { models: ['flowers', 'prices:1'] });
    expect(ep).toMatchObject({ status: 'running', host: '127.0.0.1', apiKey: null, restarts: 0 });
    expect(ep.models.map((m) => [m.name, m.version, m.isDefault])).toEqual([
      ['flowers', 2, true],
      ['prices', 1, true],
    ]);
    expect(ep.pid).not.toBe(process.pid);
    expect(events.filter((e) => e.id === ep.id).map((e) => e.status)).toEqual(['starting', 'running']);
    expect((await service.invoke('endpoints.list', {})).map((e) => e.id)).toContain(ep.id);
    const r = await post(`${ep.url}/v1/models/flowers/predict`, { instances: [flower, flower] });
    expect(r.status).toBe(200);
    expect((await post(`${ep.url}/v1/models/nope/predict`, { instances: [flower] })).status).toBe(404);
    // The live chart's numbers come from the endpoint's process: every request it answered.
    const stats = await service.invoke('endpoints.stats', { endpointId: ep.id, windowSeconds: 60 });
    expect(stats.buckets).toHaveLength(60);
    expect(stats.total).toMatchObject({ requests: 2, errors: 1, predictions: 2 });
    expect(stats.total.p50).toBeGreaterThan(0);
    expect(await service.invoke('endpoints.stop', { endpointId: ep.id })).toEqual({ stopped: true });
    expect(alive(ep.pid as number)).toBe(false);
    expect(await service.invoke('endpoints.list', {})).toEqual([]);
  });

  it('refuses unknown models', async () => {
    await expect(service.invoke('endpoints.start', { models: ['nope'] })).rejects.toThrow(/no model named "nope"/);
    await expect(service.invoke('endpoints.start', { models: ['flowers@nope'] })).rejects.toThrow(/no alias "nope"/);
  });

  it('restarts an endpoint killed under load on the same port; clients get errors, never hangs', async () => {
    const ep = await service.invoke('endpoints.start', { models: ['flowers'] });
    let stop = false;
    const outcomes: string[] = [];
    const client = async () => {
      while (!stop) {
        const o = await attempt(ep.url as string);
        outcomes.push(o);
        if (o !== 'ok') await new Promise((r) => setTimeout(r, 20));
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, client));
    await new Promise((r) => setTimeout(r, 300));
    const restarted = nextEvent((e) => e.id === ep.id && e.status === 'running' && e.restarts === 1);
    process.kill(ep.pid as number, 'SIGKILL');
    const back = await restarted;
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await load;
    expect(back.url).toBe(ep.url);
    expect(back.pid).not.toBe(ep.pid);
    expect(events.some((e) => e.id === ep.id && e.status === 'restarting' && /SIGKILL/.test(e.message ?? ''))).toBe(
      true,
    );
    expect(outcomes).not.toContain('timeout');
    expect(outcomes).toContain('error');
    expect(outcomes.slice(-6)).toEqual(Array(6).fill('ok'));
    await service.invoke('endpoints.stop', { endpointId: ep.id });
  });

  it('drains in-flight requests on SIGTERM', async () => {
    env.CAIRN_SERVE_TEST_DELAY_MS = '400';
    try {
      const ep = await service.invoke('endpoints.start', { models: ['flowers'] });
      const inFlight = Promise.all(Array.from({ length: 5 }, () => attempt(ep.url as string)));
      await new Promise((r) => setTimeout(r, 150));
      process.kill(ep.pid as number, 'SIGTERM');
      expect(await inFlight).toEqual(Array(5).fill('ok'));
      await service.invoke('endpoints.stop', { endpointId: ep.id });
    } finally {
      delete env.CAIRN_SERVE_TEST_DELAY_MS;
    }
  });

  it('hot-swaps when the production alias moves', async () => {
    const ep = await service.invoke('endpoints.start', { models: ['flowers'] });
    expect(ep.models[0]).toMatchObject({ version: 2, isDefault: true });
    // Moving the alias through the registry is all it takes: the service re-resolves its endpoints.
    const swapped = nextEvent((e) => e.id === ep.id && e.models[0]?.version === 1);
    await service.invoke('models.setAlias', { name: 'flowers', alias: 'production', version: 1, reason: 'roll back' });
    expect((await swapped).models[0]).toMatchObject({
      name: 'flowers',
      version: 1,
      aliases: ['production'],
      isDefault: true,
    });
    const r = await post(`${ep.url}/v1/models/flowers/predict`, { instances: [flower] });
    expect(r.json.model).toEqual({ name: 'flowers', version: 1 });
    const a = await post(`${ep.url}/v1/models/flowers/aliases/production/predict`, { instances: [flower] });
    expect(a.json.model).toEqual({ name: 'flowers', version: 1 });
  });

  it('resolves a refresh only once the endpoint answered the swap, so a caller then sees the served version', async () => {
    const ep = (await service.invoke('endpoints.list', {})).find(
      (e) => e.refs.includes('flowers') && e.status === 'running',
    );
    expect(ep?.models[0]?.version).toBe(1);
    // The alias move starts the swap; refreshEndpoints, as a pipeline's deploy step calls it, waits for it.
    await service.invoke('models.setAlias', {
      name: 'flowers',
      alias: 'production',
      version: 2,
      reason: 'forward again',
    });
    await service.refreshEndpoints();
    const after = (await service.invoke('endpoints.list', {})).find((e) => e.id === ep?.id);
    expect(after?.models[0]).toMatchObject({ name: 'flowers', version: 2, aliases: ['production'] });
  });

  it('binds another address only with a generated API key', async () => {
    const ep = await service.invoke('endpoints.start', { models: ['prices'], host: '0.0.0.0' });
    expect(ep.apiKey).toMatch(/^[\w-]{32}$/);
    const url = `http://127.0.0.1:${ep.port}/v1/models/prices/predict`;
    expect((await post(url, { instances: [{ x1: 1, x2: 1 }] })).status).toBe(401);
    expect((await post(url, { instances: [{ x1: 1, x2: 1 }] }, { authorization: `Bearer ${ep.apiKey}` })).status).toBe(
      200,
    );
  });

  it('stops every endpoint when the service closes', async () => {
    const other = await CairnService.open({ home, host: 'cli' });
    const ep = await other.invoke('endpoints.start', { models: ['prices'] });
    expect(alive(ep.pid as number)).toBe(true);
    await other.close();
    expect(alive(ep.pid as number)).toBe(false);
  });
});
