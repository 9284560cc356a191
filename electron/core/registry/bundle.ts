// Model bundles: one zip holding a version's tfjs model, preprocessing manifest, card and
// artifact manifest, plus bundle.json (what the model is, its input/output signature, lineage and
// the size and sha256 of every file). Export writes one; import reads one that may have been made
// by anyone, so it trusts nothing: every entry is a bare file name (no folders, `..`, absolute
// paths, links or encryption), sizes and compression ratios are capped before a byte is inflated,
// every file's size and hash must match bundle.json, the model's own weight paths must be files of
// the bundle, and its topology must be one its kind's allow-list holds (kind-topologies.ts); a
// tree model's trees.json and a dense model's explain.json must fit its preprocessing.
// Entries are extracted into a fresh folder with exclusive creates, so a name can never reach
// outside it; the caller renames the checked folder into place.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { z } from 'zod';
import { InputField, ModelLineage, OutputSignature, TaskName, TrainingDataSummary } from '../../../shared/api.js';
import { fsyncDir, fsyncFile } from '../durable-fs.js';
import { CairnError } from '../errors.js';
import { checkedExplainSample, EXPLAIN_CAPS, EXPLAIN_JSON } from '../explain/explain-sample.js';
import { placeOutput, type WriteTarget } from '../file-access.js';
import { eachEntry, entryProblem, zipRefusal, type ZipLimits } from '../zip-entries.js';
import {
  ARTIFACT_MANIFEST,
  ArtifactManifest,
  CARD_JSON,
  MODEL_JSON,
  ModelCard,
  PREPROCESS_JSON,
} from '../training/artifact-format.js';
import { checkedTrees } from '../training/gbdt/saved-trees.js';
import { TREES_JSON } from '../training/gbdt/tree-format.js';
import { checkModelTopology, pictureInputProblem } from '../training/kind-topologies.js';
import { featureWidth, outputWidth, PreprocessManifest } from '../training/manifest.js';

export const BUNDLE_JSON = 'bundle.json';
export const BUNDLE_FORMAT = 'cairn-bundle/1';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** bundle.json: everything about the model that does not need TensorFlow.js to read. */
export const BundleManifest = z.object({
  format: z.literal(BUNDLE_FORMAT),
  model: z.object({ name: z.string().min(1).max(200), version: z.number().int().positive() }),
  task: TaskName,
  createdAt: z.string(),
  exportedAt: z.string(),
  signature: z.object({ inputs: z.array(InputField), output: OutputSignature }),
  lineage: ModelLineage,
  trainingData: TrainingDataSummary.nullable(),
  notes: z.string(),
  tags: z.array(z.string()),
  /** Every other entry of the zip: bare file name → its size in bytes and sha256. */
  files: z.record(z.string(), z.object({ size: z.number().int().nonnegative(), sha256: Sha256 })),
});
export type BundleManifest = z.infer<typeof BundleManifest>;

/** Limits an import enforces before inflating anything; the defaults fit any model Cairn trains. */
export type BundleLimits = ZipLimits;

