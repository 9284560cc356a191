// The test console's explained answer: the first prediction of a ?explain=true answer read as the
// row a waterfall draws (runs/explain-charts.ts waterfallOption), with the instance's values beside
// each column and words for what the contributions add up to. Pure, unit-tested.
import {
  EXPLAINED_OUTPUT_LABEL,
  EXPLAIN_METHOD_LABEL,
  PredictionExplanation,
  errorBoundText,
  type RowExplanation,
} from '../../../../shared/api.js';
import { formatStat } from '../../lib/format.js';
import type { InstanceValue } from './console-form.js';

export interface ConsoleExplanation {
  /** The prediction as a waterfall's row: base, contributions, output and the values sent. */
  row: RowExplanation;
  /** What the last bar is: "log-odds of yes", "prediction". */
  outputLabel: string;
  /** How the contributions were found, and KernelSHAP's bound: "exact TreeSHAP". */
  method: string;
}

/** The first prediction's explanation in a 200 answer's body, or undefined when it has none. */
export function consoleExplanation(
  body: unknown,
  instance: Readonly<Record<string, InstanceValue>>,
): ConsoleExplanation | undefined {
  const preds = typeof body === 'object' && body !== null ? (body as { predictions?: unknown }).predictions : undefined;
  const first: unknown = Array.isArray(preds) ? preds[0] : undefined;
  const parsed = PredictionExplanation.safeParse(first);
  if (!parsed.success) return undefined;
  const { base, contributions, explained } = parsed.data;
  const output = base + Object.values(contributions).reduce((s, c) => s + c, 0);
  const label = EXPLAINED_OUTPUT_LABEL[explained.output];
  const prediction = (first as { label?: unknown; value?: unknown }).label ?? (first as { value?: unknown }).value;
  const values: RowExplanation['values'] = {};
  for (const column of Object.keys(contributions)) values[column] = instance[column] ?? null;
  return {
    row: {
      row: 0,
      prediction: typeof prediction === 'string' || typeof prediction === 'number' ? prediction : output,
      actual: null,
      explainedClass: explained.class,
      output,
      base,
      contributions,
      values,
      error: null,
    },
    outputLabel: explained.class === null ? label : `${label} of ${explained.class}`,
    method: `${EXPLAIN_METHOD_LABEL[explained.method]}${errorBoundText(explained.errorBound, formatStat)}`,
  };
}
