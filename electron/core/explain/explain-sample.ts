// explain.json: what a dense model's explanations need from its training rows, saved beside the
// model so the endpoint can explain a prediction long after the training data has changed. The
// mean of every feature (the base of a linear model's exact contributions) and a small seeded
// sample of transformed training rows (the background KernelSHAP integrates over for a network).
// Trees need neither: TreeSHAP reads the training cover kept in the trees. A bundle's explain.json
// is made by anyone, so it is checked as trees.json is: size, shape against the preprocessing,
// and finite numbers. No TensorFlow.js here: the registry checks bundles without it.
import { z } from 'zod';
import { featureMeans } from './linear-shap.js';
import { sampleRows, takeRows } from './row-sample.js';

export const EXPLAIN_JSON = 'explain.json';

/** Training rows KernelSHAP integrates over (a seeded sample), as explain-run and the endpoint use them. */
export const BACKGROUND_ROWS = 10;

/** What a checked explain.json may hold: far above what Cairn writes, far below what would hurt. */
export const EXPLAIN_CAPS = {
  /** Bytes of the file, checked before it is parsed. */
  maxBytes: 16 * 1024 * 1024,
  /** Background rows: each costs a model call per coalition when a network is explained. */
  maxBackgroundRows: 64,
} as const;

export const ExplainSampleJson = z.object({
  format: z.literal('cairn-explain/1'),
  /** The mean of each feature over the training split. */
  means: z.array(z.number()),
  /** Training rows (transformed, one array of features each), a seeded sample. */
  background: z.array(z.array(z.number())).max(EXPLAIN_CAPS.maxBackgroundRows),
});
export type ExplainSampleJson = z.infer<typeof ExplainSampleJson>;

/** explain.json as the explainers use it: means per feature and the background rows, row-major. */
export interface ExplainSample {
  means: Float64Array;
  background: Float32Array;
  rows: number;
}

/** The background rows of a training split of n rows, d features each: the same sample for a seed. */
export function backgroundRows(x: Float32Array, n: number, d: number, seed: number): Float32Array {
  return takeRows(x, d, sampleRows(n, BACKGROUND_ROWS, seed));
}

/** explain.json for a training split of n rows of d features. */
export function explainSampleJson(x: Float32Array, n: number, d: number, seed: number): ExplainSampleJson {
  const background = backgroundRows(x, n, d, seed);
  return {
    format: 'cairn-explain/1',
    means: Array.from(featureMeans(x, n, d)),
    background: Array.from({ length: background.length / d }, (_, r) =>
      Array.from(background.subarray(r * d, (r + 1) * d)),
    ),
  };
}

/**
 * A checked sample for a model of `width` features, or why it was refused: `bytes` is the file's
 * size (checked before parsing), `parse` reads it.
 */
export function checkedExplainSample(
  bytes: number,
  parse: () => unknown,
  width: number,
): { ok: true; sample: ExplainSample } | { ok: false; reason: string } {
  if (bytes > EXPLAIN_CAPS.maxBytes)
    return { ok: false, reason: `${EXPLAIN_JSON} has ${bytes} bytes (at most ${EXPLAIN_CAPS.maxBytes})` };
  const parsed = ExplainSampleJson.safeParse(parse());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return {
      ok: false,
      reason: `${EXPLAIN_JSON} is not a Cairn explanation sample${where}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const { means, background } = parsed.data;
  if (means.length !== width)
    return { ok: false, reason: `${EXPLAIN_JSON} has ${means.length} feature means; the model takes ${width}` };
  if (background.length < 1) return { ok: false, reason: `${EXPLAIN_JSON} has no background rows` };
  const bad = background.findIndex((row) => row.length !== width);
  if (bad >= 0)
    return {
      ok: false,
      reason: `${EXPLAIN_JSON} background row ${bad} has ${background[bad]!.length} features; the model takes ${width}`,
    };
  // JSON has no Infinity, but 1e999 parses to it, and 1e300 is one once stored as float32 (as rows
  // are); either would make every contribution NaN.
  const finite32 = (v: number) => Number.isFinite(Math.fround(v));
  if (!means.every(Number.isFinite) || !background.every((row) => row.every(finite32)))
    return { ok: false, reason: `${EXPLAIN_JSON} holds a number that is not finite` };
  return {
    ok: true,
    sample: {
      means: Float64Array.from(means),
      background: Float32Array.from(background.flat()),
      rows: background.length,
    },
  };
}
