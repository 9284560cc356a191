// Data sources: a saved connection plus what to read (a database query, a URL, an S3 key or prefix)
// that feeds one dataset. A refresh reads the whole result and imports it as a file import does: a
// new version only when the content hash differs. Secrets never cross this contract: a source says
// where its secret comes from (`secretRef`), never what it is; a URL typed with a password in it is
// split, the password kept in the secret store and the URL saved without it.
import { z } from 'zod';
import { ApiErrorShape } from './errors.js';

/** The kinds a source can be: the engine's seam (core/sources/source-kind.ts) and the CLI's `--kind` use this list. */
export const SOURCE_KINDS = ['postgres', 'mysql', 'sqlite', 'url', 's3'] as const;
export type SourceKindName = (typeof SOURCE_KINDS)[number];
export const SourceKindName = z.enum(SOURCE_KINDS);

/** The kinds that run a query; the others read a file or object as it is. */
export const QUERY_KINDS: readonly SourceKindName[] = ['postgres', 'mysql', 'sqlite'];

/** A source's name: also the default name of the dataset it feeds. */
export const SourceName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s/\\][^/\\]*$/, 'a source name cannot contain / or \\ or start with a space');

/** An environment variable's name, as `--password-env` and the form take it (without the `$`). */
export const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name (letters, digits, _)');

/** A 5- or 6-field cron expression (croner's syntax); checked by the engine, which names the failing field. */
export const CronSchedule = z.string().trim().min(1).max(200);

/** The largest file or object a url or s3 source downloads unless the source says otherwise: 5 GB. */
export const DEFAULT_SOURCE_MAX_BYTES = 5 * 1024 ** 3;

/** What a source is to read, as the "Add source" form and `cairn sources add` give it. */
export const SourceDraft = z.object({
  kind: SourceKindName,
  /**
   * `postgres://user[:password]@host:5432/db`, `mysql://user[:password]@host:3306/db`, a SQLite
   * file's path, an `http(s)://` URL, or `s3://[accessKeyId[:secretKey]@]bucket/key-or-prefix?endpoint=http://host:port&region=...`.
   * A password in it is moved to the secret store and never saved with the URL.
   */
  url: z.string().trim().min(1).max(4000),
  /** The SQL to run: required for postgres, mysql and sqlite; refused for url and s3. */
  query: z.string().trim().min(1).max(100_000).optional(),
  /** The password (or S3 secret key) typed in a form: kept in the secret store, never returned. */
  password: z.string().min(1).max(10_000).optional(),
  /** Read the password from this environment variable at each use instead (`PGPASSWORD`). */
  passwordEnv: EnvName.optional(),
  /** url: follow a redirect to another host (same-host redirects are always followed). */
  allowRedirects: z.boolean().default(false),
  /** url and s3: refuse, before downloading, a file or objects larger than this many bytes. */
  maxBytes: z.number().int().positive().default(DEFAULT_SOURCE_MAX_BYTES),
});
export type SourceDraft = z.input<typeof SourceDraft>;

export const SourceAddRequest = SourceDraft.extend({
  name: SourceName,
  /** The dataset it feeds (created by the first refresh); the source's name when absent. */
  dataset: z.string().trim().min(1).max(200).optional(),
  /** Refresh on this cron schedule while the app or `cairn ui` runs; none when absent. */
  schedule: CronSchedule.optional(),
  /** Refresh once at once (the "Import" button): the answer comes after the first version is made. */
  refresh: z.boolean().default(false),
});
export type SourceAddRequest = z.input<typeof SourceAddRequest>;

/** A change to a saved source: absent fields stay; `schedule: null` removes the schedule, `password: null` the secret. */
export const SourceUpdateRequest = z.object({
  name: z.string().min(1),
  rename: SourceName.optional(),
  url: z.string().trim().min(1).max(4000).optional(),
  query: z.string().trim().min(1).max(100_000).optional(),
  schedule: CronSchedule.nullable().optional(),
  password: z.string().min(1).max(10_000).nullable().optional(),
  passwordEnv: EnvName.optional(),
  allowRedirects: z.boolean().optional(),
  maxBytes: z.number().int().positive().optional(),
});
export type SourceUpdateRequest = z.input<typeof SourceUpdateRequest>;

const TargetFields = z.object({ name: z.string().min(1).optional(), draft: SourceDraft.optional() });
function oneTarget(t: { name?: string | undefined; draft?: unknown }, ctx: z.RefinementCtx): void {
  if ((t.name === undefined) === (t.draft === undefined))
    ctx.addIssue({ code: 'custom', message: 'name a saved source or give a draft, not both' });
}

