// Thumbnails leave the data folder through one route (/media/thumbnails/<dataset id>/<sha256>.webp,
// the same path in the desktop app's app:// protocol): behind the token like every route, and only
// for a path that is exactly a dataset id and a content hash, so no request can name another file.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thumbnailForUrl } from '../../electron/core/datasets/images/image-store.js';
import { hostRequest, startBrowserHost, type BrowserHost } from '../unit/electron/server/browser-host.js';

const TOKEN = 'thumb-token';
const ID = '0b5e7a52-3c1d-4e8f-9a6b-2d4c6e8f0a1b';
const SHA = 'ab'.repeat(32);
const WEBP = Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 fake', 'latin1');
let b: BrowserHost;

beforeAll(async () => {
  b = await startBrowserHost('cairn-thumbs-', TOKEN);
  const datasets = path.join(b.dir, 'home', 'datasets');
  await mkdir(path.join(datasets, ID, 'thumbnails', 'ab'), { recursive: true });
  await writeFile(path.join(datasets, ID, 'thumbnails', 'ab', `${SHA}.webp`), WEBP);
  // Files a made-up path might try to reach.
  await writeFile(path.join(datasets, ID, 'secret.webp'), 'secret');
});
afterAll(async () => b.close());

const get = (p: string, token = true) =>
  hostRequest(b.host.port, { path: p, headers: token ? { cookie: `cairn_token=${TOKEN}` } : {} });

describe('the thumbnail route', () => {
  it('serves a stored thumbnail as WebP', async () => {
    const r = await get(`/media/thumbnails/${ID}/${SHA}.webp`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/webp');
    expect(r.body.equals(WEBP)).toBe(true);
  });

  it('answers nothing without the token', async () => {
    expect((await get(`/media/thumbnails/${ID}/${SHA}.webp`, false)).status).toBe(401);
  });

  it('serves no file whose path is not a dataset id and a content hash', async () => {
    for (const p of [
      `/media/thumbnails/${ID}/secret.webp`,
      `/media/thumbnails/${ID}/..%2F..%2F..%2Fapp.db`,
      `/media/thumbnails/${ID}/%2e%2e/${SHA}.webp`,
      `/media/thumbnails/..%2F${ID}/${SHA}.webp`,
      `/media/thumbnails/${ID}/${'cd'.repeat(32)}.webp`,
    ]) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.body.includes('secret')).toBe(false);
    }
  });

  it("names files only inside a dataset's thumbnails folder", () => {
    const root = path.join(b.dir, 'home', 'datasets');
    expect(thumbnailForUrl(root, `/media/thumbnails/${ID}/${SHA}.webp`)).toBe(
      path.join(root, ID, 'thumbnails', 'ab', `${SHA}.webp`),
    );
    expect(thumbnailForUrl(root, `/media/thumbnails/../${SHA}.webp`)).toBeUndefined();
    expect(thumbnailForUrl(root, `/media/thumbnails/${ID}/${SHA}.png`)).toBeUndefined();
  });
});
