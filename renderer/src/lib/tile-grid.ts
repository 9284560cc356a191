// The arithmetic of a grid of fixed-size tiles drawn a row at a time (components/tile-grid.tsx):
// how many fit across, how many rows, which positions a row holds.

/** How many tiles of `tile` px with `gap` px between them fit across `width` px (one at least). */
export function tilesPerRow(width: number, tile: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (tile + gap)));
}

/** Rows of the grid for `total` tiles at `perRow` a row. */
export function galleryRows(total: number, perRow: number): number {
  return Math.ceil(Math.max(0, total) / Math.max(1, perRow));
}

/** The positions of the tiles a grid row shows, first to last. */
export function rowPictures(row: number, perRow: number, total: number): number[] {
  const first = row * perRow;
  const last = Math.min(total, first + perRow);
  return Array.from({ length: Math.max(0, last - first) }, (_, i) => first + i);
}
