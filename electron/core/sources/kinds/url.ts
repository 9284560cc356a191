// The url kind: an HTTP(S) URL of a CSV, Parquet or JSON file. Re-fetched conditionally (ETag /
// Last-Modified: a 304 downloads nothing), its size said before downloading (Content-Length against
// the source's limit), redirects followed by hand so one to another host is refused unless the
// source allows it, and a deadline for the answer's headers so an unreachable host cannot hang.
// A user name in the URL with the source's secret becomes HTTP Basic authentication.
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SOURCE_MAX_BYTES } from '../../../../shared/api/sources.js';
import { CairnError } from '../../errors.js';
import type {
  DownloadLimits,
  FetchedFile,
  FetchOptions,
  NotModified,
  ReachOptions,
  SourceKind,
  SourceTarget,
} from '../source-kind.js';
import { download, tooLarge } from './download.js';
import { checkFirstBytes, formatOf } from './file-format.js';
import { previewByFetch } from './preview-file.js';

const MAX_REDIRECTS = 5;

const DEFAULT_LIMITS: DownloadLimits = { maxBytes: DEFAULT_SOURCE_MAX_BYTES, allowRedirects: false };

interface Answer {
  response: Response;
  /** The URL that answered, after redirects (without credentials): names the file in messages. */
  url: URL;
}

/** The target's URL without its user name, and the Authorization header the user name and secret make. */
function parseTarget(target: SourceTarget): { url: URL; headers: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new CairnError('invalid_argument', `not a URL: ${target.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CairnError('invalid_argument', `a url source reads http:// or https:// (got ${url.protocol}//)`);
  const headers: Record<string, string> = {};
  if (url.username) {
    const user = decodeURIComponent(url.username);
    headers.authorization = `Basic ${Buffer.from(`${user}:${target.secret ?? ''}`).toString('base64')}`;
  }
  url.username = '';
  url.password = '';
  return { url, headers };
}

/** GET with the deadline on the headers only (the body may take as long as it takes), redirects checked. */
async function get(target: SourceTarget, options: ReachOptions, extra: Record<string, string> = {}): Promise<Answer> {
  const limits = target.limits ?? DEFAULT_LIMITS;
  const { url: first, headers } = parseTarget(target);
  let url = first;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: url.host === first.host ? { ...headers, ...extra } : extra,
        redirect: 'manual',
        signal: AbortSignal.any([options.signal, deadline.signal]),
      });
    } catch (err) {
      if (options.signal.aborted) throw new CairnError('cancelled', 'the read was cancelled');
      if (deadline.signal.aborted)
        throw new CairnError('import_failed', `${url.host} did not answer within ${options.timeoutMs / 1000} s`, {
          reason: 'timeout',
        });
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CairnError('import_failed', `cannot reach ${url.host} (${cause?.code ?? cause?.message ?? 'error'})`, {
        reason: 'unreachable',
      });
    } finally {
      clearTimeout(timer);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location)
      return { response, url };
    await response.body?.cancel();
    const next = new URL(location, url);
    if (next.host !== first.host && !limits.allowRedirects)
      throw new CairnError(
        'import_failed',
        `${first.host} redirects to another host (${next.host}): refused, unless the source allows redirects to other hosts`,
        { reason: 'redirect', to: next.origin },
      );
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new CairnError('import_failed', `${first.host} redirects to a ${next.protocol} URL`, {
        reason: 'redirect',
      });
    url = next;
  }
  throw new CairnError('import_failed', `more than ${MAX_REDIRECTS} redirects from ${first.host}`, {
    reason: 'redirect',
  });
}

/** Refuses an answer that is not the file: an error status, or an announced size over the limit. */
function checkAnswer({ response, url }: Answer, limits: DownloadLimits): void {
  const name = url.pathname.split('/').pop() || url.host;
  if (response.status === 404 || response.status === 410)
    throw new CairnError('not_found', `${url.host}${url.pathname}: not found (HTTP ${response.status})`);
  if (response.status === 401 || response.status === 403)
    throw new CairnError('unauthorized', `${url.host}${url.pathname}: access refused (HTTP ${response.status})`);
  if (!response.ok)
    throw new CairnError('import_failed', `${url.host}${url.pathname}: HTTP ${response.status}`, {
      reason: 'unreachable',
      status: response.status,
    });
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length) && length > limits.maxBytes) throw tooLarge(name, length, limits.maxBytes);
}

function validators(response: Response): { etag?: string; lastModified?: string } {
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

async function fetchUrl(target: SourceTarget, options: FetchOptions): Promise<FetchedFile | NotModified> {
  const limits = target.limits ?? DEFAULT_LIMITS;
  const conditional: Record<string, string> = {};
  if (options.previous?.etag) conditional['if-none-match'] = options.previous.etag;
  if (options.previous?.lastModified) conditional['if-modified-since'] = options.previous.lastModified;
  const answer = await get(target, options, conditional);
  const { response, url } = answer;
  if (response.status === 304) {
    await response.body?.cancel();
    return { notModified: true, ...options.previous, ...validators(response) };
  }
  try {
    checkAnswer(answer, limits);
  } catch (err) {
    await response.body?.cancel();
    throw err;
  }
  const name = url.pathname.split('/').pop() || url.host;
  let announced;
  try {
    announced = formatOf(response.headers.get('content-type'), name);
  } catch (err) {
    await response.body?.cancel();
    throw err;
  }
  if (!response.body) throw new CairnError('import_failed', `${name}: the answer has no body`, { reason: 'empty' });
  const length = Number(response.headers.get('content-length') ?? NaN);
  const file = path.join(options.tempDir, 'download');
  const { bytes, head } = await download(response.body, file, {
    signal: options.signal,
    maxBytes: limits.maxBytes,
    totalBytes: Number.isFinite(length) ? length : undefined,
    onProgress: options.onProgress,
    name,
  });
  if (bytes === 0) throw new CairnError('import_failed', `${name} is empty`, { reason: 'empty' });
  const format = checkFirstBytes(head, announced, name);
  // The import reads the format from the extension.
  const named = path.join(options.tempDir, `data.${format}`);
  await rename(file, named);
  return { path: named, format, notes: [], ...validators(response) };
}

export const urlKind: SourceKind = {
  async test(target, options) {
    const answer = await get(target, options);
    try {
      checkAnswer(answer, target.limits ?? DEFAULT_LIMITS);
      formatOf(answer.response.headers.get('content-type'), answer.url.pathname);
    } finally {
      await answer.response.body?.cancel();
    }
  },
  preview: previewByFetch(fetchUrl),
  fetch: fetchUrl,
};
