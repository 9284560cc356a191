// The pictures of an image dataset version, one class or all, as a grid of thumbnails paged through
// datasets.images and drawn a screenful at a time (components/tile-grid.tsx), so a class of 50,000
// pictures scrolls like one of fifty.
import { useCallback, useState } from 'react';
import type { ImageItem, ImageProfile } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { TILE, TileGrid, usePagedTiles } from '../../components/tile-grid.js';
import { formatBytes, formatCount } from '../../lib/format.js';

export function ImageGallery({ profile }: { profile: ImageProfile }) {
  const { client } = useApp();
  const [label, setLabel] = useState<string | undefined>(profile.classes[0]?.value);
  const expected = label === undefined ? profile.images : (profile.classes.find((c) => c.value === label)?.count ?? 0);
  const fetchPage = useCallback(
    (offset: number, limit: number) =>
      client
        .call('datasets.images', { versionId: profile.versionId, offset, limit, ...(label ? { label } : {}) })
        .then((page) => ({ rows: page.items, total: page.total })),
    [client, profile.versionId, label],
  );
  const cache = usePagedTiles(fetchPage);
  const total = cache?.total ?? expected;

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
      <TileGrid
        cache={cache}
        total={total}
        testId="gallery-scroll"
        renderTile={(item, i) => <Tile item={item} position={i} showLabel={label === undefined} />}
      />
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
