// An alert rule's webhook in the browser UI: iris trained from the CLI, a request log with 10 %
// errors written beside the running `cairn ui`, then on the Monitoring page's Alerts tab a rule
// with a Slack webhook to a local receiver that answers 500 once: "Send test" shows that failure
// inline, a second press shows the delivery; saved, the rule fires at once, the receiver gets the
// firing in Slack's shape, and the fired alert lists its delivery. The URL's token never shows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestLogDb, type LogRow } from '../../electron/core/db/request-log-db.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/servers/webhook-receiver.js';
import { ROOT, atBothWidths, canRun, cliOk, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const IRIS = path.join(ROOT, 'resources', 'samples', 'iris.csv');
const TOKEN = 'e2eS3cr3tT0k3n';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver([
    { status: 500, body: 'invalid_token' },
    { status: 200, body: 'ok' },
  ]);
});
afterEach(async () => {
  await receiver?.close();
});

/** 60 answered-or-refused requests to iris over the last ten minutes, every tenth refused. */
function writeTraffic(home: string): void {
  const [, ...lines] = readFileSync(IRIS, 'utf8').trim().split('\n');
  const now = Date.now();
  const rows: LogRow[] = lines.slice(0, 60).map((line, i) => {
    const [a, b, c, d, species] = line.split(',');
    const refused = i % 10 === 9;
    return {
      at: now - 600_000 + i * 10_000,
      model: 'iris',
      version: 1,
      status: refused ? 400 : 200,
      latencyMs: 2,
      predictionId: refused ? null : `e2e-${i}`,
      inputJson: refused
        ? null
        : JSON.stringify({ sepal_length: +a!, sepal_width: +b!, petal_length: +c!, petal_width: +d! }),
      outputJson: refused ? null : JSON.stringify({ label: species }),
      answer: refused ? null : (species ?? null),
      error: refused ? 'bad input' : null,
    };
  });
  const log = new RequestLogDb(path.join(home, 'logs', 'requests.db'));
  log.append(rows);
  log.close();
}

describe.skipIf(!canRun)('alert webhooks', () => {
  it(
    "adds a Slack webhook to a rule, sends a test (a 500, then delivered), and lists the firing's delivery",
    {
      timeout: 240_000,
    },
    async () => {
      await cliOk(ui, 'import', IRIS);
      await cliOk(ui, 'train', 'iris', '--target', 'species', '--epochs', '5');
      writeTraffic(ui.home);

      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: /^Monitoring/ })
        .click();
      await page.locator('[data-testid="monitor-model-item"][data-name="iris"]').click();
      await page.locator('[data-testid="monitoring-view"][data-loaded="true"]').waitFor();
      await page.getByTestId('monitor-tab-alerts').click();
      await page.getByTestId('rule-add').click();
      await page.getByTestId('rule-metric').selectOption('error_rate');
      await page.getByTestId('rule-threshold').fill('5');
      await page.getByTestId('rule-min-samples').fill('20');

      // The webhook: a bad URL is named before anything is sent.
      await page.getByTestId('rule-webhook-on').check();
      await page.getByTestId('rule-webhook-url').fill('hooks.slack.com/services/x');
      expect(await page.getByTestId('rule-webhook-hint').textContent()).toMatch(/^not a URL/);
      expect(await page.getByTestId('rule-webhook-test').isDisabled()).toBe(true);
      expect(await page.getByTestId('rule-save').isDisabled()).toBe(true);
      await page.getByTestId('rule-webhook-url').fill(`${receiver.origin}/services/T0/B0/${TOKEN}`);
      await page.getByTestId('rule-webhook-template').selectOption('slack');

      // Send test: the receiver answers 500 first, then 200; each outcome shows inline.
      await page.getByTestId('rule-webhook-test').click();
      const outcome = page.getByTestId('rule-webhook-outcome');
      await page.locator('[data-testid="rule-webhook-outcome"][data-delivered="false"]').waitFor();
      expect(await outcome.textContent()).toMatch(
        new RegExp(
          `^failed HTTP 500: invalid_token \\(.+\\) · Slack to ${receiver.origin.replace(/\./g, '\\.')}/\\*\\*\\*$`,
        ),
      );
      await page.getByTestId('rule-webhook-test').click();
      await page.locator('[data-testid="rule-webhook-outcome"][data-delivered="true"]').waitFor();
      expect(await outcome.textContent()).toMatch(
        /^delivered HTTP 200 \(.+\) · Slack to http:\/\/127\.0\.0\.1:\d+\/\*\*\*$/,
      );
      const tests = await receiver.received(2);
      expect(tests.map((r) => r.path)).toEqual([`/services/T0/B0/${TOKEN}`, `/services/T0/B0/${TOKEN}`]);
      expect((JSON.parse(tests[1]!.body) as { text: string }).text).toMatch(
        /^Test from Cairn: Firing: iris: error rate 7\.5 % &gt; 5 % over 1h$/,
      );
      await atBothWidths(page, (w) => shot(page, `alert-webhook-test-${w}`));

      // Saved, the rule fires at once (10 % of requests refused) and the webhook gets the firing.
      await page.getByTestId('rule-save').click();
      const row = page.locator('[data-testid="rule-row"][data-metric="error_rate"]');
      await row.waitFor();
      expect(await row.getByTestId('rule-webhook-target').textContent()).toBe(
        `and Slack webhook ${receiver.origin}/***`,
      );
      await page.locator('[data-testid="rule-row"][data-firing="true"]').waitFor({ timeout: 15_000 });
      const [, , firing] = await receiver.received(3);
      expect((JSON.parse(firing!.body) as { text: string }).text).toMatch(
        /^Firing: iris: error rate 10 % &gt; 5 % over 1h$/,
      );
      const delivery = page.locator('[data-testid="alert-delivery"][data-status="delivered"]');
      await delivery.waitFor({ timeout: 15_000 });
      expect(await delivery.textContent()).toMatch(/^fired delivered HTTP 200 \(.+\)$/);
      expect(await page.content()).not.toContain(TOKEN);
      await atBothWidths(page, (w) => shot(page, `alert-webhook-delivered-${w}`));

      // Editing shows the saved URL masked, as the field's placeholder; the field itself stays empty.
      await row.getByTestId('rule-edit').click();
      expect(await page.getByTestId('rule-webhook-on').isChecked()).toBe(true);
      expect(await page.getByTestId('rule-webhook-url').inputValue()).toBe('');
      expect(await page.getByTestId('rule-webhook-url').getAttribute('placeholder')).toBe(
        `${receiver.origin}/*** (saved: type a new URL to replace it)`,
      );
      expect(await page.getByTestId('rule-webhook-template').inputValue()).toBe('slack');
      expect(await page.content()).not.toContain(TOKEN);
    },
  );
});
