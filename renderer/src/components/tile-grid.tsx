// A long grid of same-size tiles (thumbnails) paged from the engine: only the rows on screen are
// drawn (useVirtualRows) and only the pages around them are held (RowPageCache), so 50,000 pictures
// scroll like fifty. The dataset gallery and a run's pictures (a confusion cell, its mistakes) use it.
import { Fragment, useEffect, useLayoutEffect, useReducer, useState, type ReactNode } from 'react';
import { RowPageCache, type PageFetcher } from '../lib/row-cache.js';
import { galleryRows, rowPictures, tilesPerRow } from '../lib/tile-grid.js';
import { useVirtualRows } from '../lib/use-virtual-rows.js';

/** A tile's side and the gap between tiles, in px: thumbnails are at most 128 px on a side. */
export const TILE = 112;
const GAP = 8;
const ROW_HEIGHT = TILE + GAP;

/**
 * The pages of one query: a new fetcher (by identity) makes a new cache, so its caller memoises it
 * on what the query depends on. Undefined until the first render's effect made it.
 */
export function usePagedTiles<T>(fetchPage: PageFetcher<T>, pageSize = 240): RowPageCache<T> | undefined {
  // Made in an effect so its disposal pairs with its creation.
  const [cache, setCache] = useState<RowPageCache<T> | undefined>(undefined);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const next = new RowPageCache<T>(fetchPage, { pageSize, maxPages: 12 });
    const unsubscribe = next.subscribe(rerender);
    setCache(next);
    return () => {
      unsubscribe();
      next.dispose();
    };
  }, [fetchPage, pageSize]);
  return cache;
}

interface TileGridProps<T> {
  cache: RowPageCache<T> | undefined;
  /** Tiles in all: the cache's total once known, an expected count before. */
  total: number;
  /** A tile, or its placeholder while its page loads (item undefined). */
  renderTile: (item: T | undefined, position: number) => ReactNode;
  testId: string;
}

export function TileGrid<T>({ cache, total, renderTile, testId }: TileGridProps<T>) {
  const [perRow, setPerRow] = useState(1);
  const { scroller, virtualizer } = useVirtualRows(galleryRows(total, perRow), ROW_HEIGHT, 3);

  // Tiles per row follow the box's width.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setPerRow(tilesPerRow(el.clientWidth - 2 * GAP, TILE, GAP));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [scroller]);

  const items = virtualizer.getVirtualItems();
  const firstRow = items[0]?.index ?? 0;
  const lastRow = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    cache?.want(firstRow * perRow, (lastRow + 1) * perRow - 1);
  }, [cache, firstRow, lastRow, perRow]);

  // Another query starts at its top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [cache, scroller]);

  return (
    <div ref={scroller} className="image-gallery-scroll" data-testid={testId} tabIndex={0}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((row) => (
          <div
            key={row.key}
            className="image-gallery-row"
            style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
          >
            {rowPictures(row.index, perRow, total).map((i) => (
              <Fragment key={i}>{renderTile(cache?.row(i), i)}</Fragment>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
