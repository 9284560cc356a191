// The catalogue of what each model kind's model.json may contain (topology.ts says why). Logistic
// and linear regression are one Dense layer; the MLP is a chain of Dense and SeededDropout layers:
// models.ts's buildModel makes all three. The CNN is cnn-model.ts's (cnn-topology.ts). A new network kind adds its entry here, next to its
// builder; tree models have no model.json (artifacts.ts checks their trees.json instead).
import { denseChainTopology } from './dense-topology.js';
import { cnnTopology } from './cnn-topology.js';
import type { ImageInput } from '../datasets/images/model-input.js';
import type { NetworkKind } from './models.js';
import { overCaps, type KindTopology, type TopologyCheck } from './topology.js';

const TOPOLOGIES: Record<NetworkKind, KindTopology> = {
  logistic_regression: denseChainTopology({ hidden: false, output: ['softmax'] }),
  linear_regression: denseChainTopology({ hidden: false, output: ['linear'] }),
  mlp: denseChainTopology({ hidden: true, output: ['softmax', 'linear'] }),
  cnn: cnnTopology,
};

/** Checks a parsed model.json against the allow-list of `kind` (the card's modelKind) and the caps. */
export function checkModelTopology(kind: string, modelJson: unknown): TopologyCheck {
  const topology = Object.hasOwn(TOPOLOGIES, kind) ? TOPOLOGIES[kind as NetworkKind] : undefined;
  if (!topology)
    return { ok: false, reason: `the model kind ${JSON.stringify(kind.slice(0, 64))} is not one Cairn builds` };
  const checked = topology(modelJson);
  if (!checked.ok) return checked;
  const over = overCaps(checked.cost);
  return over ? { ok: false, reason: over } : checked;
}

/**
 * Why a checked network does not take what its preprocessing makes: a picture model's `image` must
 * make the side and channels its first layer reshapes, and only a picture model has one. Undefined
 * when they fit. (A table network's input width is its first Dense layer's, checked when loaded.)
 */
export function pictureInputProblem(
  image: Pick<ImageInput, 'size' | 'channels'> | undefined,
  checked: Extract<TopologyCheck, { ok: true }>,
): string | undefined {
  const { picture } = checked;
  if (!picture) return image ? 'it has picture preprocessing (image) but its network reads table rows' : undefined;
  if (!image) return 'its network reads pictures but it has no picture preprocessing (image)';
  if (image.size !== picture.size || image.channels !== picture.channels)
    return `its image preprocessing makes ${image.size}×${image.size}×${image.channels} pictures but the network takes ${picture.size}×${picture.size}×${picture.channels}`;
  return undefined;
}
