// A gradient-boosted tree ensemble (trees.json) as ai.onnx.ml TreeEnsembleClassifier or
// TreeEnsembleRegressor, the operators every ONNX runtime implements.
//
// Splits:
// - numeric, x <= threshold: BRANCH_LEQ. The feature is float32 and ONNX thresholds are float32,
//   so the threshold written is the largest float32 at most the saved (double) threshold: for
//   every float32 x, x <= that ⇔ x <= threshold, so rows go exactly where Cairn sends them.
// - categorical, x in a set: the classic operators have only BRANCH_EQ, and a chain of them would
//   need the left subtree copied once per category. Instead the graph adds one membership column
//   per distinct (feature, set): 1 when x is in the set, 0 when not, NaN when x is NaN; the node
//   becomes BRANCH_GT 0.5 on that column (true, in the set, goes left).
// - missing (NaN): nodes_missing_value_tracks_true = missingLeft, on both kinds.
import { CairnError } from '../errors.js';
import type { TreeEnsembleJson } from '../training/gbdt/tree-format.js';
import type { GraphBuilder } from './graph-builder.js';
import { ML_DOMAIN } from './graph-builder.js';
import { DataType } from './onnx-proto.js';

/** The task's view of an ensemble: the classes of a classifier, null for a regressor. */
export interface TreeTarget {
  classes: readonly string[] | null;
}

/**
 * The ensemble on the float [N, width] `features`: for a classifier the float [N, k]
 * probabilities, for a regressor the float [N, 1] raw prediction.
 */
export function treeGraph(
  g: GraphBuilder,
  features: string,
  width: number,
  ensemble: TreeEnsembleJson,
  target: TreeTarget,
): string {
  checkEnsemble(ensemble, width, target);
  const membership = new MembershipColumns(g, features, width);
  const nodes = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    missingTrue: [] as number[],
  };
  const leaves = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[], weights: [] as number[] };
  ensemble.trees.forEach((tree, t) => {
    tree.feature.forEach((feature, i) => {
      nodes.treeIds.push(t);
      nodes.nodeIds.push(i);
      if (feature < 0) {
        nodes.featureIds.push(0);
        nodes.modes.push('LEAF');
        nodes.values.push(0);
        nodes.trueIds.push(0);
        nodes.falseIds.push(0);
        nodes.missingTrue.push(0);
        leaves.treeIds.push(t);
        leaves.nodeIds.push(i);
        leaves.ids.push(ensemble.treeOutputs[t] as number);
        leaves.weights.push(tree.value[i] as number);
        return;
      }
      const set = tree.categories[i];
      if (ensemble.featureKinds[feature] === 'categorical') {
        nodes.featureIds.push(membership.column(feature, set ?? []));
        nodes.modes.push('BRANCH_GT');
        nodes.values.push(0.5);
      } else {
        nodes.featureIds.push(feature);
        nodes.modes.push('BRANCH_LEQ');
        nodes.values.push(float32AtMost(tree.threshold[i] as number));
      }
      nodes.trueIds.push(tree.left[i] as number);
      nodes.falseIds.push(tree.right[i] as number);
      nodes.missingTrue.push(tree.missingLeft[i] as number);
    });
  });
  const attributes = {
    nodes_treeids: { ints: nodes.treeIds },
    nodes_nodeids: { ints: nodes.nodeIds },
    nodes_featureids: { ints: nodes.featureIds },
    nodes_modes: { strings: nodes.modes },
    nodes_values: { floats: nodes.values },
    nodes_truenodeids: { ints: nodes.trueIds },
    nodes_falsenodeids: { ints: nodes.falseIds },
    nodes_missing_value_tracks_true: { ints: nodes.missingTrue },
    base_values: { floats: ensemble.baseScore },
  };
  const input = membership.withFeatures();
  if (!target.classes) {
    return g.op(
      'TreeEnsembleRegressor',
      [input],
      {
        ...attributes,
        n_targets: { int: 1 },
        target_treeids: { ints: leaves.treeIds },
        target_nodeids: { ints: leaves.nodeIds },
        target_ids: { ints: leaves.ids },
        target_weights: { floats: leaves.weights },
        aggregate_function: { string: 'SUM' },
        post_transform: { string: 'NONE' },
      },
      ML_DOMAIN,
    );
  }
  const [, probabilities] = g.opOutputs(
    'TreeEnsembleClassifier',
    [input],
    {
      ...attributes,
      classlabels_strings: { strings: target.classes },
      class_treeids: { ints: leaves.treeIds },
      class_nodeids: { ints: leaves.nodeIds },
      class_ids: { ints: leaves.ids },
      class_weights: { floats: leaves.weights },
      // One raw score for two classes: the runtime gives [1 - sigmoid, sigmoid].
      post_transform: { string: ensemble.objective === 'binary_logloss' ? 'LOGISTIC' : 'SOFTMAX' },
    },
    ML_DOMAIN,
    2,
  );
  return probabilities as string;
}

