// The dense kinds' allow-list on model.json as saveArtifacts writes it: the largest model the
// trainer can make is accepted with its cost computed from the topology; a model past the caps
// is refused by its cost, before anything is allocated for it.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkModelTopology } from '../../../../../electron/core/training/kind-topologies.js';
import { buildModel } from '../../../../../electron/core/training/models.js';
import { TOPOLOGY_CAPS } from '../../../../../electron/core/training/topology.js';

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

/** A real Dense layer's saved config, from a tiny model: the template the big ones are made of. */
let dense: LayerJson;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = buildModel({ kind: 'logistic_regression' }, { task: 'classification', nFeatures: 3, nClasses: 2 }, 1);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const topology = artifacts.modelTopology as { config: { layers: LayerJson[] } };
      dense = topology.config.layers[0] as LayerJson;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  model.dispose();
});

/** model.json of a Sequential of Dense layers of `widths` (input first), as saveArtifacts writes it. */
function modelJson(widths: number[], output: 'softmax' | 'linear'): unknown {
  const layers: LayerJson[] = [];
  const weights: { name: string; shape: number[]; dtype: string }[] = [];
  for (let i = 1; i < widths.length; i++) {
    const { batch_input_shape: _shape, dtype: _dtype, ...rest } = dense.config;
    const name = `dense_Dense${i}`;
    const last = i === widths.length - 1;
    const config = {
      ...rest,
      name,
      units: widths[i],
      activation: last ? output : 'relu',
      ...(i === 1 ? { batch_input_shape: [null, widths[0]], dtype: 'float32' } : {}),
    };
    layers.push({ class_name: 'Dense', config });
    weights.push(
      { name: `${name}/kernel`, shape: [widths[i - 1] as number, widths[i] as number], dtype: 'float32' },
      { name: `${name}/bias`, shape: [widths[i] as number], dtype: 'float32' },
    );
  }
  return {
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential_1', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: ['weights.bin'], weights }],
  };
}

describe('dense topologies', () => {
  it("accepts the trainer's largest MLP (16 hidden layers of 4096) and computes its cost", () => {
    const widths = [2000, ...Array<number>(16).fill(4096), 10];
    const checked = checkModelTopology('mlp', modelJson(widths, 'softmax'));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const params = 2000 * 4096 + 15 * 4096 * 4096 + 4096 * 10 + 16 * 4096 + 10;
    expect(checked.cost).toEqual({
      params,
      flopsPerRow: 2 * (params - 16 * 4096 - 10) + 4 * (16 * 4096 + 10),
      activationsPerRow: 4096,
    });
    expect(checked.cost.params).toBeLessThan(TOPOLOGY_CAPS.params);
  });

  it('refuses a model over the parameter cap by its cost', () => {
    const checked = checkModelTopology('mlp', modelJson([1 << 20, 1000, 1], 'linear'));
    expect(checked).toEqual({
      ok: false,
      reason: `the model needs ${(1 << 20) * 1000 + 1000 + 1000 + 1} parameters (at most ${TOPOLOGY_CAPS.params})`,
    });
  });

  it('refuses an input wider than the activation cap', () => {
    const checked = checkModelTopology('linear_regression', modelJson([(1 << 20) + 1, 1], 'linear'));
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toMatch(/layer 1 \(dense_Dense1\): batch_input_shape\.1: Too big/);
  });
});
