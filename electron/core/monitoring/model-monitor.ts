// The monitoring engine the service delegates to: overviews, feedback from the app, alert rules
// judged on a timer while a host runs (and, on open, over the time it was closed), alerts fired
// and resolved (and told to the rule's webhook, off the judging path), retrain policies and their
// triggers (a firing rule, a schedule, a new dataset version), and retrain decisions. State lives
// in app.db; traffic in the request log.
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  RETRAIN_SWEEP_TRIALS,
  type Alert,
  type AlertEventKind,
  type AlertRule,
  type AlertRuleInput,
  type FeedbackItem,
  type FeedbackResult,
  type MethodArg,
  type MethodResult,
  type MonitoredModel,
  type RetrainDecision,
  type RetrainPlan,
  type RetrainPolicy,
  type RetrainTrigger,
  type TaskName,
  type WebhookDelivery,
  type WebhookTestResult,
} from '../../../shared/api.js';
import { maskWebhookUrl } from '../../../shared/webhook-url.js';
import { alertMetricTask, COMPARE_METRICS_BY_TASK } from '../../../shared/metrics.js';
import { ident, toCell } from '../datasets/duck.js';
import { inspectFile } from '../datasets/file-check.js';
import { readSourceAsImported } from '../datasets/to-parquet.js';
import type { DatasetsRepo } from '../db/datasets-repo.js';
import { MonitoringRepo, type StoredPolicy, type StoredRule, type StoredWebhook } from '../db/monitoring-repo.js';
import type { Db } from '../db/open.js';
import { RequestLogDb } from '../db/request-log-db.js';
import { RequestLogReader } from '../db/request-log-reader.js';
import { WebhookDeliveriesRepo } from '../db/webhook-deliveries-repo.js';
import { CairnError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Layout } from '../paths.js';
import type { ModelRegistry } from '../registry/registry.js';
import { csvRecordLines, recordFeedback, type LabelSource } from './feedback.js';
import { judgedVersion, monitoringOverview } from './overview.js';
import { Retrainer, userDataOf, type RetrainDeps, type RetrainHandle } from './retrainer.js';
import { alertMessage, breaches, ruleValue } from './rule-eval.js';
import { VersionViews } from './version-views.js';
import { WebhookDeliveries } from './webhooks/webhook-deliveries.js';

/** How often a running host judges every enabled rule and checks retrain schedules and datasets. */
export const EVAL_INTERVAL_MS = 60_000;
/** Judgements per rule at most when catching up on the time the app was closed (spread evenly). */
export const CATCH_UP_STEPS = 120;
const DAY_MS = 86_400_000;

export interface MonitorDeps extends Pick<RetrainDeps, 'startRun' | 'startSweep' | 'importNow' | 'pipelineTable'> {
  db: Db;
  registry: ModelRegistry;
  datasets: DatasetsRepo;
  paths: Layout;
  /** A DuckDB connection of the caller's own, closed after use. */
  connect: () => Promise<DuckDBConnection>;
  events: EventBus;
}

/** A rule judged at a moment, and what it set off. */
interface Judgement {
  fired?: Alert;
  resolved?: Alert;
}

export class ModelMonitor {
  readonly repo: MonitoringRepo;
  private readonly views: VersionViews;
  private readonly retrainer: Retrainer;
  private readonly deliveries: WebhookDeliveriesRepo;
  private readonly webhooks: WebhookDeliveries;
  private writer?: RequestLogDb;
  private readerConn?: RequestLogReader;
  private readonly retraining = new Map<string, Promise<RetrainDecision>>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private closed = false;

