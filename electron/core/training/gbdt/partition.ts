// Splitting a node's rows between its children: rows[start, end) is reordered so the rows going
// left come first, each side in its old order (so every later sum over a child's rows adds in row
// order, whatever the threads). The range may be cut into parts, one per thread: each part moves
// its left rows to its own front and its right rows into a scratch array, and joinParts then lays
// the lefts of every part, in part order, before the rights.

/**
 * Reorders rows[from, to): rows whose bin of the feature column starting at bins[col] goLeft come
 * first in order, the rest go to right[from, ...) in order. Returns how many went left.
 */
export function partitionPart(
  rows: Uint32Array,
  from: number,
  to: number,
  bins: Uint8Array,
  col: number,
  goLeft: Uint8Array,
  right: Uint32Array,
): number {
  let l = from;
  let r = from;
  for (let i = from; i < to; i++) {
    const row = rows[i]!;
    if (goLeft[bins[col + row]!] === 1) rows[l++] = row;
    else right[r++] = row;
  }
  return l - from;
}

/**
 * After partitionPart on each of the parts cut at `cuts` (part p is rows[cuts[p], cuts[p + 1]),
 * lefts[p] of them left), lays out every left row then every right row; returns where the right
 * rows start.
 */
export function joinParts(
  rows: Uint32Array,
  right: Uint32Array,
  cuts: ArrayLike<number>,
  lefts: ArrayLike<number>,
): number {
  const parts = lefts.length;
  let at = cuts[0]! + lefts[0]!;
  // Each part's lefts move down (never past their own start), so copyWithin's overlap is safe.
  for (let p = 1; p < parts; p++) {
    rows.copyWithin(at, cuts[p]!, cuts[p]! + lefts[p]!);
    at += lefts[p]!;
  }
  const mid = at;
  for (let p = 0; p < parts; p++) {
    const rightCount = cuts[p + 1]! - cuts[p]! - lefts[p]!;
    rows.set(right.subarray(cuts[p], cuts[p]! + rightCount), at);
    at += rightCount;
  }
  return mid;
}
