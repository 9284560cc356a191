// A trained model as one ONNX file that takes raw columns, as the endpoint does: the
// preprocessing manifest (preprocess-graph.ts), then the model (dense-graph.ts or tree-graph.ts),
// then the outputs (output-heads.ts). Opsets: ai.onnx 13 and ai.onnx.ml 3, which ONNX Runtime
// (1.10 and later) and the other common runtimes implement.
import type * as tf from '@tensorflow/tfjs';
import { CairnError } from '../errors.js';
import type { DenseLayer } from '../training/dense-forward.js';
import { denseChain } from '../training/dense-forward.js';
import { loadArtifacts } from '../training/artifacts.js';
import type { TreeEnsembleJson } from '../training/gbdt/tree-format.js';
import type { PreprocessManifest } from '../training/manifest.js';
import { featureCount } from '../training/preprocess.js';
import { denseGraph } from './dense-graph.js';
import { GraphBuilder, ML_DOMAIN } from './graph-builder.js';
import { encodeModel } from './onnx-proto.js';
import { classifierOutputs, OUTPUT_NAMES, regressorOutputs } from './output-heads.js';
import { featureMatrix } from './preprocess-graph.js';
import { treeGraph } from './tree-graph.js';

export { OUTPUT_NAMES } from './output-heads.js';

/**
 * The model part of an export: a dense chain (what buildModel makes) or a tree ensemble. Both read
 * the feature matrix the preprocessing manifest makes (transform's columns, in its order): for
 * trees, featureKinds[i] describes column i, and a categorical column is an index step's code
 * (1..k, 0 for missing or unknown), which the trees' category sets name.
 */
export type ExportableModel =
  | { kind: 'dense'; layers: readonly DenseLayer[] }
  /** Trees read missing values as NaN where their preprocessing keeps them (manifest.ts, MissingPolicy). */
  | { kind: 'trees'; trees: TreeEnsembleJson };

export interface OnnxExportInput {
  /** Shown by model viewers (the graph's name), e.g. "churn v3". */
  name: string;
  preprocess: PreprocessManifest;
  model: ExportableModel;
  /** The producer version written in the file (Cairn's version). */
  producerVersion: string;
}

const IR_VERSION = 8;
const OPSET = 13;
const ML_OPSET = 3;

/** The .onnx file's bytes for `input`. */
export function exportOnnx(input: OnnxExportInput): Uint8Array {
  const { preprocess, model } = input;
  const target = preprocess.target;
  if (!target) throw new CairnError('invalid_argument', 'The model has no target, so there is nothing to export');
  const reserved = Object.values(OUTPUT_NAMES) as string[];
  const clash = preprocess.features.find((s) => reserved.includes(s.column));
  if (clash)
    throw new CairnError(
      'invalid_argument',
      `The column "${clash.column}" has the name of an ONNX output (${reserved.join(', ')}), so it cannot also be an input`,
      { column: clash.column },
    );
  const g = new GraphBuilder();
  const width = featureCount(preprocess);
  const features = featureMatrix(g, preprocess);
  const classes = target.task === 'classification' ? target.classes : null;
  let out: string;
  if (model.kind === 'dense') {
    checkDense(model.layers, width, classes);
    out = denseGraph(g, features, model.layers);
  } else {
    out = treeGraph(g, features, width, model.trees, { classes });
  }
  if (classes) classifierOutputs(g, out, classes);
  else regressorOutputs(g, out, preprocess);
  return encodeModel({
    irVersion: IR_VERSION,
    opsets: [
      { domain: '', version: OPSET },
      { domain: ML_DOMAIN, version: ML_OPSET },
    ],
    producerName: 'Cairn',
    producerVersion: input.producerVersion,
    doc: `${input.name}: feed one [N, 1] input per column (see each input's description); outputs ${classes ? '"label" and "probabilities"' : '"value"'}.`,
    metadata: {
      'cairn.model': input.name,
      'cairn.target': target.column,
      ...(classes ? { 'cairn.classes': JSON.stringify(classes) } : {}),
    },
    graph: { name: input.name, nodes: g.nodes, initializers: g.initializers, inputs: g.inputs, outputs: g.outputs },
  });
}

/** The dense layers of a tfjs model taking `preprocess`'s features, or an error naming why not. */
export function denseLayersOf(model: tf.LayersModel, preprocess: PreprocessManifest): DenseLayer[] {
  const layers = denseChain(model, featureCount(preprocess));
  if (!layers)
    throw new CairnError(
      'invalid_argument',
      'Only a chain of Dense layers (logistic, linear regression, MLP) can be exported to ONNX',
    );
  return layers;
}

/** A saved model's export input parts, read (and checked) from its artifacts folder: a network or trees. */
export async function exportPartsFromFolder(
  dir: string,
  expectedSha256?: string,
): Promise<{ preprocess: PreprocessManifest; model: ExportableModel }> {
  const artifacts = await loadArtifacts(dir, expectedSha256);
  try {
    const { preprocess, trees, model } = artifacts;
    if (trees) return { preprocess, model: { kind: 'trees', trees } };
    return { preprocess, model: { kind: 'dense', layers: denseLayersOf(model!, preprocess) } };
  } finally {
    artifacts.dispose();
  }
}

function checkDense(layers: readonly DenseLayer[], width: number, classes: readonly string[] | null): void {
  const last = layers[layers.length - 1];
  const units = classes ? classes.length : 1;
  const ok =
    last !== undefined &&
    layers[0]?.inputs === width &&
    last.units === units &&
    (classes ? last.activation === 'softmax' : last.activation === 'linear') &&
    layers.every((l, i) => i === 0 || l.inputs === (layers[i - 1] as DenseLayer).units) &&
    layers.every((l) => l.kernel.length === l.inputs * l.units && l.bias.length === l.units);
  if (!ok)
    throw new CairnError(
      'invalid_argument',
      `The dense layers do not fit the preprocessing: ${width} features in, ${classes ? `a softmax over ${units} classes` : 'one linear value'} out`,
    );
}
