// Adding a tree's leaf values to the raw scores of the rows it was grown on (all rows: a leaf's
// rows are the range rows[start, end)). Each row's leaf number goes into `leafOfRow` first and the
// raw scores are then updated in row order: adding leaf by leaf into the raw scores jumps about an
// array too large for the cache (8 bytes a row), and the leaf numbers (2 bytes a row) mostly fit:
// 800k rows, 27 -> 8 ms a tree. Both passes may be cut into parts, one per thread.

/** leafOfRow[rows[i]] = the leaf j whose range [starts[j], ends[j]) holds i, for i in [from, to). */
export function markLeaves(
  rows: Uint32Array,
  starts: Int32Array,
  ends: Int32Array,
  leaves: number,
  leafOfRow: Uint16Array,
  from: number,
  to: number,
): void {
  for (let j = 0; j < leaves; j++) {
    const a = Math.max(starts[j]!, from);
    const b = Math.min(ends[j]!, to);
    for (let i = a; i < b; i++) leafOfRow[rows[i]!] = j;
  }
}

/** raw[offset + i] += values[leafOfRow[i]] for rows i in [from, to). */
export function addLeafValues(
  raw: Float64Array,
  offset: number,
  values: Float64Array,
  leafOfRow: Uint16Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) raw[offset + i]! += values[leafOfRow[i]!]!;
}
