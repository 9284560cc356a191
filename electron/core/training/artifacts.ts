// Model artifacts on disk (DESIGN.md, "Data at rest"): a network in the tfjs layers format
// (model.json plus one weights file) or a tree ensemble (trees.json), the preprocessing manifest
// and a small card, with an artifact manifest that holds the sha256 of every file. Written into a fresh folder and fsynced, so the host can rename
// the folder into place whole; checked against those hashes before anything is loaded.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fsyncDir, fsyncFile } from '../durable-fs.js';
import {
  ARTIFACT_MANIFEST,
  ArtifactManifest,
  CARD_JSON,
  MODEL_JSON,
  ModelCard,
  PREPROCESS_JSON,
  WEIGHTS_BIN,
  isBareName,
} from './artifact-format.js';
import { CairnError } from '../errors.js';
import {
  checkedExplainSample,
  EXPLAIN_JSON,
  ExplainSampleJson,
  type ExplainSample,
} from '../explain/explain-sample.js';
import { checkedTrees } from './gbdt/saved-trees.js';
import { treeCost } from './gbdt/tree-cost.js';
import { TREES_JSON, TreeEnsembleJson } from './gbdt/tree-format.js';
import { checkModelTopology, pictureInputProblem } from './kind-topologies.js';
import { featureWidth, outputWidth, PreprocessManifest } from './manifest.js';
import { networkPredictor, treePredictor, type Predictor } from './predictor.js';
import type { ModelCost } from './topology.js';
// Registers SeededDropout, which saved MLPs may contain, before any model is loaded.
import './models.js';

export { ARTIFACT_MANIFEST, ModelCard } from './artifact-format.js';

export interface SavedArtifacts {
  dir: string;
  /** sha256 of artifact.json: what app.db records for the version. */
  sha256: string;
  files: Record<string, string>;
}

/** What a model is made of: a network (the dense kinds) or a tree ensemble ('gbdt'). */
export type ModelBody = { network: tf.LayersModel } | { trees: TreeEnsembleJson };

