// ?explain=true on a predict route: each prediction also carries its contributions per input column
// and the base they start from (base + their sum = the explained output, to 1e-6), by the model's
// exact method (TreeSHAP, linear) or KernelSHAP for a network, with its 95% error bound. Off by
// default: a request without it never reaches this file. An explained request is bounded in
// instances (a network's far fewer) and explained after its prediction, outside the batcher.
import type { PredictionExplanation } from '../../../shared/api.js';
import type { RowExplainer } from '../explain/row-explainer.js';
import { rowsPerCall } from './batcher.js';
import type { LoadedModel } from './loaded-model.js';
import type { EndpointLimits } from './protocol.js';

/** Whether a request asks for explanations: its `explain` query parameter, or 'bad' when it is not true/false. */
export function explainAsked(query: unknown): boolean | 'bad' {
  const value = query && typeof query === 'object' ? (query as Record<string, unknown>).explain : undefined;
  if (value === undefined || value === 'false') return false;
  return value === 'true' ? true : 'bad';
}

/** The explainer for an explained request of n instances, or why the request is refused. */
export function explainerFor(
  model: LoadedModel,
  n: number,
  limits: EndpointLimits,
): { explainer: RowExplainer } | { refused: string } {
  const kernel = { seed: 0, batchRows: rowsPerCall(model.cost, limits) };
  const explainer = model.explainer(kernel);
  if ('unavailable' in explainer) return { refused: explainer.unavailable };
  const max = explainer.method === 'kernel_shap' ? limits.maxNetworkExplainedInstances : limits.maxExplainedInstances;
  if (n > max) {
    const why = explainer.method === 'kernel_shap' ? ' (a network is explained by sampling, at a cost)' : '';
    return { refused: `at most ${max} instances per request with ?explain=true${why}` };
  }
  return { explainer };
}

/** Lets other requests run between the rows of a long explanation. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function argmax(y: Float32Array, at: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if ((y[at + c] as number) > (y[at + best] as number)) best = c;
  return best;
}

/**
 * Each instance's explanation as the JSON members a prediction gains (`"base":…,"contributions":
 * {…},"explained":{…}`), explaining the predicted class's output. `x` holds the request's n rows of
 * features; its predictions are rows `row`.. of `y`.
 */
export async function explanationMembers(
  model: LoadedModel,
  explainer: RowExplainer,
  x: Float32Array,
  n: number,
  y: Float32Array,
  row: number,
): Promise<string[]> {
  const classes = model.preprocess.target?.task === 'classification' ? model.preprocess.target.classes : null;
  const k = model.units;
  const d = x.length / n;
  const explained = Array.from({ length: n }, (_, i) => (classes ? argmax(y, (row + i) * k, k) : 0));
  const members: string[] = [];
  // A network's rows one at a time (tens of ms each); exact methods at once.
  const step = explainer.method === 'kernel_shap' ? 1 : n;
  for (let from = 0; from < n; from += step) {
    if (from > 0) await nextTurn();
    const to = Math.min(n, from + step);
    const rows = explainer.explain(x.subarray(from * d, to * d), to - from, explained.slice(from, to));
    for (const r of rows) {
      const explanation: PredictionExplanation = {
        base: r.base,
        contributions: r.contributions,
        explained: {
          method: explainer.method,
          output: explainer.output,
          class: classes ? (classes[r.explained] as string) : null,
          errorBound: r.errorBound,
        },
      };
      // JSON.stringify writes a non-finite number (a diverged model's) as null.
      members.push(JSON.stringify(explanation).slice(1, -1));
    }
  }
  return members;
}
