// The settings of a gradient-boosted tree model as the engine reads them; bounds and defaults come
// from shared/training-settings.ts, as the contract's, the pipeline node's and the Train dialog's do.
// The learning rate, L2, seed, class weights and early-stopping patience are the run's own
// (TrainParams, ModelParams), shared with the other kinds.
import { z } from 'zod';
import { choiceSchema, numberSchema } from '../../../../shared/setting-schemas.js';
import {
  COLSAMPLE,
  MAX_DEPTH,
  MAX_LEAVES,
  MIN_SAMPLES_LEAF,
  SUBSAMPLE,
  TREE_LOSS,
  TREES,
} from '../../../../shared/training-settings.js';

export const TreeLoss = choiceSchema(TREE_LOSS);
export type TreeLoss = z.infer<typeof TreeLoss>;

export const BoostingParams = z.object({
  trees: numberSchema(TREES).default(TREES.default),
  maxLeaves: numberSchema(MAX_LEAVES).default(MAX_LEAVES.default),
  /** No depth limit when absent. */
  maxDepth: numberSchema(MAX_DEPTH).optional(),
  minSamplesLeaf: numberSchema(MIN_SAMPLES_LEAF).default(MIN_SAMPLES_LEAF.default),
  subsample: numberSchema(SUBSAMPLE).default(SUBSAMPLE.default),
  colsample: numberSchema(COLSAMPLE).default(COLSAMPLE.default),
  /** Regression only; classes use log loss. */
  loss: TreeLoss.default(TREE_LOSS.default),
});
export type BoostingParams = z.infer<typeof BoostingParams>;

/** The tree settings of a run request (the contract's top-level fields, named as here), those given only. */
export function boostingOf(req: Partial<Record<keyof BoostingParams, unknown>>): Partial<BoostingParams> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(BoostingParams.shape) as (keyof BoostingParams)[])
    if (req[key] !== undefined) out[key] = req[key];
  // Only known keys, each as given: the request's own schema checked their values.
  return out;
}
