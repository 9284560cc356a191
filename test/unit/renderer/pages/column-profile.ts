// A column's profile for the renderer's rule tests: a clean column of `type`, with what a test
// sets over it.
import type { ColumnProfile } from '../../../../shared/api.js';

export function col(name: string, type: ColumnProfile['type'], extra: Partial<ColumnProfile> = {}): ColumnProfile {
  return {
    name,
    type,
    inferredType: type,
    storageType: 'DOUBLE',
    missing: 0,
    invalid: 0,
    nonFinite: 0,
    distinct: 10,
    distinctApprox: false,
    ...extra,
  };
}
