// Monitoring: served models' traffic, drift, ground truth, alert rules and retraining.
import { z } from 'zod';
import { TaskName } from './runs.js';
import { AliasName } from './models.js';
import { LatencyPercentiles } from './endpoints.js';
import { monitoringWindows } from './monitoring-windows.js';
import { webhookUrlProblem } from '../webhook-url.js';

export { monitoringWindows } from './monitoring-windows.js';

// ---- Monitoring: served models' traffic, drift, ground truth, alert rules and retraining ----

export const MonitoringWindow = z.enum(monitoringWindows);
export type MonitoringWindow = z.infer<typeof MonitoringWindow>;

export const MonitoringOverviewRequest = z.object({
  model: z.string().min(1),
  /** One version's traffic; every version's when absent. */
  version: z.number().int().positive().optional(),
  /** When absent, the shortest window that holds all recent traffic (the overview says which). */
  window: MonitoringWindow.optional(),
});
export type MonitoringOverviewRequest = z.input<typeof MonitoringOverviewRequest>;

/** Traffic in one time bucket (or the whole window): requests answered or refused, and latency of answered ones. */
export const TrafficBucket = z.object({
  /** Bucket start, epoch ms. */
  t: z.number(),
  /** HTTP requests to the model, answered or refused. */
  requests: z.number(),
  /** Requests answered with status 400 or more. */
  errors: z.number(),
  /** Instances predicted (one request may carry several). */
  predictions: z.number(),
  ...LatencyPercentiles,
});
export type TrafficBucket = z.infer<typeof TrafficBucket>;

export const TrafficTotals = TrafficBucket.omit({ t: true }).extend({
  /** errors / requests; null with no requests. */
  errorRate: z.number().nullable(),
});
export type TrafficTotals = z.infer<typeof TrafficTotals>;

/**
 * What the model answered, per bucket: counts aligned with `labels` (class names for a
 * classifier; value bins for a regressor, whose edges are in `edges`, labels.length + 1 of them).
 */
export const PredictionDistribution = z.object({
  kind: z.enum(['classes', 'values']),
  labels: z.array(z.string()),
  /** Bin edges of a value histogram (ascending); empty for classes. */
  edges: z.array(z.number()),
  buckets: z.array(z.object({ t: z.number(), counts: z.array(z.number()) })),
  /** Counts over the whole window. */
  total: z.array(z.number()),
});
export type PredictionDistribution = z.infer<typeof PredictionDistribution>;

/** One bin of a feature's training and live distributions, as shares (0..1) for an overlay chart. */
export const DriftBin = z.object({
  label: z.string(),
  /** Numeric bins: [lo, hi); null at an open end, and for categories. */
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  training: z.number(),
  live: z.number(),
});
export type DriftBin = z.infer<typeof DriftBin>;

export const FeatureDrift = z.object({
  feature: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  /** Population stability index of live against training; null with no live values. */
  psi: z.number().nullable(),
  /** Two-sample Kolmogorov-Smirnov test (numeric features with training rows at hand). */
  ks: z.object({ statistic: z.number(), pValue: z.number() }).nullable(),
  drifted: z.boolean(),
  /** Why it counts as drifted (e.g. "PSI 0.41 > 0.2"); empty when it does not. */
  reasons: z.array(z.string()),
  /** Live values seen (missing ones excluded). */
  liveCount: z.number(),
  /** Live values that were missing or not of the feature's type. */
  liveMissing: z.number(),
  bins: z.array(DriftBin),
});
export type FeatureDrift = z.infer<typeof FeatureDrift>;

export const DriftReport = z.object({
  /** What live inputs are compared with: the training rows, the model card's profile (dataset gone), or nothing. */
  reference: z.enum(['training_rows', 'card_profile', 'none']),
  trainingRows: z.number(),
  /** Logged inputs in the window (answered predictions). */
  liveRows: z.number(),
  /** Live inputs below which no drift is judged (too few to say). */
  minLiveRows: z.number(),
  /** The largest feature PSI; null with too few live rows. */
  score: z.number().nullable(),
  /** Drifting features, most drifted first. */
  drifted: z.array(z.string()),
  /** Every feature the model reads, most drifted first. */
  features: z.array(FeatureDrift),
  thresholds: z.object({ psi: z.number(), ksPValue: z.number() }),
});
export type DriftReport = z.infer<typeof DriftReport>;

