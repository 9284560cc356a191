// SQL for monitoring's state in app.db (migration 0006): alert rules (with their webhook, 0016) and their last evaluation,
// alerts (firings, resolved or not), retrain policies, retrain decisions and the monitor's
// bookmarks. Rows map to the contract's shapes here.
import type {
  Alert,
  AlertAction,
  AlertMetric,
  AlertRule,
  Comparator,
  CompareMetric,
  MonitoringWindow,
  RetrainDecision,
  RetrainMode,
  RetrainTrigger,
  WebhookTemplate,
} from '../../../shared/api.js';
import type { Db } from './open.js';

interface DbRule {
  id: string;
  model: string;
  metric: AlertMetric;
  comparator: Comparator;
  threshold: number;
  window: MonitoringWindow;
  min_samples: number;
  enabled: 0 | 1;
  action: AlertAction;
  created_at: string;
  updated_at: string;
  last_value: number | null;
  last_evaluated_at: string | null;
  webhook_url: string | null;
  webhook_template: WebhookTemplate | null;
}

interface DbAlert {
  id: number;
  rule_id: string;
  model: string;
  metric: AlertMetric;
  comparator: Comparator;
  threshold: number;
  window: MonitoringWindow;
  action: AlertAction;
  value: number;
  message: string;
  features_json: string;
  fired_at: string;
  resolved_at: string | null;
}

interface DbPolicy {
  model: string;
  on_alert: 0 | 1;
  schedule_hours: number | null;
  on_new_dataset_version: 0 | 1;
  include_labelled: 0 | 1;
  metric: CompareMetric;
  margin: number;
  alias: string;
  mode: RetrainMode;
  sweep_trials: number;
  updated_at: string;
}

interface DbDecision {
  id: number;
  model: string;
  trigger: RetrainTrigger;
  trigger_detail: string;
  outcome: RetrainDecision['outcome'];
  reason: string;
  alias: string;
  metric: CompareMetric;
  margin: number;
  run_id: string | null;
  sweep_id: string | null;
  dataset_name: string | null;
  dataset_version: number | null;
  base_dataset_version_id: string | null;
  derived_dataset_version_id: string | null;
  labelled_rows: number;
  held_out_rows: number;
  champion_version: number | null;
  champion_metrics_json: string | null;
  challenger_version: number | null;
  challenger_metrics_json: string | null;
  at: string;
}

/** A rule's webhook with its whole URL: for sending only, never for a reply. */
export interface StoredWebhook {
  url: string;
  template: WebhookTemplate;
}

/** A rule as stored, without its computed state, with its webhook's URL unmasked. */
export type StoredRule = Omit<AlertRule, 'state' | 'webhook'> & {
  webhook: StoredWebhook | null;
  lastValue: number | null;
  lastEvaluatedAt: string | null;
};

/** A policy as a user saved it. */
export interface StoredPolicy {
  model: string;
  triggers: { onAlert: boolean; scheduleHours: number | null; onNewDatasetVersion: boolean };
  includeLabelledRequests: boolean;
  metric: CompareMetric;
  margin: number;
  alias: string;
  mode: RetrainMode;
  sweepTrials: number;
  updatedAt: string;
}

/** A decision to record, with the dataset versions it started from and made. */
export type NewDecision = Omit<RetrainDecision, 'id'> & {
  baseDatasetVersionId: string | null;
  derivedDatasetVersionId: string | null;
};

function toRule(r: DbRule): StoredRule {
  return {
    id: r.id,
    model: r.model,
    metric: r.metric,
    comparator: r.comparator,
    threshold: r.threshold,
    window: r.window,
    minSamples: r.min_samples,
    enabled: r.enabled === 1,
    action: r.action,
    webhook: r.webhook_url !== null ? { url: r.webhook_url, template: r.webhook_template ?? 'json' } : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastValue: r.last_value,
    lastEvaluatedAt: r.last_evaluated_at,
  };
}

function toAlert(r: DbAlert): Alert {
  return {
    id: r.id,
    ruleId: r.rule_id,
    model: r.model,
    metric: r.metric,
    comparator: r.comparator,
    threshold: r.threshold,
    window: r.window,
    action: r.action,
    value: r.value,
    message: r.message,
    features: JSON.parse(r.features_json) as string[],
    firedAt: r.fired_at,
    resolvedAt: r.resolved_at,
  };
}

