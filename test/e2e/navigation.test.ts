// Issue 18, items 2 and 3 in the browser: every page and selection has a URL (a reload keeps the
// run open, Back and Forward walk the steps), and the UI survives its server: stopped, it says so
// and a page whose code cannot load shows its error with a retry; restarted on the same data
// folder and port, the page reconnects by itself with the token it had. Plus the favicon.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canRun, cliOk, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

const cli = (...args: string[]) => cliOk(ui, ...args);

async function trainIris(epochs: number): Promise<string> {
  const out = await cli('train', 'iris', '--target', 'species', '--epochs', String(epochs), '--json');
  return (JSON.parse(out) as { run: string }).run;
}

const hash = () => new URL(page.url()).hash;

describe.skipIf(!canRun)('navigation and the server going away', () => {
  it('gives a run and a comparison a URL that survives a reload, with Back and Forward', async () => {
    await cli('import', path.join(ROOT, 'resources', 'samples', 'iris.csv'));
    const a = await trainIris(4);
    const b = await trainIris(6);

    await page.getByRole('button', { name: 'Runs', exact: true }).click();
    await page.getByTestId('runs-page').waitFor();
    expect(hash()).toBe('#/runs');
    await page.locator(`[data-run-id="${a}"]`).click();
    await page.locator(`[data-testid="run-detail"][data-run-id="${a}"][data-status="succeeded"]`).waitFor();
    expect(hash()).toBe(`#/runs/${a}`);

    // Reload: still on the run, not on Datasets.
    await page.reload();
    await page.locator(`[data-testid="run-detail"][data-run-id="${a}"][data-status="succeeded"]`).waitFor();
    expect(await page.locator('.topnav [aria-current="page"]').textContent()).toBe('Runs');
    await shot(page, 'route-run-after-reload');

    // Back to the table, Forward to the run again.
    await page.getByTestId('run-back').click();
    await page.locator(`.runs-main:not([hidden]) [data-run-id="${b}"]`).waitFor();
    expect(hash()).toBe('#/runs');
    await page.goBack();
    await page.locator(`[data-testid="run-detail"][data-run-id="${a}"]`).waitFor();
    expect(hash()).toBe(`#/runs/${a}`);
    await page.goBack();
    await page.locator(`.runs-main:not([hidden]) [data-run-id="${b}"]`).waitFor();
    await page.goForward();
    await page.locator(`[data-testid="run-detail"][data-run-id="${a}"]`).waitFor();

    // A comparison has a URL too, and a run opened from it goes Back to it.
    await page.getByTestId('run-back').click();
    for (const id of [a, b]) await page.locator(`[data-run-id="${id}"] input[type="checkbox"]`).check();
    await page.getByTestId('compare-runs').click();
    await page.getByTestId('run-compare').waitFor();
    const compareHash = hash();
    expect(compareHash).toMatch(/^#\/runs\?compare=/);
    expect(compareHash).toContain(a);
    expect(compareHash).toContain(b);
    await page.reload();
    await page.getByTestId('run-compare').waitFor();

    // Another page and back by the top bar: the page's last view is kept, URL included.
    await page.getByRole('button', { name: 'Models', exact: true }).click();
    await page.getByTestId('models-page').waitFor();
    expect(hash()).toMatch(/^#\/models/);
    await page.getByRole('button', { name: 'Runs', exact: true }).click();
    await page.getByTestId('run-compare').waitFor();
    expect(hash()).toBe(compareHash);
    await page.goBack();
    await page.getByTestId('models-page').waitFor();
  });

  it('shows a banner while the server is away, a retry for a page that cannot load, and reconnects with the same token', async () => {
    const token = new URL(ui.url).searchParams.get('token');
    await ui.halt();
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Reconnecting/);

    // A page never opened needs its code from the stopped server: its slot says so, the shell stays.
    await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
    await page.getByTestId('page-boundary').waitFor();
    expect(await page.getByTestId('page-boundary').textContent()).toMatch(/could not be loaded|cairn ui/);
    expect(await page.locator('.topnav').isVisible()).toBe(true);
    await shot(page, 'server-away-boundary');

    // Back on the same folder and port, with the token it kept: no new URL needed.
    const url = await ui.resume();
    expect(new URL(url).searchParams.get('token')).toBe(token);
    await banner.waitFor({ state: 'detached' });
    await page.getByTestId('page-retry').click();
    await page.getByTestId('pipelines-page').waitFor();
    // Styled too: the stylesheets that failed with the chunk were fetched again.
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].every((l) => l.sheet !== null),
    );

    // A reload (the URL no longer carries the token) still gets in with the cookie it had.
    await page.reload();
    await page.getByTestId('backend-name').waitFor();
    await page.getByTestId('pipelines-page').waitFor();
  });

  it('serves a favicon: no request of a page load is a 404', async () => {
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
    await page.reload();
    await page.getByTestId('backend-name').waitFor();
    const icon = await page.request.get(new URL('/favicon.ico', ui.url).toString());
    expect(icon.status()).toBe(200);
    expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    const svg = await page.request.get(new URL('/favicon.svg', ui.url).toString());
    expect(svg.status()).toBe(200);
    expect(missing).toEqual([]);
  });
});
