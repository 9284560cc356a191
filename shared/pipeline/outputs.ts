// Running: a step's state in a run and what it produced, as the editor shows them.
import { z } from 'zod';
import { AlertRule, RetrainMode } from '../api/monitoring.js';
import { gateOps } from './gates.js';

/** A step's state in a run: cached means its output came from an earlier run with the same inputs. */
export const stepStates = ['queued', 'running', 'cached', 'succeeded', 'failed', 'skipped'] as const;
export const StepState = z.enum(stepStates);
export type StepState = z.infer<typeof StepState>;

export const PreviewCell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The first rows of a table a step produced, for the editor's output panel. */
export const TablePreview = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(PreviewCell)),
  rowCount: z.number(),
  /** Split tables: rows per part. */
  parts: z.object({ train: z.number(), validation: z.number(), test: z.number() }).optional(),
});
export type TablePreview = z.infer<typeof TablePreview>;

export const GateResult = z.object({
  gate: z.string(),
  metric: z.string(),
  op: z.enum(gateOps),
  threshold: z.number(),
  actual: z.number().nullable(),
  passed: z.boolean(),
});
export type GateResult = z.infer<typeof GateResult>;

/** One alert rule a monitor step applied: its id in the monitoring engine, a readable line, and its settings (as the contract's AlertRule has them). */
const { id, metric, comparator, threshold, window, action, minSamples, enabled } = AlertRule.shape;
export const MonitorRuleOutput = z.object({
  id,
  line: z.string(),
  metric,
  comparator,
  threshold,
  window,
  action,
  minSamples,
  enabled,
});
export type MonitorRuleOutput = z.infer<typeof MonitorRuleOutput>;

export const MonitorOutput = z.object({
  rules: z.array(MonitorRuleOutput),
  policy: z.object({
    onAlert: z.boolean(),
    scheduleHours: z.number().nullable(),
    onNewDatasetVersion: z.boolean(),
    metric: z.string(),
    margin: z.number(),
    includeLabelledRequests: z.boolean(),
    alias: z.string(),
    mode: RetrainMode,
    sweepTrials: z.number(),
  }),
  /** The model's last 24 hours when the step ran; null when the overview could not be read. */
  headline: z
    .object({
      window: z.string(),
      requests: z.number(),
      errorRate: z.number().nullable(),
      driftScore: z.number().nullable(),
      firingAlerts: z.number(),
    })
    .nullable(),
  /** Every rule this step makes has an id starting with this; others are the user's. */
  ruleIdPrefix: z.string(),
});
export type MonitorOutput = z.infer<typeof MonitorOutput>;

/**
 * The rows a fitted step (impute, scale, encode) learned its statistics from: the train part of a
 * split table, else all rows (a step before the split lets test rows inform it).
 */
export const StepFit = z.object({ part: z.enum(['train', 'all']), rows: z.number() });
export type StepFit = z.infer<typeof StepFit>;

/** What a step produced, as the editor shows it when the node is selected. */
export const StepOutput = z.object({
  table: TablePreview.optional(),
  fit: StepFit.optional(),
  /** Source steps: the dataset version read (a file is imported as one). */
  dataset: z
    .object({ name: z.string(), version: z.number(), versionId: z.string(), contentHash: z.string() })
    .optional(),
  /** Scalar metrics: the train run's test metrics, or the evaluate step's. */
  metrics: z.record(z.string(), z.number().nullable()).optional(),
  task: z.enum(['classification', 'regression']).optional(),
  gates: z.array(GateResult).optional(),
  /** Sweep steps: the sweep (its trials are in the Runs list) and the validation score its best trial reached. */
  sweep: z
    .object({
      id: z.string(),
      metric: z.string(),
      trials: z.number(),
      bestValue: z.number().nullable(),
    })
    .optional(),
  /** Train steps: the training run (it is in the Runs list); sweep steps: the best trial's. */
  runId: z.string().optional(),
  model: z.object({ name: z.string(), version: z.number(), alias: z.string().optional() }).optional(),
  endpoint: z.object({ id: z.string(), url: z.string() }).optional(),
  /** Monitor steps: the rules and retrain policy applied to the model, and its traffic when they were. */
  monitoring: MonitorOutput.optional(),
});
export type StepOutput = z.infer<typeof StepOutput>;