function toPolicy(r: DbPolicy): StoredPolicy {
  return {
    model: r.model,
    triggers: {
      onAlert: r.on_alert === 1,
      scheduleHours: r.schedule_hours,
      onNewDatasetVersion: r.on_new_dataset_version === 1,
    },
    includeLabelledRequests: r.include_labelled === 1,
    metric: r.metric,
    margin: r.margin,
    alias: r.alias,
    mode: r.mode,
    sweepTrials: r.sweep_trials,
    updatedAt: r.updated_at,
  };
}

const scores = (json: string | null) => (json ? (JSON.parse(json) as Record<string, number | null>) : {});

function toDecision(r: DbDecision): RetrainDecision {
  return {
    id: r.id,
    model: r.model,
    trigger: r.trigger,
    triggerDetail: r.trigger_detail,
    outcome: r.outcome,
    promoted: r.outcome === 'promoted',
    reason: r.reason,
    alias: r.alias,
    metric: r.metric,
    margin: r.margin,
    runId: r.run_id,
    sweepId: r.sweep_id,
    dataset:
      r.dataset_name !== null && r.dataset_version !== null
        ? { name: r.dataset_name, version: r.dataset_version }
        : null,
    labelledRowsAdded: r.labelled_rows,
    heldOutRows: r.held_out_rows,
    champion:
      r.champion_version !== null ? { version: r.champion_version, metrics: scores(r.champion_metrics_json) } : null,
    challenger:
      r.challenger_version !== null
        ? { version: r.challenger_version, metrics: scores(r.challenger_metrics_json) }
        : null,
    at: r.at,
  };
}

export class MonitoringRepo {
  constructor(private readonly db: Db) {}

  /** Rules, of one model or all, oldest first. */
  rules(model?: string): StoredRule[] {
    const rows = this.db
      .prepare('SELECT * FROM alert_rules WHERE (? IS NULL OR model = ?) ORDER BY created_at, id')
      .all(model ?? null, model ?? null) as DbRule[];
    return rows.map(toRule);
  }

  rule(id: string): StoredRule | undefined {
    const row = this.db.prepare('SELECT * FROM alert_rules WHERE id = ?').get(id) as DbRule | undefined;
    return row ? toRule(row) : undefined;
  }

