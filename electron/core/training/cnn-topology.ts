// The allow-list of the 'cnn' kind (topology.ts says why there is one): model.json exactly as
// saveArtifacts writes what cnn-model.ts's buildCnn made: a Reshape of flat rows into a square
// picture, blocks of Conv2D (3×3, same padding, no bias) → BatchNormalization → ReLU, each with an
// optional 2×2 max pooling, then global average pooling, optional seeded dropout and a softmax
// Dense layer. Every config key and value is bounded, the weights manifest must be exactly the
// topology's weights in tfjs's order (trainable ones first, then the batch norms' moving
// statistics), and the cost is computed from the shapes. No TensorFlow.js here.
import { z } from 'zod';
import {
  firstIssue,
  GlorotUniform,
  Layer,
  LayerName,
  modelJsonOf,
  parseSequentialJson,
  SeededDropoutConfig,
  Seed,
  sequentialOf,
  weightsMismatch,
  Zeros,
} from './dense-topology.js';
import { TOPOLOGY_CAPS, type CheckedModelJson, type KindTopology, type ModelCost } from './topology.js';

/**
 * The momentum and epsilon of every batch norm layer buildCnn makes. Momentum 0.9 (PyTorch's
 * default; Keras' 0.99 averages over ten times as many steps): the moving statistics a trained
 * model predicts with must settle within the few hundred steps a small picture set gives.
 */
export const BATCH_NORM = { momentum: 0.9, epsilon: 0.001 } as const;

/** Blocks at most (the medium preset has four), and filters per convolution at most. */
const MAX_BLOCKS = 8;
const MAX_FILTERS = 1024;
/** The picture sides ImageInput allows. */
const Side = z.number().int().min(8).max(512);
const Channels = z.union([z.literal(1), z.literal(3)]);
const Pair = (n: number) => z.tuple([z.literal(n), z.literal(n)]);
const Ones = z.strictObject({ class_name: z.literal('Ones'), config: z.strictObject({}) });
const common = { name: LayerName, trainable: z.boolean() };

const ReshapeConfig = z.strictObject({
  ...common,
  target_shape: z.tuple([Side, Side, Channels]),
  batch_input_shape: z.tuple([z.null(), z.number().int().positive()]),
  dtype: z.literal('float32'),
});

/** tf.initializers.heNormal, as saved. */
const HeNormal = z.strictObject({
  class_name: z.literal('VarianceScaling'),
  config: z.strictObject({
    scale: z.literal(2),
    mode: z.literal('fan_in'),
    distribution: z.literal('normal'),
    seed: Seed,
  }),
});

const Conv2DConfig = z.strictObject({
  ...common,
  filters: z.number().int().min(1).max(MAX_FILTERS),
  kernel_initializer: HeNormal,
  kernel_regularizer: z.null(),
  kernel_constraint: z.null(),
  kernel_size: Pair(3),
  strides: Pair(1),
  padding: z.literal('same'),
  data_format: z.literal('channels_last'),
  dilation_rate: Pair(1),
  activation: z.literal('linear'),
  use_bias: z.literal(false),
  bias_initializer: Zeros,
  bias_regularizer: z.null(),
  activity_regularizer: z.null(),
  bias_constraint: z.null(),
});

const BatchNormConfig = z.strictObject({
  ...common,
  axis: z.literal(-1),
  momentum: z.literal(BATCH_NORM.momentum),
  epsilon: z.literal(BATCH_NORM.epsilon),
  center: z.literal(true),
  scale: z.literal(true),
  beta_initializer: Zeros,
  gamma_initializer: Ones,
  moving_mean_initializer: Zeros,
  moving_variance_initializer: Ones,
  beta_regularizer: z.null(),
  gamma_regularizer: z.null(),
  beta_constraint: z.null(),
  gamma_constraint: z.null(),
});

const ActivationConfig = z.strictObject({ ...common, activation: z.literal('relu') });

