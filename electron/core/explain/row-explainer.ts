// Per-row contributions of a model of any kind, per original column and in the units a person
// reads, by the exact method its kind allows: TreeSHAP for trees, the closed form for a single
// linear layer, KernelSHAP for a network. A run's explanation (explain-run.ts) and the endpoint's
// ?explain=true (serving/explain-predictions.ts) both explain rows through this, so a row reads
// the same on the run page and from the endpoint.
import type { ExplainedOutput, ExplainMethod } from '../../../shared/api.js';
import type { TreeEnsembleJson } from '../training/gbdt/tree-format.js';
import type { PreprocessManifest } from '../training/manifest.js';
import type { Predictor } from '../training/predictor.js';
import { targetScale } from '../training/preprocess.js';
import { sumByGroup, type Attributions } from './attributions.js';
import { featureGroups, type FeatureGroup } from './feature-groups.js';
import { kernelShap, type KernelShapOptions } from './kernel-shap.js';
import { linearShap, type DenseWeights } from './linear-shap.js';
import { treeShapExplainer } from './tree-shap.js';

export interface ExplainableModel {
  task: 'classification' | 'regression';
  classes: readonly string[] | null;
  preprocess: PreprocessManifest;
  predictor: Predictor;
  /** A tree model's ensemble, or a linear model's single layer; neither for a network. */
  trees?: TreeEnsembleJson;
  linear?: DenseWeights;
  /** A linear model's feature means over its training rows: its base is the output there. */
  means?: Float64Array;
  /** A network's background: training rows (row-major) KernelSHAP integrates over. */
  background?: Float32Array;
}

/** One row's contributions: base + their sum is `output`, the explained output, to 1e-6. */
export interface ContributionRow {
  /** The class whose output is explained (its index), or 0 for a value. */
  explained: number;
  output: number;
  base: number;
  contributions: Record<string, number>;
  /** KernelSHAP's largest 95% interval half-width over this row's contributions; null where exact. */
  errorBound: number | null;
}

export interface RowExplainer {
  method: ExplainMethod;
  /** What the contributions add up to: a class's log-odds, a network's class probability, a value. */
  output: ExplainedOutput;
  groups: readonly FeatureGroup[];
  /**
   * Contributions of n rows of features (row-major, as the model sees them), each of the output
   * `explained[r]` names (a class index; 0 for a value).
   */
  explain(x: Float32Array, n: number, explained: readonly number[]): ContributionRow[];
}

/** The method a model's explanation takes, by what it is made of. */
function explainMethodOf(model: Pick<ExplainableModel, 'trees' | 'linear'>): ExplainMethod {
  return model.trees ? 'tree_shap' : model.linear ? 'linear' : 'kernel_shap';
}

/**
 * An explainer of a model's rows. A linear model without `means` (saved before they were kept) is
 * explained against the all-zero feature row: numbers at their training mean, no category.
 */
export function rowExplainer(model: ExplainableModel, kernel: KernelShapOptions = {}): RowExplainer {
  const { task, preprocess } = model;
  const groups = featureGroups(preprocess);
  const method = explainMethodOf(model);
  const { mean, std } = targetScale(preprocess);
  const unit = task === 'regression' ? std : 1;
  const attribute = attributeBy(model, groups, method, kernel);
  return {
    method,
    output: task === 'regression' ? 'value' : method === 'kernel_shap' ? 'probability' : 'log_odds',
    groups,
    explain(x, n, explained) {
      const a = attribute(x, n);
      return Array.from({ length: n }, (_, r) => {
        const out = explained[r] as number;
        // A binary tree model has one output, class 1's log-odds; class 0's is its negative.
        const sign = model.trees && a.outputs === 1 && task === 'classification' && out === 0 ? -1 : 1;
        const o = a.outputs === 1 ? 0 : out;
        const at = (r * a.outputs + o) * a.width;
        const contributions: Record<string, number> = {};
        let sum = 0;
        let bound = 0;
        groups.forEach((g, j) => {
          const c = sign * (a.values[at + j] as number) * unit;
          contributions[g.name] = c;
          sum += c;
          if (a.stdErr) bound = Math.max(bound, 1.96 * (a.stdErr[at + j] as number) * unit);
        });
        const base = sign * (a.base[o] as number) * unit + (task === 'regression' ? mean : 0);
        return { explained: out, output: base + sum, base, contributions, errorBound: a.stdErr ? bound : null };
      });
    },
  };
}

/** Per-column attributions of n rows by the method; KernelSHAP's carry standard errors. */
function attributeBy(
  model: ExplainableModel,
  groups: readonly FeatureGroup[],
  method: ExplainMethod,
  kernel: KernelShapOptions,
): (x: Float32Array, n: number) => Attributions {
  if (method === 'tree_shap') {
    const trees = treeShapExplainer(model.trees as TreeEnsembleJson);
    return (x, n) => sumByGroup(trees.explain(x, n), groups);
  }
  if (method === 'linear') {
    const layer = model.linear as DenseWeights;
    const means = model.means ?? new Float64Array(layer.inputs);
    return (x, n) => sumByGroup(linearShap(layer, x, n, means), groups);
  }
  const background = model.background;
  if (!background) throw new RangeError('KernelSHAP needs background rows');
  return (x, n) => kernelShap((rows, m) => model.predictor.predict(rows, m), x, n, background, groups, kernel);
}