  constructor(private readonly deps: MonitorDeps) {
    this.repo = new MonitoringRepo(deps.db);
    this.views = new VersionViews({
      registry: deps.registry,
      datasets: deps.datasets,
      home: deps.paths.home,
      connect: deps.connect,
    });
    this.retrainer = new Retrainer({
      registry: deps.registry,
      datasets: deps.datasets,
      repo: this.repo,
      home: deps.paths.home,
      work: deps.paths.work,
      connect: deps.connect,
      reader: () => this.reader(),
      startRun: deps.startRun,
      startSweep: deps.startSweep,
      importNow: deps.importNow,
      pipelineTable: deps.pipelineTable,
    });
    this.deliveries = new WebhookDeliveriesRepo(deps.db);
    this.webhooks = new WebhookDeliveries({
      repo: this.deliveries,
      emit: (d) => deps.events.emit('alert.delivery', d),
    });
  }

  /** The request log for writing feedback; opening it creates or upgrades the file. */
  private log(): RequestLogDb {
    this.writer ??= new RequestLogDb(this.deps.paths.requestLog);
    return this.writer;
  }

  private reader(): RequestLogReader {
    if (!this.readerConn) {
      this.log();
      this.readerConn = new RequestLogReader(this.deps.paths.requestLog);
    }
    return this.readerConn;
  }

