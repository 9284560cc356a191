// A local S3-compatible server for tests (s3rver: an npm package, no Debian package or Docker):
// on a free loopback port, storing its objects in a temp folder, with the buckets asked for. The
// keys are s3rver's fixed ones (S3RVER / S3RVER), which any SDK signs with as with AWS.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export const S3_KEY_ID = 'S3RVER';
export const S3_SECRET = 'S3RVER';

export interface S3Server {
  endpoint: string;
  /** Puts an object (for a test's fixtures). */
  put(bucket: string, key: string, body: string | Buffer, contentType?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3(buckets: string[]): Promise<S3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'cairn-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET },
  });
  return {
    endpoint,
    async put(bucket, key, body, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ...(contentType ? { ContentType: contentType } : {}),
        }),
      );
    },
    async stop() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