export const LiveMetricName = z.enum(['accuracy', 'mae']);
export type LiveMetricName = z.infer<typeof LiveMetricName>;

/** Quality measured on predictions that received ground truth through feedback. */
export const LiveQuality = z.object({
  metric: LiveMetricName,
  /** Over the window's labelled predictions; null with none. */
  value: z.number().nullable(),
  /** The same metric on the version's test split, for comparison (the newest served version when several). */
  testSplit: z.number().nullable(),
  /** Labelled predictions in the window. */
  labelled: z.number(),
  /** Answered predictions in the window, labelled or not. */
  predictions: z.number(),
  buckets: z.array(z.object({ t: z.number(), labelled: z.number(), value: z.number().nullable() })),
});
export type LiveQuality = z.infer<typeof LiveQuality>;

export const AlertMetric = z.enum([
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'error_rate',
  'drift_score',
  'live_accuracy',
  'live_mae',
]);
export type AlertMetric = z.infer<typeof AlertMetric>;
export const Comparator = z.enum(['>', '>=', '<', '<=']);
export type Comparator = z.infer<typeof Comparator>;
/** What a firing rule does: show and notify only, or also start a retrain (per the model's retrain policy). */
export const AlertAction = z.enum(['notify', 'retrain']);
export type AlertAction = z.infer<typeof AlertAction>;

/**
 * How a webhook's body is shaped: Cairn's own JSON (`AlertEventPayload`, the lines
 * `cairn monitor --watch --json` prints), a Slack incoming webhook's `{text, blocks}`, or a
 * Microsoft Teams incoming webhook's MessageCard.
 */
export const webhookTemplates = ['json', 'slack', 'teams'] as const;
export const WebhookTemplate = z.enum(webhookTemplates);
export type WebhookTemplate = z.infer<typeof WebhookTemplate>;

