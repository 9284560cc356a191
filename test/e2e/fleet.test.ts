// The fleet from the app: Redis of the test's own, two `cairn worker` processes sharing a store
// folder; Settings → Compute connects to them and lists both, a run started from the Train dialog
// trains on the fleet, and its curves arrive on its page, which says which worker trained it.
// Everything waits on what the page shows; nothing sleeps.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../support/cairn-worker.js';
import { startRedis, type TestRedis } from '../support/servers/redis.js';
import { seriousViolations } from './support/axe.js';
import { ROOT, atBothWidths, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

let redis: TestRedis;
let storeDir: string;
let workers: WorkerProcess[] = [];

/** Screenshots at the two widths the app is checked at (when CAIRN_SCREENSHOTS is set). */
const shots = (name: string) => atBothWidths(page, (w) => shot(page, `${name}-${w}`));

describe.skipIf(!canRun)('the worker fleet in the app', () => {
  beforeAll(async () => {
    redis = await startRedis();
    storeDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-e2e-store-'));
    workers = await Promise.all(
      ['worker-one', 'worker-two'].map((name) => startWorkerProcess({ name, queue: redis.url, store: storeDir })),
    );
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await redis?.stop();
    if (storeDir) await rm(storeDir, { recursive: true, force: true });
  });

  it('connects from Settings → Compute, sees two workers, and trains a run on the fleet with its curves live', async () => {
    const imported = await ui.cli('import', path.join(ROOT, 'resources', 'samples', 'iris.csv'));
    expect(imported.code, imported.stderr).toBe(0);
    await page.reload();

    await page.getByRole('button', { name: 'Settings' }).click();
    const compute = page.getByTestId('compute-settings');
    await compute.waitFor();
    expect(await page.getByTestId('fleet-state').textContent()).toBe('Not connected');
    await shots('compute-disconnected');

    await page.getByTestId('fleet-queue-url').fill(redis.url);
    // An S3 store asks for its secret key beside it; this test's store is a folder.
    await page.getByTestId('fleet-store').fill('s3://KEYID@cairn-fleet/store?endpoint=https://minio:9000');
    await page.getByTestId('fleet-store-secret').waitFor();
    await shots('compute-s3-store');
    await page.getByTestId('fleet-store').fill(storeDir);
    await page.getByTestId('fleet-store-secret').waitFor({ state: 'detached' });
    await page.getByTestId('fleet-connect').click();
    await page.locator('[data-testid="fleet-state"]', { hasText: 'Connected' }).waitFor();
    // Both workers registered: the list follows the registry (an event when it changes, else a poll).
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="fleet-worker"][data-state="live"]').length === 2,
    );
    const names = await page.locator('[data-testid="fleet-worker"] strong').allTextContents();
    expect(names.sort()).toEqual(['worker-one', 'worker-two']);
    // Checked once the engine has saved it (the status it sends back is what the page shows).
    await page.getByTestId('compute-where-fleet').click();
    await page.locator('[data-testid="compute-where-fleet"]:checked').waitFor();
    await page.locator('[data-testid="compute-where-now"]', { hasText: 'trains on the fleet' }).waitFor();
    await shots('compute-connected');
    // The page a user manages the fleet from passes the accessibility scan the other pages do.
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Datasets' }).click();
    await page.locator('[data-testid="dataset-item"][data-name="iris"] button.dataset-item').click();
    await page.getByTestId('dataset-view').waitFor();

    // The Sweep dialog says where its trials will train too.
    await page.getByTestId('sweep-open').click();
    await page.getByTestId('sweep-dialog').waitFor();
    expect(await page.getByTestId('sweep-where').locator('option:checked').textContent()).toBe('As set: the fleet');
    await shots('sweep-dialog-where');
    await page.keyboard.press('Escape');
    await page.getByTestId('sweep-dialog').waitFor({ state: 'hidden' });

    await page.getByTestId('train-open').click();
    await page.getByTestId('train-dialog').waitFor();
    await page.getByTestId('train-model').selectOption('mlp');
    await page.getByTestId('train-where').selectOption('fleet');
    await page.locator('[data-testid="train-dialog"] .field-hint', { hasText: 'trains on the fleet' }).waitFor();
    await shots('train-dialog-where');
    await page.getByTestId('train-advanced').locator('summary').click();
    await page.getByTestId('train-epochs').fill('60');
    await page.getByTestId('train-start').click();

    await page.getByTestId('run-detail').waitFor();
    // Its curves come from the worker, through the queue, as the epochs go by.
    await page.getByTestId('curve-loss').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="run-detail"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
    const place = (await page.getByTestId('run-fact-place').textContent()) ?? '';
    expect(place).toMatch(/^Fleet \(worker-(one|two)\)$/);
    await page.getByTestId('confusion-matrix').waitFor();
    await shots('run-on-fleet');
  });
});
