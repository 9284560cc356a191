import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../../electron/core/training/backend.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

const preferred = process.env.CAIRN_BACKEND;
afterAll(() => {
  if (preferred === undefined) delete process.env.CAIRN_BACKEND;
  else process.env.CAIRN_BACKEND = preferred;
});

describe('selectBackend', () => {
  it('starts wasm when asked, whose products with a transposed operand equal the cpu backend’s', async () => {
    process.env.CAIRN_BACKEND = 'wasm';
    const choice = await selectBackend();
    expect(choice).toMatchObject({ name: 'wasm', tried: [{ name: 'wasm', ok: true }] });
    expect(tf.getBackend()).toBe('wasm');

    const random = seededRandom(1);
    const values = (n: number) => Float32Array.from({ length: n }, () => random() * 2 - 1);
    const [a, b, bias] = [values(2 * 5 * 3), values(2 * 5 * 4), values(4)];
    // Every transpose combination, batched (rank 3) and 2-D, plain and fused with bias and relu.
    const products = () =>
      tf.tidy(() => {
        const a3 = tf.tensor3d(a, [2, 5, 3]);
        const b3 = tf.tensor3d(b, [2, 5, 4]);
        const a2 = tf.tensor2d(a.subarray(0, 15), [5, 3]);
        const b2 = tf.tensor2d(b.subarray(0, 20), [5, 4]);
        const results = [
          tf.matMul(a3, b3, true, false),
          tf.matMul(tf.transpose(b3, [0, 2, 1]), a3, false, false),
          tf.matMul(a2, tf.transpose(b2), true, true),
          tf.matMul(b2.transpose(), a2, false, false),
          tf.matMul(a2.transpose(), b2.transpose(), false, true),
          tf.fused.matMul({ a: a2, b: b2, transposeA: true, bias: tf.tensor1d(bias), activation: 'relu' }),
          tf.fused.matMul({ a: a3, b: tf.transpose(b3, [0, 2, 1]), transposeA: true, transposeB: true }),
        ];
        return results.map((r) => ({ shape: r.shape, values: Array.from(r.dataSync()) }));
      });
    const before = tf.memory().numTensors;
    const onWasm = products();
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    const onCpu = products();
    onWasm.forEach((r, i) => {
      expect(r.shape).toEqual(onCpu[i]!.shape);
      r.values.forEach((v, j) => expect(v).toBeCloseTo(onCpu[i]!.values[j]!, 5));
    });
  });
});
