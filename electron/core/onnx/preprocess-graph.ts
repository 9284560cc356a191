// The preprocessing manifest as graph nodes: one graph input per original column, raw values in,
// the model's feature matrix out, the same numbers transform and transformRecords make.
//
// Inputs, all shaped [N, 1]:
// - numeric, integer and datetime columns: double, NaN for missing; datetimes as epoch ms (UTC).
//   Double, not float: the scaling is computed in double as preprocess.ts does, and a float holds
//   an epoch-ms time only to about two minutes.
// - boolean columns: double 0 or 1, NaN for missing (ONNX bool has no missing value).
// - categorical columns: string. A text that is not a training category gives all zeros (one-hot)
//   or 0 (index), as missing and unknown do in Cairn: send "" for missing (unless "" is a category).
// What the graph cannot do that the endpoint does: refuse a fraction in an integer column or a
// boolean other than 0/1 (they pass through), and match a category by numeric value beyond the
// text a JSON number has ("3" finds category "3.0"; "3.00" does not).
import { CairnError } from '../errors.js';
import type { FeatureStep, PreprocessManifest } from '../training/manifest.js';
import { exactNumber, keepsMissing } from '../training/manifest.js';
import type { GraphBuilder } from './graph-builder.js';
import { ML_DOMAIN } from './graph-builder.js';
import { DataType } from './onnx-proto.js';

/**
 * Declares the column inputs of `manifest` and returns the float [N, featureCount] feature matrix.
 * A manifest that keeps missing values (MissingPolicy 'keep', for trees, which route them by a
 * learned default direction) leaves them NaN, an unknown category too, as transform does.
 */
export function featureMatrix(g: GraphBuilder, manifest: PreprocessManifest): string {
  const keep = keepsMissing(manifest);
  const parts = manifest.features.map((step) => stepFeatures(g, step, keep));
  if (parts.length === 0) throw new CairnError('invalid_argument', 'The model has no input features to export');
  return g.op('Concat', parts, { axis: { int: 1 } });
}

function stepFeatures(g: GraphBuilder, step: FeatureStep, keep: boolean): string {
  const column = step.column;
  if (step.kind === 'numeric') {
    const x = g.input({ name: column, dataType: DataType.DOUBLE, shape: ['N', 1], doc: inputDoc(step) });
    const filled = keep ? x : g.op('Where', [g.op('IsNaN', [x]), g.doubles(`${column}_median`, [step.median], []), x]);
    const scaled = g.op('Div', [
      g.op('Sub', [filled, g.doubles(`${column}_mean`, [step.mean], [])]),
      g.doubles(`${column}_std`, [step.std], []),
    ]);
    return g.op('Cast', [scaled], { to: { int: DataType.FLOAT } });
  }
  if (step.kind === 'boolean') {
    const x = g.input({ name: column, dataType: DataType.DOUBLE, shape: ['N', 1], doc: inputDoc(step) });
    const filled = keep ? x : g.op('Where', [g.op('IsNaN', [x]), g.doubles(`${column}_fill`, [step.fill], []), x]);
    return g.op('Cast', [filled], { to: { int: DataType.FLOAT } });
  }
  const x = g.input({ name: column, dataType: DataType.STRING, shape: ['N', 1], doc: inputDoc(step) });
  const keys = categoryKeys(step.categories);
  const texts = [...keys.keys()];
  const positions = [...keys.values()];
  if (step.kind === 'index') {
    // Position + 1, and 0 for anything else, as the index step encodes.
    const code = g.op(
      'LabelEncoder',
      [x],
      {
        keys_strings: { strings: texts },
        values_int64s: { ints: positions.map((p) => p + 1) },
        default_int64: { int: 0 },
      },
      ML_DOMAIN,
    );
    const codes = g.op('Cast', [code], { to: { int: DataType.FLOAT } });
    if (!keep) return codes;
    // Missing or unknown (code 0) stays missing for trees, as transform leaves it NaN.
    const zero = g.op('Equal', [code, g.int64s(`${column}_none`, [0], [])]);
    return g.op('Where', [zero, g.floats(`${column}_nan`, Float32Array.of(Number.NaN), []), codes]);
  }
  // One-hot: the category's position compared with 0..k-1; unknown is -1, which matches none.
  const code = g.op(
    'LabelEncoder',
    [x],
    { keys_strings: { strings: texts }, values_int64s: { ints: positions }, default_int64: { int: -1 } },
    ML_DOMAIN,
  );
  const range = g.int64s(
    `${column}_positions`,
    step.categories.map((_, i) => i),
  );
  return g.op('Cast', [g.op('Equal', [code, range])], { to: { int: DataType.FLOAT } });
}

/**
 * Every text categoryFinder maps to a position, as far as a finite table can: each category's own
 * text, and for a category that is a number, the text a JSON client's number has (String(3) is "3"
 * for category "3.0"), unless another category has that text or the same value.
 */
export function categoryKeys(categories: readonly string[]): Map<string, number> {
  const keys = new Map(categories.map((c, i) => [c, i]));
  const byValue = new Map<number, number[]>();
  categories.forEach((c, i) => {
    const x = exactNumber(c);
    if (x !== undefined) byValue.set(x, [...(byValue.get(x) ?? []), i]);
  });
  for (const [x, at] of byValue) {
    const text = String(x);
    if (at.length === 1 && !keys.has(text)) keys.set(text, at[0] as number);
  }
  return keys;
}

function inputDoc(step: FeatureStep): string {
  switch (step.kind) {
    case 'numeric':
      return step.type === 'datetime'
        ? 'datetime as milliseconds since 1970-01-01 UTC; NaN when missing'
        : `${step.type}; NaN when missing`;
    case 'boolean':
      return '0 (false) or 1 (true); NaN when missing';
    default:
      return 'category text; a text that is not a training category counts as missing';
  }
}