  /** Judges rules over the time since they were last judged, then every EVAL_INTERVAL_MS until close. */
  async start(now = Date.now()): Promise<void> {
    await this.catchUp(now);
    if (this.closed) return;
    this.timer = setInterval(() => void this.tick(), EVAL_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Stops the timer and waits for a judgement under way and for webhook deliveries (a short grace,
   * then they are stopped); retrains end with their runs.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.ticking;
    await this.webhooks.close();
    await Promise.allSettled([...this.retraining.values()]);
    this.readerConn?.close();
    this.writer?.close();
  }

  /** One round: every enabled rule judged now, then schedules and new dataset versions checked. Never throws. */
  tick(now = Date.now()): Promise<void> {
    if (this.ticking) return this.ticking;
    const round = (async () => {
      const retrain = new Map<string, Alert>();
      for (const rule of this.repo.rules().filter((r) => r.enabled)) {
        const j = await this.judgeSafely(rule, now);
        if (j.fired?.action === 'retrain') retrain.set(j.fired.model.toLowerCase(), j.fired);
      }
      for (const alert of retrain.values()) this.autoRetrain(alert.model, 'alert', alert.message);
      this.checkSchedulesAndDatasets(now);
    })();
    // Cleared in a callback, which runs after this assignment even when the round had nothing to await.
    this.ticking = round.catch(() => undefined).finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /**
   * Judges each enabled rule at moments from its last judgement up to now (at most CATCH_UP_STEPS,
   * evenly spaced), so alerts that would have fired while no host ran are recorded at their time.
   * Events are not sent for each of those: only, per rule, an alert new since and still firing at
   * the end, or the resolution of one that was firing before, so opening the app after a while
   * notifies about the present instead of in a burst. Retrains start once, for rules still firing.
   */
  async catchUp(now = Date.now()): Promise<void> {
    const retrain = new Map<string, Alert>();
    for (const rule of this.repo.rules().filter((r) => r.enabled)) {
      const before = this.repo.firing(rule.id);
      const since = Date.parse(rule.lastEvaluatedAt ?? rule.updatedAt);
      const span = now - since;
      // Drift over a window at past instants is costly (each judgement parses up to thousands of
      // logged inputs and recomputes PSI and KS, in the app's main process), and on opening the
      // present state is what matters: a drift rule is judged once, now.
      const steps =
        rule.metric === 'drift_score' ? 1 : Math.min(CATCH_UP_STEPS, Math.max(1, Math.floor(span / EVAL_INTERVAL_MS)));
      let resolvedBefore: Alert | undefined;
      for (let k = 1; k <= steps; k++) {
        const j = await this.judgeSafely(rule, steps === 1 ? now : since + (span * k) / steps, false);
        if (j.fired?.action === 'retrain') retrain.set(rule.id, j.fired);
        if (j.resolved) retrain.delete(rule.id);
        if (j.resolved && j.resolved.id === before?.id) resolvedBefore = j.resolved;
      }
      const after = this.repo.firing(rule.id);
      if (after && after.id !== before?.id) this.announce('fired', after);
      if (resolvedBefore) this.announce('resolved', resolvedBefore);
    }
    for (const alert of retrain.values()) this.autoRetrain(alert.model, 'alert', alert.message);
    this.checkSchedulesAndDatasets(now);
  }

  /** judge, with a failure (e.g. an unreadable log) counting as no judgement. */
  private async judgeSafely(rule: StoredRule, at: number, emit = true): Promise<Judgement> {
    try {
      return await this.judge(rule, at, emit);
    } catch {
      return {};
    }
  }

  /** Judges one rule at `at`: records its value, fires it when it crosses, resolves it when back; `emit` sends the events. */
  private async judge(rule: StoredRule, at: number, emit = true): Promise<Judgement> {
    const when = new Date(at).toISOString();
    let view;
    try {
      view = await this.views.get(judgedVersion(this.deps.registry, rule.model));
    } catch {
      this.repo.setEvaluation(rule.id, null, when);
      return {};
    }
    const { value, features } = ruleValue(this.reader(), view, rule, at);
    this.repo.setEvaluation(rule.id, value, when);
    if (value === null) return {};
    const firing = this.repo.firing(rule.id);
    const crossed = breaches(value, rule.comparator, rule.threshold);
    if (crossed && !firing) {
      const fired = this.repo.fire({
        ruleId: rule.id,
        model: view.version.name,
        metric: rule.metric,
        comparator: rule.comparator,
        threshold: rule.threshold,
        window: rule.window,
        action: rule.action,
        value,
        message: alertMessage(view.version.name, rule, value, features),
        features,
        firedAt: when,
      });
      if (emit) this.announce('fired', fired);
      return { fired };
    }
    if (!crossed && firing) {
      const resolved = this.repo.resolve(firing.id, when);
      if (emit) this.announce('resolved', resolved);
      return { resolved };
    }
    return {};
  }

  /**
   * Tells the app (an event) and the alert's rule's webhook, if it has one, that `alert` fired or
   * resolved. The delivery goes on in the background: judging never waits for a receiver.
   */
  private announce(event: AlertEventKind, alert: Alert): void {
    this.deps.events.emit(event === 'fired' ? 'alert.fired' : 'alert.resolved', alert);
    const webhook = this.repo.rule(alert.ruleId)?.webhook;
    if (webhook) this.webhooks.deliver(webhook, event, alert);
  }

  /** Starts a retrain from a trigger when the policy allows it and none is under way; never throws. */
  private autoRetrain(model: string, trigger: Exclude<RetrainTrigger, 'manual'>, detail: string): void {
    if (this.closed) return;
    try {
      const policy = this.policy(model);
      if (trigger === 'alert' && !policy.triggers.onAlert) return;
      if (this.retraining.has(policy.model.toLowerCase())) return;
      void this.retrain(policy.model, trigger, detail).catch(() => undefined);
    } catch {
      // A model deleted since its rule fired: nothing to retrain.
    }
  }

  private checkSchedulesAndDatasets(now: number): void {
    for (const p of this.repo.policies()) {
      const last = this.repo.lastDecision(p.model);
      if (p.triggers.scheduleHours !== null) {
        const since = Date.parse(last?.at ?? p.updatedAt);
        if (now - since >= p.triggers.scheduleHours * 3_600_000)
          this.autoRetrain(p.model, 'schedule', `every ${p.triggers.scheduleHours} h`);
      }
      if (p.triggers.onNewDatasetVersion) {
        try {
          const champion = this.retrainer.champion(p.model, p.alias);
          const data = champion.run ? userDataOf(champion.run) : undefined;
          const newest = data ? this.retrainer.newestBase(data.name) : undefined;
          if (newest && data && newest.version > data.version && last?.baseDatasetVersionId !== newest.id)
            this.autoRetrain(p.model, 'dataset', `new version ${newest.version} of dataset "${data.name}"`);
        } catch {
          // No such model any more.
        }
      }
    }
  }

  /** What a retrain of `model` would train on, and whether anything is new since its champion. */
  retrainPlan(model: string): RetrainPlan {
    return this.retrainer.plan(model, this.policy(model));
  }

  /**
   * Starts a retrain of `model`; refused while one is under way, and when asked for by hand with
   * nothing new to train on (it would store the same model again) unless forced.
   */
  async retrain(model: string, trigger: RetrainTrigger, detail: string, force = false): Promise<RetrainHandle> {
    const policy = this.policy(model);
    const key = policy.model.toLowerCase();
    if (this.retraining.has(key))
      throw new CairnError('conflict', `a retrain of "${policy.model}" is under way; wait for its decision`);
    if (trigger === 'manual' && !force) {
      const plan = this.retrainer.plan(policy.model, policy);
      if (plan.nothingNew) throw new CairnError('conflict', `${plan.summary}; force it to retrain anyway`);
    }
    let release!: (d: RetrainDecision) => void;
    this.retraining.set(key, new Promise<RetrainDecision>((r) => (release = r)));
    try {
      const handle = await this.retrainer.start({ model: policy.model, trigger, triggerDetail: detail, policy });
      if (handle.runId || handle.sweepId)
        this.deps.events.emit('retrain.started', {
          model: policy.model,
          runId: handle.runId,
          sweepId: handle.sweepId,
          trigger,
          championVersion: handle.championVersion,
        });
      void handle.decided.then((d) => {
        this.retraining.delete(key);
        release(d);
        this.deps.events.emit('retrain.decided', d);
      });
      return handle;
    } catch (err) {
      this.retraining.delete(key);
      throw err;
    }
  }

  /** The model's policy as saved, else the defaults for its task. */
  policy(model: string): RetrainPolicy {
    const v = this.deps.registry.resolve({ name: model });
    const stored = this.repo.policy(v.name);
    if (stored) return { ...stored, saved: true };
    const task = (v.run?.task ?? 'classification') as TaskName;
    return {
      model: v.name,
      triggers: { onAlert: true, scheduleHours: null, onNewDatasetVersion: false },
      includeLabelledRequests: this.hasLabelledRequests(v.name),
      metric: COMPARE_METRICS_BY_TASK[task][0]!,
      margin: 0,
      alias: 'production',
      mode: 'same',
      sweepTrials: RETRAIN_SWEEP_TRIALS.default,
      saved: false,
      updatedAt: null,
    };
  }

  /** Labelled requests join a retrain by default once the model has any. */
  private hasLabelledRequests(model: string): boolean {
    return this.reader().labelledCount(model) > 0;
  }

  /** Saves a policy after checking its metric fits the model's task. */
  async setPolicy(input: MethodArg<'monitoring.retrainPolicy.set'>): Promise<RetrainPolicy> {
    const v = this.deps.registry.resolve({ name: input.model });
    const { card } = await this.views.get(v);
    const metric = input.metric ?? COMPARE_METRICS_BY_TASK[card.task][0]!;
    if (!COMPARE_METRICS_BY_TASK[card.task].includes(metric))
      throw new CairnError(
        'invalid_argument',
        `${metric} is not a ${card.task} metric; use one of ${COMPARE_METRICS_BY_TASK[card.task].join(', ')}`,
      );
    const p: StoredPolicy = {
      model: v.name,
      triggers: input.triggers,
      includeLabelledRequests: input.includeLabelledRequests ?? this.hasLabelledRequests(v.name),
      metric,
      margin: input.margin,
      alias: input.alias,
      mode: input.mode,
      sweepTrials: input.sweepTrials,
      updatedAt: new Date().toISOString(),
    };
    this.repo.savePolicy(p);
    return { ...p, saved: true };
  }

  private ruleView(r: StoredRule): AlertRule {
    const { lastValue, lastEvaluatedAt, webhook, ...rule } = r;
    return {
      ...rule,
      webhook: webhook ? { url: maskWebhookUrl(webhook.url), template: webhook.template } : null,
      state: { value: lastValue, firing: this.repo.firing(r.id) !== undefined, evaluatedAt: lastEvaluatedAt },
    };
  }

  rules(model?: string): AlertRule[] {
    return this.repo.rules(model).map((r) => this.ruleView(r));
  }

  /**
   * Creates or updates a rule (checked against the model's task) and judges it at once. An id not
   * in use is refused, unless `createWithId`: pipeline steps name their rules so a rerun replaces
   * them instead of adding more.
   */
  async saveRule(
    input: MethodArg<'monitoring.rules.save'>,
    now = Date.now(),
    options: { createWithId?: boolean } = {},
  ): Promise<AlertRule> {
    const v = judgedVersion(this.deps.registry, input.model);
    const { card } = await this.views.get(v);
    const needs = alertMetricTask(input.metric);
    if (needs && needs !== card.task)
      throw new CairnError(
        'invalid_argument',
        `${input.metric} needs a ${needs} model; "${v.name}" is a ${card.task} model`,
      );
    const existing = input.id ? this.repo.rule(input.id) : undefined;
    if (input.id && !existing && !options.createWithId) throw new CairnError('not_found', `no alert rule ${input.id}`);
    const at = new Date(now).toISOString();
    const id = existing?.id ?? input.id ?? randomUUID();
    const changed =
      existing &&
      (existing.metric !== input.metric ||
        existing.comparator !== input.comparator ||
        existing.threshold !== input.threshold ||
        existing.window !== input.window);
    const webhook = this.webhookOf(input.webhook, existing);
    // A changed condition is a different question: an alert firing for the old one is answered.
    if (existing && (changed || !input.enabled))
      for (const a of this.repo.resolveRule(id, at)) this.announce('resolved', a);
    this.repo.saveRule({
      ...(input as Required<AlertRuleInput>),
      webhook,
      id,
      model: v.name,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    });
    const saved = this.repo.rule(id) as StoredRule;
    if (saved.enabled) {
      const j = await this.judge(saved, now);
      if (j.fired?.action === 'retrain') this.autoRetrain(j.fired.model, 'alert', j.fired.message);
    }
    return this.ruleView(this.repo.rule(id) as StoredRule);
  }

  /**
   * The webhook a save leaves a rule with: left out keeps the saved one, null removes it, and one
   * without a URL changes the template of the saved URL (which replies only ever show masked).
   */
  private webhookOf(
    input: MethodArg<'monitoring.rules.save'>['webhook'],
    existing: StoredRule | undefined,
  ): StoredWebhook | null {
    if (input === undefined) return existing?.webhook ?? null;
    if (input === null) return null;
    const url = input.url?.trim() ?? existing?.webhook?.url;
    if (!url) throw new CairnError('invalid_argument', "give the webhook's URL: this rule has none saved");
    return { url, template: input.template };
  }

  deleteRule(id: string): boolean {
    for (const a of this.repo.resolveRule(id, new Date().toISOString())) this.announce('resolved', a);
    return this.repo.deleteRule(id);
  }

  /** Webhook deliveries, newest first. */
  webhookDeliveries(q: MethodArg<'monitoring.deliveries'>): WebhookDelivery[] {
    return this.deliveries.list(q);
  }

  /**
   * "Send test": a made-up firing of `model` (of the condition given, else the named rule's) sent
   * once to the webhook given, or to the rule's saved one when the request names no URL.
   */
  async testWebhook(req: MethodArg<'monitoring.webhooks.test'>): Promise<WebhookTestResult> {
    const model = this.deps.registry.resolve({ name: req.model }).name;
    const rule = req.ruleId ? this.repo.rule(req.ruleId) : undefined;
    if (req.ruleId && !rule) throw new CairnError('not_found', `no alert rule ${req.ruleId}`);
    const webhook = this.webhookOf(req.webhook, rule);
    if (!webhook) throw new CairnError('invalid_argument', "give the webhook's URL");
    const spec = req.condition
      ? { ...req.condition, minSamples: 1 }
      : (rule ?? {
          metric: 'error_rate' as const,
          comparator: '>' as const,
          threshold: 0.05,
          window: '1h' as const,
          minSamples: 1,
        });
    // A value on the firing side of the threshold, so the sample reads like a real alert.
    const value = spec.comparator.startsWith('>') ? spec.threshold * 1.5 || 1 : spec.threshold * 0.5;
    const now = new Date().toISOString();
    return this.webhooks.test(webhook, {
      id: 0,
      ruleId: rule?.id ?? 'test',
      model,
      metric: spec.metric,
      comparator: spec.comparator,
      threshold: spec.threshold,
      window: spec.window,
      value,
      message: alertMessage(model, spec, value, []),
      features: [],
      action: rule?.action ?? 'notify',
      firedAt: now,
      resolvedAt: null,
    });
  }

  /**
   * Every registered model with traffic, rules or decisions: the last day's traffic and firing
   * alerts. Traffic to names no model has (404s from a mistyped URL) is left out.
   */
  async models(now = Date.now()): Promise<MonitoredModel[]> {
    const registered = new Map((await this.deps.registry.list()).map((m) => [m.name.toLowerCase(), m]));
    const traffic = new Map(
      this.reader()
        .models(Math.floor((now - DAY_MS) / 60_000))
        .map((t) => [t.model.toLowerCase(), t]),
    );
    const keys = new Set([...traffic.keys(), ...this.repo.models().map((m) => m.toLowerCase())]);
    const firing = this.repo.firingCounts();
    const rules = this.repo.ruleCounts();
    return [...keys]
      .flatMap((key) => {
        const model = registered.get(key);
        if (!model) return [];
        const t = traffic.get(key);
        return [
          {
            name: model.name,
            task: model.task,
            requests24h: t?.requests ?? 0,
            errors24h: t?.errors ?? 0,
            lastRequestAt: t?.lastAt ?? null,
            firingAlerts: firing.get(model.name) ?? 0,
            rules: rules.get(model.name) ?? 0,
          },
        ];
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  overview(req: MethodArg<'monitoring.overview'>, now = Date.now()): Promise<MethodResult<'monitoring.overview'>> {
    return monitoringOverview(
      {
        reader: this.reader(),
        views: this.views,
        registry: this.deps.registry,
        firing: (model) => this.repo.alerts({ model, status: 'firing', limit: 100 }),
      },
      req,
      now,
    );
  }

  /**
   * Labels from the app for logged predictions (JSON keeps types; CSV text may spell numbers,
   * and its rows are numbered by `rowOf`); the model's live-quality rules are judged again at once.
   */
  async feedback(
    model: string,
    items: readonly FeedbackItem[],
    options: { source: LabelSource; rowOf?: (i: number) => number } = { source: 'json' },
  ): Promise<FeedbackResult> {
    const name = this.deps.registry.resolve({ name: model }).name;
    const result = recordFeedback(this.log(), name, items, options);
    if (result.accepted) {
      this.deps.events.emit('monitoring.changed', { model: name });
      for (const rule of this.repo.rules(name).filter((r) => r.enabled && alertMetricTask(r.metric))) {
        const j = await this.judgeSafely(rule, Date.now());
        if (j.fired?.action === 'retrain') this.autoRetrain(j.fired.model, 'alert', j.fired.message);
      }
    }
    return result;
  }

  /** Labels from a CSV (text or file) with `id` and `label` columns, read as imports read CSV. */
  async feedbackCsv(req: MethodArg<'monitoring.feedbackCsv'>): Promise<FeedbackResult & { rows: number }> {
    const temp = req.csv !== undefined ? path.join(this.deps.paths.work, `feedback-${randomUUID()}.csv`) : undefined;
    if (temp) await writeFile(temp, req.csv as string);
    try {
      const info = await inspectFile(path.resolve(temp ?? (req.path as string)));
      // A file named by path may be one the caller cannot read (DESIGN.md, "Untrusted input"):
      // what goes back names the file and the line, never its content. CSV text came from the
      // caller, so its own column names may be echoed.
      const shown = temp ? 'the CSV' : path.basename(info.path);
      if (info.format !== 'csv')
        throw new CairnError(
          'invalid_argument',
          `${shown} is not a CSV file: feedback needs a CSV with id and label columns`,
        );
      const conn = await this.deps.connect();
      let rows: unknown[][];
      try {
        const source = await readSourceAsImported(conn, info);
        const names = (await conn.runAndReadAll(`SELECT * FROM ${source} LIMIT 0`)).columnNames();
        const col = (want: string) => names.find((n) => n.trim().toLowerCase() === want);
        const [idName, labelName] = [col('id'), col('label')];
        if (idName === undefined || labelName === undefined)
          throw new CairnError(
            'invalid_argument',
            temp
              ? `the CSV needs an "id" and a "label" column; its columns are ${names.map((n) => `"${n}"`).join(', ')}`
              : `${shown}, line 1: the header needs an "id" and a "label" column`,
            temp ? {} : { file: shown, line: 1 },
          );
        rows = (await conn.runAndReadAll(`SELECT ${ident(idName)}, ${ident(labelName)} FROM ${source}`)).getRowsJS();
      } catch (err) {
        if (err instanceof CairnError || temp) throw err;
        // DuckDB's messages quote the offending line: keep only where it is.
        const line = /on Line: (\d+)/.exec(err instanceof Error ? err.message : String(err))?.[1];
        throw new CairnError(
          'invalid_argument',
          `${shown}${line ? `, line ${line}` : ''}: cannot be read as a CSV of id and label`,
          {
            file: shown,
            ...(line ? { line: Number(line) } : {}),
          },
        );
      } finally {
        conn.closeSync();
      }
      // Rows are reported by their line in the file; DuckDB skips blank lines, so the lines are
      // counted here (should the two ever disagree, by data row: header line + row number).
      const text = (await readFile(info.path)).toString(info.csv?.encoding === 'utf-16' ? 'utf16le' : 'utf8');
      const starts = csvRecordLines(text);
      const lineOf = (i: number) => (starts.length === rows.length ? (starts[i] as number) : i + 2);
      const items: FeedbackItem[] = [];
      const lines: number[] = [];
      const invalid: FeedbackResult['invalid'] = [];
      rows.forEach((r, i) => {
        const line = lineOf(i);
        const id = toCell(r[0]);
        const label = toCell(r[1]);
        if (id === null || String(id).trim() === '') invalid.push({ row: line, id: null, message: 'the id is empty' });
        else if (label === null || label === '')
          invalid.push({ row: line, id: String(id), message: 'the label is empty' });
        else {
          items.push({ id: String(id).trim(), label });
          lines.push(line);
        }
      });
      const result = items.length
        ? await this.feedback(req.model, items, { source: 'text', rowOf: (i) => lines[i] ?? i })
        : { accepted: 0, unknown: [], invalid: [] };
      return { ...result, invalid: [...invalid, ...result.invalid].sort((a, b) => a.row - b.row), rows: rows.length };
    } finally {
      if (temp) await rm(temp, { force: true });
    }
  }

  /** Retrains now and waits for the decision. */
  async retrainNow(model: string, force = false): Promise<RetrainDecision> {
    const handle = await this.retrain(model, 'manual', 'asked for now', force);
    return handle.decided;
  }
}