export const DEFAULT_LIMITS: BundleLimits = {
  maxEntries: 32,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

/** A zip entry name the importer accepts: a plain file name, nothing else. */
const ENTRY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** The files every bundle must hold besides bundle.json (and model.json or trees.json, by kind). */
const REQUIRED = [ARTIFACT_MANIFEST, PREPROCESS_JSON, CARD_JSON];

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function refused(file: string, reason: string, details: Record<string, unknown> = {}): CairnError {
  return zipRefusal('invalid_argument', file, reason, details);
}

/** Writes `files` (name → bytes) and their bundle.json into a zip at `out`, whole or not at all. */
export async function writeBundle(
  out: WriteTarget,
  manifest: Omit<BundleManifest, 'format' | 'files' | 'exportedAt'>,
  files: Map<string, Buffer>,
  now: string,
): Promise<{ path: string; bytes: number }> {
  const listed: BundleManifest['files'] = {};
  for (const [name, data] of files) listed[name] = { size: data.length, sha256: sha256(data) };
  const bundle: BundleManifest = { format: BUNDLE_FORMAT, ...manifest, exportedAt: now, files: listed };
  // The folder exists (the host's file policy checked it): outputs never create folders.
  const target = path.resolve(out.path);
  const partial = `${target}.${randomUUID()}.partial`;
  const zip = new yazl.ZipFile();
  const mtime = new Date(now);
  zip.addBuffer(Buffer.from(JSON.stringify(BundleManifest.parse(bundle), null, 2)), BUNDLE_JSON, {
    mtime,
    mode: 0o100644,
  });
  for (const [name, data] of files) zip.addBuffer(data, name, { mtime, mode: 0o100644 });
  zip.end();
  try {
    await pipeline(zip.outputStream, createWriteStream(partial, { flags: 'wx' }));
    await fsyncFile(partial);
    await placeOutput(partial, { path: target, overwrite: out.overwrite });
    await fsyncDir(path.dirname(target));
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return { path: target, bytes: (await stat(target)).size };
}

export interface ReadBundle {
  /** The folder the checked files were extracted into (bundle.json included). */
  dir: string;
  manifest: BundleManifest;
  /** sha256 of artifact.json: what app.db records for the version. */
  artifactSha256: string;
}

/** yauzl's own refusals (bad names, sizes that lie, broken structure) as the user's error. */
function zipError(file: string, err: unknown): CairnError {
  if (err instanceof CairnError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return refused(file, `it is not a valid, safe zip bundle (${message})`);
}

/**
 * Extracts and checks a bundle into a new folder under `workDir`; throws (leaving nothing behind)
 * on the first thing wrong with it.
 */
export async function readBundle(
  file: string,
  workDir: string,
  limits: BundleLimits = DEFAULT_LIMITS,
): Promise<ReadBundle> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    throw new CairnError('not_found', `No bundle file at ${file}`, { file });
  }
  if (size > limits.maxTotalBytes) throw refused(file, `it is larger than ${limits.maxTotalBytes} bytes`);
  const dir = path.join(workDir, `bundle-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  let zip: yauzl.ZipFile | undefined;
  try {
    try {
      zip = await yauzl.openPromise(file, {
        lazyEntries: true,
        strictFileNames: true,
        validateEntrySizes: true,
        decodeStrings: true,
        autoClose: false,
      });
    } catch (err) {
      throw zipError(file, err);
    }
    if (zip.entryCount > limits.maxEntries)
      throw refused(file, `it has ${zip.entryCount} entries (at most ${limits.maxEntries})`);
    const found = new Map<string, { size: number; sha256: string; data?: Buffer }>();
    let total = 0;
    for await (const entry of eachEntry(zip, (err) => zipError(file, err))) {
      const name = entry.fileName;
      if (name.endsWith('/'))
        throw refused(file, `it holds a folder (${JSON.stringify(name)}); a bundle holds files only`);
      if (!ENTRY_NAME.test(name))
        throw refused(file, `the entry ${JSON.stringify(name)} is not a bare file name`, { entry: name });
      if (found.has(name)) throw refused(file, `the entry ${name} appears twice`, { entry: name });
      const problem = entryProblem(entry, name, limits, total);
      if (problem) throw refused(file, problem, { entry: name });
      const declared = entry.uncompressedSize;
      // Read whole to be checked below, so capped first.
      if (name === EXPLAIN_JSON && declared > EXPLAIN_CAPS.maxBytes)
        throw refused(file, `${EXPLAIN_JSON} would inflate to ${declared} bytes (at most ${EXPLAIN_CAPS.maxBytes})`, {
          entry: name,
        });
      total += declared;
      const hash = createHash('sha256');
      let seen = 0;
      const chunks: Buffer[] = [];
      // bundle.json is small and read here; everything else streams to disk.
      const keep =
        name === BUNDLE_JSON ||
        name === ARTIFACT_MANIFEST ||
        name === MODEL_JSON ||
        name === TREES_JSON ||
        name === EXPLAIN_JSON ||
        name === PREPROCESS_JSON ||
        name === CARD_JSON;
      const guard = new Transform({
        transform(chunk: Buffer, _enc, done) {
          seen += chunk.length;
          // yauzl checks this too; a second count costs nothing and does not depend on it.
          if (seen > declared)
            return done(refused(file, `the entry ${name} inflates past its declared size`, { entry: name }));
          hash.update(chunk);
          if (keep) chunks.push(chunk);
          done(null, chunk);
        },
      });
      try {
        const stream = await zip.openReadStreamPromise(entry);
        // 'wx': a name that already exists in the fresh folder (impossible after the checks above) is an error, never followed.
        await pipeline(stream, guard, createWriteStream(path.join(dir, name), { flags: 'wx' }));
      } catch (err) {
        throw zipError(file, err);
      }
      found.set(name, { size: seen, sha256: hash.digest('hex'), ...(keep ? { data: Buffer.concat(chunks) } : {}) });
    }
    const manifest = checkBundle(file, found);
    await fsyncDir(dir);
    return { dir, manifest, artifactSha256: (found.get(ARTIFACT_MANIFEST) as { sha256: string }).sha256 };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  } finally {
    zip?.close();
  }
}

function readJson(file: string, name: string, data: Buffer | undefined): unknown {
  try {
    return JSON.parse((data ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    throw refused(file, `${name} is not valid JSON`, { entry: name });
  }
}

function parseJson<T>(file: string, name: string, data: Buffer | undefined, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(readJson(file, name, data));
  if (!parsed.success)
    throw refused(file, `${name} is not in the expected format (${parsed.error.issues[0]?.message ?? 'invalid'})`, {
      entry: name,
    });
  return parsed.data;
}

const BYTES_PER = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 } as const;

const ModelJson = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(
    z.object({
      paths: z.array(z.string()),
      weights: z.array(
        z.object({
          name: z.string(),
          shape: z.array(z.number().int().nonnegative()),
          dtype: z.string(),
          quantization: z.object({ dtype: z.string() }).passthrough().optional(),
        }),
      ),
    }),
  ),
});

/** The checks that need every entry: the manifest's list, sizes, hashes, and the model's own references. */
function checkBundle(
  file: string,
  found: Map<string, { size: number; sha256: string; data?: Buffer }>,
): BundleManifest {
  const bundleEntry = found.get(BUNDLE_JSON);
  if (!bundleEntry) throw refused(file, `it has no ${BUNDLE_JSON}; it is not a Cairn model bundle`);
  const manifest = parseJson(file, BUNDLE_JSON, bundleEntry.data, BundleManifest);
  for (const [name, want] of Object.entries(manifest.files)) {
    if (!ENTRY_NAME.test(name) || name === BUNDLE_JSON)
      throw refused(file, `${BUNDLE_JSON} lists ${JSON.stringify(name)}, which is not a bare file name`);
    const got = found.get(name);
    if (!got) throw refused(file, `${name} is listed in ${BUNDLE_JSON} but missing from the zip`, { entry: name });
    if (got.size !== want.size)
      throw refused(file, `${name} has ${got.size} bytes where ${BUNDLE_JSON} says ${want.size}`, { entry: name });
    if (got.sha256 !== want.sha256)
      throw refused(file, `${name} does not match its sha256 in ${BUNDLE_JSON}`, { entry: name });
  }
  for (const name of found.keys())
    if (name !== BUNDLE_JSON && !(name in manifest.files))
      throw refused(file, `${name} is in the zip but not listed in ${BUNDLE_JSON}`, { entry: name });
  for (const name of REQUIRED) if (!found.has(name)) throw refused(file, `${name} is missing`, { entry: name });

  const artifact = parseJson(file, ARTIFACT_MANIFEST, found.get(ARTIFACT_MANIFEST)?.data, ArtifactManifest);
  for (const [name, hash] of Object.entries(artifact.files)) {
    if (!ENTRY_NAME.test(name))
      throw refused(file, `${ARTIFACT_MANIFEST} names ${JSON.stringify(name)}, which is not a bare file name`);
    const got = found.get(name);
    if (!got) throw refused(file, `${name} is listed in ${ARTIFACT_MANIFEST} but missing`, { entry: name });
    if (got.sha256 !== hash)
      throw refused(file, `${name} does not match its sha256 in ${ARTIFACT_MANIFEST}`, { entry: name });
  }
  for (const name of [PREPROCESS_JSON, CARD_JSON])
    if (!(name in artifact.files)) throw refused(file, `${ARTIFACT_MANIFEST} does not list ${name}`, { entry: name });
  const preprocess = parseJson(file, PREPROCESS_JSON, found.get(PREPROCESS_JSON)?.data, PreprocessManifest);
  const card = parseJson(file, CARD_JSON, found.get(CARD_JSON)?.data, ModelCard);
  if (card.task !== manifest.task)
    throw refused(file, `${BUNDLE_JSON} says ${manifest.task} but ${CARD_JSON} says ${card.task}`);
  if (card.modelKind === 'gbdt') checkTreesEntry(file, found, artifact, preprocess);
  else checkNetworkEntries(file, found, artifact, card, preprocess);
  checkExplainEntry(file, found, preprocess);
  return manifest;
}

/**
 * A dense model's explain.json (models saved before it have none): within its caps, its means and
 * background rows as wide as the preprocessing's features, every number finite.
 */
function checkExplainEntry(
  file: string,
  found: Map<string, { size: number; sha256: string; data?: Buffer }>,
  preprocess: PreprocessManifest,
): void {
  const entry = found.get(EXPLAIN_JSON);
  if (!entry) return;
  const checked = checkedExplainSample(
    entry.size,
    () => readJson(file, EXPLAIN_JSON, entry.data),
    featureWidth(preprocess),
  );
  if (!checked.ok) throw refused(file, checked.reason, { entry: EXPLAIN_JSON });
}

/** A tree model's trees.json: listed, and a well-formed ensemble that fits its preprocessing. */
function checkTreesEntry(
  file: string,
  found: Map<string, { size: number; sha256: string; data?: Buffer }>,
  artifact: ArtifactManifest,
  preprocess: PreprocessManifest,
): void {
  if (!(TREES_JSON in artifact.files) || !found.has(TREES_JSON))
    throw refused(file, `${TREES_JSON} is missing`, { entry: TREES_JSON });
  const checked = checkedTrees(
    readJson(file, TREES_JSON, found.get(TREES_JSON)?.data),
    featureWidth(preprocess),
    outputWidth(preprocess),
  );
  if (!checked.ok)
    throw refused(file, `${TREES_JSON} is not a model Cairn builds: ${checked.reason}`, { entry: TREES_JSON });
}

/** A network's model.json and weights: listed, sized as described, and a topology Cairn builds. */
function checkNetworkEntries(
  file: string,
  found: Map<string, { size: number; sha256: string; data?: Buffer }>,
  artifact: ArtifactManifest,
  card: ModelCard,
  preprocess: PreprocessManifest,
): void {
  if (!(MODEL_JSON in artifact.files) || !found.has(MODEL_JSON))
    throw refused(file, `${MODEL_JSON} is missing`, { entry: MODEL_JSON });
  const model = parseJson(file, MODEL_JSON, found.get(MODEL_JSON)?.data, ModelJson);
  let weightFileBytes = 0;
  let weightBytes = 0;
  let sized = true;
  for (const group of model.weightsManifest) {
    for (const p of group.paths) {
      if (!ENTRY_NAME.test(p))
        throw refused(file, `${MODEL_JSON} names a weights path that is not a bare file name (${JSON.stringify(p)})`, {
          path: p,
        });
      const got = found.get(p);
      if (!got || !(p in artifact.files))
        throw refused(file, `the weights file ${p} named by ${MODEL_JSON} is not in the bundle's manifests`, {
          path: p,
        });
      weightFileBytes += got.size;
    }
    for (const w of group.weights) {
      const dtype = (w.quantization?.dtype ?? w.dtype) as keyof typeof BYTES_PER;
      const per = BYTES_PER[dtype] as number | undefined;
      if (per === undefined) sized = false;
      else weightBytes += per * w.shape.reduce((a, b) => a * b, 1);
    }
  }
  if (sized && weightBytes !== weightFileBytes)
    throw refused(
      file,
      `${MODEL_JSON} describes ${weightBytes} bytes of weights but its weights files hold ${weightFileBytes}`,
    );
  // tfjs builds whatever layers model.json names: it must be a topology Cairn itself builds.
  const topology = checkModelTopology(card.modelKind, readJson(file, MODEL_JSON, found.get(MODEL_JSON)?.data));
  if (!topology.ok)
    throw refused(file, `${MODEL_JSON} is not a model Cairn builds: ${topology.reason}`, { entry: MODEL_JSON });
  const misfit = pictureInputProblem(preprocess.image, topology);
  if (misfit)
    throw refused(file, `${PREPROCESS_JSON} does not fit ${MODEL_JSON}: ${misfit}`, { entry: PREPROCESS_JSON });
}
