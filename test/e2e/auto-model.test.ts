// Automatic model choice from the browser UI: the Train dialog starts on "Automatic", hides the
// settings the choice makes itself, and the run page of the finished run shows the leaderboard
// (each candidate, its validation scores and time, the kept one marked) and why the winner won.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../electron/core/training/seeded-random.js';
import { canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-e2e-auto-'));
  // A 3×3 checkerboard over x1 and x2: thresholds, which trees find and a line cannot.
  const random = seededRandom(11);
  const lines = ['x1,x2,noise,label'];
  for (let i = 0; i < 1000; i++) {
    const x1 = random() * 3;
    const x2 = random() * 3;
    const even = (Math.floor(x1) + Math.floor(x2)) % 2 === 0;
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${random().toFixed(3)},${even ? 'even' : 'odd'}`);
  }
  await writeFile(path.join(dir, 'board.csv'), `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!canRun)('automatic model choice in the browser UI', () => {
  it('trains with Automatic by default and shows the leaderboard and why the winner won', async () => {
    const res = await ui.cli('import', path.join(dir, 'board.csv'));
    expect(res.code, res.stderr).toBe(0);
    await page.reload();
    await page.locator('[data-testid="dataset-item"][data-name="board"] button.dataset-item').click();
    await page.getByTestId('dataset-view').waitFor();
    await page.getByTestId('train-open').click();
    await page.getByTestId('train-dialog').waitFor();
    expect(await page.getByTestId('train-model').inputValue()).toBe('auto');
    await page.getByTestId('train-advanced').locator('summary').click();
    await page.getByTestId('train-auto-note').waitFor();
    // The candidates' own settings are the choice's: none of them is offered.
    expect(await page.getByTestId('train-epochs').count()).toBe(0);
    await shot(page, 'train-dialog-auto');
    await page.getByTestId('train-start').click();

    await page.locator('[data-testid="run-detail"][data-status="succeeded"]').waitFor({ timeout: 180_000 });
    const board = page.getByTestId('auto-choice');
    await board.waitFor();
    expect(await board.locator('tbody tr').count()).toBe(3);
    const kept = page.getByTestId('auto-candidate-gbdt');
    expect(await kept.getAttribute('class')).toBe('auto-chosen');
    expect(await kept.textContent()).toContain('kept');
    expect(await page.getByTestId('auto-reason').textContent()).toMatch(
      /^Gradient-boosted trees: validation accuracy [01]\.\d{4} vs Logistic regression/,
    );
    // The model fact says the run chose, and the test split scores the winner.
    await page.getByText('Automatic → Gradient-boosted trees').waitFor();
    await page.getByTestId('metric-accuracy').waitFor();
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await board.scrollIntoViewIfNeeded();
      await shot(page, `run-auto-choice-${width}`);
    }
  });
});
