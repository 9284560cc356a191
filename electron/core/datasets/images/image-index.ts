// An image dataset version's index: one Parquet row per listed file, readable or not. Written by
// the import (import-images.ts), read by the profile and the gallery's pages (image-queries.ts).

/** The index's columns and their DuckDB types; an unreadable file has only file, label, bytes and error. */
export const INDEX_COLUMNS = {
  file: 'VARCHAR',
  label: 'VARCHAR',
  sha256: 'VARCHAR',
  width: 'INTEGER',
  height: 'INTEGER',
  channels: 'INTEGER',
  colour_mode: 'VARCHAR',
  format: 'VARCHAR',
  bytes: 'BIGINT',
  error: 'VARCHAR',
} as const;

export interface IndexRow {
  file: string;
  label: string;
  sha256: string | null;
  width: number | null;
  height: number | null;
  channels: number | null;
  colour_mode: string | null;
  format: string | null;
  bytes: number;
  error: string | null;
}
