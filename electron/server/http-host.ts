// `cairn ui`: the same service over HTTP and a server-sent event stream, and the renderer build
// for any browser. Fastify does the HTTP; this file adds the guards and the routes. Files come in
// only as uploads and go out only as downloads (the service's file policy for this host reads
// only the uploads folder and writes nothing).
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { toApiError } from '../core/errors.js';
import type { CairnService } from '../core/service.js';
import { ExportFormat, ModelRef } from '../../shared/api.js';
import { securityHeaders } from '../../shared/csp.js';
import {
  MalformedRequest,
  TOKEN_COOKIE,
  allowedHosts,
  isWildcard,
  reachableAddresses,
  requestToken,
  tokenMatches,
  urlHost,
} from './security.js';

export interface HttpHostOptions {
  service: CairnService;
  /** Folder with the built renderer (index.html and assets). */
  staticDir: string;
  /** Where uploaded files wait for their import. */
  uploadDir: string;
  host?: string;
  port?: number;
  token: string;
  /** The largest upload accepted, in bytes (413 beyond it). */
  maxUploadBytes?: number;
}

/** Uploads up to 10 GiB: far beyond any table the app handles well, short of filling a disk by accident. */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 ** 3;

export interface RunningHost {
  url: string;
  /** The URL with the token, to print and open. */
  urlWithToken: string;
  /**
   * Every URL the server is reached at (without the token): the bind address, or for 0.0.0.0 / ::
   * this machine's network addresses, which are also the Host names it answers to.
   */
  urls: string[];
  /** Whether it listens beyond loopback, where anyone on the network with the token gets in. */
  exposed: boolean;
  port: number;
  close(): Promise<void>;
}

const STATUS_FOR: Record<string, number> = {
  invalid_argument: 400,
  bad_rows: 422,
  import_failed: 422,
  not_found: 404,
  unauthorized: 401,
  cancelled: 409,
  conflict: 409,
  internal: 500,
};

