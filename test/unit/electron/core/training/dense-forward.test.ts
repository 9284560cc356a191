// The endpoint's plain-JavaScript forward pass gives tfjs's predictions (within float32 rounding)
// for the models Cairn trains, for every activation, and declines what it cannot compute.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDenseForward } from '../../../../../electron/core/training/dense-forward.js';
import type { ServedModel } from '../../../../../electron/core/serving/protocol.js';
import { loadArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { SeededDropout } from '../../../../../electron/core/training/models.js';
import { predictProba, predictValues } from '../../../../../electron/core/training/train-loop.js';
import { tempDir } from '../helpers.js';
import { trainServed } from '../serving/fixtures.js';

process.env.CAIRN_BACKEND = 'cpu';

let cleanup: () => Promise<void>;
let models: ServedModel[];

beforeAll(async () => {
  const { selectBackend } = await import('../../../../../electron/core/training/backend.js');
  await selectBackend();
  let dir: string;
  ({ dir, cleanup } = await tempDir('cairn-dense-'));
  models = await trainServed(dir, ['flowers:1', 'flowers:2', 'prices']);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

function rows(n: number, width: number, seed = 1): Float32Array {
  let s = seed;
  const x = new Float32Array(n * width);
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    x[i] = (s / 2 ** 31) * 6 - 3;
  }
  return x;
}

function expectClose(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(
      1e-5 * Math.max(1, Math.abs(b[i] as number)),
    );
}

describe('compileDenseForward', () => {
  it('matches predictProba and predictValues on trained models', async () => {
    for (const spec of models) {
      const { model: loaded, preprocess } = await loadArtifacts(spec.dir, spec.sha256);
      const model = loaded!;
      try {
        const width = model.inputs[0]!.shape[1] as number;
        const forward = compileDenseForward(model, width);
        expect(forward).toBeDefined();
        for (const n of [1, 3, 16, 200]) {
          const x = rows(n, width, n);
          const want =
            preprocess.target?.task === 'classification'
              ? await predictProba(model, x, width)
              : await predictValues(model, x, width);
          expectClose(forward!(x, n), want);
        }
      } finally {
        model.dispose();
      }
    }
  });

  it('matches tfjs for every activation, with dropout between layers', () => {
    for (const activation of ['relu', 'tanh', 'elu', 'selu', 'sigmoid', 'softplus', 'linear'] as const) {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [5], units: 7, activation }),
          new SeededDropout({ rate: 0.3, seed: 1 }),
          tf.layers.dense({ units: 6, activation }),
          tf.layers.dropout({ rate: 0.2 }),
          tf.layers.dense({ units: 4, activation: 'softmax' }),
        ],
      });
      try {
        const forward = compileDenseForward(model, 5);
        expect(forward, activation).toBeDefined();
        const x = rows(9, 5);
        const want = tf.tidy(() => (model.predict(tf.tensor2d(x, [9, 5])) as tf.Tensor).dataSync() as Float32Array);
        expectClose(forward!(x, 9), want);
      } finally {
        model.dispose();
      }
    }
  });

  it('gives the numbers of a row-by-row float32 pass bit for bit, zeros skipped', () => {
    // Widths that are not multiples of the four units summed together, and inputs with zeros (a
    // ReLU's outputs have many): the sums must still run in input order, rounded at every step.
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [7], units: 13, activation: 'relu', kernelInitializer: 'randomNormal' }),
        tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: 'randomNormal' }),
        tf.layers.dense({ units: 3, activation: 'linear' }),
      ],
    });
    try {
      const x = rows(40, 7, 5);
      for (let i = 0; i < x.length; i += 3) x[i] = 0;
      const got = compileDenseForward(model, 7)!(x, 40);
      // The pass the endpoint used before: out[r] += x[r][i] × kernel[i] over a Float32Array, input by input.
      let a = x;
      for (const layer of model.layers) {
        const [kernel, bias] = layer.getWeights().map((w) => w.dataSync() as Float32Array) as [
          Float32Array,
          Float32Array,
        ];
        const units = bias.length;
        const inputs = kernel.length / units;
        const out = new Float32Array(40 * units);
        for (let r = 0; r < 40; r++) {
          out.set(bias, r * units);
          for (let i = 0; i < inputs; i++) {
            const v = a[r * inputs + i]!;
            if (v === 0) continue;
            for (let j = 0; j < units; j++) out[r * units + j] = out[r * units + j]! + v * kernel[i * units + j]!;
          }
        }
        if (layer.getConfig().activation === 'relu') out.forEach((v, i) => (out[i] = v < 0 ? 0 : v));
        a = out;
      }
      expect(Array.from(got)).toEqual(Array.from(a));
    } finally {
      model.dispose();
    }
  });

  it('declines layers it does not know and models too big to gain', () => {
    const norm = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 4 }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const noBias = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 1, useBias: false })] });
    const big = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [512], units: 512 }), tf.layers.dense({ units: 1 })],
    });
    try {
      expect(compileDenseForward(norm, 3)).toBeUndefined();
      expect(compileDenseForward(noBias, 3)).toBeUndefined();
      expect(compileDenseForward(big, 512)).toBeUndefined();
    } finally {
      for (const m of [norm, noBias, big]) m.dispose();
    }
  });
});
