// `cairn monitor` and `cairn retrain` as scripts run them: the exact JSON shape of monitor (live
// empty until feedback, then accuracy), the readable table, window checks, a retrain's decision,
// and `--watch --json` printing a rule's firing and resolution as NDJSON, the same objects its
// webhook receives (the rule's webhook kept, re-templated and removed as the contract says).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEventPayload, RetrainDecision, WebhookDelivery } from '../../../../shared/api.js';
import { RequestLogDb, type LogRow } from '../../../../electron/core/db/request-log-db.js';
import { CairnService } from '../../../../electron/core/service.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../support/servers/webhook-receiver.js';
import { classificationCsv } from '../core/training/data.js';
import { cliWorkspace, startCairn } from './run-cairn.js';

const ws = cliWorkspace('cairn-cli-monitor-', {
  'flowers.csv': classificationCsv(),
});
const ids: string[] = [];

const { cairn, json } = ws;

beforeAll(() => {
  ws.must('train', ws.file('flowers.csv'), '--target', 'label', '--model', 'logistic', '--epochs', '5');
  // 150 answered requests and 3 refused ones in the last half hour, inputs like the training rows.
  const log = new RequestLogDb(path.join(ws.home, 'logs', 'requests.db'));
  const now = Date.now();
  const lines = classificationCsv(150, 9).trim().split('\n').slice(1);
  const rows: LogRow[] = lines.map((line, i) => {
    const [x1, x2, color] = line.split(',');
    const label = Number(x1) + Number(x2) > 0 ? 'true' : 'false';
    const id = `cli-${i}`;
    ids.push(id);
    return {
      at: now - 1_800_000 + i * 1000,
      model: 'flowers',
      version: 1,
      status: 200,
      latencyMs: 1 + (i % 10),
      predictionId: id,
      inputJson: JSON.stringify({ x1: Number(x1), x2: Number(x2), color }),
      outputJson: JSON.stringify({ label, probabilities: { false: 0.5, true: 0.5 } }),
      answer: label,
      error: null,
    };
  });
  for (let k = 0; k < 3; k++)
    rows.push({
      ...rows[0]!,
      at: now - 1000 * k,
      status: 400,
      predictionId: null,
      inputJson: null,
      outputJson: null,
      answer: null,
      error: 'bad',
    });
  log.append(rows);
  log.close();
}, 120_000);

describe('cairn monitor', () => {
  it('prints {requests, errors, latency_ms, drift, live} with --json; live is empty before feedback', () => {
    const out = json<Record<string, unknown>>('monitor', 'flowers');
    expect(Object.keys(out)).toEqual(['requests', 'errors', 'latency_ms', 'drift', 'live']);
    expect(out).toMatchObject({ requests: 153, errors: 3, live: {} });
    expect(Object.keys(out.latency_ms as object)).toEqual(['p50', 'p95', 'p99']);
    const drift = out.drift as { feature: string; psi: number | null; drifted: boolean }[];
    expect(drift.map((d) => d.feature).sort()).toEqual(['color', 'x1', 'x2']);
    for (const d of drift) {
      expect(Object.keys(d)).toEqual(['feature', 'psi', 'drifted']);
      expect(d.psi).toBeLessThan(0.2);
      expect(d.drifted).toBe(false);
    }
  });

  it('holds live accuracy once feedback exists', async () => {
    const service = await CairnService.open({ home: ws.home, host: 'cli' });
    try {
      // 40 labels: the logged answers right for 30, wrong for 10.
      const items = ids.slice(0, 40).map((id, i) => ({ id, label: i < 30 ? 'true' : 'false' }));
      const logged = await service.invoke('monitoring.overview', { model: 'flowers', window: '1h' });
      expect(logged.totals.predictions).toBe(150);
      await service.invoke('monitoring.feedback', { model: 'flowers', items });
    } finally {
      await service.close();
    }
    const out = json<{ live: { accuracy?: number; labelled?: number } }>('monitor', 'flowers', '--window', '1h');
    expect(out.live.labelled).toBe(40);
    expect(typeof out.live.accuracy).toBe('number');
    expect(Object.keys(out.live)).toEqual(['accuracy', 'labelled']);
  });

  it('prints a readable summary and table without --json, and refuses an unknown window or model', () => {
    const text = cairn('monitor', 'flowers', '--window', '7d').stdout;
    expect(text).toMatch(
      /^flowers, last 7d: 153 requests, 3 errors \(1\.96 %\)\nlatency: p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms\n/,
    );
    expect(text).toMatch(/\nfeature +kind +psi +ks +p-value +drifted\n/);
    expect(text).toMatch(/\nlive accuracy: [\d.]+ on 40 labelled predictions \(test split: [\d.]+\)/);
    const bad = cairn('monitor', 'flowers', '--window', '2d');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--window must be one of 1h, 24h, 7d, not "2d"/);
    expect(cairn('monitor', 'nope').stderr).toMatch(/no model named "nope"/);
    // The model may be left out only with --watch, which follows every model's alerts.
    expect(cairn('monitor').stderr).toMatch(/name the model to monitor, or use --watch/);
  });
});

