// Alerts' webhooks: each template's body, and deliveries to a local receiver on a free port: a 500
// then a 200 is one delivery of two attempts, retries stop at the policy's count or at an answer
// no retry would change, a refused connection and a timeout are named, a redirect to another
// host is not followed, and no record holds the URL. Waits are the policy's, made short here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertEventPayload, type Alert, type WebhookDelivery } from '../../../../../shared/api.js';
import { openDb, type Db } from '../../../../../electron/core/db/open.js';
import { WebhookDeliveriesRepo } from '../../../../../electron/core/db/webhook-deliveries-repo.js';
import { alertEventPayload } from '../../../../../electron/core/monitoring/webhooks/alert-event.js';
import { webhookBody } from '../../../../../electron/core/monitoring/webhooks/templates.js';
import { WebhookDeliveries } from '../../../../../electron/core/monitoring/webhooks/webhook-deliveries.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../../support/servers/webhook-receiver.js';
import { tempDirFor } from '../helpers.js';

const ALERT: Alert = {
  id: 7,
  ruleId: 'rule-1',
  model: 'iris<&>',
  metric: 'drift_score',
  comparator: '>',
  threshold: 0.2,
  window: '1h',
  value: 0.43,
  message: 'iris<&>: drift score 0.43 > 0.2 over 1h (petal_length)',
  features: ['petal_length'],
  action: 'notify',
  firedAt: '2026-12-07T10:00:00.000Z',
  resolvedAt: null,
};
const RESOLVED: Alert = { ...ALERT, resolvedAt: '2026-12-07T11:00:00.000Z' };
/** A path like Slack's, whose last part is the token that must appear in no record. */
const SECRET_PATH = '/services/T0000/B0000/s3cr3tT0k3n';

describe('templates', () => {
  it('json is the documented payload, for firings and resolutions', () => {
    const fired = webhookBody('json', alertEventPayload('fired', ALERT)) as AlertEventPayload;
    expect(fired).toEqual({
      event: 'fired',
      alert: 7,
      rule: 'rule-1',
      model: 'iris<&>',
      metric: 'drift_score',
      comparator: '>',
      threshold: 0.2,
      window: '1h',
      value: 0.43,
      message: ALERT.message,
      features: ['petal_length'],
      action: 'notify',
      firedAt: ALERT.firedAt,
      resolvedAt: null,
      summary: `Firing: ${ALERT.message}`,
      test: false,
    });
    // Exactly the contract's documented shape, no field more.
    expect(AlertEventPayload.strict().parse(fired)).toEqual(fired);
    const resolved = webhookBody('json', alertEventPayload('resolved', RESOLVED)) as AlertEventPayload;
    expect(resolved).toMatchObject({ event: 'resolved', resolvedAt: RESOLVED.resolvedAt });
    expect(resolved.summary).toBe(
      `Resolved: ${ALERT.message} (fired 2026-12-07T10:00:00.000Z, resolved 2026-12-07T11:00:00.000Z)`,
    );
    expect(alertEventPayload('fired', ALERT, true)).toMatchObject({
      test: true,
      summary: /^Test from Cairn: Firing: /,
    });
  });

  it('slack is {text, blocks} with the message escaped for mrkdwn and the facts as fields', () => {
    const body = webhookBody('slack', alertEventPayload('fired', ALERT)) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string }; fields?: { text: string }[] }[];
    };
    expect(Object.keys(body)).toEqual(['text', 'blocks']);
    expect(body.text).toBe('Firing: iris&lt;&amp;&gt;: drift score 0.43 &gt; 0.2 over 1h (petal_length)');
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(body.blocks[0]?.text).toEqual({ type: 'plain_text', text: 'Alert firing: iris<&>' });
    const fields = body.blocks[2]?.fields?.map((f) => f.text) ?? [];
    expect(fields).toContain('*Value*\n0.43');
    expect(fields).toContain('*Threshold*\n&gt; 0.2');
    expect(fields).toContain('*Features*\npetal_length');
    const resolved = webhookBody('slack', alertEventPayload('resolved', RESOLVED)) as typeof body;
    expect(resolved.blocks[0]?.text?.text).toBe('Alert resolved: iris<&>');
    expect(resolved.blocks[2]?.fields?.map((f) => f.text)).toContain('*Resolved*\n2026-12-07T11:00:00.000Z');
    expect(JSON.stringify(body)).not.toMatch(/https?:/);
  });

  it('teams is a message holding one Adaptive Card with the facts as a FactSet', () => {
    const body = webhookBody('teams', alertEventPayload('fired', ALERT)) as {
      type: string;
      attachments: {
        contentType: string;
        content: { type: string; version: string; body: Record<string, unknown>[] };
      }[];
    };
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const card = body.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.content.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Alert firing: iris<&>',
      color: 'Attention',
    });
    expect(card.content.body[1]).toMatchObject({ type: 'TextBlock', text: ALERT.message });
    expect(card.content.body[2]).toMatchObject({ type: 'FactSet' });
    expect((card.content.body[2] as { facts: unknown[] }).facts).toContainEqual({ title: 'Value', value: '0.43' });
    const resolved = webhookBody('teams', alertEventPayload('resolved', RESOLVED)) as typeof body;
    expect(resolved.attachments[0]?.content.body[0]).toMatchObject({ text: 'Alert resolved: iris<&>', color: 'Good' });
  });
});

