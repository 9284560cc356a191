// The fleet's store on S3-compatible object storage (AWS, MinIO, Ceph, R2):
// `s3://[accessKeyId@]bucket/prefix?endpoint=...`, blobs at `<prefix>/sha256/<first two>/<hash>`
// as in the folder store. A blob is hashed into a temporary file before it is sent, so bytes that
// hash otherwise never reach the bucket, and the upload knows its length (S3 refuses a body of
// unknown size without a multipart upload). Reads are checked by fetchBlob as the folder store's.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CairnError } from '../errors.js';
import { s3Client, s3Error } from '../s3/s3-client.js';
import { parseS3Url, type S3Location } from '../s3/s3-location.js';
import { checkedHash, hashingStream, type BlobStore } from './blob-store.js';

/** A request's deadline: a store that does not answer must fail the job, not hang it. */
const TIMEOUT_MS = 60_000;

export interface S3StoreOptions {
  /** The secret key for the URL's access key id (else AWS_SECRET_ACCESS_KEY, with AWS_ACCESS_KEY_ID when the URL names none). */
  secret?: string;
  env?: NodeJS.ProcessEnv;
}

export class S3Store implements BlobStore {
  readonly location: string;
  private readonly prefix: string;

  constructor(
    private readonly loc: S3Location,
    private readonly client: S3Client,
  ) {
    this.prefix = loc.key.replace(/\/+$/, '');
    // Shown in status and logs: the bucket, prefix and endpoint, never the key id's secret.
    this.location = `s3://${loc.bucket}/${this.prefix}${loc.endpoint ? ` at ${loc.endpoint}` : ''}`;
  }

  private key(sha256: string): string {
    const hash = checkedHash(sha256);
    return `${this.prefix ? `${this.prefix}/` : ''}sha256/${hash.slice(0, 2)}/${hash}`;
  }

  async has(sha256: string): Promise<boolean> {
    const Key = this.key(sha256);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.loc.bucket, Key }));
      return true;
    } catch (err) {
      const e = s3Error(err, this.location);
      if (e.code === 'not_found') return false;
      throw e;
    }
  }

  async put(sha256: string, body: Readable): Promise<void> {
    const Key = this.key(sha256);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-s3-put-'));
    const file = path.join(dir, 'blob');
    try {
      const hashing = hashingStream();
      await pipeline(body, hashing.stream, createWriteStream(file));
      if (hashing.digest() !== sha256)
        throw new CairnError('invalid_argument', `bytes put as ${sha256} hash to ${hashing.digest()}`);
      const { size } = await stat(file);
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.loc.bucket,
            Key,
            Body: createReadStream(file),
            ContentLength: size,
            // The hash we already know: S3 checks the bytes against it, and the SDK then sends the
            // body plain instead of computing a checksum into a chunked trailer (which
            // S3-compatible servers such as s3rver store as part of the object).
            ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
          }),
        );
      } catch (err) {
        throw s3Error(err, this.location);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async get(sha256: string): Promise<Readable> {
    const Key = this.key(sha256);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.loc.bucket, Key }));
      if (!out.Body) throw new CairnError('not_found', `the store at ${this.location} has no ${sha256}`);
      return out.Body as Readable;
    } catch (err) {
      const e = s3Error(err, this.location);
      throw e.code === 'not_found' ? new CairnError('not_found', `the store at ${this.location} has no ${sha256}`) : e;
    }
  }
}

/**
 * The S3 store an `s3://` store URL names, with its keys (see S3StoreOptions), once its bucket
 * answers: a wrong bucket or key is said when the store is opened, not at a job's first blob.
 */
export async function openS3Store(url: string, options: S3StoreOptions = {}): Promise<S3Store> {
  const loc = parseS3Url(url);
  const env = options.env ?? process.env;
  const client = s3Client(loc, {
    // A worker (or `--store` on the CLI) names the key id in the URL and its secret in the
    // environment, as the AWS tools take it; a secret given (the app's stored one) wins.
    secret: options.secret ?? (loc.accessKeyId ? env.AWS_SECRET_ACCESS_KEY : undefined),
    timeoutMs: TIMEOUT_MS,
    ...(options.env ? { env: options.env } : {}),
  });
  const store = new S3Store(loc, client);
  try {
    await client.send(new HeadBucketCommand({ Bucket: loc.bucket }));
  } catch (err) {
    client.destroy();
    const e = s3Error(err, store.location);
    // HEAD answers carry no body, so a missing bucket comes back as a bare 404.
    throw e.code === 'not_found' ? new CairnError('not_found', `${store.location}: no such bucket`) : e;
  }
  return store;
}
