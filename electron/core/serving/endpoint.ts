// The prediction endpoint: a fastify server over the loaded model versions, with admission
// control (bounded in-flight requests, 503 + Retry-After past it, 504 past a deadline), tight
// connection timeouts, dynamic micro-batching per version, a request log written in batches,
// ground truth for its predictions (feedback-route.ts), and hot swap (new versions load fully
// before the routes switch to them).
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import * as tf from '@tensorflow/tfjs';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { cairnVersion } from '../environment.js';
import { MicroBatcher, DeadlineError, rowsPerCall } from './batcher.js';
import { ConnectionGuard, type ConnectionCounts } from './connection-guard.js';
import { newPredictionId } from './ids.js';
import { loadServedModel, type LoadedModel } from './loaded-model.js';
import { EndpointMetrics, UNSERVED } from './endpoint-metrics.js';
import { openApiDocument, instanceSchema, type DescribedModel } from './openapi.js';
import {
  DEFAULT_LIMITS,
  type EndpointConfig,
  type EndpointLimits,
  type ModelState,
  type ServedModel,
} from './protocol.js';
import { registerFeedbackRoute } from './feedback-route.js';
import { RequestLog } from './request-log.js';

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

interface Entry {
  spec: ServedModel;
  model?: LoadedModel;
  batcher?: MicroBatcher;
  error?: string;
  /** `{"model":{"name","version"},"predictions":[`: how every answer of this version begins. */
  responseHead: string;
}

interface Routes {
  /** By lower-cased name; `name` is the model's own spelling, the only one metrics and the log use. */
  byName: Map<string, { name: string; default?: Entry; versions: Map<number, Entry>; aliases: Map<string, Entry> }>;
  entries: Entry[];
}

interface PredictBody {
  instances?: unknown;
}

const key = (name: string) => name.toLowerCase();

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
}

