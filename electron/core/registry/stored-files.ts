// A stored version's files, read and checked against its artifact manifest (and the manifest
// against app.db's hash) without loading TensorFlow.js: for cards and exports.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../errors.js';
import {
  ARTIFACT_MANIFEST,
  ArtifactManifest,
  CARD_JSON,
  ModelCard,
  PREPROCESS_JSON,
  isBareName,
} from '../training/artifact-format.js';
import { PreprocessManifest } from '../training/manifest.js';

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function tampered(dir: string, message: string): CairnError {
  return new CairnError('invalid_argument', `The model files in ${dir} failed their check: ${message}`, { dir });
}

/** Every file the manifest lists, plus artifact.json itself, each checked. */
export async function readStoredFiles(dir: string, expectedSha256: string): Promise<Map<string, Buffer>> {
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(path.join(dir, ARTIFACT_MANIFEST));
  } catch {
    throw new CairnError('not_found', `No saved model in ${dir} (${ARTIFACT_MANIFEST} is missing)`, { dir });
  }
  if (sha256(manifestBytes) !== expectedSha256)
    throw tampered(dir, `${ARTIFACT_MANIFEST} differs from the one recorded when the model was saved`);
  const parsed = ArtifactManifest.safeParse(JSON.parse(manifestBytes.toString('utf8')));
  if (!parsed.success) throw tampered(dir, `${ARTIFACT_MANIFEST} is not a Cairn artifact manifest`);
  const files = new Map<string, Buffer>([[ARTIFACT_MANIFEST, manifestBytes]]);
  for (const [name, hash] of Object.entries(parsed.data.files)) {
    if (!isBareName(name))
      throw tampered(dir, `the manifest names a path outside the folder (${JSON.stringify(name)})`);
    const data = await readFile(path.join(dir, name)).catch(() => undefined);
    if (!data) throw tampered(dir, `${name} is missing`);
    if (sha256(data) !== hash) throw tampered(dir, `${name} was modified after the model was saved`);
    files.set(name, data);
  }
  return files;
}

/** The card and preprocessing manifest of stored files. */
export function cardAndPreprocess(
  dir: string,
  files: Map<string, Buffer>,
): { card: ModelCard; preprocess: PreprocessManifest } {
  const card = files.get(CARD_JSON);
  const preprocess = files.get(PREPROCESS_JSON);
  if (!card || !preprocess) throw tampered(dir, `${card ? PREPROCESS_JSON : CARD_JSON} is not in the manifest`);
  return {
    card: ModelCard.parse(JSON.parse(card.toString('utf8'))),
    preprocess: PreprocessManifest.parse(JSON.parse(preprocess.toString('utf8'))),
  };
}
