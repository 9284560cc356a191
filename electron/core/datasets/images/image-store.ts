// Where an image dataset's pictures live in the data folder. Pictures and thumbnails are stored by
// the sha256 of the picture's bytes, once per dataset, shared by all its versions: a version is
// its Parquet index (datasets/<dataset>/<version>.parquet), and a second version that adds five
// pictures stores five files. Content-addressed files never change, so no version's change.
import path from 'node:path';
import type { ImageFormat } from '../../../../shared/api.js';

const EXTENSION: Record<ImageFormat, string> = {
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tif',
  bmp: 'bmp',
};

const SHA256 = /^[0-9a-f]{64}$/;
const DATASET_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A picture's file, relative to its dataset's folder. */
export function pictureFile(sha256: string, format: ImageFormat): string {
  return path.join('images', sha256.slice(0, 2), `${sha256}.${EXTENSION[format]}`);
}

/** A picture's thumbnail (WebP), relative to its dataset's folder. */
export function thumbnailFile(sha256: string): string {
  return path.join('thumbnails', sha256.slice(0, 2), `${sha256}.webp`);
}

/** The URL path every host serves a thumbnail at (the desktop's app:// and the browser host alike). */
export function thumbnailUrl(datasetId: string, sha256: string): string {
  return `/media/thumbnails/${datasetId}/${sha256}.webp`;
}

/**
 * The file a thumbnail URL path names under the datasets folder, or undefined when the path is
 * not exactly a dataset id and a content hash: the pattern admits no separator and no dot-dot, so
 * nothing outside a dataset's thumbnails can be named.
 */
export function thumbnailForUrl(datasetsDir: string, urlPath: string): string | undefined {
  const match = /^\/media\/thumbnails\/([^/]+)\/([^/]+)\.webp$/.exec(urlPath);
  if (!match) return undefined;
  const [, datasetId, sha256] = match as unknown as [string, string, string];
  if (!DATASET_ID.test(datasetId) || !SHA256.test(sha256)) return undefined;
  return path.join(datasetsDir, datasetId, thumbnailFile(sha256));
}