function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
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
  const load = hooks.load ?? loadServedModel;
  let inFlight = 0;
  let draining = false;
  let routes: Routes = { byName: new Map(), entries: [] };

  const makeEntry = async (spec: ServedModel, reuse: Map<string, Entry>): Promise<Entry> => {
    const old = reuse.get(`${key(spec.name)}:${spec.version}`);
    const responseHead = `{"model":{"name":${JSON.stringify(spec.name)},"version":${spec.version}},"predictions":[`;
    if (old?.model && old.spec.sha256 === spec.sha256) return { ...old, spec, responseHead };
    try {
      const model = await load(spec);
      const batcher = new MicroBatcher(
        { width: model.validator.width, units: model.units, predict: (x, n) => model.predict(x, n) },
        {
          maxBatch: limits.maxBatch,
          maxDelayMs: limits.maxBatchDelayMs,
          maxRowsPerCall: rowsPerCall(model.cost, limits),
          beforeCall: hooks.beforeModelCall && ((rows) => hooks.beforeModelCall?.(rows, spec)),
          onCall: (rows, ms) => metrics.modelCall(rows, ms),
        },
      );
      return { spec, model, batcher, responseHead };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { spec, responseHead, error: `${spec.name} version ${spec.version} could not be loaded: ${message}` };
    }
  };

  const build = (entries: Entry[], previous: Routes): Routes => {
    const byName: Routes['byName'] = new Map();
    for (const e of entries) {
      const k = key(e.spec.name);
      let r = byName.get(k);
      if (!r) byName.set(k, (r = { name: e.spec.name, versions: new Map(), aliases: new Map() }));
      r.versions.set(e.spec.version, e);
      for (const a of e.spec.aliases) r.aliases.set(key(a), e);
      if (e.spec.isDefault) r.default = e;
    }
    // A default that failed to load keeps the previous default serving: a bad version moved to
    // production must not take the model down.
    for (const [k, r] of byName) {
      const before = previous.byName.get(k)?.default;
      if (r.default?.error && before?.model)
        r.default =
          r.versions.get(before.spec.version)?.model === before.model ? r.versions.get(before.spec.version) : before;
    }
    const live = new Set(
      [...byName.values()].flatMap((r) => [...r.versions.values(), ...(r.default ? [r.default] : [])]),
    );
    return { byName, entries: [...live] };
  };

  const states = (): ModelState[] =>
    routes.entries.map((e) => ({
      name: e.spec.name,
      version: e.spec.version,
      aliases: e.spec.aliases,
      isDefault: routes.byName.get(key(e.spec.name))?.default === e,
      ...(e.error ? { error: e.error } : {}),
    }));

  let swapping: Promise<unknown> = Promise.resolve();
  const swap = (models: ServedModel[]): Promise<ModelState[]> => {
    const next = swapping.then(async () => {
      const reuse = new Map(
        routes.entries.filter((e) => e.model).map((e) => [`${key(e.spec.name)}:${e.spec.version}`, e]),
      );
      const entries: Entry[] = [];
      // One at a time: loading is mostly file reads and checks; memory peaks lower.
      for (const spec of models) entries.push(await makeEntry(spec, reuse));
      const before = routes;
      routes = build(entries, before);
      const kept = new Set(routes.entries.map((e) => e.model));
      for (const e of before.entries) {
        if (e.model && !kept.has(e.model)) {
          const { model, batcher } = e;
          void (batcher ? batcher.whenIdle() : Promise.resolve()).then(() => model.dispose());
        }
      }
      return states();
    });
    swapping = next.catch(() => undefined);
    return next;
  };

  await swap(config.models);

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

  const secured = Boolean(config.apiKey);
  const expected = config.apiKey ? Buffer.from(config.apiKey) : undefined;
  /** Whether the request carries the API key, or none is needed. */
  const authorized = (req: FastifyRequest): boolean => {
    if (!expected) return true;
    const auth = req.headers.authorization;
    const given = auth?.startsWith('Bearer ') ? Buffer.from(auth.slice(7).trim()) : undefined;
    return given !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
  };
  // A callback hook, not an async one: no promise per request.
  app.addHook('onRequest', (req, reply, done) => {
    // Nothing the caller sent (path, model name) is used before the key is checked: refusals are
    // counted and logged under UNSERVED, so callers without the key cannot add metric series or
    // log models. /healthz answers them too, saying only whether the endpoint serves.
    if (expected && req.url !== '/healthz' && !authorized(req)) {
      const message = 'missing or wrong API key';
      metrics.request(UNSERVED, null, 401, 0);
      log.add({
        at: Date.now(),
        model: UNSERVED,
        version: null,
        status: 401,
        latencyMs: 0,
        predictionId: null,
        inputJson: null,
        outputJson: null,
        answer: null,
        error: message,
      });
      reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send(errorBody('unauthorized', `${message} (send Authorization: Bearer <key>)`));
      return;
    }
    // Refuse before reading the body: under overload the cheapest answer is the best one.
    if (req.method === 'POST' && inFlight >= limits.maxInFlight) {
      metrics.rejectedOverload++;
      metrics.refusedAtTheDoor(503);
      overloaded(reply);
      return;
    }
    done();
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string) as unknown);
    } catch {
      done(
        Object.assign(new Error('the body is not valid JSON'), { statusCode: 415, code: 'CAIRN_NOT_JSON' }),
        undefined,
      );
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = err.statusCode ?? 500;
    metrics.refusedAtTheDoor(status);
    if (status === 413)
      return reply
        .code(413)
        .send(errorBody('payload_too_large', `the body is over the limit of ${limits.bodyLimit} bytes`));
    if (status === 415)
      return reply
        .code(415)
        .send(
          errorBody(
            'unsupported_media_type',
            err.code === 'CAIRN_NOT_JSON' ? err.message : 'the body must be JSON (Content-Type: application/json)',
          ),
        );
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return reply.code(415).send(errorBody('unsupported_media_type', 'the body is empty, not JSON'));
    if (status < 500) return reply.code(status).send(errorBody('bad_request', err.message));
    return reply.code(500).send(errorBody('internal', err.message));
  });

  app.setNotFoundHandler((req, reply) => {
    metrics.refusedAtTheDoor(404);
    return reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });

  function overloaded(reply: FastifyReply): FastifyReply {
    return reply
      .code(503)
      .header('Retry-After', '1')
      .send(errorBody('overloaded', 'the endpoint is at capacity; retry after a second'));
  }

  type Pick = (r: NonNullable<ReturnType<Routes['byName']['get']>>, req: FastifyRequest) => Entry | undefined | 'bad';

  /** A prediction request as its refusal needs it. */
  interface Attempt {
    reply: FastifyReply;
    t0: number;
    at: number;
    /** The served model's own name, or UNSERVED: what metrics and the log record, never the caller's spelling. */
    model: string;
  }
  /**
   * Counts, logs and answers a refused request; `spec` is the version it named, if any; the log
   * keeps `logged` (the message unless it quotes what the caller sent). Defined once, not per
   * request: the path of an answered request makes no closures.
   */
  const refuse = (
    a: Attempt,
    spec: ServedModel | undefined,
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    logged = message,
  ) => {
    const ms = performance.now() - a.t0;
    const version = spec?.version ?? null;
    metrics.request(a.model, version, status, ms);
    log.add({
      at: a.at,
      model: a.model,
      version,
      status,
      latencyMs: ms,
      predictionId: null,
      inputJson: null,
      outputJson: null,
      answer: null,
      error: logged,
    });
    return a.reply.code(status).send(errorBody(code, message, extra));
  };

  const predictRoute = (pick: Pick) => async (req: FastifyRequest, reply: FastifyReply) => {
    const t0 = performance.now();
    const at = Date.now();
    const name = (req.params as { name: string }).name;
    const named = routes.byName.get(key(name));
    const entry = named ? pick(named, req) : undefined;
    const attempt: Attempt = { reply, t0, at, model: named ? named.name : UNSERVED };
    if (entry === 'bad')
      return refuse(attempt, undefined, 404, 'not_found', 'the version must be a positive whole number');
    if (!named)
      return refuse(
        attempt,
        undefined,
        404,
        'not_found',
        `no model named "${name}" on this endpoint`,
        {},
        'no model of that name on this endpoint',
      );
    if (!entry)
      return refuse(
        attempt,
        undefined,
        404,
        'not_found',
        `model "${name}" has no such version or alias on this endpoint`,
      );
    const { spec } = entry;
    if (!entry.model || !entry.batcher)
      return refuse(attempt, spec, 503, 'model_unavailable', entry.error ?? 'the model is not loaded');
    if (inFlight >= limits.maxInFlight) {
      metrics.rejectedOverload++;
      metrics.request(spec.name, spec.version, 503, performance.now() - t0);
      return overloaded(reply);
    }
    const body = req.body as PredictBody | null;
    const instances = body && typeof body === 'object' && !Array.isArray(body) ? body.instances : undefined;
    if (!Array.isArray(instances) || instances.length === 0)
      return refuse(
        attempt,
        spec,
        400,
        'invalid_input',
        'the body must be {"instances": [{...}, ...]} with at least one instance',
      );
    if (instances.length > limits.maxInstances)
      return refuse(attempt, spec, 400, 'invalid_input', `at most ${limits.maxInstances} instances per request`);
    const extraKeys = Object.keys(body as object).filter((k) => k !== 'instances');
    if (extraKeys.length)
      return refuse(
        attempt,
        spec,
        400,
        'invalid_input',
        `unknown body field${extraKeys.length > 1 ? 's' : ''}: ${extraKeys.join(', ')}`,
      );
    const { model, batcher } = entry;
    const checked = model.validator.check(instances);
    if ('errors' in checked) {
      const first = checked.errors[0];
      const where = first
        ? `instance ${first.instance}${first.field ? ` field "${first.field}"` : ''} ${first.message}`
        : '';
      return refuse(
        attempt,
        spec,
        400,
        'invalid_input',
        `${checked.total} invalid field${checked.total === 1 ? '' : 's'}; first: ${where}`,
        { errors: checked.errors, total: checked.total },
      );
    }
    inFlight++;
    try {
      const { y, row } = await batcher.submit(checked.x, instances.length, at + limits.requestDeadlineMs);
      const ms = performance.now() - t0;
      // The response is written as text from each prediction's JSON, which the log keeps too
      // (PREDICT_RESPONSE_SCHEMA in openapi.ts describes it); ids are hex and dashes, safe in JSON.
      let body = entry.responseHead;
      for (let i = 0; i < instances.length; i++) {
        const id = newPredictionId(at);
        const out = model.encode(y, row + i);
        body += `${i ? ',' : ''}{"id":"${id}",${out.json.slice(1)}`;
        log.add({
          at,
          model: spec.name,
          version: spec.version,
          status: 200,
          latencyMs: ms,
          predictionId: id,
          inputJson: JSON.stringify(instances[i]),
          outputJson: out.json,
          answer: out.answer,
          error: null,
        });
      }
      metrics.request(spec.name, spec.version, 200, ms, instances.length);
      return reply.type('application/json; charset=utf-8').send(`${body}]}`);
    } catch (err) {
      if (err instanceof DeadlineError) {
        metrics.deadlineExceeded++;
        return refuse(
          attempt,
          spec,
          504,
          'deadline_exceeded',
          `no answer within ${limits.requestDeadlineMs} ms; the endpoint is busy`,
        );
      }
      return refuse(attempt, spec, 500, 'internal', err instanceof Error ? err.message : String(err));
    } finally {
      inFlight--;
    }
  };

  app.post(
    '/v1/models/:name/predict',
    predictRoute((r) => r.default),
  );
  app.post(
    '/v1/models/:name/versions/:version/predict',
    predictRoute((r, req) => {
      const v = (req.params as { version: string }).version;
      if (!/^\d{1,9}$/.test(v) || Number(v) < 1) return 'bad';
      return r.versions.get(Number(v));
    }),
  );
  app.post(
    '/v1/models/:name/aliases/:alias/predict',
    predictRoute((r, req) => r.aliases.get(key((req.params as { alias: string }).alias))),
  );
  registerFeedbackRoute(app, {
    serves: (name) => routes.byName.has(key(name)),
    record: (name, items) => log.feedback(name, items),
  });

  const describe = (e: Entry): DescribedModel | undefined => {
    if (!e.model) return undefined;
    const t = e.model.preprocess.target;
    return {
      name: e.spec.name,
      version: e.spec.version,
      task: e.model.card.task,
      classes: t?.task === 'classification' ? t.classes : null,
      fields: e.model.validator.fields,
      ignored: e.model.validator.ignored,
    };
  };

  app.get('/v1/models/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const r = routes.byName.get(key(name));
    if (!r) return reply.code(404).send(errorBody('not_found', `no model named "${name}" on this endpoint`));
    const versions = [...r.versions.values()].map((e) => ({
      version: e.spec.version,
      aliases: e.spec.aliases,
      isDefault: r.default === e,
      ...(e.error ? { error: e.error } : {}),
    }));
    const d = r.default;
    const described = d ? describe(d) : undefined;
    if (!d || !described || !d.model)
      return reply.send({ name, version: d?.spec.version ?? null, versions, error: d?.error ?? 'no default version' });
    const card = d.model.card;
    return reply.send({
      name: d.spec.name,
      version: d.spec.version,
      aliases: d.spec.aliases,
      versions,
      task: card.task,
      target: card.target,
      classes: described.classes,
      modelKind: card.modelKind,
      createdAt: card.createdAt,
      metrics: card.metrics,
      input: { fields: described.fields, ignored: described.ignored, schema: instanceSchema(described) },
      output:
        card.task === 'classification'
          ? { label: 'one of classes', probabilities: 'class to probability' }
          : { value: `predicted ${card.target}` },
    });
  });

  app.get('/v1/models', async () => ({ models: states() }));

  app.get('/openapi.json', async () =>
    openApiDocument(
      routes.entries.map(describe).filter((d): d is DescribedModel => d !== undefined),
      secured,
      cairnVersion(),
    ),
  );

  // Without the key (when one is set) only whether the endpoint serves: model names and load
  // errors (which name files) are for callers with the key.
  app.get('/healthz', async (req, reply) => {
    const status = draining ? 'draining' : 'ok';
    reply.code(draining ? 503 : 200);
    return reply.send(authorized(req) ? { status, models: states() } : { status });
  });

  app.get('/metrics', async (_req, reply) => {
    const queued = routes.entries.reduce((n, e) => n + (e.batcher?.waiting ?? 0), 0);
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(
      metrics.render({
        inFlight,
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
    for (const e of routes.entries) e.model?.dispose();
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
    models: states,
    swap,
    close: () => {
      closing ??= (async () => {
        draining = true;
        // Connections still sending their first headers would hold the close until their timeout.
        guard.closePending();
        // Waits for in-flight requests; new ones on open connections get 503 meanwhile.
        await app.close();
        clearInterval(sweep);
        await swapping;
        await log.close();
        for (const model of new Set(routes.entries.map((e) => e.model))) model?.dispose();
      })();
      return closing;
    },
  };
}
