// One model version as the endpoint serves it: loaded, with its own micro-batcher (batcher.ts)
// sized from the endpoint's limits and the model's cost, or the reason it could not be loaded.
import { MicroBatcher, rowsPerCall } from './batcher.js';
import type { EndpointMetrics } from './endpoint-metrics.js';
import { responseHead } from './endpoint-replies.js';
import type { LoadedModel } from './loaded-model.js';
import type { EndpointLimits, ServedModel } from './protocol.js';

export interface ServedVersion {
  spec: ServedModel;
  model?: LoadedModel;
  batcher?: MicroBatcher;
  error?: string;
  /** How every answer of this version begins (endpoint-replies.ts). */
  responseHead: string;
}

export interface ServedVersionDeps {
  load: (spec: ServedModel) => Promise<LoadedModel>;
  limits: EndpointLimits;
  metrics: EndpointMetrics;
  /** Runs before each model call (EndpointHooks.beforeModelCall). */
  beforeModelCall?: (rows: number, model: ServedModel) => void | Promise<void>;
}

/**
 * `held` (the version the endpoint serves now under this name and number) with the new spec
 * when its file is unchanged; else loads `spec` and gives it a batcher. A version that fails to
 * load carries the reason instead.
 */
export async function openServedVersion(
  spec: ServedModel,
  held: ServedVersion | undefined,
  deps: ServedVersionDeps,
): Promise<ServedVersion> {
  const head = responseHead(spec);
  if (held?.model && held.spec.sha256 === spec.sha256) return { ...held, spec, responseHead: head };
  try {
    const model = await deps.load(spec);
    const { limits, beforeModelCall } = deps;
    const batcher = new MicroBatcher(
      { width: model.validator.width, units: model.units, predict: (x, n) => model.predict(x, n) },
      {
        maxBatch: limits.maxBatch,
        maxDelayMs: limits.maxBatchDelayMs,
        maxRowsPerCall: rowsPerCall(model.cost, limits),
        beforeCall: beforeModelCall && ((rows) => beforeModelCall(rows, spec)),
        onCall: (rows, ms) => deps.metrics.modelCall(rows, ms),
      },
    );
    return { spec, model, batcher, responseHead: head };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { spec, responseHead: head, error: `${spec.name} version ${spec.version} could not be loaded: ${message}` };
  }
}