export interface LoadedArtifacts {
  /** The network of a dense kind; undefined for trees. */
  model?: tf.LayersModel;
  /** The ensemble of a tree model; undefined for networks. */
  trees?: TreeEnsembleJson;
  /** Scores rows, whatever the kind. */
  predictor: Predictor;
  preprocess: PreprocessManifest;
  card: ModelCard;
  /** What one row costs to score, from the checked topology or trees. */
  cost: ModelCost;
  /** A dense model's feature means and background rows (explain.json); absent in models saved before them. */
  explainSample?: ExplainSample;
  /** Frees the network's tensors (nothing for trees). */
  dispose(): void;
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes the model, its preprocessing and card into `dir` (created; should be new), each file fsynced. */
export async function saveArtifacts(
  dir: string,
  body: ModelBody,
  preprocess: PreprocessManifest,
  card: ModelCard,
  explainSample?: ExplainSampleJson,
): Promise<SavedArtifacts> {
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {};
  const put = async (name: string, data: Uint8Array | string) => {
    await writeFile(path.join(dir, name), data);
    await fsyncFile(path.join(dir, name));
    files[name] = sha256(data);
  };
  if ('trees' in body) await put(TREES_JSON, JSON.stringify(TreeEnsembleJson.parse(body.trees)));
  else
    await body.network.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weightData = artifacts.weightData
          ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
          : new Uint8Array(0);
        await put(WEIGHTS_BIN, weightData);
        const modelJson = {
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        };
        await put(MODEL_JSON, JSON.stringify(modelJson));
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
  await put(PREPROCESS_JSON, JSON.stringify(PreprocessManifest.parse(preprocess), null, 2));
  await put(CARD_JSON, JSON.stringify(ModelCard.parse(card), null, 2));
  if (explainSample) await put(EXPLAIN_JSON, JSON.stringify(ExplainSampleJson.parse(explainSample)));
  const manifest: ArtifactManifest = { format: 'cairn-artifact/1', files };
  const manifestText = JSON.stringify(manifest, null, 2);
  await writeFile(path.join(dir, ARTIFACT_MANIFEST), manifestText);
  await fsyncFile(path.join(dir, ARTIFACT_MANIFEST));
  await fsyncDir(dir);
  return { dir, sha256: sha256(manifestText), files };
}

function tampered(dir: string, message: string): CairnError {
  return new CairnError('invalid_argument', `The model files in ${dir} failed their check: ${message}`, { dir });
}

/**
 * Loads a saved model after checking every file against the artifact manifest (and the manifest
 * against `expectedSha256` when given), its topology against its kind's allow-list and caps, and
 * that weight paths are bare file names in the folder.
 */
export async function loadArtifacts(dir: string, expectedSha256?: string): Promise<LoadedArtifacts> {
  let manifestText: string;
  try {
    manifestText = await readFile(path.join(dir, ARTIFACT_MANIFEST), 'utf8');
  } catch {
    throw new CairnError('not_found', `No saved model in ${dir} (${ARTIFACT_MANIFEST} is missing)`, { dir });
  }
  if (expectedSha256 !== undefined && sha256(manifestText) !== expectedSha256)
    throw tampered(dir, `${ARTIFACT_MANIFEST} differs from the one recorded when the model was saved`);
  const parsed = ArtifactManifest.safeParse(JSON.parse(manifestText));
  if (!parsed.success) throw tampered(dir, `${ARTIFACT_MANIFEST} is not a Cairn artifact manifest`);
  const files = parsed.data.files;
  const contents = new Map<string, Buffer>();
  for (const [name, hash] of Object.entries(files)) {
    if (!isBareName(name))
      throw tampered(dir, `the manifest names a path outside the folder (${JSON.stringify(name)})`);
    let data: Buffer;
    try {
      data = await readFile(path.join(dir, name));
    } catch {
      throw tampered(dir, `${name} is missing`);
    }
    if (sha256(data) !== hash) throw tampered(dir, `${name} was modified after the model was saved`);
    contents.set(name, data);
  }
  for (const name of [PREPROCESS_JSON, CARD_JSON])
    if (!contents.has(name)) throw tampered(dir, `${name} is not in the manifest`);
  const json = (name: string): unknown => {
    try {
      return JSON.parse((contents.get(name) as Buffer).toString('utf8'));
    } catch {
      throw tampered(dir, `${name} is not valid JSON`);
    }
  };
  const preprocess = PreprocessManifest.parse(json(PREPROCESS_JSON));
  const card = ModelCard.parse(json(CARD_JSON));
  const width = featureWidth(preprocess);
  const units = outputWidth(preprocess);
  if (card.modelKind === 'gbdt') {
    if (!contents.has(TREES_JSON)) throw tampered(dir, `${TREES_JSON} is not in the manifest`);
    const trees = checkedTrees(json(TREES_JSON), width, units);
    if (!trees.ok) throw tampered(dir, trees.reason);
    return {
      trees: trees.ensemble,
      predictor: treePredictor(trees.ensemble),
      preprocess,
      card,
      cost: treeCost(trees.ensemble),
      dispose: () => undefined,
    };
  }
  if (!contents.has(MODEL_JSON)) throw tampered(dir, `${MODEL_JSON} is not in the manifest`);
  // The topology is checked against its kind's allow-list before tfjs builds anything from it.
  const checked = checkModelTopology(card.modelKind, json(MODEL_JSON));
  if (!checked.ok) throw tampered(dir, checked.reason);
  const misfit = pictureInputProblem(preprocess.image, checked);
  if (misfit) throw tampered(dir, misfit);
  const { modelJson, cost } = checked;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    for (const p of group.paths) {
      if (!isBareName(p)) throw tampered(dir, `a weights path is not a bare file name (${JSON.stringify(p)})`);
      const data = contents.get(p);
      if (!data) throw tampered(dir, `the weights file ${p} is not in the manifest`);
      buffers.push(data);
    }
    specs.push(...group.weights);
  }
  const weightBytes = buffers.reduce((n, b) => n + b.byteLength, 0);
  if (weightBytes !== 4 * cost.params)
    throw tampered(
      dir,
      `the topology has ${cost.params} float32 weights but the weights file holds ${weightBytes} bytes`,
    );
  const weightData = tf.io.concatenateArrayBuffers(
    buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  );
  const explain = contents.get(EXPLAIN_JSON);
  const sample = explain && checkedExplainSample(explain.byteLength, () => json(EXPLAIN_JSON), width);
  if (sample && !sample.ok) throw tampered(dir, sample.reason);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData }),
  );
  const predictor = networkPredictor(model, width, units);
  return {
    model,
    predictor,
    preprocess,
    card,
    cost,
    ...(sample ? { explainSample: sample.sample } : {}),
    dispose: () => predictor.dispose(),
  };
}
