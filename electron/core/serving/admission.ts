// Who the endpoint lets in: the API key, checked before anything the caller sent is used, and
// the cap on prediction requests in flight, enforced at the door (before the body is read: under
// overload the cheapest answer is the best one) and again at the route. Requests queued past
// their deadline are the batchers' to expire (ModelRoutes entries, swept by the endpoint).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { UNSERVED, type EndpointMetrics } from './endpoint-metrics.js';
import { errorBody, overloaded, recordRefusal } from './endpoint-replies.js';
import type { RequestLog } from './request-log.js';

const KEY_MESSAGE = 'missing or wrong API key';

export class Admission {
  /** Prediction requests between admission at the route and their answer. */
  inFlight = 0;
  private readonly expected: Buffer | undefined;

  constructor(
    apiKey: string | undefined,
    private readonly maxInFlight: number,
    private readonly metrics: EndpointMetrics,
    private readonly log: RequestLog,
  ) {
    this.expected = apiKey ? Buffer.from(apiKey) : undefined;
  }

  /** Whether an API key is required. */
  get secured(): boolean {
    return this.expected !== undefined;
  }

  /** Whether the request carries the API key, or none is needed. */
  authorized(req: FastifyRequest): boolean {
    const expected = this.expected;
    if (!expected) return true;
    const auth = req.headers.authorization;
    const given = auth?.startsWith('Bearer ') ? Buffer.from(auth.slice(7).trim()) : undefined;
    return given !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Whether another prediction request would go over the cap. */
  full(): boolean {
    return this.inFlight >= this.maxInFlight;
  }

  /** The onRequest hook; a callback hook, not an async one: no promise per request. */
  readonly atTheDoor = (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // Nothing the caller sent (path, model name) is used before the key is checked: refusals are
    // counted and logged under UNSERVED, so callers without the key cannot add metric series or
    // log models. /healthz answers them too, saying only whether the endpoint serves.
    if (this.expected && req.url !== '/healthz' && !this.authorized(req)) {
      recordRefusal(this.metrics, this.log, {
        at: Date.now(),
        model: UNSERVED,
        version: null,
        status: 401,
        latencyMs: 0,
        error: KEY_MESSAGE,
      });
      reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send(errorBody('unauthorized', `${KEY_MESSAGE} (send Authorization: Bearer <key>)`));
      return;
    }
    if (req.method === 'POST' && this.full()) {
      this.metrics.rejectedOverload++;
      this.metrics.refusedAtTheDoor(503);
      overloaded(reply);
      return;
    }
    done();
  };
}
