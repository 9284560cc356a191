// A remembered fleet connection keeps its queue password (and an S3 store's secret key) in the
// host's secret store (a 0600 file here, as for the CLI and `cairn ui`), never in app.db: the next
// open connects with them, and forgetting the connection forgets them.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { EventName, FleetStatus } from '../../../../../shared/api.js';
import { FleetClient } from '../../../../../electron/core/fleet/fleet-client.js';
import { parseQueueUrl } from '../../../../../electron/core/fleet/queue-url.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { startRedis, type TestRedis } from '../../../../support/servers/redis.js';
import { S3_KEY_ID, startS3 } from '../../../../support/servers/s3.js';
import { serviceCaller, tempDirFor } from '../helpers.js';

const tmp = tempDirFor('file', 'cairn-fleet-pw-');
const PASSWORD = 'queue pw 7f3a';
/**
 * The store's secret key as typed: not s3rver's own (S3RVER is also the key id, which the saved URL
 * holds), since opening the store sends only a HEAD, whose signature s3rver does not check.
 */
const S3_SECRET_KEPT = 's3 secret 91bc';
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
  it('and the S3 store key are kept in the 0600 secret store only, connect again at the next open, and go when forgotten', async () => {
    const home = path.join(tmp.dir, 'home');
    const s3 = await startS3(['fleet']);
    onTestFinished(() => s3.stop());
    const store = `s3://${S3_KEY_ID}@fleet/store?endpoint=${s3.endpoint}`;
    let service = await CairnService.open({ host: 'cli', home });
    const call = serviceCaller(service);
    await expect(
      call('fleet.connect', { queue: redis.url, password: PASSWORD, store, remember: true }),
    ).rejects.toThrow(/no S3 keys/);
    await expect(
      call('fleet.connect', { queue: redis.url, store, storeSecret: S3_SECRET_KEPT, remember: true }),
    ).rejects.toThrow(/does not answer/);
    const status = await call<FleetStatus>('fleet.connect', {
      queue: redis.url,
      password: PASSWORD,
      store,
      storeSecret: S3_SECRET_KEPT,
    });
    expect(status.state).toBe('connected');
    await service.close();

    expect(await filesHolding(home, PASSWORD)).toEqual(['secrets.json']);
    expect(await filesHolding(home, S3_SECRET_KEPT)).toEqual(['secrets.json']);
    expect((await stat(path.join(home, 'secrets.json'))).mode & 0o777).toBe(0o600);

    // The browser and desktop hosts connect a remembered fleet as they open.
    service = await CairnService.open({ host: 'browser', home });
    const again = await reopened(service);
    expect(again).toMatchObject({ state: 'connected', error: null, queue: redis.url });
    await serviceCaller(service)('fleet.disconnect', { forget: true });
    await service.close();
    expect(await filesHolding(home, PASSWORD)).toEqual([]);
    expect(await filesHolding(home, S3_SECRET_KEPT)).toEqual([]);
  });
});

describe('a wrong queue password', () => {
  it('is told in the refusal only, not printed on stderr by ioredis', async () => {
    const printed = vi.spyOn(console, 'error');
    onTestFinished(() => printed.mockRestore());
    await expect(FleetClient.connect(parseQueueUrl(redis.url, { password: 'not it' }))).rejects.toThrow(
      /does not answer: .*(WRONGPASS|invalid)/i,
    );
    expect(printed.mock.calls.flat().join(' ')).not.toMatch(/Unhandled error event/);
  });
});
