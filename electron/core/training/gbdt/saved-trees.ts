// The check a trees.json from disk or from a bundle passes before anything scores with it: the
// schema, the structure (a tree, in range, within the caps: check-trees.ts) and a fit with the
// preprocessing saved beside it. No TensorFlow.js here: the registry checks bundles without it.
import { checkTrees } from './check-trees.js';
import { TREES_JSON, TreeEnsembleJson } from './tree-format.js';

/** A checked ensemble, or why it was refused. `width` and `units` come from the preprocessing. */
export function checkedTrees(
  parsedJson: unknown,
  width: number,
  units: number,
): { ok: true; ensemble: TreeEnsembleJson } | { ok: false; reason: string } {
  const parsed = TreeEnsembleJson.safeParse(parsedJson);
  if (!parsed.success) return { ok: false, reason: `${TREES_JSON} is not a Cairn tree ensemble` };
  const ensemble = parsed.data;
  const structure = checkTrees(ensemble);
  if (!structure.ok) return structure;
  if (ensemble.featureKinds.length !== width)
    return {
      ok: false,
      reason: `the trees take ${ensemble.featureKinds.length} features but the preprocessing makes ${width}`,
    };
  const outputs = ensemble.objective === 'binary_logloss' ? 2 : ensemble.nOutputs;
  if (outputs !== units)
    return { ok: false, reason: `the trees predict ${outputs} outputs but the target needs ${units}` };
  return { ok: true, ensemble };
}
