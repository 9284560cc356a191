// Small generated tables for the GBDT tests: numeric features (one with missing values) and a
// categorical one whose categories matter by set, not by order, with targets for each task.
import { seededRandom } from '../../../../../../electron/core/training/seeded-random.js';
import type { FeatureKind } from '../../../../../../electron/core/training/gbdt/tree-format.js';

export interface Table {
  x: Float32Array;
  n: number;
  featureKinds: FeatureKind[];
  /** A regression target, a binary label and a 3-class label of each row. */
  value: Float32Array;
  binary: Int32Array;
  multi: Int32Array;
}

export const TABLE_KINDS: FeatureKind[] = ['numeric', 'numeric', 'numeric', 'categorical'];

/** n rows: x0, x1 uniform, x2 uniform with 15% missing, c in 0..7 with 5% missing. */
export function makeTable(n: number, seed: number): Table {
  const random = seededRandom(seed);
  const d = TABLE_KINDS.length;
  const x = new Float32Array(n * d);
  const value = new Float32Array(n);
  const binary = new Int32Array(n);
  const multi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = random() * 4 - 2;
    const b = random() * 4 - 2;
    const c = random() < 0.15 ? NaN : random() * 4 - 2;
    const cat = random() < 0.05 ? NaN : Math.floor(random() * 8);
    x.set([a, b, c, cat], i * d);
    // Categories 1, 4 and 6 lift the target: a set no threshold on the ids separates.
    const catEffect = Number.isNaN(cat) ? 0.5 : [1, 4, 6].includes(cat) ? 1 : -0.5;
    const cEffect = Number.isNaN(c) ? -1 : Math.sin(c);
    const z = a * a * 0.5 - b + cEffect + catEffect + (random() - 0.5);
    value[i] = z;
    binary[i] = z > 0.3 ? 1 : 0;
    multi[i] = z < -0.5 ? 0 : z < 1 ? 1 : 2;
  }
  return { x, n, featureKinds: TABLE_KINDS, value, binary, multi };
}