/** What a browser shows without the token: static text, no script, nothing about the data folder. */
const WRONG_TOKEN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cairn: open the URL cairn ui printed</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>This address needs Cairn's token</h1>
<p>Open the URL <code>cairn ui</code> printed when it started (it ends in <code>?token=…</code>).
The token stays the same across restarts of the same data folder unless it was rotated with
<code>cairn ui --rotate-token</code>.</p>
</body></html>
`;

function deny(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ ok: false, error: { code, message } });
}

/** Starts the web host; resolves once it listens. */
export async function startHttpHost(options: HttpHostOptions): Promise<RunningHost> {
  const bindHost = options.host ?? '127.0.0.1';
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  // forceCloseConnections: stopping the UI cuts open connections (the event stream never ends by
  // itself) instead of waiting for them.
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
  let hosts = new Set<string>();

  app.addHook('onRequest', async (req, reply) => {
    void reply.headers(securityHeaders());
    if (!hosts.has(req.headers.host ?? '')) return deny(reply, 403, 'unauthorized', 'unexpected Host header');
    let token: string | undefined;
    try {
      token = requestToken(req.headers, req.query);
    } catch (err) {
      if (err instanceof MalformedRequest) return deny(reply, 400, 'invalid_argument', err.message);
      throw err;
    }
    if (!tokenMatches(options.token, token)) {
      // A person reloading a tab after the token was rotated reads a page, not a JSON envelope.
      if (req.method === 'GET' && req.headers.accept?.includes('text/html')) {
        return reply.code(401).type('text/html; charset=utf-8').send(WRONG_TOKEN_PAGE);
      }
      return deny(reply, 401, 'unauthorized', 'missing or wrong token: open the URL `cairn ui` printed');
    }
  });

  // JSON is the only body a call accepts: a cross-site form cannot send it without a CORS
  // preflight, which this server never answers. Uploads take raw bytes as a stream.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? {} : (JSON.parse(body as string) as unknown));
    } catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode ?? 500;
    void deny(
      reply,
      status,
      status === 415 ? 'invalid_argument' : status < 500 ? 'invalid_argument' : 'internal',
      err.message,
    );
  });

  app.post<{ Params: { method: string } }>('/api/call/:method', async (req, reply) => {
    if (!req.headers['content-type']?.startsWith('application/json')) {
      return deny(reply, 415, 'invalid_argument', 'calls take Content-Type: application/json');
    }
    const result = await options.service.call(req.params.method, req.body);
    return reply.code(result.ok ? 200 : (STATUS_FOR[result.error.code] ?? 500)).send(result);
  });

  app.put<{ Querystring: { name?: string } }>('/api/upload', async (req, reply) => {
    if (req.headers['content-type'] !== 'application/octet-stream') {
      return deny(reply, 415, 'invalid_argument', 'uploads take Content-Type: application/octet-stream');
    }
    const given = req.query.name ?? 'upload';
    if (!safeUploadName(given)) {
      return deny(
        reply,
        400,
        'invalid_argument',
        'an upload needs a plain file name (no folders, no "." or "..", no control characters)',
      );
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    // The rest of a refused body is never read, so the connection cannot carry another request.
    if (declared > maxUpload)
      return deny(reply.header('Connection', 'close'), 413, 'invalid_argument', tooLarge(maxUpload));
    const original = given.replace(/[^\w.\- ]/g, '_');
    // A folder per upload keeps the file's own name, which import messages show to the user.
    const folder = path.join(options.uploadDir, randomUUID());
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, original);
    try {
      await pipeline(req.body as Readable, capBytes(maxUpload), createWriteStream(file, { flags: 'wx' }));
    } catch (err) {
      await rm(folder, { recursive: true, force: true });
      if (err instanceof UploadTooLarge)
        return deny(reply.header('Connection', 'close'), 413, 'invalid_argument', err.message);
      throw err;
    }
    return { path: file, name: original };
  });

  // Outputs leave as downloads: a model version's bundle, written to the data folder's work area
  // and removed once sent. Guarded by the token like every route; GET, so a link can start it.
  app.get<{ Querystring: { name?: string; version?: string; alias?: string; format?: string } }>(
    '/api/download/model',
    async (req, reply) => {
      const { name, version, alias } = req.query;
      const format = ExportFormat.safeParse(req.query.format ?? 'bundle');
      if (!format.success) return deny(reply, 400, 'invalid_argument', 'format is bundle or onnx');
      // The contract's own model reference checks the query, as it checks models.export's.
      const ref = ModelRef.safeParse({ name, alias, version: version === undefined ? undefined : Number(version) });
      if (!ref.success) {
        const problems = ref.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
        return deny(reply, 400, 'invalid_argument', `name the model: ?name=...&version=... (${problems})`);
      }
      let bundle: Awaited<ReturnType<CairnService['exportForDownload']>>;
      try {
        bundle = await options.service.exportForDownload(ref.data, format.data);
      } catch (err) {
        const error = toApiError(err);
        return deny(reply, STATUS_FOR[error.code] ?? 500, error.code, error.message);
      }
      reply.raw.on('close', () => void bundle.remove());
      return reply
        .header('Content-Type', format.data === 'onnx' ? 'application/octet-stream' : 'application/zip')
        .header('Content-Length', String(bundle.bytes))
        .header('Content-Disposition', attachment(bundle.fileName))
        .header('Cache-Control', 'no-store')
        .send(createReadStream(bundle.file));
    },
  );

  // Thumbnails of image datasets, at the URL datasets.images gives (the same path as in the desktop
  // app). Content-addressed, so a browser may keep them; the service admits only an id and a hash.
  app.get('/media/thumbnails/*', async (req, reply) => {
    const file = options.service.thumbnailFile(new URL(req.url, 'http://host').pathname);
    if (!file) return deny(reply, 404, 'not_found', 'no such thumbnail');
    const body = await readFile(file).catch(() => undefined);
    if (!body) return deny(reply, 404, 'not_found', 'no such thumbnail');
    return reply
      .header('Content-Type', 'image/webp')
      .header('Cache-Control', 'private, max-age=31536000, immutable')
      .send(body);
  });

  app.get('/api/events', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = options.service.events.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  });

  await app.register(fastifyStatic, {
    root: path.resolve(options.staticDir),
    index: ['index.html'],
  });

  // The first page load carries ?token=; keep it in an HttpOnly cookie so that the page's own
  // asset and API requests are authorised without the token sitting in every URL.
  app.addHook('onSend', async (req, reply, payload) => {
    const q = (req.query as { token?: unknown }).token;
    if (typeof q === 'string' && tokenMatches(options.token, q)) {
      void reply.header('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(q)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    return payload;
  });

  const address = await app.listen({ host: bindHost, port: options.port ?? 0 });
  const port = Number(new URL(address).port);
  // Bound to every interface, the server is reached at this machine's own addresses: those are the
  // URLs to print, and the Host names to accept (a name nobody printed is still refused).
  const reachable = reachableAddresses(bindHost);
  hosts = allowedHosts(bindHost, port, reachable);
  const urls = (reachable.length ? reachable : ['127.0.0.1']).map((a) => `http://${urlHost(a)}:${port}/`);
  const url = urls[0] as string;
  return {
    url,
    urlWithToken: `${url}?token=${options.token}`,
    urls,
    exposed: isWildcard(bindHost) || !['127.0.0.1', '::1', 'localhost'].includes(bindHost),
    port,
    close: async () => {
      await app.close();
    },
  };
}

/**
 * Whether an upload's name is a plain file name: the folder per upload keeps it, so it must not
 * name a folder, climb out of one, or carry control characters into messages and terminals.
 */
export function safeUploadName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    name !== '.' &&
    name !== '..' &&
    !/[/\\]/.test(name) &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(name)
  );
}

class UploadTooLarge extends Error {}

function tooLarge(limit: number): string {
  return `uploads are limited to ${formatLimit(limit)} (cairn ui --max-upload-mb raises it)`;
}

function formatLimit(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** Passes bytes through until `limit`, then fails: a body without (or lying in) Content-Length is capped too. */
function capBytes(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(new UploadTooLarge(tooLarge(limit)));
      else done(null, chunk);
    },
  });
}

/** A Content-Disposition for a download: an ASCII fallback name and the exact one (RFC 6266). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\w.\- ]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
