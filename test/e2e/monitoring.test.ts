// The Monitoring page in the browser UI, with real traffic: iris trained from the CLI and served
// by an endpoint started on the Endpoints page; predictions posted to it over HTTP (the later
// ones with petals far longer than any in training, so those features drift), a few refused
// requests, and ground truth through the endpoint's feedback route. Then the page: cards,
// charts, the drift table and a drifting feature's overlay, labels from the form and a CSV with
// bad rows, an alert rule that fires, and a retrain with its decision; and a retrain that wins,
// promoted, then rolled back from its decision; and a regressor, whose page shows a histogram of
// predicted values and live MAE.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const IRIS = path.join(ROOT, 'resources', 'samples', 'iris.csv');
const DIABETES = path.join(ROOT, 'resources', 'samples', 'diabetes.csv');

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

interface Flower {
  sepal_length: number;
  sepal_width: number;
  petal_length: number;
  petal_width: number;
  species: string;
}

function flowers(): Flower[] {
  const [, ...lines] = readFileSync(IRIS, 'utf8').trim().split('\n');
  return lines.map((l) => {
    const [a, b, c, d, species] = l.split(',');
    return {
      sepal_length: Number(a),
      sepal_width: Number(b),
      petal_length: Number(c),
      petal_width: Number(d),
      species: species ?? '',
    };
  });
}

interface Answer {
  predictions: { id: string; label?: string; value?: number }[];
}

/** Starts an endpoint for `model` on the Endpoints page and returns its URL. */
async function serve(model: string): Promise<string> {
  await page.getByRole('button', { name: 'Endpoints', exact: true }).click();
  await page.locator(`[data-testid="start-model"][data-name="${model}"]`).getByTestId('start-model-check').check();
  await page.getByTestId('start-submit').click();
  await page.locator('[data-testid="endpoint-view"][data-status="running"]').waitFor({ timeout: 60_000 });
  return (await page.getByTestId('endpoint-url').textContent()) ?? '';
}

