// What the steps that train a model (train, sweep) share: the split table saved as the pipeline's
// own dataset version, a cache identity per pipeline and node, errors that name the parameter, and
// the step's result for the run whose model version flows on.
import { SPLIT_COLUMN, type StepOutput } from '../../../../shared/pipeline.js';
import type { Run } from '../../../../shared/api.js';
import { testScores } from '../../db/runs-repo.js';
import { CairnError } from '../../errors.js';
import type { ExecNode, StepContext } from '../executor.js';
import type { ResolvedDataset } from '../host.js';
import { expectPort, type ModelValue, type TableValue } from '../ports.js';
import type { StepResult } from '../step-cache.js';
import { paramError, type RunEnv } from './common.js';

/** The params every model-making kind has. */
interface ModelParams {
  target: string;
  features: readonly string[];
  modelName: string | undefined;
}

/** The registry model the step's versions are saved under. */
export function modelNameOf(env: RunEnv, p: Pick<ModelParams, 'modelName'>): string {
  return p.modelName?.trim() || env.pipelineName;
}

/**
 * The run's dataset and model are named after the pipeline and node: the same training in another
 * pipeline (or node) is its own run, not this one's cached result.
 */
export function modelIdentity(env: RunEnv) {
  return async (node: ExecNode) => ({
    key: {
      pipeline: env.pipelineName,
      node: node.id,
      modelName: modelNameOf(env, node.params as unknown as ModelParams),
    },
    value: null,
  });
}

/**
 * The split table as a dataset version (named <pipeline>.<node>, so runs point at the exact rows
 * they learned from; identical content reuses the version) that is the pipeline's, not the user's:
 * kept out of the datasets list, and traced to the dataset version the table came from.
 */
export async function trainingTable(env: RunEnv, ctx: StepContext, p: ModelParams): Promise<ResolvedDataset> {
  const table = expectPort(ctx.inputs.data, 'table', 'data');
  if (p.features.includes(SPLIT_COLUMN))
    throw paramError('features', `"${SPLIT_COLUMN}" says which part a row is in: it cannot be a feature`);
  ctx.progress({ fraction: 0, label: 'saving the training table' });
  const data = await saveTrainingTable(env, ctx.node.id, table);
  ctx.signal.throwIfAborted();
  return data;
}

/** Saves a table as the training table of node `nodeId` (see trainingTable). */
export function saveTrainingTable(env: RunEnv, nodeId: string, table: TableValue): Promise<ResolvedDataset> {
  return env.host.importFile(table.file, `${env.pipelineName}.${nodeId}`, {
    pipelineId: env.pipelineId,
    ...(table.source !== undefined ? { sourceVersionId: table.source } : {}),
  });
}

/** A request the engine refused names what to fix: the error names the parameter where that can be told. */
export function blame(err: unknown, p: ModelParams): unknown {
  if (!(err instanceof CairnError) || err.code !== 'invalid_argument' || err.details?.field) return err;
  const named = [
    err.details?.column,
    ...(Array.isArray(err.details?.unknown) ? (err.details.unknown as unknown[]) : []),
  ];
  if (named.includes(p.target)) return paramError('target', err.message, err.details);
  if (named.some((c) => typeof c === 'string' && p.features.includes(c)))
    return paramError('features', err.message, err.details);
  return err;
}

/** The step's result for the run whose model version flows on: its test scores shown, and `extra` beside them. */
export function modelResult(
  env: RunEnv,
  run: Run,
  target: string,
  extra: Omit<StepOutput, 'runId' | 'model' | 'task' | 'metrics'> = {},
): StepResult {
  if (!run.model || !run.task) throw new CairnError('internal', `training run ${run.id} ended without a model version`);
  const files = env.host.modelFiles(run.model.name, run.model.version);
  if (!files) throw new CairnError('internal', `model ${run.model.name} version ${run.model.version} is missing`);
  const model: ModelValue = {
    type: 'model',
    name: run.model.name,
    version: run.model.version,
    sha256: files.sha256,
    runId: run.id,
    task: run.task,
    target,
  };
  const metrics = testScores(run.metrics ?? {});
  delete metrics.rows;
  return {
    output: { ...extra, runId: run.id, model: { name: model.name, version: model.version }, task: run.task, metrics },
    ports: { model },
  };
}
