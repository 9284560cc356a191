// An S3 client for a location: keys from the location and its secret (kept in the secret store),
// else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; path-style addressing for a custom endpoint; and
// connection and request deadlines, so an unreachable endpoint answers instead of hanging.
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { CairnError } from '../errors.js';
import type { S3Location } from './s3-location.js';

export interface S3ClientOptions {
  /** The secret access key for the location's access key id. */
  secret?: string | undefined;
  /** Connect deadline in ms. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export function s3Client(loc: S3Location, options: S3ClientOptions): S3Client {
  const env = options.env ?? process.env;
  const accessKeyId = loc.accessKeyId ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = loc.accessKeyId ? options.secret : (options.secret ?? env.AWS_SECRET_ACCESS_KEY);
  if (!accessKeyId || !secretAccessKey)
    throw new CairnError(
      'unauthorized',
      'no S3 keys: name the access key id in the URL (s3://KEYID@bucket/...) with its secret, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  return new S3Client({
    region: loc.region,
    credentials: { accessKeyId, secretAccessKey },
    ...(loc.endpoint ? { endpoint: loc.endpoint, forcePathStyle: true } : {}),
    // A failure is said at once: retries would multiply the deadline.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs },
  });
}

/** An SDK failure as the seam's CairnError (no secret is in the SDK's messages). */
export function s3Error(err: unknown, where: string): CairnError {
  if (err instanceof CairnError) return err;
  const name = (err as { name?: string }).name ?? '';
  if (name === 'AbortError') return new CairnError('cancelled', 'the read was cancelled');
  if (err instanceof S3ServiceException) {
    const status = err.$metadata.httpStatusCode;
    if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || status === 404)
      return new CairnError('not_found', `${where}: no such ${name === 'NoSuchBucket' ? 'bucket' : 'object'}`);
    if (status === 401 || status === 403 || /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch/.test(name))
      return new CairnError('unauthorized', `${where}: access denied (${name || status})`);
    return new CairnError('import_failed', `${where}: ${err.message || name}`, { reason: 'unreachable' });
  }
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const timedOut = /Timeout/i.test(name) || code === 'ETIMEDOUT';
  return new CairnError(
    'import_failed',
    `${where}: ${timedOut ? 'no answer within the time limit' : `cannot reach the endpoint (${code || (err as Error).message})`}`,
    { reason: timedOut ? 'timeout' : 'unreachable' },
  );
}