  /** Inserts or replaces a rule's settings (keeping its creation time and last evaluation). */
  saveRule(r: Omit<StoredRule, 'lastValue' | 'lastEvaluatedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO alert_rules (id, model, metric, comparator, threshold, window, min_samples, enabled, action, webhook_url,
           webhook_template, created_at, updated_at)
         VALUES (@id, @model, @metric, @comparator, @threshold, @window, @minSamples, @enabled, @action, @webhookUrl,
           @webhookTemplate, @createdAt, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET model = excluded.model, metric = excluded.metric, comparator = excluded.comparator,
           threshold = excluded.threshold, window = excluded.window, min_samples = excluded.min_samples, enabled = excluded.enabled,
           action = excluded.action, webhook_url = excluded.webhook_url, webhook_template = excluded.webhook_template,
           updated_at = excluded.updated_at`,
      )
      .run({
        ...r,
        enabled: r.enabled ? 1 : 0,
        webhookUrl: r.webhook?.url ?? null,
        webhookTemplate: r.webhook?.template ?? null,
      });
  }

  deleteRule(id: string): boolean {
    return this.db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes > 0;
  }

  /** Records a rule's latest evaluation. */
  setEvaluation(id: string, value: number | null, at: string): void {
    this.db.prepare('UPDATE alert_rules SET last_value = ?, last_evaluated_at = ? WHERE id = ?').run(value, at, id);
  }

  /** The rule's unresolved alert, if it is firing. */
  firing(ruleId: string): Alert | undefined {
    const row = this.db.prepare('SELECT * FROM alerts WHERE rule_id = ? AND resolved_at IS NULL').get(ruleId) as
      DbAlert | undefined;
    return row ? toAlert(row) : undefined;
  }

  /** Records a firing; the rule must not be firing already. */
  fire(a: Omit<Alert, 'id' | 'resolvedAt'>): Alert {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO alerts (rule_id, model, metric, comparator, threshold, window, action, value, message, features_json, fired_at)
         VALUES (@ruleId, @model, @metric, @comparator, @threshold, @window, @action, @value, @message, @features, @firedAt)`,
      )
      .run({ ...a, features: JSON.stringify(a.features) });
    return this.alert(Number(lastInsertRowid));
  }

  resolve(alertId: number, at: string): Alert {
    this.db.prepare('UPDATE alerts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL').run(at, alertId);
    return this.alert(alertId);
  }

  private alert(id: number): Alert {
    return toAlert(this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as DbAlert);
  }

  /** Alerts newest first. */
  alerts(q: { model?: string; status: 'firing' | 'resolved' | 'all'; limit: number }): Alert[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM alerts WHERE (@model IS NULL OR model = @model)
           AND (@status = 'all' OR (@status = 'firing' AND resolved_at IS NULL) OR (@status = 'resolved' AND resolved_at IS NOT NULL))
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ model: q.model ?? null, status: q.status, limit: q.limit }) as DbAlert[];
    return rows.map(toAlert);
  }

  /** Alerts recorded after alert `id`, oldest first (of one model, or all): what a watcher has not seen. */
  alertsAfter(id: number, model?: string): Alert[] {
    const rows = this.db
      .prepare('SELECT * FROM alerts WHERE id > ? AND (? IS NULL OR model = ?) ORDER BY id')
      .all(id, model ?? null, model ?? null) as DbAlert[];
    return rows.map(toAlert);
  }

  /** The alerts with these ids, oldest first. */
  alertsWithIds(ids: readonly number[]): Alert[] {
    if (!ids.length) return [];
    const rows = this.db
      .prepare('SELECT * FROM alerts WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(ids)) as DbAlert[];
    return rows.map(toAlert);
  }

  /** How many alerts fire now, by model (models with none are absent). */
  firingCounts(): Map<string, number> {
    const rows = this.db
      .prepare('SELECT model, COUNT(*) AS n FROM alerts WHERE resolved_at IS NULL GROUP BY model')
      .all() as { model: string; n: number }[];
    return new Map(rows.map((r) => [r.model, r.n]));
  }

  /** How many rules each model has (models with none are absent). */
  ruleCounts(): Map<string, number> {
    const rows = this.db.prepare('SELECT model, COUNT(*) AS n FROM alert_rules GROUP BY model').all() as {
      model: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.model, r.n]));
  }

  /** Resolves the alerts of a rule that is deleted or disabled. */
  resolveRule(ruleId: string, at: string): Alert[] {
    const open = this.db.prepare('SELECT id FROM alerts WHERE rule_id = ? AND resolved_at IS NULL').all(ruleId) as {
      id: number;
    }[];
    return open.map((a) => this.resolve(a.id, at));
  }

  policy(model: string): StoredPolicy | undefined {
    const row = this.db.prepare('SELECT * FROM retrain_policies WHERE model = ?').get(model) as DbPolicy | undefined;
    return row ? toPolicy(row) : undefined;
  }

  policies(): StoredPolicy[] {
    return (this.db.prepare('SELECT * FROM retrain_policies ORDER BY model').all() as DbPolicy[]).map(toPolicy);
  }

  savePolicy(p: StoredPolicy): void {
    this.db
      .prepare(
        `INSERT INTO retrain_policies (model, on_alert, schedule_hours, on_new_dataset_version, include_labelled, metric, margin, alias,
           mode, sweep_trials, updated_at)
         VALUES (@model, @onAlert, @scheduleHours, @onNew, @includeLabelled, @metric, @margin, @alias, @mode, @sweepTrials, @updatedAt)
         ON CONFLICT (model) DO UPDATE SET on_alert = excluded.on_alert, schedule_hours = excluded.schedule_hours,
           on_new_dataset_version = excluded.on_new_dataset_version, include_labelled = excluded.include_labelled,
           metric = excluded.metric, margin = excluded.margin, alias = excluded.alias, mode = excluded.mode,
           sweep_trials = excluded.sweep_trials, updated_at = excluded.updated_at`,
      )
      .run({
        model: p.model,
        onAlert: p.triggers.onAlert ? 1 : 0,
        scheduleHours: p.triggers.scheduleHours,
        onNew: p.triggers.onNewDatasetVersion ? 1 : 0,
        includeLabelled: p.includeLabelledRequests ? 1 : 0,
        metric: p.metric,
        margin: p.margin,
        alias: p.alias,
        mode: p.mode,
        sweepTrials: p.sweepTrials,
        updatedAt: p.updatedAt,
      });
  }

  addDecision(d: NewDecision): RetrainDecision {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO retrain_decisions (model, trigger, trigger_detail, outcome, reason, alias, metric, margin, run_id, sweep_id,
           dataset_name, dataset_version, base_dataset_version_id, derived_dataset_version_id, labelled_rows, held_out_rows,
           champion_version, champion_metrics_json, challenger_version, challenger_metrics_json, at)
         VALUES (@model, @trigger, @triggerDetail, @outcome, @reason, @alias, @metric, @margin, @runId, @sweepId, @datasetName,
           @datasetVersion, @base, @derived, @labelled, @heldOut, @championVersion, @championMetrics, @challengerVersion,
           @challengerMetrics, @at)`,
      )
      .run({
        model: d.model,
        trigger: d.trigger,
        triggerDetail: d.triggerDetail,
        outcome: d.outcome,
        reason: d.reason,
        alias: d.alias,
        metric: d.metric,
        margin: d.margin,
        runId: d.runId,
        sweepId: d.sweepId,
        datasetName: d.dataset?.name ?? null,
        datasetVersion: d.dataset?.version ?? null,
        base: d.baseDatasetVersionId,
        derived: d.derivedDatasetVersionId,
        labelled: d.labelledRowsAdded,
        heldOut: d.heldOutRows,
        championVersion: d.champion?.version ?? null,
        championMetrics: d.champion ? JSON.stringify(d.champion.metrics) : null,
        challengerVersion: d.challenger?.version ?? null,
        challengerMetrics: d.challenger ? JSON.stringify(d.challenger.metrics) : null,
        at: d.at,
      });
    return toDecision(
      this.db.prepare('SELECT * FROM retrain_decisions WHERE id = ?').get(Number(lastInsertRowid)) as DbDecision,
    );
  }

  /** Decisions newest first. */
  decisions(q: { model?: string; limit: number }): RetrainDecision[] {
    const rows = this.db
      .prepare('SELECT * FROM retrain_decisions WHERE (? IS NULL OR model = ?) ORDER BY id DESC LIMIT ?')
      .all(q.model ?? null, q.model ?? null, q.limit) as DbDecision[];
    return rows.map(toDecision);
  }

  /** The newest decision of a model with the dataset version it started from. */
  lastDecision(model: string): (RetrainDecision & { baseDatasetVersionId: string | null }) | undefined {
    const row = this.db
      .prepare('SELECT * FROM retrain_decisions WHERE model = ? ORDER BY id DESC LIMIT 1')
      .get(model) as DbDecision | undefined;
    return row ? { ...toDecision(row), baseDatasetVersionId: row.base_dataset_version_id } : undefined;
  }

  /** Dataset versions retraining made by adding labelled requests: never a base for the next retrain. */
  derivedDatasetVersionIds(): Set<string> {
    const rows = this.db
      .prepare(
        'SELECT derived_dataset_version_id AS id FROM retrain_decisions WHERE derived_dataset_version_id IS NOT NULL',
      )
      .all() as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  /** The user's dataset version a retrain derived `versionId` from, and the labelled requests it added. */
  derivedFrom(versionId: string): { baseDatasetVersionId: string; labelledRows: number } | undefined {
    const row = this.db
      .prepare(
        `SELECT base_dataset_version_id AS base, labelled_rows AS labelled FROM retrain_decisions
         WHERE derived_dataset_version_id = ? AND base_dataset_version_id IS NOT NULL LIMIT 1`,
      )
      .get(versionId) as { base: string; labelled: number } | undefined;
    return row ? { baseDatasetVersionId: row.base, labelledRows: row.labelled } : undefined;
  }

  /** Models with rules, policies or decisions. */
  models(): string[] {
    const rows = this.db
      .prepare(
        `SELECT model FROM alert_rules UNION SELECT model FROM retrain_policies UNION SELECT model FROM retrain_decisions ORDER BY 1`,
      )
      .all() as { model: string }[];
    return rows.map((r) => r.model);
  }

  state(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM monitor_state WHERE key = ?').get(key) as { value: string } | undefined)
      ?.value;
  }

  setState(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO monitor_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
