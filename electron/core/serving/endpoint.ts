// The prediction endpoint: a fastify server over the loaded model versions, with admission
// control (admission.ts: the API key, bounded in-flight requests, 503 + Retry-After past it; 504
// past a deadline), tight connection timeouts (connection-guard.ts), dynamic micro-batching per
// version (served-version.ts, batcher.ts), a request log written in batches, ground truth for its
// predictions (feedback-route.ts), and hot swap (model-routes.ts: new versions load fully before
// the routes switch to them). The routes: predict-route.ts, model-info-routes.ts and the health
// and metrics routes here; every error answer has one shape (endpoint-replies.ts).
import http from 'node:http';
import * as tf from '@tensorflow/tfjs';
import Fastify, { type FastifyInstance } from 'fastify';
import { Admission } from './admission.js';
import { ConnectionGuard, type ConnectionCounts } from './connection-guard.js';
import { EndpointMetrics } from './endpoint-metrics.js';
import { registerErrorReplies } from './endpoint-replies.js';
import { registerFeedbackRoute } from './feedback-route.js';
import { loadServedModel, type LoadedModel } from './loaded-model.js';
import { registerModelInfoRoutes } from './model-info-routes.js';
import { ModelRoutes } from './model-routes.js';
import { DecodeSlots } from './picture-input.js';
import { registerPredictRoutes } from './predict-route.js';
import {
  DEFAULT_LIMITS,
  type EndpointConfig,
  type EndpointLimits,
  type ModelState,
  type ServedModel,
} from './protocol.js';
import { RequestLog } from './request-log.js';
import { openServedVersion } from './served-version.js';

export interface EndpointHooks {
  /** Runs before each model call of `model`; tests slow a model down with it. */
  beforeModelCall?: (rows: number, model: ServedModel) => void | Promise<void>;
  /** Loads a version (tests count or fail loads with it). */
  load?: (spec: ServedModel) => Promise<LoadedModel>;
}

export interface RunningEndpoint {
  url: string;
  port: number;
  models(): ModelState[];
  /** Loads what the new list adds, then switches every route at once; old versions go once idle. */
  swap(models: ServedModel[]): Promise<ModelState[]>;
  /** Stops accepting, answers what is in flight, writes the log and frees the models. */
  close(): Promise<void>;
  metrics: EndpointMetrics;
  /** The connections held now, by budget (connection-guard.ts). */
  connections(): ConnectionCounts;
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
}

/** Starts an endpoint in this process; the endpoint process and tests both use it. */
export async function startEndpoint(config: EndpointConfig, hooks: EndpointHooks = {}): Promise<RunningEndpoint> {
  const limits: EndpointLimits = { ...DEFAULT_LIMITS, ...config.limits };
  if (!isLoopback(config.host) && !config.apiKey)
    throw new Error(`binding ${config.host} (not loopback) requires an API key`);
  const { selectBackend } = await import('../training/backend.js');
  await selectBackend();
  const metrics = new EndpointMetrics();
  const log = new RequestLog({
    file: config.logFile,
    retention: config.logRetention,
    onDropped: (n) => (metrics.logDropped += n),
  });
  const deps = { load: hooks.load ?? loadServedModel, limits, metrics, beforeModelCall: hooks.beforeModelCall };
  const routes = new ModelRoutes((spec, held) => openServedVersion(spec, held, deps));
  let draining = false;

  await routes.swap(config.models);

  // Expires requests queued past their deadline (504) even while their batcher waits on a call.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const e of routes.entries) e.batcher?.expire(now);
  }, 25);
  sweep.unref();

  // The connection cap, the slow-header budget and the per-address limit; Node's own
  // server.maxConnections is left unset, as it would count slow-header sockets too.
  const guard = new ConnectionGuard(limits, (status) => metrics.refusedAtTheDoor(status));
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: limits.bodyLimit,
    // Node checks header and request timeouts only every connectionsCheckingInterval (30 s by
    // default): a slow client would hold its connection that long. Checked every 250 ms here.
    serverFactory: (handler) => {
      const server = http.createServer(
        {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          connectionsCheckingInterval: 250,
          maxHeaderSize: 16 * 1024,
        },
        guard.handler(handler),
      );
      guard.attach(server);
      return server;
    },
    return503OnClosing: true,
  });
  app.server.headersTimeout = limits.headersTimeoutMs;
  app.server.requestTimeout = limits.requestTimeoutMs;
  app.server.keepAliveTimeout = limits.keepAliveTimeoutMs;

  const admission = new Admission(config.apiKey, limits.maxInFlight, metrics, log);
  app.addHook('onRequest', admission.atTheDoor);
  registerErrorReplies(app, limits, metrics);
  const slots = new DecodeSlots(limits.maxConcurrentDecodes);
  registerPredictRoutes(app, { routes, admission, limits, metrics, log, slots });
  registerFeedbackRoute(app, {
    serves: (name) => routes.named(name) !== undefined,
    record: (name, items) => log.feedback(name, items),
  });

  registerModelInfoRoutes(app, routes, admission.secured);

  // Without the key (when one is set) only whether the endpoint serves: model names and load
  // errors (which name files) are for callers with the key.
  app.get('/healthz', async (req, reply) => {
    const status = draining ? 'draining' : 'ok';
    reply.code(draining ? 503 : 200);
    return reply.send(admission.authorized(req) ? { status, models: routes.states() } : { status });
  });

  app.get('/metrics', async (_req, reply) => {
    const queued = routes.entries.reduce((n, e) => n + (e.batcher?.waiting ?? 0), 0);
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(
      metrics.render({
        inFlight: admission.inFlight,
        queued,
        tensors: tf.memory().numTensors,
        logBuffered: log.buffered,
        connections: guard.counts(),
      }),
    );
  });

  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    clearInterval(sweep);
    await log.close();
    routes.dispose();
    throw err;
  }
  const port = Number(new URL(address).port);
  const shown =
    config.host === '0.0.0.0' || config.host === '::'
      ? '127.0.0.1'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    port,
    metrics,
    connections: () => guard.counts(),
    models: () => routes.states(),
    swap: (models) => routes.swap(models),
    close: () => {
      closing ??= (async () => {
        draining = true;
        // Connections still sending their first headers would hold the close until their timeout.
        guard.closePending();
        // Waits for in-flight requests; new ones on open connections get 503 meanwhile.
        await app.close();
        clearInterval(sweep);
        await routes.settled();
        await log.close();
        routes.dispose();
      })();
      return closing;
    },
  };
}
