// The fleet's store on S3, against a local S3-compatible server (s3rver): blobs by hash under the
// URL's prefix, put once, every read checked by fetchBlob as the folder store's are, and model
// folders round-tripped file by file.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArtifact, putArtifact } from '../../../../../electron/core/fleet/artifacts.js';
import { fetchBlob, openStore, putFile } from '../../../../../electron/core/fleet/blob-store.js';
import { openS3Store, S3Store } from '../../../../../electron/core/fleet/s3-store.js';
import { S3_KEY_ID, S3_SECRET, startS3, type S3Server } from '../../../../support/servers/s3.js';
import { tempDirFor } from '../helpers.js';

const tmp = tempDirFor('each test', 'cairn-s3-store-');
const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

let s3: S3Server;
let raw: S3Client;
beforeAll(async () => {
  s3 = await startS3(['fleet']);
  raw = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET },
  });
});
afterAll(async () => {
  raw.destroy();
  await s3.stop();
});

const storeUrl = (prefix: string) => `s3://${S3_KEY_ID}@fleet/${prefix}?endpoint=${encodeURIComponent(s3.endpoint)}`;
const keys = async (prefix: string) =>
  ((await raw.send(new ListObjectsV2Command({ Bucket: 'fleet', Prefix: prefix }))).Contents ?? []).map((o) => o.Key);

describe('the S3 store', () => {
  it('is what --store s3://... opens, and puts a file once under the prefix by its hash', async () => {
    const store = await openStore(storeUrl('team/a'), { s3Secret: S3_SECRET });
    expect(store).toBeInstanceOf(S3Store);
    expect(store.location).toBe(`s3://fleet/team/a at ${s3.endpoint}`);
    const file = path.join(tmp.dir, 'data.parquet');
    const bytes = Buffer.alloc(200_000, 7);
    await writeFile(file, bytes);
    const blob = await putFile(store, file);
    expect(blob).toEqual({ sha256: sha(bytes), bytes: 200_000 });
    expect(await store.has(blob.sha256)).toBe(true);
    expect(await store.has(sha('never put'))).toBe(false);
    await putFile(store, file);
    expect(await keys('team/a/')).toEqual([`team/a/sha256/${blob.sha256.slice(0, 2)}/${blob.sha256}`]);
    const dest = path.join(tmp.dir, 'out', 'data.parquet');
    await fetchBlob(store, blob, dest);
    expect(await readFile(dest)).toEqual(bytes);
  });

  it('refuses bytes put under a hash they do not have, sending nothing', async () => {
    const store = await openStore(storeUrl('b'), { s3Secret: S3_SECRET });
    await expect(store.put(sha('a'), Readable.from([Buffer.from('b')]))).rejects.toThrow(/hash to/);
    expect(await keys('b/')).toEqual([]);
  });

  it('refuses a copy changed in the bucket and leaves nothing where it was to go', async () => {
    const store = await openStore(storeUrl('c'), { s3Secret: S3_SECRET });
    const blob = { sha256: sha('the real bytes'), bytes: 14 };
    await store.put(blob.sha256, Readable.from([Buffer.from('the real bytes')]));
    await s3.put('fleet', `c/sha256/${blob.sha256.slice(0, 2)}/${blob.sha256}`, 'the reel bytes');
    await mkdir(path.join(tmp.dir, 'out'));
    await expect(fetchBlob(store, blob, path.join(tmp.dir, 'out', 'x'))).rejects.toThrow(/corrupt/);
    expect(await readdir(path.join(tmp.dir, 'out'))).toEqual([]);
  });

  it('says a missing blob, and refuses to open a missing bucket or wrong keys', async () => {
    const store = await openStore(storeUrl('d'), { s3Secret: S3_SECRET });
    await expect(store.get(sha('absent'))).rejects.toThrow(/has no/);
    await expect(
      openStore(`s3://${S3_KEY_ID}@nobucket/p?endpoint=${s3.endpoint}`, { s3Secret: S3_SECRET }),
    ).rejects.toThrow(/no such bucket/);
    // s3rver knows one key id (it does not check a HEAD's signature, so the id is what is wrong here).
    await expect(openStore(`s3://SOMEONE@fleet/d?endpoint=${s3.endpoint}`, { s3Secret: S3_SECRET })).rejects.toThrow(
      /access denied/,
    );
    await expect(store.has('../../etc/passwd')).rejects.toThrow(/not a sha256/);
  });

  it("takes the URL's key id with its secret from the environment, as a worker is given it", async () => {
    await expect(openS3Store(storeUrl('e'), { env: {} })).rejects.toThrow(/no S3 keys/);
    const store = await openS3Store(storeUrl('e'), { env: { AWS_SECRET_ACCESS_KEY: S3_SECRET } });
    await store.put(sha('from a worker'), Readable.from([Buffer.from('from a worker')]));
    expect(await store.has(sha('from a worker'))).toBe(true);
  });

  it('carries a model folder up and back file by file, each file checked', async () => {
    const store = await openStore(storeUrl('models'), { s3Secret: S3_SECRET });
    const dir = path.join(tmp.dir, 'model');
    await mkdir(path.join(dir, 'weights'), { recursive: true });
    await writeFile(path.join(dir, 'manifest.json'), '{"a":1}');
    await writeFile(path.join(dir, 'weights', 'w.bin'), Buffer.from([1, 2, 3]));
    const artifact = await putArtifact(store, dir, 'manifest-hash');
    const back = path.join(tmp.dir, 'back');
    await fetchArtifact(store, artifact, back);
    expect(await readFile(path.join(back, 'manifest.json'), 'utf8')).toBe('{"a":1}');
    expect(await readFile(path.join(back, 'weights', 'w.bin'))).toEqual(Buffer.from([1, 2, 3]));
  });
});
