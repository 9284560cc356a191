// Data sources from the browser UI, against a real PostgreSQL: "Add source" names a bad field
// beside it, shows a wrong password's error inline with the form kept, tests the connection,
// previews the first rows with PostgreSQL's own type names, shows the schedule's next runs and a
// cron that does not parse, and imports into a new dataset it opens. The source's page shows the
// URL with the password as ***, refreshes by hand (a changed table makes a new version, an
// unchanged one none), runs a refresh on a schedule and lists each in its history; removing the
// source keeps the dataset.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/servers/postgres.js';
import { seriousViolations } from './support/axe.js';
import { atBothWidths, canRun, cliOk, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

let pg: PostgresServer;
beforeAll(async () => {
  if (!canRun) return;
  pg = await startPostgres();
  await pg.sql(`
    CREATE TABLE orders (id integer PRIMARY KEY, customer text NOT NULL, amount numeric(10,2), placed date);
    INSERT INTO orders SELECT g, 'customer ' || g, g * 1.5, DATE '2026-01-01' + g FROM generate_series(1, 40) g;
  `);
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

const QUERY = 'SELECT id, customer, amount, placed FROM orders ORDER BY id';

/** The refresh rows of the history table, newest first, as (trigger, status). */
async function history(): Promise<string[]> {
  return page
    .getByTestId('source-refresh-row')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-trigger')} ${r.getAttribute('data-status')}`));
}

describe.skipIf(!canRun)('data sources in the browser UI', () => {
  it('adds a Postgres source (test, preview, schedule), imports it, refreshes it by hand and on a schedule', async () => {
    await page.getByTestId('empty-add-source').click();
    const dialog = page.getByTestId('add-source-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('source-kind-postgres').isChecked()).toBe(true);
    await page.getByTestId('source-name').fill('orders');
    await page.getByTestId('source-host').fill(pg.host);
    await page.getByTestId('source-port').fill('');
    await page.getByTestId('source-database').fill(pg.database);
    await page.getByTestId('source-user').fill(pg.user);
    await page.getByTestId('source-query').fill(QUERY);

    // A bad field is named beside it and nothing is sent.
    await page.getByTestId('source-test').click();
    expect(await page.getByTestId('source-error-port').textContent()).toBe('a port from 1 to 65535');
    expect(await page.getByTestId('source-error-password').textContent()).toMatch(/type the password/);
    await page.getByTestId('source-port').fill(String(pg.port));

    // A wrong password: the server's refusal inline, the form kept.
    await page.getByTestId('source-password').fill('not-the-password');
    await page.getByTestId('source-test').click();
    const failure = dialog.getByTestId('error-panel');
    await failure.waitFor();
    expect(await failure.getByTestId('error-message').textContent()).toMatch(/password/i);
    expect(await failure.getByTestId('error-message').textContent()).not.toContain('not-the-password');
    expect(await page.getByTestId('source-query').inputValue()).toBe(QUERY);
    await atBothWidths(page, (w) => shot(page, `source-add-wrong-password-${w}`));

    await page.getByTestId('source-password').fill(pg.password);
    await page.getByTestId('source-test').click();
    await page.getByTestId('source-test-ok').waitFor();
    await failure.waitFor({ state: 'detached' });

    // The preview: the first rows under PostgreSQL's type names.
    await page.getByTestId('source-preview-open').click();
    await page.locator('[data-testid="source-preview"][data-rows="20"]').waitFor();
    expect(await page.getByTestId('source-preview-type').allTextContents()).toEqual([
      'integer',
      'text',
      'numeric(10,2)',
      'date',
    ]);
    expect(await page.getByTestId('source-preview-row').first().locator('td').allTextContents()).toEqual([
      '1',
      'customer 1',
      '1.50',
      '2026-01-02',
    ]);

    // A schedule: daily at a time shows its next three runs; a cron that does not parse names its field.
    await page.getByTestId('schedule-mode').selectOption('custom');
    await page.getByTestId('schedule-cron').fill('0 25 * * *');
    expect(await page.getByTestId('schedule-error').textContent()).toMatch(/hour field "25" does not parse/);
    expect(await page.getByTestId('source-import').isDisabled()).toBe(true);
    await atBothWidths(page, (w) => shot(page, `source-add-schedule-error-${w}`));
    await page.getByTestId('schedule-mode').selectOption('daily');
    await page.getByTestId('schedule-time').fill('06:30');
    await expect.poll(() => page.getByTestId('schedule-next-time').count()).toBe(3);
    expect(await page.getByTestId('schedule-next-time').first().textContent()).toMatch(/\d{4}-\d\d-\d\d 06:30$/);
    await atBothWidths(page, (w) => shot(page, `source-add-preview-${w}`));
    expect(await seriousViolations(page)).toEqual([]);

    // Import: the dialog closes on the new dataset's first version.
    await page.getByTestId('source-import').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator('[data-testid="dataset-view"][data-version="1"]').waitFor();
    expect(await page.getByTestId('dataset-name').textContent()).toBe('orders');
    expect(await page.getByTestId('row-count').textContent()).toBe('40');
    await page.locator('[data-testid="source-item"][data-name="orders"]').waitFor();
    await atBothWidths(page, (w) => shot(page, `source-dataset-${w}`));

    // The source's page, from the dataset it feeds.
    await page.getByTestId('dataset-source-link').click();
    const view = page.locator('[data-testid="source-view"][data-source="orders"]');
    await view.waitFor();
    expect(page.url()).toMatch(/#\/sources\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('source-url').textContent()).toBe(
      `postgres://${pg.user}:***@${pg.host}:${pg.port}/${pg.database}`,
    );
    expect(await page.getByTestId('source-schedule').textContent()).toMatch(/^every day at 06:30 \(30 6 \* \* \*\)/);
    expect(await history()).toEqual(['manual changed']);
    expect(await page.content()).not.toContain(pg.password);
    await page.getByTestId('source-test').click();
    await page.getByTestId('source-test-ok').waitFor();

    // Refresh now after the table changed: a new version; again with nothing changed: none.
    await pg.sql(
      `UPDATE orders SET amount = amount + 1 WHERE id <= 5; INSERT INTO orders VALUES (41, 'late', 9, NULL);`,
    );
    await page.getByTestId('source-refresh').click();
    await page.locator('[data-testid="source-view"][data-refreshes="2"][data-refreshing="false"]').waitFor();
    expect(await history()).toEqual(['manual changed', 'manual changed']);
    expect(await page.getByTestId('source-refresh-row').first().locator('td').nth(3).textContent()).toBe('41');
    await page.getByTestId('source-refresh').click();
    await page.locator('[data-testid="source-view"][data-refreshes="3"][data-refreshing="false"]').waitFor();
    expect(await history()).toEqual(['manual unchanged', 'manual changed', 'manual changed']);
    await page.getByTestId('source-rows-chart').waitFor();

    // A refresh that fails: the database's message in the history and beside the button; the dataset unchanged.
    await pg.sql('ALTER TABLE orders RENAME TO orders_gone');
    await page.getByTestId('source-refresh').click();
    await page.locator('[data-testid="source-view"][data-refreshes="4"][data-refreshing="false"]').waitFor();
    expect(await history()).toEqual(['manual failed', 'manual unchanged', 'manual changed', 'manual changed']);
    expect(await page.getByTestId('source-refresh-row').first().textContent()).toMatch(
      /relation "orders" does not exist/,
    );
    await page.getByTestId('error-panel').waitFor();
    await atBothWidths(page, (w) => shot(page, `source-page-failed-${w}`));
    await pg.sql('ALTER TABLE orders_gone RENAME TO orders');

    // A schedule every two seconds (croner's seconds field): a refresh by the schedule joins the history.
    await page.getByTestId('source-edit').click();
    const edit = page.getByTestId('edit-source-dialog');
    await edit.waitFor();
    expect(await page.getByTestId('source-password').inputValue()).toBe('');
    expect(await page.getByTestId('schedule-mode').inputValue()).toBe('daily');
    await atBothWidths(page, (w) => shot(page, `source-edit-${w}`));
    await page.getByTestId('schedule-mode').selectOption('custom');
    await page.getByTestId('schedule-cron').fill('*/2 * * * * *');
    await page.getByTestId('schedule-next').waitFor();
    await page.getByTestId('source-save').click();
    await edit.waitFor({ state: 'detached' });
    await page
      .locator('[data-testid="source-refresh-row"][data-trigger="schedule"][data-status="unchanged"]')
      .first()
      .waitFor({ timeout: 30_000 });
    // The schedule off again, so the page stops changing under the screenshots.
    await page.getByTestId('source-edit').click();
    await edit.waitFor();
    await page.getByTestId('schedule-mode').selectOption('none');
    await page.getByTestId('source-save').click();
    await edit.waitFor({ state: 'detached' });
    // The page shows the saved source (no schedule) once its reload answered, and no refresh running.
    await page.getByTestId('source-schedule').filter({ hasText: /^none/ }).waitFor();
    await page.locator('[data-testid="source-view"][data-refreshing="false"]').waitFor();
    const listed = JSON.parse(await cliOk(ui, 'sources', 'list', '--json')) as { name: string; schedule: unknown }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'orders', schedule: null })]);
    await atBothWidths(page, (w) => shot(page, `source-page-${w}`));
    expect(await seriousViolations(page)).toEqual([]);

    // Remove: the source goes, its dataset and versions stay.
    await page.getByTestId('source-remove').click();
    const confirm = page.getByTestId('source-remove-confirm');
    expect(await confirm.textContent()).toMatch(/The dataset orders and all its versions stay/);
    await shot(page, 'source-remove-1920');
    await page.getByTestId('source-remove-confirm-submit').click();
    await page.getByTestId('dataset-view').waitFor();
    await page.locator('[data-testid="source-item"]').first().waitFor({ state: 'detached' });
    expect(JSON.parse(await cliOk(ui, 'sources', 'list', '--json'))).toEqual([]);
    const datasets = JSON.parse(await cliOk(ui, 'datasets', 'list', '--json')) as {
      name: string;
      versionCount: number;
    }[];
    expect(datasets).toEqual([expect.objectContaining({ name: 'orders', versionCount: 2 })]);
  });

  it('cancels an import under way: nothing is kept and the form stays as typed', async () => {
    // A query the server takes a minute over: the import is still reading when Cancel is pressed.
    const slow = 'SELECT n FROM generate_series(1, 3) n, pg_sleep(60)';
    await page.getByTestId('source-add').click();
    await page.getByTestId('add-source-dialog').waitFor();
    // Each kind's own fields, each bad one named (screenshots of every form).
    const firstField = { mysql: 'database', sqlite: 'path', url: 'url', s3: 'bucket' } as const;
    for (const kind of ['mysql', 'sqlite', 'url', 's3'] as const) {
      await page.getByTestId(`source-kind-${kind}`).check();
      await page.getByTestId('source-test').click();
      await page.getByTestId(`source-error-${firstField[kind]}`).waitFor();
      await atBothWidths(page, (w) => shot(page, `source-add-${kind}-${w}`));
    }
    expect(await page.getByTestId('source-error-bucket').textContent()).toBe('a bucket is needed');
    await page.getByTestId('source-kind-postgres').check();
    await page.getByTestId('source-name').fill('slow');
    await page.getByTestId('source-host').fill(pg.host);
    await page.getByTestId('source-port').fill(String(pg.port));
    await page.getByTestId('source-database').fill(pg.database);
    await page.getByTestId('source-user').fill(pg.user);
    await page.getByTestId('source-password').fill(pg.password);
    await page.getByTestId('source-query').fill(slow);
    await page.getByTestId('source-import').click();
    await page.getByTestId('refresh-progress').waitFor();
    expect(await page.getByTestId('source-import').isDisabled()).toBe(true);
    await atBothWidths(page, (w) => shot(page, `source-add-importing-${w}`));
    await page.getByTestId('refresh-cancel').click();
    const cancelled = page.locator(
      '[data-testid="add-source-dialog"] [data-testid="error-panel"][data-code="cancelled"]',
    );
    await cancelled.waitFor({ timeout: 30_000 });
    await page.getByTestId('refresh-progress').waitFor({ state: 'detached' });
    expect(await page.getByTestId('source-query').inputValue()).toBe(slow);
    expect(await page.getByTestId('source-name').inputValue()).toBe('slow');
    expect(JSON.parse(await cliOk(ui, 'sources', 'list', '--json'))).toEqual([]);
    expect(JSON.parse(await cliOk(ui, 'datasets', 'list', '--json'))).toEqual([]);
  });

  it('reads a SQLite file chosen in the browser: uploaded, previewed and imported', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cairn-e2e-sqlite-'));
    try {
      const file = path.join(dir, 'shop.sqlite');
      const db = new Database(file);
      db.exec(
        `CREATE TABLE items (sku TEXT, price REAL); INSERT INTO items VALUES ('a', 1.5), ('b', 2.5), ('c', NULL);`,
      );
      db.close();
      await page.getByTestId('empty-add-source').click();
      await page.getByTestId('source-kind-sqlite').check();
      await page.getByTestId('source-name').fill('items');
      await page.getByTestId('source-sqlite-file-input').setInputFiles(file);
      await expect.poll(() => page.getByTestId('source-path').inputValue()).toMatch(/shop\.sqlite$/);
      await page.getByTestId('source-query').fill('SELECT sku, price FROM items ORDER BY sku');
      await page.getByTestId('source-preview-open').click();
      await page.locator('[data-testid="source-preview"][data-rows="3"]').waitFor();
      await atBothWidths(page, (w) => shot(page, `source-add-sqlite-preview-${w}`));
      await page.getByTestId('source-import').click();
      await page.getByTestId('add-source-dialog').waitFor({ state: 'detached' });
      await page.locator('[data-testid="dataset-view"][data-version="1"]').waitFor();
      expect(await page.getByTestId('dataset-name').textContent()).toBe('items');
      expect(await page.getByTestId('row-count').textContent()).toBe('3');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
