// An S3 address as a source (and later the fleet's store) names it:
// `s3://[accessKeyId@]bucket/key-or-prefix?endpoint=http://host:port&region=...`. A custom endpoint
// (MinIO, Ceph, a local test server) is addressed path-style, as those servers expect.
import { CairnError } from '../errors.js';

export interface S3Location {
  bucket: string;
  /** The object key, or a prefix (ending in `/`, or naming several objects); '' for the whole bucket. */
  key: string;
  endpoint?: string;
  region: string;
  /** The access key id when the URL names it (its secret comes from the secret store). */
  accessKeyId?: string;
}

const DEFAULT_REGION = 'us-east-1';

/** Parses an s3:// URL; invalid_argument saying what is wrong otherwise. */
export function parseS3Url(raw: string): S3Location {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CairnError('invalid_argument', `not an S3 URL: ${raw} (expected s3://bucket/key)`);
  }
  if (u.protocol !== 's3:')
    throw new CairnError('invalid_argument', `an S3 source's URL starts with s3:// (got ${u.protocol}//)`);
  if (!u.hostname) throw new CairnError('invalid_argument', 'an S3 URL names a bucket: s3://bucket/key');
  if (u.password)
    throw new CairnError('invalid_argument', 'an S3 URL here carries no secret key (it is kept in the secret store)');
  const endpoint = u.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/i.test(endpoint))
    throw new CairnError('invalid_argument', `the endpoint must be an http(s) URL (got ${endpoint})`);
  const accessKeyId = u.username ? decodeURIComponent(u.username) : undefined;
  return {
    bucket: u.hostname,
    key: decodeURIComponent(u.pathname.replace(/^\//, '')),
    region: u.searchParams.get('region') ?? DEFAULT_REGION,
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId ? { accessKeyId } : {}),
  };
}