/** A webhook URL as a caller gives it: http or https, checked by `webhookUrlProblem`. */
export const WebhookUrl = z.string().superRefine((url, ctx) => {
  const problem = webhookUrlProblem(url);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * A rule's webhook as saved: `url` left out keeps the URL the rule has (the app only ever shows
 * it masked, so an edit that changes the template alone cannot send it back).
 */
export const WebhookInput = z.object({
  url: WebhookUrl.optional(),
  template: WebhookTemplate.default('json'),
});
export type WebhookInput = z.input<typeof WebhookInput>;

/** A rule's webhook as shown: the URL masked to its scheme and host (`https://hooks.slack.com/***`). */
export const WebhookView = z.object({ url: z.string(), template: WebhookTemplate });
export type WebhookView = z.infer<typeof WebhookView>;

export const AlertRuleInput = z.object({
  /** Present to update that rule; a new rule otherwise. */
  id: z.string().min(1).optional(),
  model: z.string().min(1),
  metric: AlertMetric,
  comparator: Comparator,
  threshold: z.number(),
  window: MonitoringWindow.default('1h'),
  /** Below this many samples in the window (requests, live inputs or labels) the rule is not judged. */
  minSamples: z.number().int().min(1).max(1_000_000).default(20),
  enabled: z.boolean().default(true),
  action: AlertAction.default('notify'),
  /**
   * Also POST each firing and resolution to a webhook. Left out: an update keeps the rule's webhook
   * (a new rule has none), so callers that predate webhooks change nothing; null removes it.
   */
  webhook: WebhookInput.nullable().optional(),
});
export type AlertRuleInput = z.input<typeof AlertRuleInput>;

export const AlertRule = AlertRuleInput.required({ id: true }).extend({
  window: MonitoringWindow,
  minSamples: z.number(),
  enabled: z.boolean(),
  action: AlertAction,
  webhook: WebhookView.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The last evaluation: its value (null when not judged) and whether the rule fires now. */
  state: z.object({ value: z.number().nullable(), firing: z.boolean(), evaluatedAt: z.string().nullable() }),
});
export type AlertRule = z.infer<typeof AlertRule>;

/** One firing of a rule, recorded with the value that crossed the threshold. */
export const Alert = z.object({
  id: z.number(),
  ruleId: z.string(),
  model: z.string(),
  metric: AlertMetric,
  comparator: Comparator,
  threshold: z.number(),
  window: MonitoringWindow,
  value: z.number(),
  /** One line for a list or a notification, e.g. "drift score 0.43 > 0.2 (petal_length)". */
  message: z.string(),
  /** Drift alerts: the features that drift. */
  features: z.array(z.string()),
  action: AlertAction,
  firedAt: z.string(),
  /** When the value went back within the threshold; null while firing. */
  resolvedAt: z.string().nullable(),
});
export type Alert = z.infer<typeof Alert>;

/** Which change of an alert a webhook or an NDJSON line reports. */
export const AlertEventKind = z.enum(['fired', 'resolved']);
export type AlertEventKind = z.infer<typeof AlertEventKind>;

/**
 * An alert's firing or resolution as Cairn tells others about it: the body of a `json` webhook and
 * each line of `cairn monitor --watch --json`. Scripts rely on it: fields are only ever added.
 */
export const AlertEventPayload = Alert.omit({ id: true, ruleId: true }).extend({
  event: AlertEventKind,
  /** The alert's id (monitoring.alerts), the same in its fired and resolved events. */
  alert: z.number(),
  rule: z.string(),
  /** One line for a chat or a pager, with no links: e.g. "Firing: iris: drift score 0.43 > 0.2 over 1h (petal_length)". */
  summary: z.string(),
  /** True only for "Send test"'s sample alert. */
  test: z.boolean(),
});
export type AlertEventPayload = z.infer<typeof AlertEventPayload>;

/** One POST of an alert's firing or resolution to its rule's webhook, with retries, as recorded. */
export const WebhookDelivery = z.object({
  id: z.number(),
  alertId: z.number(),
  ruleId: z.string(),
  model: z.string(),
  event: AlertEventKind,
  template: WebhookTemplate,
  /** The URL masked to its scheme and host. */
  target: z.string(),
  /** `pending` while attempts remain; `delivered` on a 2xx answer; `failed` once retries are spent or hopeless. */
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  /** The last attempt's HTTP status; null when none answered. */
  httpStatus: z.number().nullable(),
  /** Why the last attempt failed (refused, timed out, 4xx/5xx with a snippet of the body); null when delivered. */
  error: z.string().nullable(),
  /** From the first attempt's start to the last one's end, backoff included. */
  durationMs: z.number().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const DeliveriesQuery = z
  .object({
    model: z.string().min(1).optional(),
    ruleId: z.string().min(1).optional(),
    alertId: z.number().int().optional(),
    limit: z.number().int().min(1).max(10_000).default(100),
  })
  .default({ limit: 100 });

/**
 * "Send test": a sample alert of `model` through the same templates and delivery as a real one,
 * of `condition` (the rule as the form has it), else of rule `ruleId`'s. Without `webhook.url`,
 * the saved URL of rule `ruleId` (the form shows only its mask).
 */
export const WebhookTestRequest = z.object({
  model: z.string().min(1),
  ruleId: z.string().min(1).optional(),
  condition: AlertRuleInput.pick({ metric: true, comparator: true, threshold: true, window: true }).optional(),
  webhook: WebhookInput,
});
export type WebhookTestRequest = z.input<typeof WebhookTestRequest>;

/** What a test delivery came to: its outcome, not recorded with the alerts' deliveries. */
export const WebhookTestResult = WebhookDelivery.pick({
  template: true,
  target: true,
  attempts: true,
  httpStatus: true,
  error: true,
  durationMs: true,
}).extend({ delivered: z.boolean() });
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;

export const MonitoringOverview = z.object({
  model: z.string(),
  version: z.number().nullable(),
  task: TaskName,
  window: MonitoringWindow,
  /** Window start and end, epoch ms, and the bucket width of every series. */
  from: z.number(),
  to: z.number(),
  bucketSeconds: z.number(),
  /** Versions that answered in the window, for a version picker. */
  versions: z.array(z.number()),
  totals: TrafficTotals,
  /** Oldest first, every bucket of the window. */
  buckets: z.array(TrafficBucket),
  predictions: PredictionDistribution,
  drift: DriftReport,
  live: LiveQuality,
  /** The model's alerts still firing. */
  firing: z.array(Alert),
});
export type MonitoringOverview = z.infer<typeof MonitoringOverview>;

/** A row per model that has traffic, rules or decisions, for the monitoring page's list. */
export const MonitoredModel = z.object({
  name: z.string(),
  task: TaskName.nullable(),
  requests24h: z.number(),
  errors24h: z.number(),
  /** Epoch ms of its newest logged request; null with none. */
  lastRequestAt: z.number().nullable(),
  firingAlerts: z.number(),
  rules: z.number(),
});
export type MonitoredModel = z.infer<typeof MonitoredModel>;

/** Ground truth for one logged prediction: a class name (classification) or a number (regression). */
export const FeedbackItem = z.object({
  id: z.string().min(1).max(200),
  label: z.union([z.string(), z.number(), z.boolean()]),
});
export type FeedbackItem = z.infer<typeof FeedbackItem>;

export const FeedbackResult = z.object({
  /** Labels stored (new or replacing an earlier label of the same prediction). */
  accepted: z.number(),
  /** Ids that name no logged prediction of this model. */
  unknown: z.array(z.string()),
  /** Items refused, with why: `row` is the CSV line (1 = header) or the item's index. */
  invalid: z.array(z.object({ row: z.number(), id: z.string().nullable(), message: z.string() })),
});
export type FeedbackResult = z.infer<typeof FeedbackResult>;

export const FeedbackCsvRequest = z
  .object({
    model: z.string().min(1),
    /** CSV text with a header naming `id` and `label` columns (other columns are ignored). */
    csv: z.string().max(50_000_000).optional(),
    /** Or a CSV file's path. */
    path: z.string().min(1).optional(),
  })
  .refine((r) => (r.csv === undefined) !== (r.path === undefined), { message: 'give either csv or path' });
export type FeedbackCsvRequest = z.input<typeof FeedbackCsvRequest>;

export const CompareMetric = z.enum(['accuracy', 'f1_macro', 'precision_macro', 'recall_macro', 'mae', 'rmse', 'r2']);
export type CompareMetric = z.infer<typeof CompareMetric>;

export const RetrainMode = z.enum(['same', 'sweep']);
export type RetrainMode = z.infer<typeof RetrainMode>;
/** How the policy form and the pipeline monitor step name each mode. */
export const RETRAIN_MODE_LABELS: Record<RetrainMode, string> = {
  same: "With the champion's settings",
  sweep: "By a small sweep around the champion's settings",
};

/** A sweep retrain's trials: a few, as it searches near settings that already did well. */
export const RETRAIN_SWEEP_TRIALS = { min: 2, max: 50, default: 8 } as const;

export const RetrainPolicyInput = z.object({
  model: z.string().min(1),
  triggers: z
    .object({
      /** A firing rule whose action is `retrain` starts one. */
      onAlert: z.boolean().default(true),
      /** Retrain every so many hours; never when null. */
      scheduleHours: z
        .number()
        .positive()
        .max(24 * 365)
        .nullable()
        .default(null),
      /** A new version of the training dataset starts one. */
      onNewDatasetVersion: z.boolean().default(false),
    })
    .default({ onAlert: true, scheduleHours: null, onNewDatasetVersion: false }),
  /** Add logged requests that received feedback labels to the training data; when absent, on if the model has any. */
  includeLabelledRequests: z.boolean().optional(),
  /** The test metric champion and challenger are compared on; accuracy or mae by task when absent. */
  metric: CompareMetric.optional(),
  /** How much better (in the metric's units) the challenger must be to be promoted. */
  margin: z.number().min(0).max(1_000_000).default(0),
  /** The alias the champion holds and a better challenger takes. */
  alias: AliasName.default('production'),
  /**
   * How the challenger is trained: with the champion's settings (`same`), or as the best of a small
   * sweep around them (`sweep`: each tuned setting in a range about the champion's value, chosen on
   * the validation split), which then faces the same comparison.
   */
  mode: RetrainMode.default('same'),
  /** Trials of a `sweep` retrain. */
  sweepTrials: z
    .number()
    .int()
    .min(RETRAIN_SWEEP_TRIALS.min)
    .max(RETRAIN_SWEEP_TRIALS.max)
    .default(RETRAIN_SWEEP_TRIALS.default),
});
export type RetrainPolicyInput = z.input<typeof RetrainPolicyInput>;

export const RetrainPolicy = RetrainPolicyInput.extend({
  triggers: z.object({ onAlert: z.boolean(), scheduleHours: z.number().nullable(), onNewDatasetVersion: z.boolean() }),
  includeLabelledRequests: z.boolean(),
  metric: CompareMetric,
  margin: z.number(),
  alias: z.string(),
  mode: RetrainMode,
  sweepTrials: z.number(),
  /** False until a user saves one: the defaults shown are what a retrain would use. */
  saved: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type RetrainPolicy = z.infer<typeof RetrainPolicy>;

export const RetrainTrigger = z.enum(['manual', 'alert', 'schedule', 'dataset']);
export type RetrainTrigger = z.infer<typeof RetrainTrigger>;

/** A version's scores on the held-out rows both were judged on. */
export const ScoredVersion = z.object({ version: z.number(), metrics: z.record(z.string(), z.number().nullable()) });

/** The outcome of one retrain: whether the challenger took the alias, with both versions' scores and why. */
export const RetrainDecision = z.object({
  id: z.number(),
  model: z.string(),
  trigger: RetrainTrigger,
  /** What set it off, e.g. the alert's message or "every 24 h". */
  triggerDetail: z.string(),
  outcome: z.enum(['promoted', 'kept', 'failed']),
  promoted: z.boolean(),
  reason: z.string(),
  alias: z.string(),
  metric: CompareMetric,
  margin: z.number(),
  /** The retraining run, a sweep's best trial (null if it could not start). */
  runId: z.string().nullable(),
  /** The sweep a `sweep` retrain trained its challenger by. */
  sweepId: z.string().nullable(),
  dataset: z.object({ name: z.string(), version: z.number() }).nullable(),
  /** Logged, labelled requests added to the training data. */
  labelledRowsAdded: z.number(),
  /** Rows of the challenger run's test split that both versions were scored on. */
  heldOutRows: z.number(),
  champion: ScoredVersion.nullable(),
  challenger: ScoredVersion.nullable(),
  at: z.string(),
});
export type RetrainDecision = z.infer<typeof RetrainDecision>;

/** Asks for a retrain; without `force` one with nothing new to train on is refused. */
export const RetrainRequest = z.object({
  model: z.string().min(1),
  /** Retrain even when the champion was trained on exactly what a retrain would use. */
  force: z.boolean().default(false),
});
export type RetrainRequest = z.input<typeof RetrainRequest>;

/** What a retrain would train on now, against what the champion was trained on. */
export const RetrainPlan = z.object({
  model: z.string(),
  championVersion: z.number(),
  /** The dataset version the champion was trained on (the user's version, before labelled requests). */
  championDataset: z.object({ name: z.string(), version: z.number() }),
  /** The newest version of that dataset a user made: what a retrain starts from. */
  newestDataset: z.object({ name: z.string(), version: z.number() }),
  /** Labelled requests the champion was trained with. */
  labelledInChampion: z.number(),
  /** Labelled requests a retrain would add (0 when the policy leaves them out). */
  labelledToAdd: z.number(),
  /** Labelled requests the model has, whether or not the policy adds them. */
  labelledAvailable: z.number(),
  /** Same dataset version and the same labelled requests: a retrain would build the champion again. */
  nothingNew: z.boolean(),
  /** The plan in a sentence, e.g. "nothing changed since version 1 was trained: ...". */
  summary: z.string(),
});
export type RetrainPlan = z.infer<typeof RetrainPlan>;

export const RetrainStarted = z.object({
  model: z.string(),
  /** The challenger's run; null for a sweep retrain, whose trials are runs of its sweep. */
  runId: z.string().nullable(),
  sweepId: z.string().nullable(),
  trigger: RetrainTrigger,
  championVersion: z.number().nullable(),
});
export type RetrainStarted = z.infer<typeof RetrainStarted>;
