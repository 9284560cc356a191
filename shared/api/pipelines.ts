// Pipelines: saved versions, runs and their steps, templates (the file format is shared/pipeline.ts).
import { z } from 'zod';
import { PipelineSpec, StepOutput, StepState } from '../pipeline.js';
import { ApiErrorShape } from './errors.js';
import { TaskName } from './runs.js';

/** How a pipeline run ended (or where it is): gate_failed when every failure was an unmet gate. */
export const PipelineRunStatus = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'gate_failed',
  'cancelled',
  'interrupted',
]);
export type PipelineRunStatus = z.infer<typeof PipelineRunStatus>;

export const PipelineSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  latestVersion: z.number(),
  versionCount: z.number(),
  createdAt: z.string(),
  /** When the latest version was saved. */
  updatedAt: z.string(),
  lastRun: z
    .object({
      id: z.string(),
      version: z.number(),
      status: PipelineRunStatus,
      createdAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
});
export type PipelineSummary = z.infer<typeof PipelineSummary>;

export const PipelineVersionInfo = z.object({
  version: z.number(),
  savedAt: z.string(),
  /** What the save said about itself (may be empty). */
  message: z.string(),
  nodes: z.number(),
  /** sha256 of the spec's canonical JSON: saving identical content makes no new version. */
  specHash: z.string(),
});
export type PipelineVersionInfo = z.infer<typeof PipelineVersionInfo>;

export const PipelineDetail = z.object({
  pipeline: PipelineSummary,
  /** The version `spec` is. */
  version: z.number(),
  spec: PipelineSpec,
  /** Newest first. */
  versions: z.array(PipelineVersionInfo),
});
export type PipelineDetail = z.infer<typeof PipelineDetail>;

/** A step's live progress (train steps: epochs). */
export const StepProgress = z.object({ fraction: z.number(), label: z.string() });
export type StepProgress = z.infer<typeof StepProgress>;

/** One node's step in a pipeline run. */
export const PipelineStep = z.object({
  nodeId: z.string(),
  kind: z.string(),
  state: StepState,
  /** Its output came from an earlier run with the same inputs and parameters (state cached). */
  cached: z.boolean(),
  output: StepOutput.nullable(),
  /** Why it failed (code gate_failed for an unmet gate). */
  error: ApiErrorShape.nullable(),
  /** Why a skipped step did not run, e.g. an upstream step failed or the run was cancelled. */
  reason: z.string().nullable(),
  progress: StepProgress.nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type PipelineStep = z.infer<typeof PipelineStep>;

export const PipelineRunSummary = z.object({
  id: z.string(),
  pipelineId: z.string(),
  pipelineName: z.string(),
  /** The pipeline version it ran. */
  version: z.number(),
  status: PipelineRunStatus,
  error: ApiErrorShape.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Steps per state, e.g. {cached: 3, succeeded: 2}. */
  counts: z.partialRecord(StepState, z.number()),
});
export type PipelineRunSummary = z.infer<typeof PipelineRunSummary>;

export const PipelineRun = PipelineRunSummary.extend({
  /** In the order they can run (topological), every node of the version. */
  steps: z.array(PipelineStep),
  /** Training runs its train steps made (cached: made by an earlier run and reused). */
  trainingRuns: z.array(z.object({ nodeId: z.string(), runId: z.string(), cached: z.boolean() })),
  /** Model versions its steps made or used. */
  modelVersions: z.array(z.object({ nodeId: z.string(), name: z.string(), version: z.number(), cached: z.boolean() })),
});
export type PipelineRun = z.infer<typeof PipelineRun>;

export const PipelineTemplateName = z.enum(['tabular-classification', 'tabular-regression']);
export type PipelineTemplateName = z.infer<typeof PipelineTemplateName>;

export const PipelineTemplateInfo = z.object({
  id: PipelineTemplateName,
  label: z.string(),
  description: z.string(),
  task: TaskName,
  /** The gate it gets when none is given, e.g. accuracy >= 0.8. */
  defaultGate: z.string(),
});
export type PipelineTemplateInfo = z.infer<typeof PipelineTemplateInfo>;

export const PipelineFromTemplateRequest = z.object({
  template: PipelineTemplateName,
  /** A dataset name, or a CSV / Parquet file path. */
  dataset: z.string().trim().min(1),
  target: z.string().trim().min(1),
  /** Gates for the evaluate step, e.g. ["accuracy >= 0.9"]; the template's default when absent. */
  gates: z.array(z.string().trim().min(1)).max(20).optional(),
  /** The pipeline's name; from the dataset and template when absent. */
  name: z.string().trim().min(1).max(200).optional(),
});
export type PipelineFromTemplateRequest = z.input<typeof PipelineFromTemplateRequest>;

/** One pipeline: its id, or its name. */
/** A pipeline by id. */
export const PipelineRef = z.object({ id: z.string().min(1) });
