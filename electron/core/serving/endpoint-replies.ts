// How the endpoint answers: one error shape ({"error": {"code", "message", ...}}) for every
// refusal, 503 + Retry-After at capacity, JSON bodies (or one raw picture) with fastify's own errors and unknown
// routes in that shape, and the prediction answer, written as text from each prediction's JSON.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EndpointMetrics } from './endpoint-metrics.js';
import { newPredictionId } from './ids.js';
import type { LoadedModel } from './loaded-model.js';
import { PICTURE_BODY_TYPES } from './picture-input.js';
import type { EndpointLimits, ServedModel } from './protocol.js';
import type { RequestLog } from './request-log.js';

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

export function overloaded(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .header('Retry-After', '1')
    .send(errorBody('overloaded', 'the endpoint is at capacity; retry after a second'));
}

/** A refused request as metrics and the request log keep it. */
export interface Refusal {
  at: number;
  /** The served model's own name, or UNSERVED: never the caller's spelling. */
  model: string;
  version: number | null;
  status: number;
  latencyMs: number;
  /** What the log keeps: never text the caller sent. */
  error: string;
}

/** Counts and logs a refused request (the caller answers it). */
export function recordRefusal(metrics: EndpointMetrics, log: RequestLog, r: Refusal): void {
  metrics.request(r.model, r.version, r.status, r.latencyMs);
  log.add({
    at: r.at,
    model: r.model,
    version: r.version,
    status: r.status,
    latencyMs: r.latencyMs,
    predictionId: null,
    inputJson: null,
    outputJson: null,
    answer: null,
    error: r.error,
  });
}

/**
 * Bodies are JSON only; a body too large, not JSON or empty, an unknown route and any other
 * error fastify raises are answered in the endpoint's error shape and counted at the door.
 */
export function registerErrorReplies(app: FastifyInstance, limits: EndpointLimits, metrics: EndpointMetrics): void {
  app.removeAllContentTypeParsers();
  // A picture model also takes one raw picture; the route reads its format from the content.
  app.addContentTypeParser([...PICTURE_BODY_TYPES], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') {
      done(Object.assign(new Error('the body is empty, not JSON'), { statusCode: 400, code: 'CAIRN_NOT_JSON' }));
      return;
    }
    try {
      done(null, JSON.parse(body as string) as unknown);
    } catch {
      done(
        // It says it is JSON and is not: a bad request (400), not an unsupported media type (415).
        Object.assign(new Error('the body is not valid JSON'), { statusCode: 400, code: 'CAIRN_NOT_JSON' }),
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
            `the body must be JSON (Content-Type: application/json), or for a picture model one picture (${PICTURE_BODY_TYPES.join(', ')})`,
          ),
        );
    if (err.code === 'CAIRN_NOT_JSON') return reply.code(400).send(errorBody('invalid_json', err.message));
    if (status < 500) return reply.code(status).send(errorBody('bad_request', err.message));
    return reply.code(500).send(errorBody('internal', err.message));
  });

  app.setNotFoundHandler((req, reply) => {
    metrics.refusedAtTheDoor(404);
    return reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });
}

/** `{"model":{"name","version"},"predictions":[`: how every answer of this version begins. */
export function responseHead(spec: ServedModel): string {
  return `{"model":{"name":${JSON.stringify(spec.name)},"version":${spec.version}},"predictions":[`;
}

/** An answered request: the version that answered and the model's outputs for its instances. */
export interface Answer {
  spec: ServedModel;
  model: LoadedModel;
  responseHead: string;
  instances: unknown[];
  /** What the log keeps of each instance instead of its JSON (a picture's summary, picture-input.ts). */
  loggedInputs?: readonly string[];
  /** The batch's outputs; this request's rows start at `row`. */
  y: Float32Array;
  row: number;
  at: number;
  latencyMs: number;
  /** With ?explain=true: each prediction's explanation members (explain-predictions.ts), not logged. */
  explanations?: string[];
}

/** The Content-Type of a prediction answer. */
export const PREDICTIONS_TYPE = 'application/json; charset=utf-8';

/**
 * The answer's JSON text, logging each prediction as it goes. The response is written as text
 * from each prediction's JSON, which the log keeps too (PREDICT_RESPONSE_SCHEMA in openapi.ts
 * describes it); ids are hex and dashes, safe in JSON.
 */
export function predictionsText(log: RequestLog, a: Answer): string {
  let body = a.responseHead;
  for (let i = 0; i < a.instances.length; i++) {
    const id = newPredictionId(a.at);
    const out = a.model.encode(a.y, a.row + i);
    const explanation = a.explanations?.[i];
    body += explanation
      ? `${i ? ',' : ''}{"id":"${id}",${out.json.slice(1, -1)},${explanation}}`
      : `${i ? ',' : ''}{"id":"${id}",${out.json.slice(1)}`;
    log.add({
      at: a.at,
      model: a.spec.name,
      version: a.spec.version,
      status: 200,
      latencyMs: a.latencyMs,
      predictionId: id,
      inputJson: a.loggedInputs ? (a.loggedInputs[i] as string) : JSON.stringify(a.instances[i]),
      outputJson: out.json,
      answer: out.answer,
      error: null,
    });
  }
  return `${body}]}`;
}
