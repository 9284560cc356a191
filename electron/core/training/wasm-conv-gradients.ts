// The convolution gradient tfjs's wasm backend lacks (tensorflow/tfjs#8474): Conv2DBackpropFilter,
// the filter's gradient, without which no convolutional network trains on wasm. Supplied here as
// im2col from kernels wasm has: the padded input's strided slices, one per filter tap, laid side
// by side make a matrix of patches whose product with the output's gradient is the filter's
// gradient, one matrix product that wasm does with XNNPACK. Every other kernel a small CNN's
// training needs (Conv2DBackpropInput, MaxPoolGrad, AvgPoolGrad; batch norm's gradient is built
// from plain ops) wasm has. test/unit/electron/core/training/wasm-conv-gradients.test.ts checks
// them all against the cpu backend.
import * as tf from '@tensorflow/tfjs';

interface WasmBackend {
  disposeData(dataId: unknown): boolean;
}

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

let registered = false;

/** Registers Conv2DBackpropFilter for the wasm backend once (it must be registered before use). */
export function registerWasmConvGradients(): void {
  if (registered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  registered = true;
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
}

/** dW[kh, kw, ci, co] = Σ over batch and output positions of x_padded[n, oh·s + kh, ow·s + kw, ci] · dy[n, oh, ow, co]. */
function conv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm takes NHWC, not ${attrs.dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize: n, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const made: tf.TensorInfo[] = [];
  const run = (name: string, inputs: tf.NamedTensorInfoMap | tf.TensorInfo[], kernelAttrs: object): tf.TensorInfo => {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
    const out = kernel.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: args.backend as tf.KernelBackend,
      attrs: kernelAttrs as tf.NamedAttrMap,
    }) as tf.TensorInfo;
    made.push(out);
    return out;
  };
  try {
    const { top, bottom, left, right } = padInfo;
    const padded =
      top || bottom || left || right
        ? run(
            'PadV2',
            { x },
            {
              paddings: [
                [0, 0],
                [top, bottom],
                [left, right],
                [0, 0],
              ],
              constantValue: 0,
            },
          )
        : x;
    // One slice per filter tap, in the filter's (kh, kw, ci) order along the last axis.
    const taps: tf.TensorInfo[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        taps.push(
          run(
            'StridedSlice',
            { x: padded },
            {
              begin: [0, i, j, 0],
              end: [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, ci],
              strides: [1, sh, sw, 1],
              beginMask: 0,
              endMask: 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            },
          ),
        );
      }
    }
    const patches = taps.length === 1 ? taps[0]! : run('Concat', taps, { axis: 3 });
    const rows = n * oh * ow;
    const a = run('Reshape', { x: patches }, { shape: [1, rows, kh * kw * ci] });
    const b = run('Reshape', { x: dy }, { shape: [1, rows, co] });
    const product = run('BatchMatMul', { a, b }, { transposeA: true, transposeB: false });
    const result = run('Reshape', { x: product }, { shape: attrs.filterShape });
    made.pop();
    return result;
  } finally {
    for (const t of made) backend.disposeData(t.dataId);
  }
}
