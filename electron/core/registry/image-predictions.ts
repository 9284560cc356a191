// A picture model's held-out predictions (IMAGE_PREDICTIONS_FILE in its run's model folder), read,
// checked and paged for the run page: a confusion matrix cell's pictures, the most confident
// mistakes. The file is read only from the registered folder of the run's own model, never from a
// path a call names, and only when it is a regular file of bounded size inside that folder.
import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import {
  IMAGE_PREDICTIONS_FILE,
  ImagePredictions,
  type ImagePredictionItem,
  type ImagePredictionsPage,
  type ImagePredictionsQuery,
} from '../../../shared/api.js';
import { CairnError } from '../errors.js';
import { isInside } from '../paths.js';

/** A test split of 100,000 pictures with 100 classes is about 60 MB of JSON; beyond this is not a run's. */
export const MAX_PREDICTIONS_BYTES = 256 * 1024 * 1024;

/** The document checked beyond its shape: every class named is one of `classes`, one probability each. */
const Checked = ImagePredictions.superRefine((doc, ctx) => {
  const known = new Set(doc.classes);
  doc.items.forEach((item, i) => {
    if (!known.has(item.label) || !known.has(item.predicted))
      ctx.addIssue({ code: 'custom', path: ['items', i], message: 'names a class the file does not list' });
    if (item.probabilities.length !== doc.classes.length)
      ctx.addIssue({ code: 'custom', path: ['items', i, 'probabilities'], message: 'needs one per class' });
  });
});

/** The last document read, kept while its file is unchanged: a gallery scrolls through it a page per call. */
export interface PredictionsCache {
  key?: string;
  doc?: ImagePredictions;
}

/**
 * Reads and checks the predictions file of the model folder `dir` (which must lie in `modelsDir`).
 * not_found when there is none: the run is not a picture model's.
 */
export async function readImagePredictions(
  modelsDir: string,
  dir: string,
  cache: PredictionsCache = {},
  maxBytes = MAX_PREDICTIONS_BYTES,
): Promise<ImagePredictions> {
  if (!isInside(modelsDir, dir)) throw new CairnError('invalid_argument', 'the model folder is not in the data folder');
  const file = path.join(dir, IMAGE_PREDICTIONS_FILE);
  const info = await lstat(file).catch(() => undefined);
  if (!info)
    throw new CairnError(
      'not_found',
      'this run kept no predictions per picture: only a picture model (a CNN on an image dataset) has them',
    );
  // A link could lead anywhere; the file must be the folder's own.
  if (!info.isFile()) throw damaged('it is not a regular file');
  if (!isInside(await realpath(dir), await realpath(file))) throw damaged('it lies outside the model folder');
  if (info.size > maxBytes) throw damaged(`${info.size.toLocaleString('en-US')} bytes is more than it may have`);
  const key = `${file}\0${info.mtimeMs}\0${info.size}`;
  if (cache.key === key && cache.doc) return cache.doc;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw damaged('it is not JSON');
  }
  const parsed = Checked.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw damaged(`${first?.path.join('.') || 'document'}: ${first?.message ?? 'wrong shape'}`);
  }
  cache.key = key;
  cache.doc = parsed.data;
  return parsed.data;
}

function damaged(why: string): CairnError {
  return new CairnError('invalid_argument', `The run's ${IMAGE_PREDICTIONS_FILE} cannot be read: ${why}`);
}

/** One page of `doc`'s pictures as `query` filters and sorts them, each with its thumbnail's URL. */
export function predictionsPage(
  doc: ImagePredictions,
  query: Required<Omit<ImagePredictionsQuery, 'label' | 'predicted' | 'runId'>> &
    Pick<ImagePredictionsQuery, 'label' | 'predicted'>,
  thumbnailUrl: (sha256: string) => string,
): ImagePredictionsPage {
  const kept = doc.items.filter(
    (item) =>
      (query.label === undefined || item.label === query.label) &&
      (query.predicted === undefined || item.predicted === query.predicted) &&
      (!query.mistakesOnly || item.label !== item.predicted),
  );
  // Ties fall back to the file, so a page never reorders between calls.
  const byFile = (a: { file: string; id: string }, b: { file: string; id: string }) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  kept.sort(query.sort === 'confidence' ? (a, b) => b.confidence - a.confidence || byFile(a, b) : byFile);
  const items = kept
    .slice(query.offset, query.offset + query.limit)
    .map((item): ImagePredictionItem => ({ ...item, thumbnailUrl: thumbnailUrl(item.id) }));
  return { classes: doc.classes, items, total: kept.length, offset: query.offset };
}
