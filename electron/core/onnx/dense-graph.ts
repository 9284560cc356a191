// Dense models (logistic and linear regression, the MLP) as ONNX: one Gemm per layer, followed by
// the layer's activation, with tfjs's definitions (SELU's constants, softmax over the classes).
import type { DenseActivation, DenseLayer } from '../training/dense-forward.js';
import { SELU_SCALE, SELU_SCALE_ALPHA } from '../training/dense-forward.js';
import type { GraphBuilder } from './graph-builder.js';

/** The chain's output for the float [N, inputs] `features`. */
export function denseGraph(g: GraphBuilder, features: string, layers: readonly DenseLayer[]): string {
  let x = features;
  layers.forEach((layer, i) => {
    // Gemm's B is [K, N] row-major: tfjs's kernel (in × out, row-major) as it is.
    const y = g.op('Gemm', [
      x,
      g.floats(`dense${i}_kernel`, layer.kernel, [layer.inputs, layer.units]),
      g.floats(`dense${i}_bias`, layer.bias),
    ]);
    x = activation(g, layer.activation, y);
  });
  return x;
}

function activation(g: GraphBuilder, kind: DenseActivation, x: string): string {
  switch (kind) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x]);
    case 'tanh':
      return g.op('Tanh', [x]);
    case 'sigmoid':
      return g.op('Sigmoid', [x]);
    case 'softplus':
      return g.op('Softplus', [x]);
    case 'elu':
      return g.op('Elu', [x], { alpha: { float: 1 } });
    case 'selu':
      return g.op('Selu', [x], { alpha: { float: SELU_SCALE_ALPHA / SELU_SCALE }, gamma: { float: SELU_SCALE } });
    case 'softmax':
      return g.op('Softmax', [x], { axis: { int: 1 } });
  }
}
