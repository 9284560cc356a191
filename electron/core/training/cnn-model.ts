// The convolutional network Cairn trains on pictures: blocks of 3×3 convolution → batch norm →
// ReLU → 2×2 max pooling, then global average pooling, dropout and a softmax layer. It takes flat
// rows of size × size × channels numbers (model-input.ts's HWC order) and reshapes them first, so
// the Predictor and everything that scores rows scores pictures unchanged. Initial weights and
// dropout masks come from the run's seed, as the dense kinds' do (models.ts).
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { choiceSchema } from '../../../shared/setting-schemas.js';
import { CNN_PRESET, type ChoiceValue } from '../../../shared/training-settings.js';
import { CairnError } from '../errors.js';
import type { ImageInput } from '../datasets/images/model-input.js';
import { BATCH_NORM } from './cnn-topology.js';
import { SeededDropout } from './models.js';
import { seededRandom } from './seeded-random.js';

export const CnnPreset = choiceSchema(CNN_PRESET);
export type CnnPreset = ChoiceValue<typeof CNN_PRESET>;

/** Filters per block and the dropout before the output layer, per preset. */
export const CNN_PRESETS: Record<CnnPreset, { filters: readonly number[]; dropout: number }> = {
  small: { filters: [16, 32, 64], dropout: 0.2 },
  medium: { filters: [32, 64, 128, 128], dropout: 0.3 },
};

export const CnnParams = z.object({
  preset: CnnPreset.default(CNN_PRESET.default),
});
export type CnnParams = z.infer<typeof CnnParams>;

/**
 * Builds an uncompiled CNN for pictures of `input`'s size and channels and `classes` classes
 * (at least 2), initial weights drawn from `seed`. A block whose input is already 1 pixel wide
 * keeps its convolution but skips the pooling (a 16-pixel input and a four-block preset).
 */
export function buildCnn(
  params: CnnParams,
  input: Pick<ImageInput, 'size' | 'channels'>,
  classes: number,
  seed: number,
): tf.Sequential {
  if (!Number.isInteger(classes) || classes < 2)
    throw new CairnError('invalid_argument', `Classification needs at least 2 classes, the pictures have ${classes}.`);
  const preset = CNN_PRESETS[params.preset];
  const random = seededRandom(seed);
  const nextSeed = () => Math.floor(random() * 0x7fffffff);
  const model = tf.sequential();
  model.add(
    tf.layers.reshape({
      inputShape: [input.size * input.size * input.channels],
      targetShape: [input.size, input.size, input.channels],
    }),
  );
  let side = input.size;
  for (const filters of preset.filters) {
    // No bias: the batch norm's offset that follows does its job.
    model.add(
      tf.layers.conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: nextSeed() }),
      }),
    );
    model.add(tf.layers.batchNormalization({ axis: -1, ...BATCH_NORM }));
    model.add(tf.layers.activation({ activation: 'relu' }));
    if (side >= 2) {
      model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'valid' }));
      side = Math.floor(side / 2);
    }
  }
  model.add(tf.layers.globalAveragePooling2d({}));
  if (preset.dropout > 0) model.add(new SeededDropout({ rate: preset.dropout, seed: nextSeed() }));
  model.add(
    tf.layers.dense({
      units: classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
      biasInitializer: 'zeros',
    }),
  );
  return model;
}
