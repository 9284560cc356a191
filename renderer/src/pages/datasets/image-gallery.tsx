// The pictures of an image dataset version, one class or all, as a grid of thumbnails. Only the
// rows on screen are drawn (useVirtualRows) and only the pages around them are held (RowPageCache,
// paging through datasets.images), so a class of 50,000 pictures scrolls like one of fifty.
import { useEffect, useLayoutEffect, useReducer, useState } from 'react';
import type { ImageItem, ImageProfile } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { formatBytes, formatCount } from '../../lib/format.js';
import { RowPageCache } from '../../lib/row-cache.js';
import { useVirtualRows } from '../../lib/use-virtual-rows.js';
import { galleryRows, rowPictures, tilesPerRow } from './image-profile.js';

/** A tile's side and the gap between tiles, in px: thumbnails are at most 128 px on a side. */
const TILE = 112;
const GAP = 8;
const ROW_HEIGHT = TILE + GAP;
/** Pictures per datasets.images call (its limit is 500). */
const PAGE_PICTURES = 240;

export function ImageGallery({ profile }: { profile: ImageProfile }) {
  const { client } = useApp();
  const [label, setLabel] = useState<string | undefined>(profile.classes[0]?.value);
  const expected = label === undefined ? profile.images : (profile.classes.find((c) => c.value === label)?.count ?? 0);

  // One cache per class shown, made in an effect so its disposal pairs with its creation.
  const [cache, setCache] = useState<RowPageCache<ImageItem> | undefined>(undefined);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const next = new RowPageCache<ImageItem>(
      (offset, limit) =>
        client
          .call('datasets.images', { versionId: profile.versionId, offset, limit, ...(label ? { label } : {}) })
          .then((page) => ({ rows: page.items, total: page.total })),
      { pageSize: PAGE_PICTURES, maxPages: 12 },
    );
    const unsubscribe = next.subscribe(rerender);
    setCache(next);
    return () => {
      unsubscribe();
      next.dispose();
    };
  }, [client, profile.versionId, label]);

  const total = cache?.total ?? expected;
  const [perRow, setPerRow] = useState(1);
  const rows = galleryRows(total, perRow);
  const { scroller, virtualizer } = useVirtualRows(rows, ROW_HEIGHT, 3);

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

  // Another class starts at its top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [label, scroller]);

  return (
    <section className="image-card image-gallery" aria-label="Pictures" data-testid="image-gallery">
      <div className="image-gallery-toolbar">
        <h2>Pictures</h2>
        <label className="image-class-select">
          <span className="sr-only">Class</span>
          <select
            aria-label="Class"
            data-testid="gallery-class"
            value={label ?? ''}
            onChange={(e) => setLabel(e.target.value === '' ? undefined : e.target.value)}
          >
            <option value="">All classes ({formatCount(profile.images)})</option>
            {profile.classes.map((c) => (
              <option key={c.value} value={c.value}>
                {c.value} ({formatCount(c.count)})
              </option>
            ))}
          </select>
        </label>
        <span className="small muted" data-testid="gallery-status" data-total={cache?.total ?? ''}>
          {formatCount(total)} pictures
        </span>
      </div>
      {cache?.error && <ErrorPanel title="Could not load pictures" error={cache.error} />}
      <div ref={scroller} className="image-gallery-scroll" data-testid="gallery-scroll" tabIndex={0}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((row) => (
            <div
              key={row.key}
              className="image-gallery-row"
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
            >
              {rowPictures(row.index, perRow, total).map((i) => (
                <Tile key={i} item={cache?.row(i)} position={i} showLabel={label === undefined} />
              ))}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

function Tile({ item, position, showLabel }: { item: ImageItem | undefined; position: number; showLabel: boolean }) {
  if (!item) return <div className="image-tile image-tile-loading" aria-hidden="true" />;
  const caption = `${item.file} · ${item.width}×${item.height} · ${item.colourMode} · ${formatBytes(item.bytes)}`;
  return (
    <figure className="image-tile" title={caption} data-testid="image-tile" data-position={position}>
      <img src={item.thumbnailUrl} alt={`${item.label}: ${item.file}`} width={TILE} height={TILE} decoding="async" />
      {showLabel && <figcaption className="ellipsis">{item.label}</figcaption>}
    </figure>
  );
}