describe('cairn retrain', () => {
  it("retrains now and prints the decision with both versions' metrics", () => {
    const d = json<RetrainDecision>('retrain', 'flowers');
    expect(d).toMatchObject({
      model: 'flowers',
      trigger: 'manual',
      champion: { version: 1 },
      challenger: { version: 2 },
    });
    expect(typeof d.promoted).toBe('boolean');
    // The model has 40 labelled requests and no saved policy: they join by default, as a new dataset version.
    expect(d).toMatchObject({ labelledRowsAdded: 40, dataset: { name: 'flowers', version: 2 } });
    expect(d.reason).toMatch(
      /held-out rows \(trained on new version 2 of dataset "flowers": version 1 plus 40 labelled requests\)/,
    );
    expect(Object.keys(d.champion!.metrics).sort()).toEqual([
      'accuracy',
      'f1_macro',
      'precision_macro',
      'recall_macro',
    ]);
    expect(Object.keys(d.challenger!.metrics).sort()).toEqual([
      'accuracy',
      'f1_macro',
      'precision_macro',
      'recall_macro',
    ]);
    // Whether or not the challenger won, --force retrains (with nothing new it would be refused).
    const text = cairn('retrain', 'flowers', '--force').stdout;
    expect(text).toMatch(
      /^flowers: version 3 (promoted to production|not promoted; version \d keeps production)\nreason: /,
    );
    expect(text).toMatch(/on the same \d+ held-out rows:\nversion +role +accuracy/);
  }, 120_000);
});