describe('deliveries', () => {
  const tmp = tempDirFor('file', 'cairn-webhooks-');
  let db: Db;
  let repo: WebhookDeliveriesRepo;
  let receivers: WebhookReceiver[] = [];
  let deliveries: WebhookDeliveries[] = [];

  beforeAll(() => {
    db = openDb(path.join(tmp.dir, 'app.db'));
    repo = new WebhookDeliveriesRepo(db);
  });
  afterEach(async () => {
    await Promise.all(deliveries.map((d) => d.close(0)));
    await Promise.all(receivers.map((r) => r.close()));
    receivers = [];
    deliveries = [];
  });
  afterAll(() => db?.close());

  async function receiver(...script: Parameters<typeof startWebhookReceiver>[0] & object): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver(script);
    receivers.push(r);
    return r;
  }

  /** A deliverer with short waits, the events it sent, and a promise of its first finished record. */
  function deliverer(timeoutMs = 5000) {
    const seen: WebhookDelivery[] = [];
    let finish!: (d: WebhookDelivery) => void;
    const finished = new Promise<WebhookDelivery>((r) => (finish = r));
    const d = new WebhookDeliveries({
      repo,
      emit: (delivery) => {
        seen.push(delivery);
        if (delivery.status !== 'pending') finish(delivery);
      },
      policy: { delaysMs: [10, 40], timeoutMs },
    });
    deliveries.push(d);
    return { d, seen, finished };
  }

  it('a 500 then a 200 is one delivery of two attempts, recorded delivered', async () => {
    const r = await receiver({ status: 500, body: 'upstream\n  broken' }, { status: 200, body: 'ok' });
    const { d, seen, finished } = deliverer();
    const opened = d.deliver({ url: `${r.origin}${SECRET_PATH}`, template: 'json' }, 'fired', ALERT);
    expect(opened).toMatchObject({ status: 'pending', attempts: 0, target: `${r.origin}/***`, event: 'fired' });
    const done = await finished;
    expect(done).toMatchObject({ id: opened.id, status: 'delivered', attempts: 2, httpStatus: 200, error: null });
    expect(done.durationMs).toBeGreaterThanOrEqual(10);
    // Opened, after the first attempt (with why it is retried), and done: all the same delivery.
    expect(seen.map((s) => [s.id, s.status, s.attempts, s.error])).toEqual([
      [opened.id, 'pending', 0, null],
      [opened.id, 'pending', 1, 'HTTP 500: upstream broken'],
      [opened.id, 'delivered', 2, null],
    ]);
    expect(repo.list({ alertId: ALERT.id, limit: 10 })).toEqual([done]);
    const sent = r.requests;
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ method: 'POST', path: SECRET_PATH });
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent[1]!.body)).toEqual(alertEventPayload('fired', ALERT));
  });

  it("gives up after the policy's three attempts, keeping the last status and a snippet of its body", async () => {
    const r = await receiver({ status: 503, body: 'x'.repeat(500) });
    const { d, finished } = deliverer();
    d.deliver({ url: `${r.origin}/hook`, template: 'slack' }, 'resolved', RESOLVED);
    const done = await finished;
    expect(done).toMatchObject({
      status: 'failed',
      attempts: 3,
      httpStatus: 503,
      template: 'slack',
      event: 'resolved',
    });
    expect(done.error).toBe(`HTTP 503: ${'x'.repeat(200)}…`);
    expect(r.requests).toHaveLength(3);
  });

  it('does not retry an answer a retry would not change (a 4xx)', async () => {
    const r = await receiver({ status: 404, body: 'no_such_hook' });
    const { d, finished } = deliverer();
    d.deliver({ url: `${r.origin}/hook`, template: 'json' }, 'fired', ALERT);
    expect(await finished).toMatchObject({
      status: 'failed',
      attempts: 1,
      httpStatus: 404,
      error: 'HTTP 404: no_such_hook',
    });
  });

  it('names a refused connection and a timeout, retrying both', async () => {
    const gone = await receiver();
    await gone.close();
    const refused = deliverer();
    refused.d.deliver({ url: `${gone.origin}/hook`, template: 'json' }, 'fired', ALERT);
    expect(await refused.finished).toMatchObject({
      status: 'failed',
      attempts: 3,
      httpStatus: null,
      error: 'connection refused',
    });
    const silent = await receiver({ status: 200, hang: true });
    const slow = deliverer(150);
    slow.d.deliver({ url: `${silent.origin}/hook`, template: 'json' }, 'fired', ALERT);
    expect(await slow.finished).toMatchObject({ status: 'failed', attempts: 3, error: 'timed out after 0.15 s' });
    expect(silent.requests).toHaveLength(3);
  });

  it('follows a redirect within the same origin and refuses one to another host', async () => {
    const other = await receiver();
    // localhost and 127.0.0.1 are different origins, as two hosts are.
    const elsewhere = other.origin.replace('127.0.0.1', 'localhost');
    const r = await receiver(
      { status: 307, headers: { location: '/moved' } },
      { status: 308, headers: { location: `${elsewhere}/steal` } },
    );
    const { d, finished } = deliverer();
    d.deliver({ url: `${r.origin}/hook`, template: 'json' }, 'fired', ALERT);
    const done = await finished;
    expect(done).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 308 });
    expect(done.error).toBe(`redirected to another host (${elsewhere}/***): not followed`);
    expect(r.requests.map((q) => q.path)).toEqual(['/hook', '/moved']);
    expect(other.requests).toHaveLength(0);
  });

  it('closing stops a delivery under way and records it as stopped', async () => {
    const silent = await receiver({ status: 200, hang: true });
    const { d, finished } = deliverer(60_000);
    d.deliver({ url: `${silent.origin}/hook`, template: 'json' }, 'fired', ALERT);
    await silent.received(1);
    await d.close(0);
    expect(await finished).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'stopped: Cairn closed during the delivery',
    });
  });

  it('a test delivery makes one attempt, is not recorded, and reports the outcome', async () => {
    const r = await receiver({ status: 500, body: 'nope' });
    const { d } = deliverer();
    const before = repo.list({ limit: 1000 }).length;
    const out = await d.test({ url: `${r.origin}${SECRET_PATH}`, template: 'teams' }, ALERT);
    expect(out).toMatchObject({
      delivered: false,
      attempts: 1,
      httpStatus: 500,
      error: 'HTTP 500: nope',
      target: `${r.origin}/***`,
      template: 'teams',
    });
    expect(repo.list({ limit: 1000 })).toHaveLength(before);
    expect(r.requests).toHaveLength(1);
  });

  it('no record in app.db holds the URL', () => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(path.join(tmp.dir, 'app.db'));
    expect(file.includes('s3cr3tT0k3n')).toBe(false);
    expect(repo.list({ limit: 1000 }).every((d) => d.target.endsWith('/***'))).toBe(true);
  });
});
