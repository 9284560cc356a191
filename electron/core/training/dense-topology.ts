// The allow-list of the dense kinds (logistic, linear, MLP): model.json exactly as saveArtifacts
// writes what buildModel made (a tfjs Sequential of Dense layers, SeededDropout between them),
// every config key and value bounded, and a weights manifest that is exactly the topology's
// kernels and biases in float32. Anything else is refused with the layer and the reason.
import { z } from 'zod';
import { TOPOLOGY_CAPS, type CheckedModelJson, type KindTopology, type ModelCost } from './topology.js';

/** buildModel's hidden activations (models.ts's Activation) plus the output layer's softmax. */
const ACTIVATIONS = ['relu', 'tanh', 'elu', 'selu', 'sigmoid', 'softplus', 'linear', 'softmax'] as const;
type DenseActivation = (typeof ACTIVATIONS)[number];

/** 16 hidden layers (the trainer's bound), each with its dropout, and the output layer. */
const MAX_LAYERS = 33;

/** tfjs layer names as buildModel gets them (dense_Dense3, seeded_dropout_SeededDropout1). */
export const LayerName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'not a layer name tfjs gives');
export const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const Width = z.number().int().min(1).max(TOPOLOGY_CAPS.activationsPerRow);

/** tf.initializers.glorotUniform, as saved. */
export const GlorotUniform = z.strictObject({
  class_name: z.literal('VarianceScaling'),
  config: z.strictObject({
    scale: z.literal(1),
    mode: z.literal('fan_avg'),
    distribution: z.literal('uniform'),
    seed: Seed,
  }),
});
export const Zeros = z.strictObject({ class_name: z.literal('Zeros'), config: z.strictObject({}) });
/** tf.regularizers.l2, as saved (ModelParams bounds l2 to [0, 10]). */
const L1L2 = z.strictObject({
  class_name: z.literal('L1L2'),
  config: z.strictObject({ l1: z.number().min(0).max(10), l2: z.number().min(0).max(10) }),
});

const DenseConfig = z.strictObject({
  units: Width,
  activation: z.enum(ACTIVATIONS),
  use_bias: z.literal(true),
  kernel_initializer: GlorotUniform,
  bias_initializer: Zeros,
  kernel_regularizer: L1L2.nullable(),
  bias_regularizer: z.null(),
  activity_regularizer: z.null(),
  kernel_constraint: z.null(),
  bias_constraint: z.null(),
  name: LayerName,
  trainable: z.boolean(),
  /** On the first layer only: [batch, features]. */
  batch_input_shape: z.tuple([z.null(), Width]).optional(),
  dtype: z.literal('float32').optional(),
});

export const SeededDropoutConfig = z.strictObject({
  name: LayerName,
  trainable: z.boolean(),
  rate: z.number().min(0).max(0.9),
  seed: Seed,
});

/** The classes a dense model holds, each with its config's schema. */
const LAYER_CONFIGS = { Dense: DenseConfig, SeededDropout: SeededDropoutConfig } as const;
type LayerClass = keyof typeof LAYER_CONFIGS;

export const Layer = z.strictObject({ class_name: z.string().max(128), config: z.record(z.string(), z.unknown()) });

/** A tfjs Sequential model's topology of at most `maxLayers` layers (each checked by its kind). */
export function sequentialOf(maxLayers: number) {
  return z.strictObject({
    class_name: z.literal('Sequential'),
    config: z.strictObject({ name: LayerName, layers: z.array(z.unknown()).min(1).max(maxLayers) }),
    keras_version: z.string().max(64),
    backend: z.string().max(64),
  });
}
const Sequential = sequentialOf(MAX_LAYERS);

export const WeightSpec = z.strictObject({
  name: z.string().max(300),
  shape: z.array(z.number().int().nonnegative()).max(4),
  dtype: z.literal('float32'),
});
export type WeightSpec = z.infer<typeof WeightSpec>;

/** model.json as saveArtifacts writes it, listing at most `maxWeights` weights in one file. */
export function modelJsonOf(maxWeights: number) {
  return z.strictObject({
    format: z.literal('layers-model'),
    generatedBy: z.string().max(128).optional(),
    convertedBy: z.null().optional(),
    modelTopology: z.unknown(),
    // Bare-name checks on the paths are the callers' (they know the folder or the zip).
    weightsManifest: z.tuple([
      z.strictObject({ paths: z.tuple([z.string().max(200)]), weights: z.array(WeightSpec).max(maxWeights) }),
    ]),
  });
}
const ModelJson = modelJsonOf(2 * MAX_LAYERS);

/** A model.json and its Sequential topology parsed by a kind's schemas, or why they do not parse. */
export function parseSequentialJson(
  value: unknown,
  modelJson: ReturnType<typeof modelJsonOf>,
  sequential: ReturnType<typeof sequentialOf>,
): { ok: false; reason: string } | { ok: true; json: z.infer<typeof modelJson>; seq: z.infer<typeof sequential> } {
  const json = modelJson.safeParse(value);
  if (!json.success) return { ok: false, reason: `model.json ${firstIssue(json.error)}` };
  const seq = sequential.safeParse(json.data.modelTopology);
  if (!seq.success)
    return { ok: false, reason: `the topology is not a Sequential model Cairn builds (${firstIssue(seq.error)})` };
  return { ok: true, json: json.data, seq: seq.data };
}

