// The fleet's store: blobs by content hash, every read checked before use, keys that cannot be
// steered out of the folder, and model folders whose paths stay inside them.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  checkedHash,
  fetchBlob,
  FolderStore,
  openStore,
  putFile,
} from '../../../../../electron/core/fleet/blob-store.js';
import { fetchArtifact, putArtifact } from '../../../../../electron/core/fleet/artifacts.js';
import { tempDirFor } from '../helpers.js';

const tmp = tempDirFor('each test', 'cairn-store-');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the folder store', () => {
  it('puts a file once by its hash and gives it back checked', async () => {
    const store = new FolderStore(path.join(tmp.dir, 'store'));
    const file = path.join(tmp.dir, 'data.parquet');
    await writeFile(file, 'some rows');
    const blob = await putFile(store, file);
    expect(blob).toEqual({ sha256: sha('some rows'), bytes: 9 });
    expect(await store.has(blob.sha256)).toBe(true);
    await putFile(store, file);
    expect(await readdir(path.join(tmp.dir, 'store', 'sha256', blob.sha256.slice(0, 2)))).toEqual([blob.sha256]);
    const dest = path.join(tmp.dir, 'out', 'data.parquet');
    await fetchBlob(store, blob, dest);
    expect(await readFile(dest, 'utf8')).toBe('some rows');
  });

  it('refuses a corrupted blob and leaves nothing where it was to go', async () => {
    const store = new FolderStore(path.join(tmp.dir, 'store'));
    const blob = { sha256: sha('the real bytes'), bytes: 14 };
    await store.put(blob.sha256, Readable.from([Buffer.from('the real bytes')]));
    // A disk or a hand changes the stored copy behind the store's back.
    await writeFile(path.join(tmp.dir, 'store', 'sha256', blob.sha256.slice(0, 2), blob.sha256), 'the reel bytes');
    const dest = path.join(tmp.dir, 'out', 'data.parquet');
    await expect(fetchBlob(store, blob, dest)).rejects.toThrow(/corrupt/);
    expect(await readdir(path.join(tmp.dir, 'out'))).toEqual([]);
  });

  it('refuses bytes put under a hash they do not have', async () => {
    const store = new FolderStore(path.join(tmp.dir, 'store'));
    await expect(store.put(sha('a'), Readable.from([Buffer.from('b')]))).rejects.toThrow(/hash to/);
    expect(await store.has(sha('a'))).toBe(false);
  });

  it('takes only 64 lowercase hex digits as a key: a crafted one cannot leave the folder', async () => {
    const store = new FolderStore(path.join(tmp.dir, 'store'));
    const crafted = [
      '../../../../etc/passwd',
      `../${sha('x').slice(3)}`,
      sha('x').toUpperCase(),
      sha('x').slice(1),
      `${sha('x')}/..`,
      '',
    ];
    for (const key of crafted) {
      expect(() => checkedHash(key)).toThrow(/not a sha256/);
      await expect(store.has(key)).rejects.toThrow(/not a sha256/);
      await expect(store.get(key)).rejects.toThrow(/not a sha256/);
      await expect(store.put(key, Readable.from([]))).rejects.toThrow(/not a sha256/);
    }
  });

  it('is a folder or S3: other schemes and relative paths are refused with why', async () => {
    await expect(openStore('ftp://host/prefix')).rejects.toThrow(/shared folder or s3/);
    await expect(openStore('relative/store')).rejects.toThrow(/absolute/);
    expect((await openStore(`file://${tmp.dir}/s`)).location).toBe(`${tmp.dir}/s`);
  });
});

describe('model folders through the store', () => {
  it('go up file by file and come back whole, each file checked', async () => {
    const store = new FolderStore(path.join(tmp.dir, 'store'));
    const dir = path.join(tmp.dir, 'model');
    await mkdir(path.join(dir, 'weights'), { recursive: true });
    await writeFile(path.join(dir, 'manifest.json'), '{"a":1}');
    await writeFile(path.join(dir, 'weights', 'w.bin'), Buffer.from([1, 2, 3]));
    const artifact = await putArtifact(store, dir, 'manifest-hash');
    expect(artifact.files.map((f) => f.path)).toEqual(['manifest.json', 'weights/w.bin']);
    const back = path.join(tmp.dir, 'back');
    await fetchArtifact(store, artifact, back);
    expect(await readFile(path.join(back, 'weights', 'w.bin'))).toEqual(Buffer.from([1, 2, 3]));
  });

  it('refuse a file path that would leave the model folder', async () => {
    const store = new FolderStore(path.join(tmp.dir, 'store'));
    await store.put(sha('x'), Readable.from([Buffer.from('x')]));
    for (const bad of ['../escape', 'a/../../b', '/etc/passwd', 'a//b', '.']) {
      await expect(
        fetchArtifact(
          store,
          { sha256: 'm', files: [{ path: bad, sha256: sha('x'), bytes: 1 }] },
          path.join(tmp.dir, 'm'),
        ),
      ).rejects.toThrow(/not inside its folder/);
    }
  });
});
