// The on-disk formats of a saved model's small files, without TensorFlow.js: the registry reads
// cards and checks manifests without paying for loading tfjs.
import { z } from 'zod';

export const ARTIFACT_MANIFEST = 'artifact.json';
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const PREPROCESS_JSON = 'preprocess.json';
export const CARD_JSON = 'card.json';

/** What a person (and a predict call) needs to know about a saved model at a glance. */
export const ModelCard = z.object({
  format: z.literal('cairn-model-card/1'),
  task: z.enum(['classification', 'regression']),
  target: z.string(),
  classes: z.array(z.string()).nullable(),
  features: z.array(z.string()),
  metrics: z.record(z.string(), z.unknown()),
  modelKind: z.string(),
  backend: z.string(),
  tfjsVersion: z.string(),
  createdAt: z.string(),
});
export type ModelCard = z.infer<typeof ModelCard>;

export const ArtifactManifest = z.object({
  format: z.literal('cairn-artifact/1'),
  /** Bare file name → sha256 (hex) of its bytes. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type ArtifactManifest = z.infer<typeof ArtifactManifest>;

/** A file name with no folder part: all weight paths and manifest entries must be one. */
export function isBareName(name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !/[\\/]/.test(name) && !name.includes('\0');
}