async function predict(url: string, instances: Record<string, number>[], model = 'iris'): Promise<Answer> {
  const res = await fetch(`${url}/v1/models/${model}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instances }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

/** Screenshots at the two widths the app is checked at. */
async function shots(name: string): Promise<void> {
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

const card = (id: string) => page.getByTestId(`card-${id}-value`);
/** The top bar's Monitoring tab (its name gains a count while alerts fire). */
const monitoringTab = () =>
  page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: /^Monitoring/ });

describe.skipIf(!canRun)('monitoring page', () => {
  it(
    'shows traffic, predictions, drift and live accuracy of a served model; takes labels; fires an alert rule; retrains',
    { timeout: 300_000 },
    async () => {
      for (const args of [
        ['import', IRIS],
        ['train', 'iris', '--target', 'species', '--epochs', '15'],
      ]) {
        const r = await ui.cli(...args);
        expect(r.code, r.stderr).toBe(0);
      }

      // Before any traffic the page says where traffic comes from.
      await monitoringTab().click();
      await page.locator('[data-testid="monitoring-view"][data-loaded="true"]').waitFor();
      await page.getByTestId('monitor-no-traffic').waitFor();
      expect(await page.getByTestId('monitor-no-traffic').textContent()).toMatch(
        /No traffic in the last 1 hour.*Endpoints page/,
      );
      await shot(page, 'monitoring-no-traffic');

      // Serve it from the Endpoints page, where the empty state leads.
      await page.getByTestId('go-endpoints').click();
      const pick = page.locator('[data-testid="start-model"][data-name="iris"]');
      await pick.getByTestId('start-model-check').check();
      await page.getByTestId('start-submit').click();
      await page.locator('[data-testid="endpoint-view"][data-status="running"]').waitFor({ timeout: 60_000 });
      const url = (await page.getByTestId('endpoint-url').textContent()) ?? '';
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      // 40 requests of 3 flowers (drift is judged from 100 live inputs): the first 20 as in
      // training, the last 20 with petals 3 cm longer and 1.2 cm wider.
      const all = flowers();
      const sent: { id: string; species: string; drifted: boolean }[] = [];
      for (let i = 0; i < 40; i++) {
        const drifted = i >= 20;
        const trio = [0, 3, 5].map((k) => all[(i * 7 + k) % all.length]!);
        const answer = await predict(
          url,
          trio.map((f) => ({
            sepal_length: f.sepal_length,
            sepal_width: f.sepal_width,
            petal_length: drifted ? f.petal_length + 3 : f.petal_length,
            petal_width: drifted ? f.petal_width + 1.2 : f.petal_width,
          })),
        );
        answer.predictions.forEach((p, j) => sent.push({ id: p.id, species: trio[j]!.species, drifted }));
      }
      // Three refused requests: errors in the totals.
      for (let i = 0; i < 3; i++) {
        const bad = await fetch(`${url}/v1/models/iris/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"instances":[{"sepal_length":"long"}]}',
        });
        expect(bad.status).toBe(400);
      }
      expect(sent).toHaveLength(120);

      // Ground truth for 50 predictions through the endpoint's route; the rest are left for the UI.
      const viaRoute = sent.slice(0, 50);
      const fb = await fetch(`${url}/v1/models/iris/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ feedback: viaRoute.map((s) => ({ id: s.id, label: s.species })) }),
      });
      expect(fb.status, await fb.clone().text()).toBe(200);
      expect(((await fb.json()) as { accepted: number }).accepted).toBe(50);

      // The page: every figure drawn from the log, over the window that fits a few minutes of
      // traffic (one hour, not a day where it would be a sliver at the right edge).
      await monitoringTab().click();
      await expect.poll(async () => card('requests').textContent(), { timeout: 20_000 }).toBe('43');
      expect(await page.getByTestId('window-1h').getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('.monitor-header p').textContent()).toContain('the last 1 hour (fits its traffic)');
      expect(await card('error-rate').textContent()).toBe('7%');
      for (const p of ['p50', 'p95', 'p99']) expect(await card(p).textContent()).toMatch(/^\d+(\.\d+)? ms$/);
      expect(await card('live').textContent()).toMatch(/^\d+(\.\d)?%$/);
      expect(await page.getByTestId('card-live').textContent()).toMatch(/test split \d+(\.\d)?% · 50 of 120 labelled/);
      expect(Number(await card('drift').textContent())).toBeGreaterThan(0.2);
      expect(await page.getByTestId('card-drift').textContent()).toMatch(/petal_(length|width)/);
      for (const chart of ['chart-rate', 'chart-latency', 'chart-predictions', 'chart-live'])
        await page.locator(`[data-testid="${chart}"] canvas`).first().waitFor();
      // The model list beside it counts the day's traffic too.
      await expect
        .poll(async () => page.getByTestId('monitor-model-item').textContent(), { timeout: 10_000 })
        .toMatch(/43 requests in 24 h · 3 errors/);
      await shot(page, 'monitoring-traffic');
      // One version's figures: v1 served all of it.
      await page.getByTestId('monitor-version').selectOption('1');
      await expect.poll(async () => page.locator('.monitor-header p').textContent()).toContain('v1 · the last 1 hour');
      await expect.poll(async () => card('requests').textContent()).toBe('43');
      await page.getByTestId('monitor-version').selectOption('');

      // Drift: every feature, petals drifting first and highlighted; the overlay of the worst.
      await page.getByTestId('monitor-tab-drift').click();
      const rows = page.getByTestId('drift-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(4);
      const order = await rows.evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-feature'), e.getAttribute('data-drifted')]),
      );
      expect(
        order
          .slice(0, 2)
          .map(([f]) => f)
          .sort(),
      ).toEqual(['petal_length', 'petal_width']);
      expect(order.slice(0, 2).every(([, d]) => d === 'true')).toBe(true);
      expect(
        await page.locator('[data-testid="drift-row"][data-drifted="true"] [data-testid="drift-badge"]').count(),
      ).toBeGreaterThanOrEqual(2);
      // KS statistics are shown for the numeric features.
      expect(await rows.first().locator('td').nth(2).textContent()).toMatch(/^0\.\d{3}$/);
      await page.locator('[data-testid="drift-row"][data-feature="petal_length"] .drift-feature').click();
      await page
        .locator('[data-testid="drift-overlay"][data-feature="petal_length"] [data-testid="drift-chart"] canvas')
        .waitFor();
      expect(await page.getByTestId('drift-overlay').textContent()).toMatch(/PSI .* > /);
      await shot(page, 'monitoring-drift');

      // Ground truth from the form (two rows) and from a CSV with an unknown id and a bad row.
      await page.getByTestId('monitor-tab-feedback').click();
      const rest = sent.slice(50);
      const ids = page.getByTestId('feedback-id');
      const labels = page.getByTestId('feedback-label');
      for (let i = 0; i < 2; i++) {
        await ids.nth(i).fill(rest[i]!.id);
        await labels.nth(i).fill(rest[i]!.species);
      }
      await page.getByTestId('feedback-send').click();
      await page.locator('[data-testid="feedback-result"][data-accepted="2"]').waitFor();
      const csv = [
        'id,label',
        ...rest.slice(2, 6).map((s) => `${s.id},${s.species}`),
        'nope-not-a-prediction,setosa',
        `${rest[6]!.id},`,
      ].join('\n');
      await page
        .getByTestId('feedback-csv-input')
        .setInputFiles({ name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.locator('[data-testid="feedback-result"][data-accepted="4"]').waitFor();
      expect(await page.getByTestId('feedback-unknown').textContent()).toMatch(/^1 unknown id$/);
      expect(await page.getByTestId('feedback-invalid').textContent()).toMatch(/^1 invalid$/);
      expect(await page.locator('[data-testid="feedback-issue"][data-kind="unknown"]').textContent()).toContain(
        'nope-not-a-prediction',
      );
      expect(await page.locator('[data-testid="feedback-issue"][data-kind="invalid"] td').first().textContent()).toBe(
        '7',
      );
      await shot(page, 'monitoring-feedback');
      // The live figure now counts 56 labelled predictions.
      await expect
        .poll(async () => page.getByTestId('card-live').textContent(), { timeout: 15_000 })
        .toMatch(/56 of 120 labelled/);

      // An alert rule on the drift score, added in the UI: listed, evaluated at once, firing.
      await page.getByTestId('monitor-tab-alerts').click();
      await page.getByTestId('rules-empty').waitFor();
      await page.getByTestId('rule-add').click();
      await page.getByTestId('rule-metric').selectOption('drift_score');
      await page.getByTestId('rule-threshold').fill('0.2');
      await page.getByTestId('rule-window').selectOption('1h');
      expect(await page.getByTestId('rule-preview').textContent()).toContain('drift score (PSI) > 0.2 over 1 hour');
      await page.getByTestId('rule-save').click();
      const rule = page.locator('[data-testid="rule-row"][data-metric="drift_score"]');
      await rule.waitFor();
      expect(await rule.getByTestId('rule-text').textContent()).toBe('drift score (PSI) > 0.2 over 1 hour');
      await page.locator('[data-testid="rule-row"][data-firing="true"]').waitFor({ timeout: 15_000 });
      await page.getByTestId('alert-banner').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('alert-banner').textContent()).toMatch(/1 alert firing.*drift score/);
      await page.locator('[data-testid="alert-row"][data-firing="true"]').waitFor();
      await expect.poll(async () => page.getByTestId('nav-firing').textContent(), { timeout: 15_000 }).toBe('1');
      // A second rule, then deleted after confirming.
      await page.getByTestId('rule-add').click();
      await page.getByTestId('rule-metric').selectOption('latency_p95');
      expect(await page.getByTestId('rule-threshold').inputValue()).toBe('250');
      await page.getByTestId('rule-save').click();
      await page.locator('[data-testid="rule-row"][data-metric="latency_p95"]').waitFor();
      // Edited: the form opens with the rule's values; the list shows the new threshold.
      await page.locator('[data-testid="rule-row"][data-metric="latency_p95"] [data-testid="rule-edit"]').click();
      expect(await page.getByTestId('rule-threshold').inputValue()).toBe('250');
      await page.getByTestId('rule-threshold').fill('300');
      await page.getByTestId('rule-save').click();
      await expect
        .poll(async () =>
          page.locator('[data-testid="rule-row"][data-metric="latency_p95"] [data-testid="rule-text"]').textContent(),
        )
        .toBe('latency p95 > 300 ms over 1 hour');
      expect(await page.getByTestId('rule-row').count()).toBe(2);
      await shot(page, 'monitoring-alerts');
      await page.locator('[data-testid="rule-row"][data-metric="latency_p95"] [data-testid="rule-delete"]').click();
      await page.getByTestId('rule-delete-dialog').waitFor();
      await page.getByTestId('rule-delete-dialog-submit').click();
      await expect.poll(async () => page.getByTestId('rule-row').count()).toBe(1);

      // Retraining: the policy saved, a retrain by hand with its progress, then its decision.
      await page.getByTestId('monitor-tab-retraining').click();
      await page.getByTestId('policy-save').waitFor();
      await page.getByTestId('policy-labelled').check();
      await page.getByTestId('policy-margin').fill('0.01');
      await page.getByTestId('policy-save').click();
      await page.getByTestId('policy-saved').waitFor();
      await page.getByTestId('retrain-button').click();
      await page.getByTestId('retrain-progress').waitFor();
      await page.getByTestId('decision-row').first().waitFor({ timeout: 120_000 });
      const outcome = await page.getByTestId('decision-row').first().getAttribute('data-outcome');
      expect(['promoted', 'kept']).toContain(outcome);
      expect(await page.getByTestId('retrain-latest').getAttribute('data-outcome')).toBe(outcome);
      expect(await page.getByTestId('decision-row').first().textContent()).toMatch(/by hand/);
      await page.getByTestId('decisions').scrollIntoViewIfNeeded();
      await shot(page, 'monitoring-decisions');
      if (outcome === 'promoted') {
        // One click (and a confirmation) puts the alias back.
        await page.getByTestId('decision-rollback').click();
        await page.getByTestId('rollback-dialog').waitFor();
        await shot(page, 'monitoring-rollback-confirm');
        await page.getByTestId('rollback-dialog-submit').click();
        await expect.poll(async () => page.getByTestId('decision-rollback').count(), { timeout: 15_000 }).toBe(0);
      }
    },
  );

  it(
    'promotes a challenger that beats the champion and rolls the alias back from its decision',
    { timeout: 300_000 },
    async () => {
      // The champion learns from shuffled labels; a newer version of its dataset has the true ones.
      const dir = await mkdtemp(path.join(tmpdir(), 'cairn-monitor-e2e-'));
      try {
        const [header, ...lines] = readFileSync(IRIS, 'utf8').trim().split('\n');
        const classes = ['setosa', 'versicolor', 'virginica'];
        const shuffled = path.join(dir, 'iris.csv');
        await writeFile(
          shuffled,
          [header, ...lines.map((l, i) => `${l.slice(0, l.lastIndexOf(','))},${classes[i % 3]}`)].join('\n'),
        );
        for (const args of [
          ['import', shuffled],
          ['train', 'iris', '--target', 'species', '--epochs', '15'],
          ['import', IRIS, '--name', 'iris'],
        ]) {
          const r = await ui.cli(...args);
          expect(r.code, r.stderr).toBe(0);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      await monitoringTab().click();
      await page.locator('[data-testid="monitoring-view"][data-loaded="true"]').waitFor();
      await page.getByTestId('monitor-tab-retraining').click();
      await page.getByTestId('decisions').getByText('No retrain yet').waitFor();
      await page.getByTestId('retrain-button').click();
      await page.locator('[data-testid="retrain-latest"][data-outcome="promoted"]').waitFor({ timeout: 120_000 });
      const row = page.locator('[data-testid="decision-row"][data-outcome="promoted"]');
      expect(await row.getByTestId('decision-outcome').textContent()).toBe('promoted → production');
      expect(await row.locator('.gain-up').textContent()).toMatch(/^\+0\.\d+$/);
      await expect
        .poll(async () => page.locator('.monitor-header .alias-badge').textContent(), { timeout: 15_000 })
        .toBe('production → v2');
      await page.getByTestId('decisions').scrollIntoViewIfNeeded();
      await shot(page, 'monitoring-promoted');
      // The new champion was trained on the newest data: a retrain now would build it again, and says so first.
      const plan = page.locator('[data-testid="retrain-plan"][data-nothing-new="true"]');
      expect(await plan.textContent()).toBe(
        'Nothing changed since version 2 was trained: the same version 2 of dataset "iris" and no labelled requests; a retrain would build the same model again.',
      );
      expect(await page.getByTestId('retrain-button').textContent()).toBe('Retrain anyway');
      await page.getByTestId('retrain-now').scrollIntoViewIfNeeded();
      await shots('monitoring-retrain-nothing-new');

      // One click, confirmed, puts production back on the champion.
      await row.getByTestId('decision-rollback').click();
      const dialog = page.getByTestId('rollback-dialog');
      expect(await dialog.textContent()).toContain('production moves from v2 back to v1');
      await shot(page, 'monitoring-rollback-confirm');
      await page.getByTestId('rollback-dialog-submit').click();
      await expect
        .poll(async () => page.locator('.monitor-header .alias-badge').textContent(), { timeout: 15_000 })
        .toBe('production → v1');
      // The badge and the decisions reload from separate calls.
      await expect.poll(() => page.getByTestId('decision-rollback').count()).toBe(0);
      // The decision itself stays recorded.
      expect(await page.getByTestId('decision-row').count()).toBe(1);
      // The sidebar names the version served, not the latest.
      expect(await page.locator('[data-testid="monitor-model-item"][data-name="iris"]').textContent()).toContain(
        'classification · serves v1 · latest v2',
      );
      // Back on version 1, trained on older data, a retrain has something new again.
      await page.locator('[data-testid="retrain-plan"][data-nothing-new="false"]').waitFor();
      expect(await page.getByTestId('retrain-button').textContent()).toBe('Retrain now');

      // The Models page shows both versions' scores on the rows the decision compared them on.
      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Models', exact: true })
        .click();
      const compared = page.getByTestId('held-out-comparison');
      await compared.waitFor();
      const rows = compared.getByTestId('held-out-row');
      expect(await rows.count()).toBe(2);
      const accuracy = async (role: string) =>
        Number(
          await rows
            .and(page.locator(`[data-role="${role}"]`))
            .locator('[data-metric="accuracy"]')
            .textContent(),
        );
      expect(await accuracy('challenger')).toBeGreaterThan(await accuracy('champion'));
      expect(await compared.textContent()).toContain('challenger promoted · iris v2');
      await shots('models-held-out');
    },
  );

  it(
    'shows a regressor’s predicted values as a histogram over time and its live MAE',
    { timeout: 300_000 },
    async () => {
      for (const args of [
        ['import', DIABETES],
        ['train', 'diabetes', '--target', 'progression', '--epochs', '15'],
      ]) {
        const r = await ui.cli(...args);
        expect(r.code, r.stderr).toBe(0);
      }
      const url = await serve('diabetes');
      const [header, ...lines] = readFileSync(DIABETES, 'utf8').trim().split('\n');
      const names = (header ?? '').split(',');
      const rows = lines
        .slice(0, 120)
        .map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, Number(v)])));
      const labelled: { id: string; label: number }[] = [];
      for (let i = 0; i < rows.length; i += 10) {
        const batch = rows.slice(i, i + 10);
        const answer = await predict(
          url,
          batch.map(({ progression: _, ...inputs }) => inputs),
          'diabetes',
        );
        expect(answer.predictions.every((p) => typeof p.value === 'number')).toBe(true);
        answer.predictions.forEach((p, j) => i < 40 && labelled.push({ id: p.id, label: batch[j]!.progression! }));
      }
      const fb = await fetch(`${url}/v1/models/diabetes/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ feedback: labelled }),
      });
      expect(fb.status).toBe(200);

      await monitoringTab().click();
      await page.getByTestId('window-1h').click();
      await expect.poll(async () => card('requests').textContent(), { timeout: 20_000 }).toBe('12');
      expect(await page.getByTestId('card-live').textContent()).toMatch(
        /^Live MAE\d+(\.\d+)?test split \d+(\.\d+)? · 40 of 120 labelled$/,
      );
      expect(await page.getByTestId('chart-card-predictions').textContent()).toContain(
        'Predicted values (histogram per bucket)',
      );
      for (const chart of ['chart-predictions', 'chart-live'])
        await page.locator(`[data-testid="${chart}"] canvas`).first().waitFor();
      await page.getByTestId('chart-card-predictions').scrollIntoViewIfNeeded();
      await shot(page, 'monitoring-regression');
      // Every input column the model reads is compared with training: ten features.
      await page.getByTestId('monitor-tab-drift').click();
      await expect.poll(async () => page.getByTestId('drift-row').count()).toBe(10);
    },
  );
});
