// SQL for alerts' webhook deliveries in app.db (migration 0016): one row per POST of a firing or
// resolution, opened when the delivery starts and updated after each attempt. Targets are stored
// masked by the caller; this repo never sees a whole webhook URL.
import type { AlertEventKind, WebhookDelivery, WebhookTemplate } from '../../../shared/api.js';
import type { Db } from './open.js';

interface DbDelivery {
  id: number;
  alert_id: number;
  rule_id: string;
  model: string;
  event: AlertEventKind;
  template: WebhookTemplate;
  target: string;
  status: WebhookDelivery['status'];
  attempts: number;
  http_status: number | null;
  error: string | null;
  duration_ms: number | null;
  started_at: string;
  finished_at: string | null;
}

function toDelivery(r: DbDelivery): WebhookDelivery {
  return {
    id: r.id,
    alertId: r.alert_id,
    ruleId: r.rule_id,
    model: r.model,
    event: r.event,
    template: r.template,
    target: r.target,
    status: r.status,
    attempts: r.attempts,
    httpStatus: r.http_status,
    error: r.error,
    durationMs: r.duration_ms,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** What a delivery is, before any attempt. */
export type NewDelivery = Pick<
  WebhookDelivery,
  'alertId' | 'ruleId' | 'model' | 'event' | 'template' | 'target' | 'startedAt'
>;

/** Where a delivery stands after an attempt. */
export type DeliveryProgress = Pick<
  WebhookDelivery,
  'status' | 'attempts' | 'httpStatus' | 'error' | 'durationMs' | 'finishedAt'
>;

export class WebhookDeliveriesRepo {
  constructor(private readonly db: Db) {}

  /** Records a delivery about to make its first attempt. */
  open(d: NewDelivery): WebhookDelivery {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO webhook_deliveries (alert_id, rule_id, model, event, template, target, status, started_at)
         VALUES (@alertId, @ruleId, @model, @event, @template, @target, 'pending', @startedAt)`,
      )
      .run(d);
    return this.get(Number(lastInsertRowid));
  }

  update(id: number, p: DeliveryProgress): WebhookDelivery {
    this.db
      .prepare(
        `UPDATE webhook_deliveries SET status = @status, attempts = @attempts, http_status = @httpStatus, error = @error,
           duration_ms = @durationMs, finished_at = @finishedAt WHERE id = @id`,
      )
      .run({ id, ...p });
    return this.get(id);
  }

  private get(id: number): WebhookDelivery {
    return toDelivery(this.db.prepare('SELECT * FROM webhook_deliveries WHERE id = ?').get(id) as DbDelivery);
  }

  /** Deliveries newest first, of a model, a rule or an alert (or all). */
  list(q: { model?: string; ruleId?: string; alertId?: number; limit: number }): WebhookDelivery[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM webhook_deliveries WHERE (@model IS NULL OR model = @model) AND (@ruleId IS NULL OR rule_id = @ruleId)
           AND (@alertId IS NULL OR alert_id = @alertId) ORDER BY id DESC LIMIT @limit`,
      )
      .all({
        model: q.model ?? null,
        ruleId: q.ruleId ?? null,
        alertId: q.alertId ?? null,
        limit: q.limit,
      }) as DbDelivery[];
    return rows.map(toDelivery);
  }
}
