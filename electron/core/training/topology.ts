// What a saved model's model.json may contain, per model kind (DESIGN.md, "Model kinds are one
// interface"): a model file comes from anyone once bundles travel, and tfjs will build whatever
// layers it names (a RepeatVector of 5e7 took 6 GB and minutes per row). So model.json is checked
// against the kind's allow-list before tfjs sees it, at import and at every load, and its cost
// (parameters, FLOPs and activations per row) is computed from the checked topology and capped.
// No TensorFlow.js here: the registry checks bundles without loading it. Each kind's allow-list is
// in kind-topologies.ts.

/** What scoring one row through a checked model costs; every accepted model is within TOPOLOGY_CAPS. */
export interface ModelCost {
  /** Weights (every one float32). */
  params: number;
  /** Floating-point operations per row, multiply-adds counted as two. */
  flopsPerRow: number;
  /** The widest activation per row (input included): what a call holds per row at once. */
  activationsPerRow: number;
}

/**
 * Caps on any model Cairn loads. The trainer's largest MLP (16 hidden layers of 4096, shared/api.ts)
 * has about 252 M parameters plus its input layer's; 300 M leaves room for thousands of input
 * features at that width (a bundle carries at most 268 M anyway: its entries are at most 1 GiB).
 * A Dense layer costs two FLOPs per weight plus a few per unit, hence the FLOP cap. Widths (input
 * features, classes) have no trainer bound; 2^20 per row is far past any table Cairn imports.
 */
export const TOPOLOGY_CAPS = {
  params: 300_000_000,
  flopsPerRow: 700_000_000,
  activationsPerRow: 1 << 20,
} as const;

export type TopologyCheck =
  | {
      ok: true;
      cost: ModelCost;
      modelJson: CheckedModelJson;
      /** A picture model's input, as its first layer reshapes it: what its `image` preprocessing must make. */
      picture?: { size: number; channels: number };
    }
  | { ok: false; reason: string };

/** A model.json that passed its kind's allow-list: what tfjs is then given. */
export interface CheckedModelJson {
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: 'float32' }[] }[];
}

/** One kind's allow-list: checks a parsed model.json (anything) and computes its cost. */
export type KindTopology = (modelJson: unknown) => TopologyCheck;

/** Why a cost is over TOPOLOGY_CAPS, or undefined when it is within them. */
export function overCaps(cost: ModelCost): string | undefined {
  for (const key of ['params', 'flopsPerRow', 'activationsPerRow'] as const) {
    if (cost[key] > TOPOLOGY_CAPS[key])
      return `the model needs ${cost[key]} ${CAP_WORDS[key]} (at most ${TOPOLOGY_CAPS[key]})`;
  }
  return undefined;
}

const CAP_WORDS = {
  params: 'parameters',
  flopsPerRow: 'operations per row',
  activationsPerRow: 'values per row in one layer',
} as const;
