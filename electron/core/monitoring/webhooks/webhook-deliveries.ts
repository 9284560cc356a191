// Alerts' webhook deliveries, off the judging path: `deliver` records a pending delivery and
// returns at once while the POST and its retries go on in the background, the record updated (and
// an `alert.delivery` event sent) after each attempt. "Send test" goes through the same templates
// and POST, once, and is not recorded. Closing aborts what is under way and records it as stopped.
import { setTimeout as wait } from 'node:timers/promises';
import type { Alert, AlertEventKind, WebhookDelivery, WebhookTestResult } from '../../../../shared/api.js';
import { maskWebhookUrl } from '../../../../shared/webhook-url.js';
import type { StoredWebhook } from '../../db/monitoring-repo.js';
import type { WebhookDeliveriesRepo } from '../../db/webhook-deliveries-repo.js';
import { alertEventPayload } from './alert-event.js';
import { DEFAULT_DELIVERY_POLICY, postWebhook, type DeliveryPolicy } from './post-webhook.js';
import { webhookBody } from './templates.js';

/** How long closing waits for deliveries under way before it stops them. */
const CLOSE_GRACE_MS = 2000;

export interface WebhookDeliveriesDeps {
  repo: WebhookDeliveriesRepo;
  emit: (delivery: WebhookDelivery) => void;
  /** Attempts, waits and timeout: the default's 1 s and 4 s unless a test makes them short. */
  policy?: DeliveryPolicy;
}

export class WebhookDeliveries {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly policy: DeliveryPolicy;

  constructor(private readonly deps: WebhookDeliveriesDeps) {
    this.policy = deps.policy ?? DEFAULT_DELIVERY_POLICY;
  }

  /** Starts delivering `alert`'s `event` to `webhook` and returns its pending record at once. */
  deliver(webhook: StoredWebhook, event: AlertEventKind, alert: Alert): WebhookDelivery {
    const { repo, emit } = this.deps;
    const opened = repo.open({
      alertId: alert.id,
      ruleId: alert.ruleId,
      model: alert.model,
      event,
      template: webhook.template,
      target: maskWebhookUrl(webhook.url),
      startedAt: new Date().toISOString(),
    });
    emit(opened);
    const started = Date.now();
    const body = JSON.stringify(webhookBody(webhook.template, alertEventPayload(event, alert)));
    const run = postWebhook(webhook.url, body, {
      ...this.policy,
      signal: this.stop.signal,
      onRetry: (attempts, last) =>
        emit(
          repo.update(opened.id, {
            status: 'pending',
            attempts,
            httpStatus: last.httpStatus,
            error: last.error,
            durationMs: Date.now() - started,
            finishedAt: null,
          }),
        ),
    })
      .then((o) =>
        emit(
          repo.update(opened.id, {
            status: o.delivered ? 'delivered' : 'failed',
            attempts: o.attempts,
            httpStatus: o.httpStatus,
            error: o.error,
            durationMs: o.durationMs,
            finishedAt: new Date().toISOString(),
          }),
        ),
      )
      // A database closed under a delivery (the host is going) has nowhere to record it.
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return opened;
  }

  /** Sends `sample` (a made-up firing) to `webhook` once, as `deliver` would, and says how it went. */
  async test(webhook: StoredWebhook, sample: Alert): Promise<WebhookTestResult> {
    const body = JSON.stringify(webhookBody(webhook.template, alertEventPayload('fired', sample, true)));
    // One attempt: the person who pressed the button wants the first answer, not a retry schedule.
    const o = await postWebhook(webhook.url, body, {
      delaysMs: [],
      timeoutMs: this.policy.timeoutMs,
      signal: this.stop.signal,
    });
    return {
      delivered: o.delivered,
      template: webhook.template,
      target: maskWebhookUrl(webhook.url),
      attempts: o.attempts,
      httpStatus: o.httpStatus,
      error: o.error,
      durationMs: o.durationMs,
    };
  }

  /**
   * Lets deliveries under way end within `graceMs` (a short-lived CLI command that fired an alert
   * still tells its receiver), then aborts the rest, each recorded as stopped, and waits for the records.
   */
  async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    const all = Promise.allSettled([...this.inFlight]);
    if (this.inFlight.size) {
      const grace = new AbortController();
      await Promise.race([all, wait(graceMs, undefined, { signal: grace.signal }).catch(() => undefined)]);
      grace.abort();
    }
    this.stop.abort();
    await all;
  }
}