const MaxPoolConfig = z.strictObject({
  ...common,
  pool_size: Pair(2),
  padding: z.literal('valid'),
  strides: Pair(2),
  data_format: z.literal('channels_last'),
});

const GlobalAverageConfig = z.strictObject({ ...common, data_format: z.literal('channels_last') });

const SoftmaxConfig = z.strictObject({
  ...common,
  units: z.number().int().min(2).max(TOPOLOGY_CAPS.activationsPerRow),
  activation: z.literal('softmax'),
  use_bias: z.literal(true),
  kernel_initializer: GlorotUniform,
  bias_initializer: Zeros,
  kernel_regularizer: z.null(),
  bias_regularizer: z.null(),
  activity_regularizer: z.null(),
  kernel_constraint: z.null(),
  bias_constraint: z.null(),
});

/** The layers in the order buildCnn adds them: a block is the middle four, its pooling optional. */
const GRAMMAR = [
  'Reshape',
  'Conv2D',
  'BatchNormalization',
  'Activation',
  'MaxPooling2D',
  'GlobalAveragePooling2D',
  'SeededDropout',
  'Dense',
] as const;
type LayerClass = (typeof GRAMMAR)[number];
const CONFIGS: Record<LayerClass, z.ZodType<Record<string, unknown>>> = {
  Reshape: ReshapeConfig,
  Conv2D: Conv2DConfig,
  BatchNormalization: BatchNormConfig,
  Activation: ActivationConfig,
  MaxPooling2D: MaxPoolConfig,
  GlobalAveragePooling2D: GlobalAverageConfig,
  SeededDropout: SeededDropoutConfig,
  Dense: SoftmaxConfig,
};

/** What may follow each layer class (and what the first layer is). */
const NEXT: Record<LayerClass | 'start', readonly LayerClass[]> = {
  start: ['Reshape'],
  Reshape: ['Conv2D'],
  Conv2D: ['BatchNormalization'],
  BatchNormalization: ['Activation'],
  Activation: ['MaxPooling2D', 'Conv2D', 'GlobalAveragePooling2D'],
  MaxPooling2D: ['Conv2D', 'GlobalAveragePooling2D'],
  GlobalAveragePooling2D: ['SeededDropout', 'Dense'],
  SeededDropout: ['Dense'],
  Dense: [],
};

const MAX_LAYERS = 4 + 4 * MAX_BLOCKS;
const Sequential = sequentialOf(MAX_LAYERS);
// Three trainable weights per block (kernel, gamma, beta) and two moving statistics, plus the head's two.
const ModelJson = modelJsonOf(5 * MAX_BLOCKS + 2);

