// Whether a dataset step's source names a file or a dataset: apart from the step's runner (which
// loads DuckDB) so the CLI can tell without loading it.

const FILE_EXTENSIONS = /\.(csv|tsv|txt|parquet|json|ndjson|jsonl)$/i;

/** Whether a source names a file rather than a dataset: a path separator or a data file's extension. */
export function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || FILE_EXTENSIONS.test(ref);
}
