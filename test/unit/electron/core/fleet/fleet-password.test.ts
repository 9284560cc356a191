// A remembered fleet connection keeps its queue password in the host's secret store (a 0600 file
// here, as for the CLI and `cairn ui`), never in app.db: the next open connects with it, and
// forgetting the connection forgets the password.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, FleetStatus } from '../../../../../shared/api.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { startRedis, type TestRedis } from '../../../../support/servers/redis.js';
import { serviceCaller, tempDirFor } from '../helpers.js';

const tmp = tempDirFor('file', 'cairn-fleet-pw-');
const PASSWORD = 'queue pw 7f3a';
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis({ password: PASSWORD });
});
afterAll(async () => {
  await redis.stop();
});

/** Every file under the data folder but the secret store that holds the text. */
async function filesHolding(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file)).includes(text)) found.push(path.relative(dir, file));
  }
  return found;
}

/** The status once the background reopen has connected (or failed, which the test then shows). */
async function reopened(service: CairnService): Promise<FleetStatus> {
  const settled = new Promise<void>((resolve) => {
    const off = service.events.subscribe((name: EventName, payload: unknown) => {
      const status = payload as FleetStatus;
      if (name !== 'fleet.status' || (status.state !== 'connected' && status.error === null)) return;
      off();
      resolve();
    });
  });
  const now = await serviceCaller(service)<FleetStatus>('fleet.status', {});
  if (now.state !== 'connected' && now.error === null) await settled;
  return serviceCaller(service)<FleetStatus>('fleet.status', {});
}

describe('the queue password of a remembered connection', () => {
  it('is kept in the 0600 secret store only, connects again at the next open, and goes when forgotten', async () => {
    const home = path.join(tmp.dir, 'home');
    const store = path.join(tmp.dir, 'store');
    let service = await CairnService.open({ host: 'cli', home });
    const call = serviceCaller(service);
    await expect(call('fleet.connect', { queue: redis.url, store, remember: true })).rejects.toThrow(/does not answer/);
    const status = await call<FleetStatus>('fleet.connect', { queue: redis.url, password: PASSWORD, store });
    expect(status.state).toBe('connected');
    await service.close();

    expect(await filesHolding(home, PASSWORD)).toEqual(['secrets.json']);
    expect((await stat(path.join(home, 'secrets.json'))).mode & 0o777).toBe(0o600);

    // The browser and desktop hosts connect a remembered fleet as they open.
    service = await CairnService.open({ host: 'browser', home });
    const again = await reopened(service);
    expect(again).toMatchObject({ state: 'connected', error: null, queue: redis.url });
    await serviceCaller(service)('fleet.disconnect', { forget: true });
    await service.close();
    expect(await filesHolding(home, PASSWORD)).toEqual([]);
  });
});
