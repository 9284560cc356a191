import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { onWasmBackend } from './wasm-backend.js';

onWasmBackend();

interface Case {
  batch: number;
  size: [number, number];
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { batch: 1, size: [5, 5], inChannels: 1, outChannels: 1, kernel: 3, stride: 1, pad: 'valid' },
  { batch: 3, size: [8, 7], inChannels: 2, outChannels: 4, kernel: 3, stride: 1, pad: 'same' },
  { batch: 2, size: [9, 9], inChannels: 3, outChannels: 5, kernel: 3, stride: 2, pad: 'same' },
  { batch: 4, size: [10, 6], inChannels: 2, outChannels: 3, kernel: 3, stride: 2, pad: 'valid' },
  { batch: 2, size: [6, 6], inChannels: 4, outChannels: 2, kernel: 1, stride: 1, pad: 'same' },
  { batch: 2, size: [7, 8], inChannels: 3, outChannels: 6, kernel: 5, stride: 2, pad: 'same' },
];

type Shape4 = [number, number, number, number];

/** Every gradient of a conv → batch norm → ReLU → pooling block's loss, on the backend in use. */
function blockGradients(c: Case, x: Float32Array, w: Float32Array, pooling: 'max' | 'avg'): Float32Array[] {
  const xShape: Shape4 = [c.batch, c.size[0], c.size[1], c.inChannels];
  const wShape: Shape4 = [c.kernel, c.kernel, c.inChannels, c.outChannels];
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape);
    const wt = tf.tensor4d(w, wShape);
    const gamma = tf.linspace(0.5, 1.5, c.outChannels);
    const beta = tf.linspace(-0.2, 0.3, c.outChannels);
    const f = (xv: tf.Tensor4D, wv: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D) => {
      const conv = tf.conv2d(xv, wv, c.stride, c.pad);
      const { mean, variance } = tf.moments(conv, [0, 1, 2]);
      const normed = tf.relu(tf.batchNorm(conv, mean, variance, b, g, 1e-3)) as tf.Tensor4D;
      const pooled = pooling === 'max' ? tf.maxPool(normed, 2, 2, 'same') : tf.avgPool(normed, 2, 2, 'same');
      // A weighted sum, so every position's gradient differs.
      const weights = tf.linspace(-1, 1, pooled.size).reshape(pooled.shape);
      return tf.sum(tf.mul(pooled, weights));
    };
    const grads = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([xt, wt, gamma, beta]);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

function values(n: number, random: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

describe('convolution gradients on wasm', () => {
  it('registers the filter gradient wasm lacks', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(CASES)('equal the cpu backend’s to 1e-4: %o', async (c) => {
    const random = seededRandom(c.batch * 31 + c.kernel * 7 + c.stride);
    const x = values(c.batch * c.size[0] * c.size[1] * c.inChannels, random);
    const w = values(c.kernel * c.kernel * c.inChannels * c.outChannels, random);
    for (const pooling of ['max', 'avg'] as const) {
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const onWasm = blockGradients(c, x, w, pooling);
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('cpu');
      const onCpu = blockGradients(c, x, w, pooling);
      onWasm.forEach((g, i) => {
        const want = onCpu[i]!;
        expect(g.length).toBe(want.length);
        let worst = 0;
        g.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - want[j]!) / Math.max(1, Math.abs(want[j]!)))));
        expect(worst).toBeLessThan(1e-4);
      });
    }
    await tf.setBackend('wasm');
  });
});
