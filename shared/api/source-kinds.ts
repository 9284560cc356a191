// Plain data with no zod (sources.ts makes the schema from it), so `cairn sources add --help` lists
// the kinds without loading the contract.

/** The kinds a source can be: the engine's seam (core/sources/source-kind.ts) and the CLI's `--kind` use this list. */
export const SOURCE_KINDS = ['postgres', 'mysql', 'sqlite', 'url', 's3'] as const;
export type SourceKindName = (typeof SOURCE_KINDS)[number];
