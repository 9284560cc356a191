import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { buildCnn } from '../../../../../electron/core/training/cnn-model.js';
import { checkModelTopology } from '../../../../../electron/core/training/kind-topologies.js';
import { tempDirFor } from '../helpers.js';

const temp = tempDirFor('file', 'cairn-cnn-topology-');
type Json = { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } } & {
  weightsManifest: [{ weights: { name: string; shape: number[] }[] }];
};
let saved: Json;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = buildCnn({ preset: 'small' }, { size: 16, channels: 1 }, 3, 9);
  const dir = path.join(temp.dir, 'model');
  await saveArtifacts(
    dir,
    { network: model },
    { format: 'cairn-preprocess/1', features: [], featureNames: [], dropped: [], target: null, fittedRows: 0 },
    {
      format: 'cairn-model-card/1',
      task: 'classification',
      target: 'label',
      classes: ['a', 'b', 'c'],
      features: [],
      metrics: {},
      modelKind: 'cnn',
      backend: 'cpu',
      tfjsVersion: tf.version.tfjs,
      createdAt: new Date(0).toISOString(),
    },
  );
  model.dispose();
  saved = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as Json;
});

const edited = (edit: (json: Json) => void): Json => {
  const json = structuredClone(saved);
  edit(json);
  return json;
};

describe('the cnn allow-list', () => {
  it('accepts the CNN buildCnn makes, with its cost from the shapes', () => {
    const checked = checkModelTopology('cnn', saved);
    if (!checked.ok) throw new Error(checked.reason);
    // Kernels 3·3·(1·16 + 16·32 + 32·64), batch norms 4·(16 + 32 + 64), the head 64·3 + 3.
    expect(checked.cost.params).toBe(9 * (16 + 512 + 2048) + 4 * 112 + 195);
    expect(checked.cost.activationsPerRow).toBe(16 * 16 * 16);
    // And the dense kinds' lists refuse it.
    expect(checkModelTopology('mlp', saved).ok).toBe(false);
  });

  it.each([
    [
      'a convolution with another padding',
      (j: Json) => (j.modelTopology.config.layers[1]!.config.padding = 'valid'),
      /padding/,
    ],
    [
      'a layer class it never builds',
      (j: Json) => (j.modelTopology.config.layers[3]!.class_name = 'Lambda'),
      /class Lambda is not one Cairn builds/,
    ],
    [
      'layers out of order',
      (j: Json) => j.modelTopology.config.layers.splice(2, 1),
      /a Activation layer cannot follow a Conv2D/,
    ],
    [
      'a reshape that does not match its input',
      (j: Json) => (j.modelTopology.config.layers[0]!.config.batch_input_shape = [null, 300]),
      /300 inputs cannot be reshaped to 16×16×1/,
    ],
    [
      'weights that differ from the topology',
      (j: Json) => (j.weightsManifest[0].weights[0]!.shape = [3, 3, 1, 17]),
      /should be conv2d_Conv2D\d+\/kernel \[3, 3, 1, 16\]/,
    ],
    ['no output layer', (j: Json) => j.modelTopology.config.layers.pop(), /weights manifest|softmax Dense/],
  ])('refuses %s', (_what, edit, reason) => {
    const checked = checkModelTopology('cnn', edited(edit));
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toMatch(reason);
  });
});
