// `cairn ui`: the same service over HTTP and a server-sent event stream, and the renderer build
// for any browser. Fastify does the HTTP; this file adds the guards and the three routes.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { CairnService } from '../core/service.js';
import { securityHeaders } from '../../shared/csp.js';
import {
  TOKEN_COOKIE,
  allowedHosts,
  requestToken,
  tokenMatches,
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
}

export interface RunningHost {
  url: string;
  /** The URL with the token, to print and open. */
  urlWithToken: string;
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

function deny(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ ok: false, error: { code, message } });
}

/** Starts the web host; resolves once it listens. */
export async function startHttpHost(options: HttpHostOptions): Promise<RunningHost> {
  const bindHost = options.host ?? '127.0.0.1';
  // forceCloseConnections: stopping the UI cuts open connections (the event stream never ends by
  // itself) instead of waiting for them.
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
  let hosts = new Set<string>();

  app.addHook('onRequest', async (req, reply) => {
    void reply.headers(securityHeaders());
    if (!hosts.has(req.headers.host ?? '')) return deny(reply, 403, 'unauthorized', 'unexpected Host header');
    const token = requestToken(req.headers, req.query);
    if (!tokenMatches(options.token, token)) {
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
    void deny(reply, status, status === 415 ? 'invalid_argument' : status < 500 ? 'invalid_argument' : 'internal', err.message);
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
    const original = path.basename(req.query.name ?? 'upload').replace(/[^\w.\- ]/g, '_') || 'upload';
    // A folder per upload keeps the file's own name, which import messages show to the user.
    const folder = path.join(options.uploadDir, randomUUID());
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, original);
    try {
      await pipeline(req.body as Readable, createWriteStream(file, { flags: 'wx' }));
    } catch (err) {
      await rm(folder, { recursive: true, force: true });
      throw err;
    }
    return { path: file, name: original };
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
  hosts = allowedHosts(bindHost, port);
  const shown = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const url = `http://${shown}:${port}/`;
  return {
    url,
    urlWithToken: `${url}?token=${options.token}`,
    port,
    close: async () => {
      await app.close();
    },
  };
}
