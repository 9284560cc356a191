// The fleet's store: blobs by content hash that every worker and the app reach. A dataset version
// is put once, a worker downloads what it lacks, and every read is checked against its hash before
// use. The folder store is here; the S3 store (s3-store.ts) implements the same interface.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Sha256, type StoredBlob } from '../../../shared/fleet/job-format.js';
import { CairnError } from '../errors.js';

export interface BlobStore {
  /** Where it is, safe to show (no credentials). */
  readonly location: string;
  has(sha256: string): Promise<boolean>;
  /** Streams a blob in under its hash; bytes that hash otherwise are refused and nothing is kept. */
  put(sha256: string, body: Readable): Promise<void>;
  /** The blob's bytes as stored: fetchBlob checks them. */
  get(sha256: string): Promise<Readable>;
}

/** Refuses anything but 64 lowercase hex digits: a key is never a path a crafted job could steer. */
export function checkedHash(sha256: string): string {
  if (!Sha256.safeParse(sha256).success)
    throw new CairnError(
      'invalid_argument',
      `not a sha256 (64 lowercase hex digits): ${JSON.stringify(sha256.slice(0, 80))}`,
    );
  return sha256;
}

/** A pass-through that hashes what flows through it. */
export function hashingStream(): { stream: Transform; digest: () => string; bytes: () => number } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  let digest: string | undefined;
  return { stream, digest: () => (digest ??= hash.digest('hex')), bytes: () => bytes };
}

export async function sha256File(file: string): Promise<StoredBlob> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Puts a file once: hashed first, and not sent again when the store has it. */
export async function putFile(store: BlobStore, file: string, known?: StoredBlob): Promise<StoredBlob> {
  const blob = known ?? (await sha256File(file));
  if (!(await store.has(blob.sha256))) await store.put(blob.sha256, createReadStream(file));
  return blob;
}

/**
 * Downloads a blob to `dest`, checking its sha256 (and size) as it arrives: a corrupt or truncated
 * copy is refused and nothing is left at `dest`.
 */
export async function fetchBlob(store: BlobStore, blob: StoredBlob, dest: string): Promise<void> {
  checkedHash(blob.sha256);
  const partial = `${dest}.partial-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await mkdir(path.dirname(dest), { recursive: true });
  const hashing = hashingStream();
  try {
    await pipeline(await store.get(blob.sha256), hashing.stream, createWriteStream(partial));
    if (hashing.digest() !== blob.sha256 || hashing.bytes() !== blob.bytes)
      throw new CairnError(
        'internal',
        `the store's copy of ${blob.sha256} is corrupt: its ${hashing.bytes()} bytes hash to ${hashing.digest()}`,
        { expected: blob.sha256, actual: hashing.digest() },
      );
    await rename(partial, dest);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/** A folder every machine mounts (NFS, SMB, a shared disk): blobs at sha256/<first two>/<hash>. */
export class FolderStore implements BlobStore {
  constructor(readonly location: string) {}

  private file(sha256: string): string {
    const hash = checkedHash(sha256);
    return path.join(this.location, 'sha256', hash.slice(0, 2), hash);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.file(sha256))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async put(sha256: string, body: Readable): Promise<void> {
    const dest = this.file(sha256);
    const tmpDir = path.join(this.location, 'incoming');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(path.dirname(dest), { recursive: true });
    // Written beside, then renamed: a reader never sees half a blob, and two writers of the same
    // content end with one whole file.
    const partial = path.join(tmpDir, `${sha256}.${process.pid}.${Math.random().toString(36).slice(2)}`);
    const hashing = hashingStream();
    try {
      await pipeline(body, hashing.stream, createWriteStream(partial));
      if (hashing.digest() !== sha256)
        throw new CairnError('invalid_argument', `bytes put as ${sha256} hash to ${hashing.digest()}`);
      await rename(partial, dest);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  async get(sha256: string): Promise<Readable> {
    const file = this.file(sha256);
    if (!(await this.has(sha256))) throw new CairnError('not_found', `the store at ${this.location} has no ${sha256}`);
    return createReadStream(file);
  }
}

/**
 * The store a `--store` names: a folder (absolute, or file:///...) or S3-compatible storage
 * (s3://[keyId@]bucket/prefix?endpoint=...; the AWS SDK loads only then, as it is slow to import).
 */
export async function openStore(url: string, options: { s3Secret?: string } = {}): Promise<BlobStore> {
  if (url.startsWith('s3://')) {
    const { openS3Store } = await import('./s3-store.js');
    return openS3Store(url, options.s3Secret !== undefined ? { secret: options.s3Secret } : {});
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('file://'))
    throw new CairnError(
      'invalid_argument',
      `a store is a shared folder or s3://bucket/prefix, not ${url.split('://')[0]}://`,
    );
  const folder = url.startsWith('file://') ? new URL(url).pathname : url;
  if (!path.isAbsolute(folder))
    throw new CairnError('invalid_argument', `the store is an absolute folder path, not ${folder}`);
  await mkdir(folder, { recursive: true });
  return new FolderStore(folder);
}
