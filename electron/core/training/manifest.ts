// The preprocessing manifest: everything prediction needs to turn inputs into exactly the
// features a model was trained on, as plain JSON saved beside the model and checked on load.
import { z } from 'zod';
import { ImageInput, inputLength } from '../datasets/images/image-input.js';

const column = z.string();

/** A number (or datetime as epoch ms): missing → train median, then (x - mean) / std. */
export const NumericStep = z.object({
  kind: z.literal('numeric'),
  column,
  type: z.enum(['numeric', 'integer', 'datetime']),
  median: z.number(),
  mean: z.number(),
  std: z.number().positive(),
});

/**
 * Why a finite number is refused for an 'integer' step (a column that held only whole numbers):
 * the endpoint's validator and transformRecords both refuse fractions such as 12.5, and accept
 * 12 and 12.0 (the same JSON number).
 */
export const NOT_AN_INTEGER = 'is not an integer (a whole number is expected)';

/** A boolean as 0/1: missing → the training rows' most common value. */
export const BooleanStep = z.object({
  kind: z.literal('boolean'),
  column,
  fill: z.union([z.literal(0), z.literal(1)]),
});

/** One 0/1 feature per training category; missing and unknown categories are all zeros. */
export const OneHotStep = z.object({ kind: z.literal('one-hot'), column, categories: z.array(z.string()) });

/**
 * One feature holding the category's position: 1..k for the training categories (sorted),
 * 0 for missing and unknown, so an embedding layer would take k + 1 as its input size.
 */
export const IndexStep = z.object({ kind: z.literal('index'), column, categories: z.array(z.string()) });

export const FeatureStep = z.discriminatedUnion('kind', [NumericStep, BooleanStep, OneHotStep, IndexStep]);
export type FeatureStep = z.infer<typeof FeatureStep>;

/** A chosen column that was left out, and why (shown to the user). */
export const DroppedColumn = z.object({ column, reason: z.string() });
export type DroppedColumn = z.infer<typeof DroppedColumn>;

/** The target: classes sorted (numbers numerically, text by code units) and labelled 0..k-1. */
export const TargetEncoding = z.discriminatedUnion('task', [
  z.object({ task: z.literal('classification'), column, classes: z.array(z.string()).min(2) }),
  z.object({
    task: z.literal('regression'),
    column,
    // The network learns the standardised target, (y - mean) / std: an unscaled target (prices in
    // the thousands) makes the first epochs crawl and the learning rate depend on the units.
    // Predictions are scaled back. Absent in models saved before scaling: identity.
    mean: z.number().optional(),
    std: z.number().positive().optional(),
  }),
]);
export type TargetEncoding = z.infer<typeof TargetEncoding>;

/**
 * What happens to a missing value: 'impute' fills it (numeric: the training median; boolean: the
 * commoner value; category: none of the categories), as networks need; 'keep' leaves it NaN for
 * models that split on missingness themselves (trees), and a category outside training is then
 * missing too. Absent in manifests saved before trees: 'impute'.
 */
export const MissingPolicy = z.enum(['impute', 'keep']);
export type MissingPolicy = z.infer<typeof MissingPolicy>;

export const PreprocessManifest = z.object({
  format: z.literal('cairn-preprocess/1'),
  missing: MissingPolicy.optional(),
  /** Applied in order; their outputs concatenated make a row of features. */
  features: z.array(FeatureStep),
  /** One name per output feature, e.g. "age", "color=red". */
  featureNames: z.array(z.string()),
  dropped: z.array(DroppedColumn),
  target: TargetEncoding.nullable(),
  /** How many rows the statistics were fitted on (the training split). */
  fittedRows: z.number().int().nonnegative(),
  /**
   * Present for a model of pictures: how a picture becomes its input (model-input.ts). Such a
   * model takes flat rows of inputLength(image) numbers (its first layer reshapes them to
   * size × size × channels), so every Predictor caller scores pictures as it scores rows;
   * `features` and `featureNames` are then empty and the target is the picture's label.
   */
  image: ImageInput.optional(),
});
export type PreprocessManifest = z.infer<typeof PreprocessManifest>;

/** Whether missing values stay NaN in the features (see MissingPolicy). */
export function keepsMissing(manifest: Pick<PreprocessManifest, 'missing'>): boolean {
  return manifest.missing === 'keep';
}

/** How many output features a step makes. */
export function stepWidth(step: FeatureStep): number {
  return step.kind === 'one-hot' ? step.categories.length : 1;
}

/** The features a manifest makes per row: the width a model takes (a picture model's: its flat pixels). */
export function featureWidth(manifest: Pick<PreprocessManifest, 'features' | 'image'>): number {
  if (manifest.image) return inputLength(manifest.image);
  return manifest.features.reduce((n, s) => n + stepWidth(s), 0);
}

/** The outputs a model of this manifest's target makes per row: class probabilities, or one value. */
export function outputWidth(manifest: Pick<PreprocessManifest, 'target'>): number {
  return manifest.target?.task === 'classification' ? manifest.target.classes.length : 1;
}

/**
 * A category's position for a prediction input's text (undefined when unknown): by the text,
 * else by numeric value. A number column used as categories holds DuckDB's text of each value
 * ("3.0"), while a JSON client sends 3, which reads as "3".
 */
export function categoryFinder(categories: readonly string[]): (text: string) => number | undefined {
  const exact = new Map(categories.map((c, i) => [c, i]));
  // A value two categories share ("1" and "1.0") matches neither: a guess would be worse than unknown.
  const AMBIGUOUS = -1;
  const byValue = new Map<number, number>();
  categories.forEach((c, i) => {
    const x = exactNumber(c);
    if (x !== undefined) byValue.set(x, byValue.has(x) ? AMBIGUOUS : i);
  });
  if (byValue.size === 0) return (text) => exact.get(text);
  return (text) => {
    const k = exact.get(text);
    if (k !== undefined) return k;
    const x = exactNumber(text);
    const byX = x === undefined ? undefined : byValue.get(x);
    return byX === AMBIGUOUS ? undefined : byX;
  };
}

/** plainNumber, where a double holds it exactly enough to compare: long ids beyond 2^53 are left to their text. */
export function exactNumber(s: string): number | undefined {
  const x = plainNumber(s);
  return x !== undefined && Math.abs(x) <= Number.MAX_SAFE_INTEGER ? x : undefined;
}

/** The value of text that is a plain decimal number (" 3", "-2.50", "1e3"; not "0x10" or ""), else undefined. */
export function plainNumber(s: string): number | undefined {
  if (!/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(s)) return undefined;
  const x = Number(s);
  return Number.isFinite(x) ? x : undefined;
}