/** The allow-list of a CNN as buildCnn makes it. */
export const cnnTopology: KindTopology = (value) => {
  const parsed = parseSequentialJson(value, ModelJson, Sequential);
  if (!parsed.ok) return parsed;
  const { json, seq } = parsed;
  const raw = seq.config.layers;
  const layers: { class_name: LayerClass; config: Record<string, unknown> }[] = [];
  const trainable: { name: string; shape: number[] }[] = [];
  const moving: { name: string; shape: number[] }[] = [];
  const names = new Set<string>();
  const cost: ModelCost = { params: 0, flopsPerRow: 0, activationsPerRow: 0 };
  // The activation's shape as it flows: side × side × channels.
  let side = 0;
  let channels = 0;
  let picture = { size: 0, channels: 0 };
  let blocks = 0;
  let previous: LayerClass | 'start' = 'start';
  for (const [i, item] of raw.entries()) {
    const layer = Layer.safeParse(item);
    const given = layer.success ? layer.data.config : undefined;
    const shown = `layer ${i + 1}${LayerName.safeParse(given?.name).success ? ` (${String(given?.name)})` : ''}`;
    if (!layer.success) return { ok: false, reason: `${shown}: ${firstIssue(layer.error)}` };
    const cls = layer.data.class_name as LayerClass;
    if (!(GRAMMAR as readonly string[]).includes(cls))
      return {
        ok: false,
        reason: `${shown}: class ${JSON.stringify(layer.data.class_name).slice(1, -1)} is not one Cairn builds`,
      };
    if (!NEXT[previous].includes(cls))
      return {
        ok: false,
        reason: `${shown}: a ${cls} layer cannot follow ${previous === 'start' ? 'nothing' : `a ${previous}`}`,
      };
    const parsed = CONFIGS[cls].safeParse(layer.data.config);
    if (!parsed.success) return { ok: false, reason: `${shown}: ${firstIssue(parsed.error)}` };
    const config = parsed.data as { name: string } & Record<string, unknown>;
    if (names.has(config.name)) return { ok: false, reason: `${shown}: the layer name is used twice` };
    names.add(config.name);
    const area = side * side;
    switch (cls) {
      case 'Reshape': {
        const [h, w, c] = config.target_shape as [number, number, number];
        const [, flat] = config.batch_input_shape as [null, number];
        if (h !== w) return { ok: false, reason: `${shown}: the picture must be square, not ${h}×${w}` };
        if (flat !== h * w * c)
          return { ok: false, reason: `${shown}: ${flat} inputs cannot be reshaped to ${h}×${w}×${c}` };
        side = h;
        channels = c;
        picture = { size: h, channels: c };
        cost.activationsPerRow = flat;
        break;
      }
      case 'Conv2D': {
        if (++blocks > MAX_BLOCKS) return { ok: false, reason: `${shown}: more than ${MAX_BLOCKS} blocks` };
        const filters = config.filters as number;
        trainable.push({ name: `${config.name}/kernel`, shape: [3, 3, channels, filters] });
        cost.params += 9 * channels * filters;
        cost.flopsPerRow += 2 * 9 * channels * filters * area;
        channels = filters;
        cost.activationsPerRow = Math.max(cost.activationsPerRow, area * channels);
        break;
      }
      case 'BatchNormalization':
        trainable.push(
          { name: `${config.name}/gamma`, shape: [channels] },
          { name: `${config.name}/beta`, shape: [channels] },
        );
        moving.push(
          { name: `${config.name}/moving_mean`, shape: [channels] },
          { name: `${config.name}/moving_variance`, shape: [channels] },
        );
        cost.params += 4 * channels;
        cost.flopsPerRow += 4 * area * channels;
        break;
      case 'Activation':
        cost.flopsPerRow += area * channels;
        break;
      case 'MaxPooling2D':
        if (side < 2) return { ok: false, reason: `${shown}: a ${side}×${side} picture cannot be pooled` };
        cost.flopsPerRow += area * channels;
        side = Math.floor(side / 2);
        break;
      case 'GlobalAveragePooling2D':
        cost.flopsPerRow += area * channels;
        side = 1;
        break;
      case 'SeededDropout':
        break;
      case 'Dense': {
        const units = config.units as number;
        trainable.push(
          { name: `${config.name}/kernel`, shape: [channels, units] },
          { name: `${config.name}/bias`, shape: [units] },
        );
        cost.params += channels * units + units;
        cost.flopsPerRow += 2 * channels * units + 4 * units;
        cost.activationsPerRow = Math.max(cost.activationsPerRow, units);
        break;
      }
    }
    layers.push({ class_name: cls, config });
    previous = cls;
  }
  if (previous !== 'Dense') return { ok: false, reason: 'the model must end in its softmax Dense layer' };
  const [group] = json.weightsManifest;
  const mismatch = weightsMismatch(group.weights, [...trainable, ...moving]);
  if (mismatch) return { ok: false, reason: mismatch };
  const modelJson: CheckedModelJson = {
    modelTopology: { ...seq, config: { ...seq.config, layers } },
    weightsManifest: [group],
  };
  return { ok: true, cost, modelJson, picture };
};
