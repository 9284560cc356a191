// Scoring pictures with a saved picture model (`cairn predict <model> <picture|folder>`): one
// picture, or every file under a folder (walked in name order, links never followed), each turned
// into the model's row by pixelsForModel, the way training and the endpoint see it. A file that is
// not a picture Cairn reads is skipped with its reason, as an import skips it; the rest are scored
// in batches. Results are returned, or written whole to a .csv, .json or .ndjson file.
import { randomUUID } from 'node:crypto';
import { lstat, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Cell, SkippedFile } from '../../../shared/api.js';
import { UnreadableImage } from '../datasets/images/decode-image.js';
import { isHiddenName, readPicture, SOURCE_LIMITS } from '../datasets/images/image-sources.js';
import { inputLength, pixelsForModel, type ImageInput } from '../datasets/images/model-input.js';
import { CairnError } from '../errors.js';
import { placeOutput, type WriteTarget } from '../file-access.js';
import type { LoadedArtifacts } from './artifacts.js';
import { csvField, outFormat, type Prediction, type PredictFileResult } from './predict-file.js';

export interface PredictImagesOptions {
  /** A picture, or a folder whose pictures (at any depth) are scored. */
  path: string;
  artifacts: LoadedArtifacts;
  out?: WriteTarget;
  /** Pictures decoded and scored at a time. */
  batch?: number;
  previewRows?: number;
}

export interface PredictImagesResult extends PredictFileResult {
  /** Each prediction's picture, relative to the folder (a lone picture: its name). */
  files: string[];
  skipped: SkippedFile[];
}

const DEFAULT_BATCH = 32;

/** The files to score: the picture itself, or a folder's files in name order, and what was left out. */
async function listPictures(root: string): Promise<{ files: string[]; skipped: SkippedFile[]; base: string }> {
  const s = await lstat(root).catch(() => undefined);
  if (!s) throw new CairnError('not_found', `${root} does not exist`, { file: root });
  if (s.isFile()) return { files: [path.basename(root)], skipped: [], base: path.dirname(root) };
  if (!s.isDirectory()) throw new CairnError('invalid_argument', `${root} is not a picture or a folder`);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const walk = async (rel: string, depth: number): Promise<void> => {
    const entries = (await readdir(path.join(root, rel), { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      if (isHiddenName(entry.name)) continue;
      const file = path.join(rel, entry.name);
      const shown = file.split(path.sep).join('/');
      if (entry.isSymbolicLink()) skipped.push({ file: shown, reason: 'a link: links are not followed' });
      else if (entry.isDirectory()) {
        if (depth >= SOURCE_LIMITS.maxDepth)
          skipped.push({ file: shown, reason: `folders deeper than ${SOURCE_LIMITS.maxDepth} levels are not read` });
        else await walk(file, depth + 1);
      } else if (entry.isFile()) {
        if (files.length >= SOURCE_LIMITS.maxFiles)
          throw new CairnError(
            'invalid_argument',
            `${path.basename(root)} holds more than ${SOURCE_LIMITS.maxFiles.toLocaleString('en-US')} files`,
          );
        files.push(shown);
      } else skipped.push({ file: shown, reason: 'not a regular file' });
    }
  };
  await walk('', 0);
  return { files, skipped, base: root };
}

/** Scores the pictures at `options.path` with a picture model; writes `out` whole or not at all. */
export async function predictImages(options: PredictImagesOptions): Promise<PredictImagesResult> {
  const { artifacts } = options;
  const { predictor, preprocess } = artifacts;
  const input: ImageInput | undefined = preprocess.image;
  const target = preprocess.target;
  if (!input || target?.task !== 'classification')
    throw new CairnError('invalid_argument', 'this model does not classify pictures');
  const classes = target.classes;
  const root = path.resolve(options.path);
  const listed = await listPictures(root);
  const skipped = [...listed.skipped];
  const files: string[] = [];
  const predictions: Prediction[] = [];
  const width = inputLength(input);
  const batch = options.batch ?? DEFAULT_BATCH;

  for (let start = 0; start < listed.files.length; start += batch) {
    const chunk = listed.files.slice(start, start + batch);
    // Decoded one batch at a time: sharp decodes them on its own threads.
    const rows = await Promise.all(
      chunk.map(async (file) => {
        try {
          return await pixelsForModel(await readPicture(path.join(listed.base, file), SOURCE_LIMITS), input);
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          skipped.push({ file, reason: err instanceof UnreadableImage ? reason : `cannot be read (${reason})` });
          return undefined;
        }
      }),
    );
    const taken = chunk.filter((_, i) => rows[i]);
    if (!taken.length) continue;
    const x = new Float32Array(taken.length * width);
    let n = 0;
    for (const r of rows) if (r) x.set(r, width * n++);
    const y = predictor.predict(x, taken.length);
    taken.forEach((file, i) => {
      const p = Array.from(y.subarray(i * classes.length, (i + 1) * classes.length));
      let best = 0;
      for (let k = 1; k < p.length; k++) if ((p[k] as number) > (p[best] as number)) best = k;
      files.push(file);
      predictions.push({
        label: classes[best] as string,
        probabilities: Object.fromEntries(classes.map((c, k) => [c, p[k] as number])),
      });
    });
  }
  skipped.sort((a, b) => (a.file < b.file ? -1 : 1));
  if (!predictions.length && !options.out)
    throw new CairnError(
      'invalid_argument',
      `no picture could be read at ${options.path}${skipped[0] ? ` (${skipped[0].file}: ${skipped[0].reason})` : ''}`,
    );

  const columns = ['file', 'label', ...classes.map((c) => `probability_${c}`)];
  const table: Cell[][] = predictions.map((p, i) => [
    files[i] as string,
    'label' in p ? p.label : null,
    ...classes.map((c) => ('label' in p ? (p.probabilities[c] as number) : null)),
  ]);
  const outPath = options.out ? path.resolve(options.out.path) : null;
  if (outPath && options.out) await writeOut(outPath, options.out, columns, table, files, predictions);
  return {
    rows: predictions.length,
    task: 'classification',
    classes,
    out: outPath,
    ...(outPath ? {} : { predictions }),
    columns,
    preview: table.slice(0, options.previewRows ?? 10),
    warnings: skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
    files,
    skipped,
  };
}

/** The output file, written beside its destination and renamed into place. */
async function writeOut(
  outPath: string,
  target: WriteTarget,
  columns: string[],
  table: Cell[][],
  files: string[],
  predictions: Prediction[],
): Promise<void> {
  const format = outFormat(outPath);
  const records = predictions.map((p, i) => JSON.stringify({ file: files[i], ...p }));
  const text =
    format === 'csv'
      ? [columns, ...table].map((row) => `${row.map(csvField).join(',')}\n`).join('')
      : format === 'ndjson'
        ? records.map((r) => `${r}\n`).join('')
        : `[${records.length ? `\n${records.join(',\n')}\n` : ''}]\n`;
  const partial = path.join(path.dirname(outPath), `.${path.basename(outPath)}.${randomUUID()}.partial`);
  try {
    await writeFile(partial, text, { flush: true });
    await placeOutput(partial, { path: outPath, overwrite: target.overwrite });
  } finally {
    await rm(partial, { force: true });
  }
}