/** Why a weights manifest is not exactly `want` (names and shapes, in order), or undefined when it is. */
export function weightsMismatch(
  weights: readonly WeightSpec[],
  want: readonly { name: string; shape: number[] }[],
): string | undefined {
  if (weights.length !== want.length)
    return `the weights manifest lists ${weights.length} weights where the topology has ${want.length}`;
  for (const [i, w] of want.entries()) {
    const got = weights[i]!;
    if (got.name !== w.name || got.shape.length !== w.shape.length || got.shape.some((n, k) => n !== w.shape[k]))
      return `weight ${i + 1} of the weights manifest should be ${w.name} [${w.shape.join(', ')}] as the topology says, not ${JSON.stringify(got.name.slice(0, 128))} [${got.shape.join(', ')}]`;
  }
  return undefined;
}

/** The first zod issue as `where: what`. */
export function firstIssue(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}

interface Options {
  /** Whether hidden Dense layers (and dropout between them) are allowed, or only the output layer. */
  hidden: boolean;
  /** The output layer's allowed activations: softmax ends a classifier, linear a regressor. */
  output: readonly DenseActivation[];
}

/** The allow-list of a Sequential chain of Dense layers as buildModel makes it. */
export function denseChainTopology(options: Options): KindTopology {
  return (value) => {
    const parsed = parseSequentialJson(value, ModelJson, Sequential);
    if (!parsed.ok) return parsed;
    const { json, seq } = parsed;
    const raw = seq.config.layers;
    const layers: { class_name: LayerClass; config: Record<string, unknown> }[] = [];
    const denses: { name: string; inputs: number; units: number }[] = [];
    const names = new Set<string>();
    let width = 0;
    for (const [i, item] of raw.entries()) {
      const layer = Layer.safeParse(item);
      const config = layer.success ? layer.data.config : undefined;
      // Named in refusals only when it is a plain name: it may reach a terminal.
      const shown = `layer ${i + 1}${LayerName.safeParse(config?.name).success ? ` (${String(config?.name)})` : ''}`;
      if (!layer.success) return { ok: false, reason: `${shown}: ${firstIssue(layer.error)}` };
      if (!Object.hasOwn(LAYER_CONFIGS, layer.data.class_name))
        return {
          ok: false,
          reason: `${shown}: class ${JSON.stringify(layer.data.class_name).slice(1, -1)} is not one Cairn builds`,
        };
      const cls = layer.data.class_name as LayerClass;
      const last = i === raw.length - 1;
      if (cls === 'Dense') {
        const dense = DenseConfig.safeParse(layer.data.config);
        if (!dense.success) return { ok: false, reason: `${shown}: ${firstIssue(dense.error)}` };
        const d = dense.data;
        if (i === 0 && !d.batch_input_shape)
          return { ok: false, reason: `${shown}: the first layer must give its input shape` };
        if (i > 0 && d.batch_input_shape)
          return { ok: false, reason: `${shown}: only the first layer gives an input shape` };
        if (!last && !options.hidden)
          return { ok: false, reason: `${shown}: this model kind has one Dense layer and no hidden ones` };
        if (last && !options.output.includes(d.activation))
          return {
            ok: false,
            reason: `${shown}: the output layer's activation must be ${options.output.join(' or ')}, not ${d.activation}`,
          };
        if (!last && d.activation === 'softmax')
          return { ok: false, reason: `${shown}: softmax is for the output layer only` };
        if (last && d.activation === 'softmax' && d.units < 2)
          return { ok: false, reason: `${shown}: a softmax output needs at least 2 units` };
        if (last && d.activation === 'linear' && d.units !== 1)
          return { ok: false, reason: `${shown}: a regression output has 1 unit` };
        const inputs = i === 0 ? (d.batch_input_shape as [null, number])[1] : width;
        if (names.has(d.name)) return { ok: false, reason: `${shown}: the layer name is used twice` };
        names.add(d.name);
        denses.push({ name: d.name, inputs, units: d.units });
        width = d.units;
        layers.push({ class_name: cls, config: d });
      } else {
        const dropout = SeededDropoutConfig.safeParse(layer.data.config);
        if (!dropout.success) return { ok: false, reason: `${shown}: ${firstIssue(dropout.error)}` };
        if (i === 0 || last || layers[i - 1]?.class_name !== 'Dense')
          return { ok: false, reason: `${shown}: dropout goes only between Dense layers` };
        if (names.has(dropout.data.name)) return { ok: false, reason: `${shown}: the layer name is used twice` };
        names.add(dropout.data.name);
        layers.push({ class_name: cls, config: dropout.data });
      }
    }
    // The weights are exactly each Dense layer's kernel (inputs × units) and bias, in order.
    const want = denses.flatMap((d) => [
      { name: `${d.name}/kernel`, shape: [d.inputs, d.units] },
      { name: `${d.name}/bias`, shape: [d.units] },
    ]);
    const [group] = json.weightsManifest;
    const mismatch = weightsMismatch(group.weights, want);
    if (mismatch) return { ok: false, reason: mismatch };
    const cost: ModelCost = { params: 0, flopsPerRow: 0, activationsPerRow: denses[0]?.inputs ?? 0 };
    for (const d of denses) {
      cost.params += d.inputs * d.units + d.units;
      // A multiply-add per weight, then the bias and the activation (a few operations) per unit.
      cost.flopsPerRow += 2 * d.inputs * d.units + 4 * d.units;
      cost.activationsPerRow = Math.max(cost.activationsPerRow, d.units);
    }
    const modelJson: CheckedModelJson = {
      modelTopology: { ...seq, config: { ...seq.config, layers } },
      weightsManifest: [group],
    };
    return { ok: true, cost, modelJson };
  };
}
