// The convolution gradients on tfjs's wasm backend. It lacks Conv2DBackpropFilter
// (tensorflow/tfjs#8474), without which no convolutional network trains on wasm, and its
// Conv2DBackpropInput is a plain loop many times slower than its forward Conv2D (XNNPACK). Both
// are computed here as forward convolutions, the standard identities:
// - the filter's gradient is the input correlated with the output's gradient: batch and channels
//   swap roles (x as [ci, h, w, n] convolved with dy as an [oh, ow, n, co] filter, dilated by the
//   stride), giving [ci, kh, kw, co];
// - the input's gradient (stride 1) is the output's gradient convolved with the filter turned by
//   180° and its channels swapped, padded so the result has the input's size.
// Other strides of the input's gradient keep wasm's own kernel. Batch norm's gradient tiles
// per-channel values over the picture, which wasm's Tile does an index at a time: a tile that is a
// broadcast is an addition here. Every other kernel a small CNN's training needs wasm has. test/unit/electron/core/training/wasm-conv-gradients.test.ts checks
// them all against the cpu backend.
import * as tf from '@tensorflow/tfjs';

interface WasmBackend {
  disposeData(dataId: unknown): boolean;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
type Shape4 = [number, number, number, number];

interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** Conv2DBackpropFilter's. */
  filterShape?: Shape4;
  /** Conv2DBackpropInput's. */
  inputShape?: Shape4;
}

let registered = false;

/** Registers the gradients (and the tile) for the wasm backend once, before any wasm kernel runs. */
export function registerWasmConvGradients(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm'))
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
  preferOnWasm('Tile', broadcastTile);
  preferOnWasm('Conv2DBackpropInput', conv2dBackpropInput);
}

/** Re-registers wasm's kernel `name` to run `fast` first, and wasm's own where `fast` declines (undefined). */
function preferOnWasm(name: string, fast: (args: KernelArgs) => tf.TensorInfo | undefined): void {
  const own = tf.getKernel(name, 'wasm');
  if (!own) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...own, kernelFunc: (args) => fast(args) ?? own.kernelFunc(args) });
}

/** Runs wasm kernels by name on the backend a kernel was given, and frees what they made but the result. */
function kernelRunner(args: KernelArgs) {
  const made: tf.TensorInfo[] = [];
  const run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: object): tf.TensorInfo => {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
    const out = kernel.kernelFunc({
      inputs,
      backend: args.backend as tf.KernelBackend,
      attrs: attrs as tf.NamedAttrMap,
    }) as tf.TensorInfo;
    made.push(out);
    return out;
  };
  /** Frees every intermediate; `result` (the last one made) is kept. */
  const finish = (result?: tf.TensorInfo) => {
    for (const t of made) if (t !== result) (args.backend as WasmBackend).disposeData(t.dataId);
  };
  return { run, finish };
}

function convInfo(xShape: Shape4, filterShape: Shape4, attrs: ConvGradAttrs): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`convolution gradients on wasm take NHWC, not ${attrs.dataFormat}`);
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/**
 * dW[kh, kw, ci, co] = Σ over n, oh, ow of x_padded[n, oh·s + kh, ow·s + kw, ci] · dy[n, oh, ow, co]:
 * a convolution of x as [ci, h, w, n] with dy as an [oh, ow, n, co] filter dilated by the stride.
 */
function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: Shape4 };
  const info = convInfo(x.shape as Shape4, attrs.filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const { run, finish } = kernelRunner(args);
  let result: tf.TensorInfo | undefined;
  try {
    const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    let grad = run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padInfo.top, padInfo.bottom],
          [padInfo.left, padInfo.right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [sh, sw],
      },
    );
    // Rows or columns the forward convolution's stride never reached come out past the filter's size.
    if (grad.shape[1] !== kh || grad.shape[2] !== kw)
      grad = run('Slice', { x: grad }, { begin: [0, 0, 0, 0], size: [info.inChannels, kh, kw, info.outChannels] });
    result = run('Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
    return result;
  } finally {
    finish(result);
  }
}

/**
 * dx = dy (padded) convolved with the filter turned by 180° and its channels swapped; stride 1
 * only (undefined otherwise, for wasm's own kernel).
 */
function conv2dBackpropInput(args: KernelArgs): tf.TensorInfo | undefined {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: Shape4 };
  const info = convInfo(attrs.inputShape, filter.shape as Shape4, attrs);
  const { filterHeight: kh, filterWidth: kw, padInfo, inHeight, inWidth, outHeight, outWidth } = info;
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return undefined;
  const top = kh - 1 - padInfo.top;
  const left = kw - 1 - padInfo.left;
  const bottom = inHeight + kh - 1 - outHeight - top;
  const right = inWidth + kw - 1 - outWidth - left;
  if (Math.min(top, left, bottom, right) < 0) return undefined;
  const { run, finish } = kernelRunner(args);
  let result: tf.TensorInfo | undefined;
  try {
    const turned = run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = run('Transpose', { x: turned }, { perm: [0, 1, 3, 2] });
    result = run(
      'Conv2D',
      { x: dy, filter: swapped },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    );
    return result;
  } finally {
    finish(result);
  }
}

/**
 * A tile that only repeats axes of size 1 (batch norm's gradient tiles its per-channel statistics
 * over the batch and the picture) is a broadcast: zeros of the result's shape plus x, which wasm
 * adds in native code, where its Tile kernel walks every output index (undefined otherwise, for
 * wasm's own kernel).
 */
function broadcastTile(args: KernelArgs): tf.TensorInfo | undefined {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { reps } = args.attrs as unknown as { reps: number[] };
  if (x.dtype !== 'float32' || reps.some((r, i) => r !== 1 && x.shape[i] !== 1)) return undefined;
  const { run, finish } = kernelRunner(args);
  let result: tf.TensorInfo | undefined;
  try {
    const zeros = run('Fill', {}, { shape: x.shape.map((n, i) => n * reps[i]!), value: 0, dtype: 'float32' });
    result = run('Add', { a: zeros, b: x }, {});
    return result;
  } finally {
    finish(result);
  }
}
