// The s3 kind against a local S3-compatible server (s3rver): one object by key, the CSV parts
// under a prefix combined under one header, a missing key, the size limit said before downloading,
// wrong keys, and the ETag that makes an unchanged object a not-modified fetch.
import { readFile, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Kind } from '../../../../../electron/core/sources/kinds/s3.js';
import type { FetchedFile, SourceTarget } from '../../../../../electron/core/sources/source-kind.js';
import { S3_KEY_ID, S3_SECRET, startS3, type S3Server } from '../../../../support/servers/s3.js';
import { tempDirFor } from '../helpers.js';

let s3: S3Server;

beforeAll(async () => {
  s3 = await startS3(['data']);
  await s3.put('data', 'one.csv', 'a,b\n1,x\n2,y\n', 'text/csv');
  await s3.put('data', 'parts/part-0001.csv', 'a,b\n1,x\n');
  await s3.put('data', 'parts/part-0002.csv', 'a,b\n2,y\n3,z');
  await s3.put('data', 'parts/part-0003.csv', 'a,b\n4,w\n');
  await s3.put('data', 'mixed/x.csv', 'a\n1\n');
  await s3.put('data', 'mixed/y.parquet', 'PAR1');
});

afterAll(async () => {
  await s3.stop();
});

const folder = tempDirFor('each test', 'cairn-s3-kind-');

function target(key: string, extra: Partial<SourceTarget> = {}): SourceTarget {
  return { kind: 's3', url: `s3://${S3_KEY_ID}@data/${key}?endpoint=${s3.endpoint}`, secret: S3_SECRET, ...extra };
}

function options(extra: { previous?: { etag?: string } } = {}) {
  return { signal: new AbortController().signal, timeoutMs: 3000, tempDir: folder.dir, ...extra };
}

describe('s3 kind', () => {
  it('reads one object by key, and an unchanged object is not downloaded again', async () => {
    const got = (await s3Kind.fetch(target('one.csv'), options())) as FetchedFile;
    expect(got.format).toBe('csv');
    expect(await readFile(got.path, 'utf8')).toBe('a,b\n1,x\n2,y\n');
    expect(got.etag).toBeTruthy();
    expect(await s3Kind.fetch(target('one.csv'), options({ previous: { etag: got.etag as string } }))).toMatchObject({
      notModified: true,
    });
  });

  it('combines the CSV parts under a prefix in key order, keeping one header', async () => {
    const got = (await s3Kind.fetch(target('parts/'), options())) as FetchedFile;
    expect(await readFile(got.path, 'utf8')).toBe('a,b\n1,x\n2,y\n3,z\n4,w\n');
    expect(got.notes).toEqual(['3 objects under s3://data/parts/ were combined in key order']);
    // A prefix named without its slash reads the same objects.
    const again = (await s3Kind.fetch(target('parts'), options())) as FetchedFile;
    expect(again.etag).toBe(got.etag);
  });

  it('says a missing key is not_found, and refuses a prefix that mixes formats', async () => {
    await expect(s3Kind.fetch(target('nope.csv'), options())).rejects.toMatchObject({ code: 'not_found' });
    await expect(s3Kind.test(target('nope.csv'), options())).rejects.toMatchObject({ code: 'not_found' });
    await expect(s3Kind.fetch(target('mixed/'), options())).rejects.toMatchObject({ details: { reason: 'format' } });
  });

  it('says the objects are over the size limit before downloading any', async () => {
    const small = target('parts/', { limits: { maxBytes: 10, allowRedirects: false } });
    await expect(s3Kind.fetch(small, options())).rejects.toMatchObject({ details: { reason: 'too_large' } });
    expect(await readdir(folder.dir)).toEqual([]);
  });

  it('refuses an unknown access key as unauthorized (s3rver checks the key id, not the signature)', async () => {
    const wrong = target('one.csv', { url: `s3://WRONG@data/one.csv?endpoint=${s3.endpoint}` });
    await expect(s3Kind.fetch(wrong, options())).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('previews the first rows', async () => {
    const p = await s3Kind.preview(target('parts/'), 2, options());
    expect(p.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(p.rows).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });
});
