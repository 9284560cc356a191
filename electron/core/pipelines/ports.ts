// What flows along a pipeline's edges at run time: the values behind the port types of
// shared/pipeline.ts. Tables are Parquet files (a split table carries the split column).
import type { PipelineTask } from '../../../shared/pipeline.js';

/** A `dataset` or `split` port: a Parquet file (immutable once made). */
export interface TableValue {
  type: 'table';
  file: string;
  /**
   * The id of the dataset version every row came from: set by the dataset step and carried by the
   * executor through steps whose tables all share it, so a model's lineage names the user's data.
   */
  source?: string;
  /**
   * Set by the dataset step on a picture dataset: the file is its picture index, which only a
   * train step reads (it trains the CNN on the version `source` names, split by label).
   */
  pictures?: true;
}

/** A `model` port: a version in the registry, and what it predicts. */
export interface ModelValue {
  type: 'model';
  name: string;
  version: number;
  /** sha256 of its artifact manifest: a cached step holds only while the version is this one. */
  sha256: string;
  /** The training run that made it. */
  runId: string;
  task: PipelineTask;
  target: string;
  /** Set by a register step: the alias now pointing at it. */
  alias?: string;
}

/** A `metrics` port: an evaluation's scalar metrics. */
export interface MetricsValue {
  type: 'metrics';
  task: PipelineTask;
  metrics: Record<string, number | null>;
}

/** An `endpoint` port: a running prediction endpoint, and the model version it was deployed for. */
export interface EndpointValue {
  type: 'endpoint';
  id: string;
  url: string;
  /** What a monitor step downstream watches: the model's name, version, task and the alias it is served by. */
  model: Pick<ModelValue, 'name' | 'version' | 'task' | 'alias'>;
}

export type PortValue = TableValue | ModelValue | MetricsValue | EndpointValue;

/** A port value of the expected type, or a clear internal error (validation keeps types apart). */
export function expectPort<T extends PortValue['type']>(
  value: PortValue | undefined,
  type: T,
  port: string,
): Extract<PortValue, { type: T }> {
  if (!value || value.type !== type)
    throw new Error(`input "${port}" should carry a ${type}, got ${value?.type ?? 'nothing'}`);
  return value as Extract<PortValue, { type: T }>;
}

/** The dataset version all of a step's input tables came from; undefined when they have none or several. */
export function sharedSource(inputs: Readonly<Record<string, PortValue>>): string | undefined {
  const sources = new Set(
    Object.values(inputs)
      .filter((v): v is TableValue => v.type === 'table')
      .map((v) => v.source),
  );
  const [only] = sources;
  return sources.size === 1 ? only : undefined;
}
