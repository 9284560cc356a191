// Explanations are read per original column, while a model sees features: a one-hot column is
// several features. A group maps one column to its feature indices, so explainers can switch a
// column on and off as a whole (KernelSHAP, permutation importance) and sum per-feature values.
import type { PreprocessManifest } from '../training/manifest.js';
import { stepWidth } from '../training/manifest.js';
import type { FeatureKind } from '../training/gbdt/tree-format.js';

/**
 * How a group's features hold its column: 'number' one number (a numeric or boolean column);
 * 'one-hot' one 0/1 feature per category; 'code' one feature holding a category code.
 */
export type GroupEncoding = 'number' | 'one-hot' | 'code';

export interface FeatureGroup {
  /** The column's name. */
  name: string;
  /** Indices of its features in the model's feature row, ascending. */
  features: readonly number[];
  encoding: GroupEncoding;
  /**
   * Category names where known: for 'one-hot' one per feature; for 'code' from an index step, code
   * c + 1 is categories[c] and 0 is missing or unknown.
   */
  categories?: readonly string[];
  /** For a standardised number: the column's value is feature × std + mean. */
  scale?: { mean: number; std: number };
}

/** One group per column a manifest encodes, in feature order. */
export function featureGroups(manifest: PreprocessManifest): FeatureGroup[] {
  let offset = 0;
  return manifest.features.map((step) => {
    const width = stepWidth(step);
    const features = Array.from({ length: width }, (_, i) => offset + i);
    offset += width;
    if (step.kind === 'numeric')
      return { name: step.column, features, encoding: 'number', scale: { mean: step.mean, std: step.std } };
    if (step.kind === 'boolean') return { name: step.column, features, encoding: 'number' };
    return {
      name: step.column,
      features,
      encoding: step.kind === 'one-hot' ? 'one-hot' : 'code',
      categories: [...step.categories],
    };
  });
}

/** One group per feature, named by `names`: a tree model's categorical features are single codes. */
export function singleFeatureGroups(names: readonly string[], kinds?: readonly FeatureKind[]): FeatureGroup[] {
  return names.map((name, j) => ({
    name,
    features: [j],
    encoding: kinds?.[j] === 'categorical' ? 'code' : 'number',
  }));
}

/** Checks that groups index features of a d-wide row, each feature at most once. */
export function checkGroups(groups: readonly FeatureGroup[], d: number): void {
  const seen = new Uint8Array(d);
  for (const g of groups) {
    if (g.features.length === 0) throw new RangeError(`Group "${g.name}" has no features`);
    for (const j of g.features) {
      if (!Number.isInteger(j) || j < 0 || j >= d)
        throw new RangeError(`Group "${g.name}" names feature ${j}, outside 0..${d - 1}`);
      if (seen[j]) throw new RangeError(`Feature ${j} is in more than one group`);
      seen[j] = 1;
    }
  }
}
