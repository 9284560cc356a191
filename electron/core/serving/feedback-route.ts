// POST /v1/models/{name}/feedback: ground truth for predictions the endpoint made, by their ids.
// One label ({"id", "label"}) answers 200, 404 for an id the log does not hold for this model,
// or 400 for a label of the wrong kind; a batch ({"feedback": [...]}) answers 200 with counts
// and per-item problems. Labels are checked and stored by the request log's writer thread.
import type { FastifyInstance } from 'fastify';
import { FeedbackItem, type FeedbackResult } from '../../../shared/api.js';
import type { FeedbackInput } from '../monitoring/feedback.js';
import { errorBody } from './endpoint-replies.js';

/** Items per batch: a few seconds of a busy endpoint's answers. */
export const MAX_FEEDBACK_ITEMS = 10_000;

export interface FeedbackRouteOptions {
  /** Whether the endpoint serves a model of this name (case-insensitive). */
  serves: (name: string) => boolean;
  record: (model: string, items: FeedbackInput[]) => Promise<FeedbackResult>;
}

type Parsed =
  | { single: FeedbackInput }
  /** positions[i]: where batch[i] was in the request's array. */
  | { batch: FeedbackInput[]; positions: number[]; malformed: FeedbackResult['invalid'] }
  | { error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A feedback item as the contract defines it (shared/api.ts), with no other fields. */
const Item = FeedbackItem.strict();

/** Why an item is not a FeedbackItem ({"id": "<prediction id>", "label": <string, number or boolean>}), or null. */
function itemProblem(v: unknown): string | null {
  if (!isRecord(v)) return 'each item must be an object {"id": ..., "label": ...}';
  const parsed = Item.safeParse(v);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  if (issue.path[0] === 'id')
    return issue.code === 'too_big'
      ? `"id" must be a prediction id of at most ${issue.maximum as number} characters`
      : '"id" must be the prediction id (a non-empty string) the predict call returned';
  if (issue.path[0] === 'label')
    return v.label === undefined || v.label === null
      ? '"label" is missing'
      : '"label" must be a class name or a number';
  return issue.message;
}

/** The body as one label or a batch; structural problems of a batch's items are reported per item. */
export function parseFeedbackBody(body: unknown): Parsed {
  if (!isRecord(body))
    return { error: 'the body must be {"id": ..., "label": ...} or {"feedback": [{"id": ..., "label": ...}, ...]}' };
  if ('feedback' in body) {
    const list = body.feedback;
    const extra = Object.keys(body).filter((k) => k !== 'feedback');
    if (extra.length) return { error: `unknown body field${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}` };
    if (!Array.isArray(list) || list.length === 0)
      return { error: '"feedback" must be a non-empty array of {"id", "label"}' };
    if (list.length > MAX_FEEDBACK_ITEMS) return { error: `at most ${MAX_FEEDBACK_ITEMS} labels per request` };
    const batch: FeedbackInput[] = [];
    const positions: number[] = [];
    const malformed: FeedbackResult['invalid'] = [];
    list.forEach((item: unknown, index) => {
      const problem = itemProblem(item);
      if (problem)
        malformed.push({
          row: index,
          id: isRecord(item) && typeof item.id === 'string' ? item.id : null,
          message: problem,
        });
      else {
        batch.push({ id: (item as FeedbackInput).id, label: (item as FeedbackInput).label });
        positions.push(index);
      }
    });
    return { batch, positions, malformed };
  }
  const problem = itemProblem(body);
  return problem ? { error: problem } : { single: { id: body.id as string, label: body.label } };
}

/** Adds the feedback route to an endpoint's server. */
export function registerFeedbackRoute(app: FastifyInstance, options: FeedbackRouteOptions): void {
  app.post('/v1/models/:name/feedback', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    if (!options.serves(name))
      return reply.code(404).send(errorBody('not_found', `no model named "${name}" on this endpoint`));
    const parsed = parseFeedbackBody(req.body);
    if ('error' in parsed) return reply.code(400).send(errorBody('invalid_input', parsed.error));
    if ('single' in parsed) {
      const result = await options.record(name, [parsed.single]);
      if (result.unknown.length)
        return reply
          .code(404)
          .send(errorBody('not_found', `no prediction "${parsed.single.id}" of model "${name}" in the request log`));
      const [bad] = result.invalid;
      if (bad) return reply.code(400).send(errorBody('invalid_label', bad.message));
      return reply.send({ accepted: result.accepted });
    }
    const result = parsed.batch.length
      ? await options.record(name, parsed.batch)
      : { accepted: 0, unknown: [], invalid: [] };
    // Rows are indexes into the request's array, whether an item was malformed or its label refused.
    const refused = result.invalid.map((e) => ({ ...e, row: parsed.positions[e.row] ?? e.row }));
    const invalid = [...parsed.malformed, ...refused].sort((a, b) => a.row - b.row);
    return reply.send({ accepted: result.accepted, unknown: result.unknown, invalid });
  });
}
