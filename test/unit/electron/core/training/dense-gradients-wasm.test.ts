// On the wasm backend a training step adds the L2 penalty computed in JavaScript; it must be the
// number the backend's own tensor operations give, bit for bit, or a run's losses would change.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { l2PenaltyAsWasm } from '../../../../../electron/core/training/dense-gradients.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { onWasmBackend } from './wasm-backend.js';

onWasmBackend();

describe('l2PenaltyAsWasm', () => {
  it("gives tf.mul(l2, tf.sum(tf.square(w)))'s bits, and tf.addN's sum of them", () => {
    const random = seededRandom(11);
    // Kernel sizes of the default MLP (32×64, 64×32, 32×4) and odd ones; scales whose squares round.
    const shapes: [number, number][] = [
      [32, 64],
      [64, 32],
      [32, 4],
      [7, 3],
      [1, 1],
      [300, 17],
    ];
    for (const scale of [0.01, 0.3, 3]) {
      const l2 = 1 / (140_000 * scale);
      const kernels = shapes.map(([r, c]) =>
        tf.tensor2d(
          Float32Array.from({ length: r * c }, () => (random() * 2 - 1) * scale),
          [r, c],
        ),
      );
      const theirs = kernels.map((k) => tf.mul(l2, tf.sum(tf.square(k))));
      const mine = kernels.map((k) => l2PenaltyAsWasm(k.dataSync() as Float32Array, l2));
      mine.forEach((p, i) => expect(Object.is(p, theirs[i]!.dataSync()[0]), `kernel ${i}, scale ${scale}`).toBe(true));
      const total = tf.addN(theirs).dataSync()[0];
      expect(mine.reduce((sum, p) => Math.fround(sum + p))).toBe(total);
      tf.dispose([...kernels, ...theirs]);
    }
  });
});