describe('alert webhooks and cairn monitor --watch --json', () => {
  const TOKEN_PATH = '/services/T0/B0/w4tchT0k3n';
  let receiver: WebhookReceiver;
  let service: CairnService;
  const deliveries: WebhookDelivery[] = [];
  const finished: ((d: WebhookDelivery) => void)[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  /** The next delivery to end (delivered or failed), as its event tells. */
  const nextDelivery = () => new Promise<WebhookDelivery>((resolve) => finished.push(resolve));

  it('prints a rule firing and resolving as NDJSON lines until SIGTERM, exit 0; the webhook gets the same objects', async () => {
    const watch = startCairn(ws.home, ['monitor', '--watch', '--json']);
    try {
      await watch.waitFor(/Watching the alerts of every model/, 60_000, 'stderr');
      service = await CairnService.open({ home: ws.home, host: 'cli' });
      service.events.subscribe((event, payload) => {
        if (event !== 'alert.delivery') return;
        const d = payload as WebhookDelivery;
        deliveries.push(d);
        if (d.status !== 'pending') finished.shift()?.(d);
      });
      // 3 errors in 153 requests: an error rate over 1 % fires as the rule is saved.
      const delivered = nextDelivery();
      const rule = await service.invoke('monitoring.rules.save', {
        model: 'flowers',
        metric: 'error_rate',
        comparator: '>',
        threshold: 0.01,
        minSamples: 1,
        webhook: { url: `${receiver.origin}${TOKEN_PATH}`, template: 'json' },
      });
      expect(rule.state.firing).toBe(true);
      expect(rule.webhook).toEqual({ url: `${receiver.origin}/***`, template: 'json' });

      const [line] = await watch.waitFor(/^.*\n/);
      const fired = JSON.parse(line) as AlertEventPayload;
      const [alert] = await service.invoke('monitoring.alerts', { model: 'flowers', status: 'firing' });
      expect(fired).toMatchObject({
        event: 'fired',
        alert: alert!.id,
        rule: rule.id,
        model: 'flowers',
        metric: 'error_rate',
        comparator: '>',
        threshold: 0.01,
        resolvedAt: null,
        test: false,
      });
      expect(fired.value).toBeCloseTo(3 / 153, 6);
      expect(fired.summary).toBe(`Firing: ${alert!.message}`);

      expect(await delivered).toMatchObject({ status: 'delivered', attempts: 1, httpStatus: 200, event: 'fired' });
      const [sent] = await receiver.received(1);
      expect(sent!.path).toBe(TOKEN_PATH);
      expect(JSON.parse(sent!.body)).toEqual(fired);

      // Deleting the rule answers its alert: a second line, and a resolution to the webhook.
      const resolvedSent = nextDelivery();
      await service.invoke('monitoring.rules.delete', { id: rule.id });
      await watch.waitFor(/^.*\n.*\n/);
      const resolved = JSON.parse(watch.stdout().split('\n')[1]!) as AlertEventPayload;
      expect(resolved).toMatchObject({ event: 'resolved', alert: alert!.id });
      expect(resolved.resolvedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await resolvedSent).toMatchObject({ status: 'delivered', event: 'resolved' });
      expect(JSON.parse((await receiver.received(2))[1]!.body)).toEqual(resolved);

      watch.child.kill('SIGTERM');
      expect(await watch.exited).toEqual({ code: 0, signal: null });
      expect(watch.stdout().trim().split('\n')).toHaveLength(2);
      // The URL's token is in no reply, line or record.
      const listed = await service.invoke('monitoring.deliveries', { model: 'flowers' });
      expect(listed.map((d) => d.event)).toEqual(['resolved', 'fired']);
      expect(JSON.stringify([listed, deliveries, watch.stdout(), watch.stderr()])).not.toContain('w4tchT0k3n');
    } finally {
      if (watch.child.exitCode === null) watch.child.kill('SIGKILL');
    }
  }, 120_000);

  it('--judge judges the rules in the watching process: a rule that can be judged now fires at its start', async () => {
    // Not judged below 200 requests: the log holds 153 until 60 more (6 refused) arrive.
    const rule = await service.invoke('monitoring.rules.save', {
      model: 'flowers',
      metric: 'error_rate',
      comparator: '>',
      threshold: 0.01,
      minSamples: 200,
    });
    expect(rule.state).toMatchObject({ firing: false, value: null });
    const log = new RequestLogDb(path.join(ws.home, 'logs', 'requests.db'));
    const now = Date.now();
    log.append(
      Array.from({ length: 60 }, (_, i) => ({
        at: now - 60_000 + i * 500,
        model: 'flowers',
        version: 1,
        status: i % 10 === 0 ? 500 : 200,
        latencyMs: 3,
        predictionId: null,
        inputJson: null,
        outputJson: null,
        answer: null,
        error: i % 10 === 0 ? 'boom' : null,
      })),
    );
    log.close();
    const watch = startCairn(ws.home, ['monitor', 'flowers', '--watch', '--json', '--judge']);
    try {
      await watch.waitFor(/Watching the alerts of "flowers", judging the rules here/, 60_000, 'stderr');
      const [line] = await watch.waitFor(/^.*\n/);
      expect(JSON.parse(line) as AlertEventPayload).toMatchObject({ event: 'fired', rule: rule.id, model: 'flowers' });
      watch.child.kill('SIGINT');
      expect(await watch.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (watch.child.exitCode === null) watch.child.kill('SIGKILL');
    }
    await service.invoke('monitoring.rules.delete', { id: rule.id });
  }, 120_000);

  it("keeps a rule's webhook when a save leaves it out, changes the template alone, and removes it with null", async () => {
    const base = { model: 'flowers', metric: 'latency_p99' as const, comparator: '>' as const, threshold: 1e9 };
    const url = `${receiver.origin}/kept/${'k'.repeat(12)}`;
    const rule = await service.invoke('monitoring.rules.save', { ...base, webhook: { url, template: 'teams' } });
    const kept = await service.invoke('monitoring.rules.save', { ...base, id: rule.id, threshold: 2e9 });
    expect(kept.webhook).toEqual({ url: `${receiver.origin}/***`, template: 'teams' });
    const slack = await service.invoke('monitoring.rules.save', {
      ...base,
      id: rule.id,
      webhook: { template: 'slack' },
    });
    expect(slack.webhook).toEqual({ url: `${receiver.origin}/***`, template: 'slack' });
    // "Send test" with no URL uses the saved one: the receiver sees its whole path, in Slack's shape.
    const before = receiver.requests.length;
    const test = await service.invoke('monitoring.webhooks.test', {
      model: 'flowers',
      ruleId: rule.id,
      webhook: { template: 'slack' },
    });
    expect(test).toMatchObject({ delivered: true, httpStatus: 200, attempts: 1, target: `${receiver.origin}/***` });
    const sent = (await receiver.received(before + 1))[before]!;
    expect(sent.path).toBe(`/kept/${'k'.repeat(12)}`);
    expect((JSON.parse(sent.body) as { text: string }).text).toMatch(/^Test from Cairn: Firing: flowers: latency p99 /);
    const removed = await service.invoke('monitoring.rules.save', { ...base, id: rule.id, webhook: null });
    expect(removed.webhook).toBeNull();
    await expect(
      service.invoke('monitoring.rules.save', { ...base, id: rule.id, webhook: { template: 'json' } }),
    ).rejects.toThrow("give the webhook's URL: this rule has none saved");
    await expect(
      service.invoke('monitoring.rules.save', { ...base, webhook: { url: 'hooks.slack.com/x' } }),
    ).rejects.toThrow(/not a URL/);
    const gone = await startWebhookReceiver();
    await gone.close();
    await expect(
      service.invoke('monitoring.webhooks.test', { model: 'flowers', webhook: { url: `${gone.origin}/hook` } }),
    ).resolves.toMatchObject({ delivered: false, error: 'connection refused', httpStatus: null });
    await expect(
      service.invoke('monitoring.webhooks.test', { model: 'flowers', webhook: { url: 'http://127.0.0.1:25/hook' } }),
    ).resolves.toMatchObject({ delivered: false, error: /port is one fetch refuses/ });
  });
});
