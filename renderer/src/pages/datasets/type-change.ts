// How much a column type correction costs in values: a value that cannot be read as the new
// type becomes invalid (treated as missing by training), so setting a text column to numeric can
// silently empty it. The view asks before applying a change that invalidates most values.
import type { ColumnProfile } from '../../../../shared/api.js';
import { formatCount, formatPercent } from '../../lib/format.js';

/** Above this share of a column's present values newly invalid, a type change asks first. */
export const WARN_SHARE = 0.5;

/** The values a column holds (not missing) and how many of them are invalid for its type. */
export interface InvalidCount {
  invalid: number;
  values: number;
}

export function invalidCount(c: ColumnProfile, rows: number): InvalidCount {
  return { invalid: c.invalid, values: Math.max(0, rows - c.missing) };
}

/**
 * The cost of going from `current` to `next` (the engine's preview of the new type) when it is
 * high enough to ask about: most values invalid, and more than before. Undefined otherwise.
 */
export function costlyTypeChange(current: ColumnProfile, next: ColumnProfile, rows: number): InvalidCount | undefined {
  const after = invalidCount(next, rows);
  if (after.values === 0 || next.invalid <= current.invalid) return undefined;
  return after.invalid / after.values > WARN_SHARE ? after : undefined;
}

/** "40 of 40 values (100%)": a count of invalid values said plainly. */
export function describeInvalid({ invalid, values }: InvalidCount): string {
  return `${formatCount(invalid)} of ${formatCount(values)} values (${formatPercent(invalid, values)})`;
}
