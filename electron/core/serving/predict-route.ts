// POST /v1/models/{name}/predict, .../versions/{version}/predict and .../aliases/{alias}/predict:
// finds the version, admits the request, checks its instances, queues them on the version's
// batcher until the request's deadline, and answers (endpoint-replies.ts); with ?explain=true each
// prediction also carries its contributions (explain-predictions.ts). A picture model takes
// pictures instead of fields (picture-input.ts), decoded before they join the batch.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ImageInput } from '../datasets/images/model-input.js';
import type { Admission } from './admission.js';
import { DeadlineError } from './batcher.js';
import { UNSERVED, type EndpointMetrics } from './endpoint-metrics.js';
import { explainAsked, explainerFor, explanationMembers } from './explain-predictions.js';
import { errorBody, overloaded, PREDICTIONS_TYPE, predictionsText, recordRefusal } from './endpoint-replies.js';
import { routeKey, type ModelRoutes, type NamedModel } from './model-routes.js';
import {
  PICTURE_BODY_TYPES,
  PICTURE_INSTANCE,
  pictureRows,
  picturesOfInstances,
  type DecodeSlots,
} from './picture-input.js';
import type { EndpointLimits, ServedModel } from './protocol.js';
import type { RequestLog } from './request-log.js';
import type { ServedVersion } from './served-version.js';

export interface PredictRouteDeps {
  routes: ModelRoutes;
  admission: Admission;
  limits: EndpointLimits;
  metrics: EndpointMetrics;
  log: RequestLog;
  /** Bounds the pictures decoded at once across the endpoint's requests. */
  slots: DecodeSlots;
}

interface PredictBody {
  instances?: unknown;
}

/** Which version of a named model a route asks for; 'bad' for a malformed version number. */
type Pick = (r: NamedModel, req: FastifyRequest) => ServedVersion | undefined | 'bad';

/** A prediction request as its refusal needs it. */
interface Attempt {
  reply: FastifyReply;
  t0: number;
  at: number;
  /** The served model's own name, or UNSERVED: what metrics and the log record, never the caller's spelling. */
  model: string;
}

export function registerPredictRoutes(app: FastifyInstance, deps: PredictRouteDeps): void {
  const { routes, admission, limits, metrics, log, slots } = deps;

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
    const version = spec?.version ?? null;
    recordRefusal(metrics, log, {
      at: a.at,
      model: a.model,
      version,
      status,
      latencyMs: performance.now() - a.t0,
      error: logged,
    });
    return a.reply.code(status).send(errorBody(code, message, extra));
  };

  const predictRoute = (pick: Pick) => async (req: FastifyRequest, reply: FastifyReply) => {
    const t0 = performance.now();
    const at = Date.now();
    const name = (req.params as { name: string }).name;
    const named = routes.named(name);
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
    if (admission.full()) {
      metrics.rejectedOverload++;
      metrics.request(spec.name, spec.version, 503, performance.now() - t0);
      return overloaded(reply);
    }
    const { model, batcher } = entry;
    const image = model.preprocess.image;
    const raw = Buffer.isBuffer(req.body) ? req.body : undefined;
    if (raw && !image)
      return refuse(
        attempt,
        spec,
        400,
        'invalid_input',
        `"${spec.name}" is a model of table rows, not of pictures: send {"instances": [{...}, ...]} as application/json`,
      );
    const body = raw ? null : (req.body as PredictBody | null);
    const instances: unknown[] | undefined = raw
      ? [raw]
      : body && typeof body === 'object' && !Array.isArray(body) && Array.isArray(body.instances)
        ? body.instances
        : undefined;
    if (!instances || instances.length === 0)
      return refuse(
        attempt,
        spec,
        400,
        'invalid_input',
        image
          ? `the body must be {"instances": [${PICTURE_INSTANCE}, ...]} with at least one instance, or one picture (${PICTURE_BODY_TYPES.join(', ')})`
          : 'the body must be {"instances": [{...}, ...]} with at least one instance',
      );
    if (instances.length > limits.maxInstances)
      return refuse(attempt, spec, 400, 'invalid_input', `at most ${limits.maxInstances} instances per request`);
    // A body holding "instances" alone (the usual one) makes no filtered copy of its keys.
    const bodyKeys = body ? Object.keys(body) : [];
    const extraKeys = bodyKeys.length > 1 ? bodyKeys.filter((k) => k !== 'instances') : [];
    if (extraKeys.length)
      return refuse(
        attempt,
        spec,
        400,
        'invalid_input',
        `unknown body field${extraKeys.length > 1 ? 's' : ''}: ${extraKeys.join(', ')}`,
      );
    const asked = explainAsked(req.query);
    if (asked === 'bad') return refuse(attempt, spec, 400, 'invalid_input', 'explain must be true or false');
    if (asked && image)
      return refuse(
        attempt,
        spec,
        400,
        'cannot_explain',
        'explanations (?explain=true) are not available for picture models; ask without it',
      );
    const explaining = asked ? explainerFor(model, instances.length, limits) : undefined;
    if (explaining && 'refused' in explaining) return refuse(attempt, spec, 400, 'cannot_explain', explaining.refused);
    const checked = image
      ? raw
        ? { pictures: [raw] }
        : picturesOfInstances(instances)
      : model.validator.check(instances);
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
    admission.inFlight++;
    try {
      let x: Float32Array;
      let loggedInputs: string[] | undefined;
      if ('pictures' in checked) {
        // Decoded before the batch, a bounded number at once: the batch waits for no picture.
        const rows = await pictureRows(checked.pictures, image as ImageInput, limits.maxImagePixels, slots);
        if ('status' in rows)
          return refuse(
            attempt,
            spec,
            rows.status,
            rows.code,
            rows.message,
            rows.errors.length ? { errors: rows.errors, total: rows.errors.length } : {},
          );
        ({ x, logged: loggedInputs } = rows);
      } else x = checked.x;
      const { y, row } = await batcher.submit(x, instances.length, at + limits.requestDeadlineMs);
      const explanations =
        explaining && (await explanationMembers(model, explaining.explainer, x, instances.length, y, row));
      const latencyMs = performance.now() - t0;
      const text = predictionsText(log, {
        spec,
        model,
        responseHead: entry.responseHead,
        instances,
        ...(loggedInputs ? { loggedInputs } : {}),
        y,
        row,
        at,
        latencyMs,
        ...(explanations ? { explanations } : {}),
      });
      metrics.request(spec.name, spec.version, 200, latencyMs, instances.length);
      return reply.type(PREDICTIONS_TYPE).send(text);
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
      admission.inFlight--;
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
    predictRoute((r, req) => r.aliases.get(routeKey((req.params as { alias: string }).alias))),
  );
}