/** Which source a test reads: a saved one by `name`, or a form's `draft` not saved yet. */
export const SourceTargetRequest = TargetFields.superRefine(oneTarget);
export type SourceTargetRequest = z.input<typeof SourceTargetRequest>;

/** The same, with how many rows to show. */
export const SourcePreviewRequest = TargetFields.extend({
  limit: z.number().int().min(1).max(1000).default(50),
}).superRefine(oneTarget);
export type SourcePreviewRequest = z.input<typeof SourcePreviewRequest>;

/** What started a refresh. */
export const RefreshTrigger = z.enum(['manual', 'schedule', 'catch_up', 'pipeline']);
export type RefreshTrigger = z.infer<typeof RefreshTrigger>;

/** Unchanged: read in full (or not modified, by ETag), identical to the latest version: nothing was made. */
export const RefreshStatus = z.enum(['running', 'changed', 'unchanged', 'failed', 'cancelled']);
export type RefreshStatus = z.infer<typeof RefreshStatus>;

/** One refresh of a source, as its page lists them. */
export const SourceRefresh = z.object({
  id: z.string(),
  source: z.string(),
  trigger: RefreshTrigger,
  status: RefreshStatus,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  seconds: z.number().nullable(),
  /** Rows of the version it made or found unchanged; null while running or when it failed. */
  rows: z.number().nullable(),
  changed: z.boolean(),
  /** The dataset version it made (changed) or that stays the latest (unchanged). */
  version: z.number().nullable(),
  versionId: z.string().nullable(),
  /** Why it failed (code and message, never a secret). */
  error: ApiErrorShape.nullable(),
  /** What the user should know (a column converted to text, how S3 parts were combined...). */
  notes: z.array(z.string()),
});
export type SourceRefresh = z.infer<typeof SourceRefresh>;

export const Source = z.object({
  id: z.string(),
  name: z.string(),
  kind: SourceKindName,
  /** Where it reads, never with a password in it. */
  url: z.string(),
  query: z.string().nullable(),
  schedule: z.string().nullable(),
  /** The next scheduled refresh (ISO), null without a schedule. */
  nextRefreshAt: z.string().nullable(),
  /** Where the secret comes from: `$NAME` (an environment variable read at use), 'stored' (the secret store), or null (none). */
  secretRef: z.string().nullable(),
  allowRedirects: z.boolean(),
  maxBytes: z.number(),
  /** The dataset it feeds, by name; `datasetId` is null until the first refresh made it. */
  dataset: z.string(),
  datasetId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastRefresh: SourceRefresh.nullable(),
  /** A refresh is under way (at most one per source at a time). */
  refreshing: z.boolean(),
});
export type Source = z.infer<typeof Source>;

export const SourceDetail = Source.extend({
  /** Its latest refreshes, newest first. */
  refreshes: z.array(SourceRefresh),
});
export type SourceDetail = z.infer<typeof SourceDetail>;

/** The first rows of what a source reads: column names with the source's own type names. */
export const SourcePreview = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.unknown())),
});
export type SourcePreview = z.infer<typeof SourcePreview>;

/** What `sources.refresh` answers (and `cairn sources refresh --json` prints, without `refresh`). */
export const SourceRefreshResult = z.object({
  source: z.string(),
  dataset: z.string(),
  version: z.number(),
  changed: z.boolean(),
  rows: z.number(),
  refresh: SourceRefresh,
});
export type SourceRefreshResult = z.infer<typeof SourceRefreshResult>;

/** A schedule checked: its next run times, or invalid_argument naming the field that does not parse. */
export const ScheduleCheck = z.object({ schedule: z.string(), next: z.array(z.string()) });
export type ScheduleCheck = z.infer<typeof ScheduleCheck>;

/** A refresh's progress: reading (bytes or rows as they arrive), then importing, then ended. */
export const SourceRefreshProgress = z.object({
  source: z.string(),
  refreshId: z.string(),
  phase: z.enum(['reading', 'importing', 'ended']),
  bytes: z.number().optional(),
  totalBytes: z.number().optional(),
  rows: z.number().optional(),
  /** With phase 'ended': the record as saved. */
  refresh: SourceRefresh.optional(),
});
export type SourceRefreshProgress = z.infer<typeof SourceRefreshProgress>;
