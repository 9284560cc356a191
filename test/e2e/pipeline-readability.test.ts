// A pipeline is readable when the editor opens it: a template's steps render with text of 10 px
// or more and ports of 11 px or more at both 1280 and 1920 px wide (fitting a long chain by zoom
// alone gave 6 px text and 4 px ports); and the editor's keyboard stays in the editor: after
// Delete removes a step, Ctrl+Z brings it back.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { canRun, shot, useAppPerTest } from './support/cairn-ui.js';

let page: Page;
useAppPerTest((app) => ({ page } = app));

const node = (id: string) => page.locator(`[data-testid="step-node"][data-node-id="${id}"]`);

/** Creates the classification template for the iris sample and waits until its view has settled. */
async function openTemplate(width: number): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await page.getByTestId('sample-iris').click();
  await page.getByTestId('dataset-view').waitFor({ timeout: 60_000 });
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Pipelines' }).click();
  await page.getByTestId('pipelines-empty-new').click();
  await page.getByTestId('new-tabular-classification').check();
  await expect.poll(() => page.getByTestId('new-target').inputValue()).toBe('species');
  await page.getByTestId('new-pipeline-submit').click();
  await node('register').waitFor();
  // Opening fits the view once React Flow has measured the steps: wait for a zoom that holds still.
  let last = '';
  await expect
    .poll(async () => {
      const [was, now] = [last, (await page.locator('.react-flow__viewport').getAttribute('style')) ?? ''];
      last = now;
      return now !== '' && now === was;
    })
    .toBe(true);
}

/** On-screen sizes: a step title's and summary's font, and a port's box, in CSS pixels as rendered. */
async function renderedSizes(id: string): Promise<{ title: number; summary: number; port: number }> {
  return node(id).evaluate((el) => {
    const rendered = (e: Element | null) => {
      if (!(e instanceof HTMLElement)) return NaN;
      // The canvas is scaled by a transform: the box on screen over the box in layout is the zoom.
      const scale = e.getBoundingClientRect().height / e.offsetHeight;
      return Number.parseFloat(getComputedStyle(e).fontSize) * scale;
    };
    const handle = el.querySelector('.react-flow__handle');
    return {
      title: rendered(el.querySelector('.step-title')),
      summary: rendered(el.querySelector('.step-summary')),
      port: handle ? Math.min(handle.getBoundingClientRect().width, handle.getBoundingClientRect().height) : NaN,
    };
  });
}

describe.skipIf(!canRun)('pipeline readability', () => {
  for (const width of [1280, 1920]) {
    it(`opens a template with readable steps and ports big enough to grab at ${width} px`, async () => {
      await openTemplate(width);
      for (const id of ['source', 'train', 'register']) {
        const sizes = await renderedSizes(id);
        expect(sizes.title, `${id} title`).toBeGreaterThanOrEqual(10);
        expect(sizes.summary, `${id} summary`).toBeGreaterThanOrEqual(10);
        expect(sizes.port, `${id} port`).toBeGreaterThanOrEqual(11);
      }
      // The first step is on screen: the view starts where the flow does.
      const canvas = await page.getByTestId('canvas').boundingBox();
      const first = await node('source').boundingBox();
      expect(first && canvas && first.x >= canvas.x && first.y >= canvas.y).toBe(true);
      await shot(page, `pipeline-template-${width}`);
    });
  }

  it('keeps the focus in the editor when Delete removes a step, so Ctrl+Z brings it back', async () => {
    await openTemplate(1280);
    await node('split').locator('.step-title').click();
    await page.locator('[data-testid="node-panel"][data-node-id="split"]').waitFor();
    await page.keyboard.press('Delete');
    await node('split').waitFor({ state: 'detached' });
    expect(await page.getByTestId('step-node').count()).toBe(5);
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="pipeline-editor"]') !== null)).toBe(
      true,
    );
    await page.keyboard.press('Control+z');
    await node('split').waitFor();
    expect(await page.getByTestId('step-node').count()).toBe(6);
  });
});
