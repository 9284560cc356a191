// Datasets: column types and profiles, versions, row pages, imports, and the shipped samples.
import { z } from 'zod';
import { TaskName } from './runs.js';

/** Semantic column types a user sees and may correct. */
export const columnTypes = ['numeric', 'integer', 'categorical', 'boolean', 'datetime', 'text'] as const;
export const ColumnType = z.enum(columnTypes);
export type ColumnType = z.infer<typeof ColumnType>;

/** A cell as it crosses the boundary: integers beyond 2^53 travel as strings so no digit is lost. */
export const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Cell = z.infer<typeof Cell>;

export const HistogramBin = z.object({ lo: z.number(), hi: z.number(), count: z.number() });
export type HistogramBin = z.infer<typeof HistogramBin>;
export const TopValue = z.object({ value: z.string(), count: z.number() });

export const ColumnProfile = z.object({
  name: z.string(),
  type: ColumnType,
  inferredType: ColumnType,
  /** DuckDB's storage type in the Parquet file, e.g. BIGINT, DOUBLE, VARCHAR. */
  storageType: z.string(),
  missing: z.number(),
  /** Values present in the file that could not be read as `type` (after a user's correction). */
  invalid: z.number(),
  /** Infinity, -Infinity (and 1e309, which overflows to it); kept, but left out of the statistics. */
  nonFinite: z.number(),
  distinct: z.number(),
  distinctApprox: z.boolean(),
  min: Cell.optional(),
  max: Cell.optional(),
  mean: z.number().nullable().optional(),
  std: z.number().nullable().optional(),
  quantiles: z.array(z.object({ q: z.number(), value: z.number() })).optional(),
  histogram: z.array(HistogramBin).optional(),
  topValues: z.array(TopValue).optional(),
});
export type ColumnProfile = z.infer<typeof ColumnProfile>;

/** A table (rows and columns) or a set of labelled pictures. */
export const DatasetKind = z.enum(['table', 'images']);
export type DatasetKind = z.infer<typeof DatasetKind>;

export const Dataset = z.object({
  id: z.string(),
  name: z.string(),
  kind: DatasetKind,
  latestVersion: z.number(),
  versionCount: z.number(),
  /** Rows of a table; readable pictures of an image dataset. */
  rows: z.number(),
  /** Columns of a table; classes of an image dataset. */
  columns: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Dataset = z.infer<typeof Dataset>;

/** What was imported: a table file, or pictures from a folder of class folders or a zip of one. */
export const SourceFormat = z.enum(['csv', 'json', 'parquet', 'folder', 'zip']);
export type SourceFormat = z.infer<typeof SourceFormat>;

export const DatasetVersion = z.object({
  id: z.string(),
  datasetId: z.string(),
  version: z.number(),
  contentHash: z.string(),
  sourcePath: z.string(),
  sourceFormat: SourceFormat,
  sizeBytes: z.number(),
  rows: z.number(),
  columns: z.number(),
  skippedRows: z.number(),
  warnings: z.array(z.string()),
  createdAt: z.string(),
});
export type DatasetVersion = z.infer<typeof DatasetVersion>;

export const DatasetDetail = z.object({
  dataset: Dataset,
  versions: z.array(DatasetVersion),
  version: DatasetVersion,
  columns: z.array(ColumnProfile),
});
export type DatasetDetail = z.infer<typeof DatasetDetail>;

export const RowFilterOp = z.enum(['contains', 'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_null', 'not_null']);
export type RowFilterOp = z.infer<typeof RowFilterOp>;
export const RowFilter = z.object({
  column: z.string(),
  op: RowFilterOp,
  value: z.union([z.string(), z.number()]).optional(),
});
export type RowFilter = z.infer<typeof RowFilter>;

export const RowsQuery = z.object({
  versionId: z.string(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
  sort: z.object({ column: z.string(), direction: z.enum(['asc', 'desc']) }).optional(),
  filters: z.array(RowFilter).max(50).default([]),
  /** Only these columns (in this order); all when absent. Lets the UI page through very wide tables. */
  columns: z.array(z.string()).min(1).max(1000).optional(),
});
export type RowsQuery = z.input<typeof RowsQuery>;

export const RowsPage = z.object({
  columns: z.array(z.string()),
  /** Each row begins with its 1-based row number in the original file order. */
  rows: z.array(z.array(Cell)),
  total: z.number(),
  offset: z.number(),
});
export type RowsPage = z.infer<typeof RowsPage>;

export const BadRowsPolicy = z.enum(['fail', 'skip']);
export type BadRowsPolicy = z.infer<typeof BadRowsPolicy>;

export const ImportRequest = z.object({
  path: z.string().min(1),
  name: z.string().min(1).max(200).optional(),
  badRows: BadRowsPolicy.default('fail'),
  /** Set by the browser host for uploaded files: the temporary copy is removed after import. */
  removeSourceAfter: z.boolean().default(false),
  /** The file's own name when `path` is a temporary upload. */
  originalName: z.string().optional(),
  /**
   * What to make. A folder or a .zip is always pictures; a CSV or Parquet file is a table unless
   * this says 'images', when it lists pictures by path (relative to its folder) and label.
   */
  kind: DatasetKind.optional(),
  /** For a CSV/Parquet list of pictures: the columns holding the path and the label ('path', 'label'). */
  pathColumn: z.string().min(1).optional(),
  labelColumn: z.string().min(1).optional(),
});
export type ImportRequest = z.input<typeof ImportRequest>;

/** A file an import left out, and why (not an image, truncated, too many pixels...). */
export const SkippedFile = z.object({ file: z.string(), reason: z.string() });
export type SkippedFile = z.infer<typeof SkippedFile>;

/** What an image import adds to its result: images per class and the files it left out. */
export const ImageImportSummary = z.object({
  classes: z.record(z.string(), z.number()),
  skipped: z.array(SkippedFile),
});
export type ImageImportSummary = z.infer<typeof ImageImportSummary>;

export const ImportResult = z.object({
  kind: DatasetKind,
  datasetId: z.string(),
  versionId: z.string(),
  name: z.string(),
  version: z.number(),
  rows: z.number(),
  /** False when identical content was already imported: nothing new was created. */
  created: z.boolean(),
  skippedRows: z.number(),
  columns: z.array(ColumnProfile),
  /** What the user should know about how the file was read (columns kept as text, invented names...). */
  warnings: z.array(z.string()),
  /** An image import's classes and the files it left out. */
  images: ImageImportSummary.optional(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** A dataset that ships with Cairn, for a first look without a file of one's own. */
export const SampleInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** The column a first model should predict, and what kind of task that is. */
  target: z.string(),
  task: TaskName,
  rows: z.number(),
  columns: z.number(),
  source: z.string(),
  license: z.string(),
});
export type SampleInfo = z.infer<typeof SampleInfo>;