/** The membership columns categorical splits test, appended after the model's features. */
class MembershipColumns {
  private readonly columns: string[] = [];
  private readonly bySet = new Map<string, number>();
  private readonly featureColumn = new Map<number, string>();

  constructor(
    private readonly g: GraphBuilder,
    private readonly features: string,
    private readonly width: number,
  ) {}

  /** The feature index of "feature `feature` is in `set`", made on first use. */
  column(feature: number, set: readonly number[]): number {
    const sorted = [...new Set(set)].sort((a, b) => a - b);
    const key = `${feature}:${sorted.join(',')}`;
    const known = this.bySet.get(key);
    if (known !== undefined) return known;
    const g = this.g;
    const x = this.feature(feature);
    // An empty set holds nothing: 0 times x is 0, and NaN for NaN.
    const inSet =
      sorted.length === 0
        ? g.op('Mul', [x, g.floats('zero', [0], [])])
        : g.op('Where', [
            g.op('IsNaN', [x]),
            g.floats('nan', [Number.NaN], []),
            g.op(
              'ReduceMax',
              [g.op('Cast', [g.op('Equal', [x, g.floats(`set${feature}`, sorted)])], { to: { int: DataType.FLOAT } })],
              { axes: { ints: [1] }, keepdims: { int: 1 } },
            ),
          ]);
    this.columns.push(inSet);
    const index = this.width + this.columns.length - 1;
    this.bySet.set(key, index);
    return index;
  }

  /** The features the trees read: the model's, then the membership columns. */
  withFeatures(): string {
    if (this.columns.length === 0) return this.features;
    return this.g.op('Concat', [this.features, ...this.columns], { axis: { int: 1 } });
  }

  private feature(feature: number): string {
    let x = this.featureColumn.get(feature);
    if (x === undefined) {
      x = this.g.op('Gather', [this.features, this.g.int64s(`feature${feature}`, [feature])], { axis: { int: 1 } });
      this.featureColumn.set(feature, x);
    }
    return x;
  }
}

/** The largest float32 that is at most `t` (Math.fround rounds to nearest, which may be above). */
export function float32AtMost(t: number): number {
  const f = Math.fround(t);
  if (f <= t || Number.isNaN(t)) return f;
  const cell = new Float32Array([f]);
  const bits = new Uint32Array(cell.buffer);
  const b = bits[0] as number;
  // One float32 step down: a smaller magnitude for positives, a larger one for negatives (and -0).
  if (f === 0) bits[0] = 0x80000001;
  else if (b >>> 31 === 0) bits[0] = b - 1;
  else bits[0] = b + 1;
  return cell[0] as number;
}

function checkEnsemble(ensemble: TreeEnsembleJson, width: number, target: TreeTarget): void {
  const fail = (message: string) => new CairnError('invalid_argument', `The trees cannot be exported: ${message}`);
  if (ensemble.featureKinds.length !== width)
    throw fail(`they read ${ensemble.featureKinds.length} features and the preprocessing makes ${width}`);
  if (ensemble.trees.length === 0) throw fail('there are no trees');
  if (ensemble.treeOutputs.length !== ensemble.trees.length)
    throw fail('treeOutputs does not name one output per tree');
  if (ensemble.baseScore.length !== ensemble.nOutputs) throw fail('baseScore does not hold one score per output');
  const classes = target.classes;
  const expected = classes ? (ensemble.objective === 'binary_logloss' ? 1 : classes.length) : 1;
  const fits = classes
    ? (ensemble.objective === 'binary_logloss' && classes.length === 2) || ensemble.objective === 'softmax'
    : !['binary_logloss', 'softmax'].includes(ensemble.objective);
  if (!fits || ensemble.nOutputs !== expected)
    throw fail(
      `the ${ensemble.objective} objective with ${ensemble.nOutputs} outputs does not fit ${classes ? `${classes.length} classes` : 'a regression target'}`,
    );
  for (const tree of ensemble.trees) {
    const n = tree.feature.length;
    const columns = [tree.threshold, tree.left, tree.right, tree.missingLeft, tree.categories, tree.value];
    if (columns.some((c) => c.length !== n)) throw fail("a tree's node arrays differ in length");
    tree.feature.forEach((feature, i) => {
      if (feature >= width) throw fail(`a split reads feature ${feature} of ${width}`);
      if (feature >= 0 && !((tree.left[i] as number) < n && (tree.right[i] as number) < n))
        throw fail('a split names a node outside its tree');
    });
  }
  if (ensemble.treeOutputs.some((o) => o >= ensemble.nOutputs))
    throw fail('a tree adds to an output that does not exist');
}
