// What the UI asks of an image dataset version, answered from its Parquet index with DuckDB: the
// profile (classes, sizes, aspect ratios, colour modes, duplicates, unreadable files) and pages of
// pictures by class with their thumbnails' URLs.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AspectBin, ImageItem, ImageProfile, ImagesPage } from '../../../../shared/api.js';
import { literal } from '../duck.js';
import { thumbnailUrl } from './image-store.js';

/** Width over height: bins from tall to wide, square in the middle. */
const ASPECT_EDGES = [0, 0.5, 0.67, 0.8, 0.95, 1.05, 1.25, 1.5, 2];
const DUPLICATES_LISTED = 100;
const UNREADABLE_LISTED = 1000;

type Row = Record<string, unknown>;

async function all(conn: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS();
}

const counts = (rows: Row[]) => rows.map((r) => ({ value: String(r.value), count: Number(r.n) }));

/** The profile of the version whose index is `indexFile`. */
export async function profileImages(
  conn: DuckDBConnection,
  indexFile: string,
  versionId: string,
): Promise<ImageProfile> {
  const from = `read_parquet(${literal(indexFile)})`;
  const ok = `${from} WHERE error IS NULL`;
  const [stats] = await all(
    conn,
    `SELECT count(*) AS n, min(width) AS wmin, median(width) AS wmed, max(width) AS wmax,
            min(height) AS hmin, median(height) AS hmed, max(height) AS hmax FROM ${ok}`,
  );
  const s = stats ?? {};
  const classes = await all(
    conn,
    `SELECT label AS value, count(*) AS n FROM ${ok} GROUP BY label ORDER BY n DESC, label`,
  );
  const sizes = await all(
    conn,
    `SELECT width || '×' || height AS value, count(*) AS n FROM ${ok} GROUP BY width, height ORDER BY n DESC, value LIMIT 20`,
  );
  const ratios = await all(conn, `SELECT width::DOUBLE / height AS r FROM ${ok}`);
  const aspectRatios: AspectBin[] = ASPECT_EDGES.map((lo, i) => ({ lo, hi: ASPECT_EDGES[i + 1] ?? null, count: 0 }));
  for (const { r } of ratios) {
    const bin = aspectRatios.find((b) => Number(r) >= b.lo && (b.hi === null || Number(r) < b.hi));
    if (bin) bin.count++;
  }
  const modes = await all(
    conn,
    `SELECT colour_mode AS value, count(*) AS n FROM ${ok} GROUP BY 1 ORDER BY n DESC, value`,
  );
  const formats = await all(conn, `SELECT format AS value, count(*) AS n FROM ${ok} GROUP BY 1 ORDER BY n DESC, value`);
  const dupes = await all(
    conn,
    `WITH g AS (SELECT sha256, count(DISTINCT label) AS labels FROM ${ok} GROUP BY sha256 HAVING count(*) > 1)
     SELECT count(*) AS groups, count(*) FILTER (WHERE labels > 1) AS cross FROM g`,
  );
  const sample = await all(
    conn,
    `SELECT sha256, list(label ORDER BY label, file) AS labels, list(file ORDER BY label, file) AS files,
            count(DISTINCT label) > 1 AS spans
     FROM ${ok} GROUP BY sha256 HAVING count(*) > 1
     ORDER BY spans DESC, sha256 LIMIT ${DUPLICATES_LISTED}`,
  );
  const [unreadableCount] = await all(conn, `SELECT count(*) AS n FROM ${from} WHERE error IS NOT NULL`);
  const unreadable = await all(
    conn,
    `SELECT file, error FROM ${from} WHERE error IS NOT NULL ORDER BY file LIMIT ${UNREADABLE_LISTED}`,
  );
  const [d] = dupes;
  return {
    versionId,
    images: Number(s.n ?? 0),
    classes: counts(classes),
    width: { min: Number(s.wmin ?? 0), median: Number(s.wmed ?? 0), max: Number(s.wmax ?? 0) },
    height: { min: Number(s.hmin ?? 0), median: Number(s.hmed ?? 0), max: Number(s.hmax ?? 0) },
    sizes: counts(sizes),
    aspectRatios,
    colourModes: counts(modes),
    formats: counts(formats),
    duplicates: {
      groups: Number(d?.groups ?? 0),
      crossClassGroups: Number(d?.cross ?? 0),
      sample: sample.map((r) => {
        const labels = r.labels as string[];
        const files = r.files as string[];
        return {
          id: String(r.sha256),
          labels: [...new Set(labels)],
          files: files.map((file, i) => ({ label: labels[i] as string, file })),
          crossClass: Boolean(r.spans),
        };
      }),
    },
    unreadable: {
      count: Number(unreadableCount?.n ?? 0),
      files: unreadable.map((r) => ({ file: String(r.file), reason: String(r.error) })),
    },
  };
}

/** A page of the version's readable pictures, one class or all, in class then file order. */
export async function imagesPage(
  conn: DuckDBConnection,
  indexFile: string,
  datasetId: string,
  query: { label?: string; offset: number; limit: number },
): Promise<ImagesPage> {
  const where = `error IS NULL${query.label === undefined ? '' : ` AND label = ${literal(query.label)}`}`;
  const from = `read_parquet(${literal(indexFile)}) WHERE ${where}`;
  const [total] = await all(conn, `SELECT count(*) AS n FROM ${from}`);
  const rows = await all(
    conn,
    `SELECT * FROM ${from} ORDER BY label, file LIMIT ${query.limit} OFFSET ${query.offset}`,
  );
  const items = rows.map((r): ImageItem => ({
    id: String(r.sha256),
    label: String(r.label),
    file: String(r.file),
    width: Number(r.width),
    height: Number(r.height),
    format: r.format as ImageItem['format'],
    colourMode: r.colour_mode as ImageItem['colourMode'],
    bytes: Number(r.bytes),
    thumbnailUrl: thumbnailUrl(datasetId, String(r.sha256)),
  }));
  return { items, total: Number(total?.n ?? 0), offset: query.offset };
}
