// What travels through the fleet's queue: a job names one of Cairn's own job kinds and carries
// plain data only (a run request, column types, content hashes). No code, no command and no path
// travel: a worker finds data in the store by hash and builds the job process's input itself.
// Both ends parse with these schemas: the app before it enqueues, the worker before it runs.
import { z } from 'zod';
import { ColumnType } from '../api/datasets.js';
import { ModelKindName, RunProgress, RunRequest, TaskName } from '../api/runs.js';

/**
 * The newest job format this build sends and runs. Raise it when a job or a result changes shape
 * in a way an older worker would misread; a worker refuses jobs newer than it knows.
 */
export const FLEET_JOB_FORMAT = 1;

/** A content hash: the only way a job or a result names a file. */
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits');
export type Sha256 = z.infer<typeof Sha256>;

/** A blob in the store: its hash and size (the size lets a worker say what it will download). */
export const StoredBlob = z.object({ sha256: Sha256, bytes: z.number().int().min(0) });
export type StoredBlob = z.infer<typeof StoredBlob>;

/** A path inside a model folder: relative, forward slashes, no `.` or `..` segment. */
export const ArtifactPath = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, 'not a path inside a model folder');

/** A column of the dataset version as the app's profile types it (a user's corrections included). */
export const JobColumn = z.object({ name: z.string(), storageType: z.string(), type: ColumnType });

/** A table training run (a run, a sweep's trial, a pipeline's train step): the request as the app resolved it. */
export const FleetTrainJob = z
  .object({
    format: z.literal(FLEET_JOB_FORMAT),
    kind: z.literal('train'),
    /** The run this trains: the job's id on the queue too, so one run is one job however often it is sent. */
    runId: z.string().uuid(),
    request: RunRequest.omit({ where: true }),
    columns: z.array(JobColumn).min(1),
    /** The dataset version's Parquet file. */
    data: StoredBlob,
    explain: z.boolean(),
  })
  // A field this build does not know (a path, a command) is refused, not ignored.
  .strict();
export type FleetTrainJob = z.infer<typeof FleetTrainJob>;

/** Every job kind that travels (one for now; imports of large files come with the S3 store). */
export const FleetJob = z.discriminatedUnion('kind', [FleetTrainJob]);
export type FleetJob = z.infer<typeof FleetJob>;
export type FleetJobKind = FleetJob['kind'];
export const FLEET_JOB_KINDS: readonly FleetJobKind[] = ['train'];

/** A model folder in the store: each file by hash, and the training's own manifest hash. */
export const StoredArtifact = z.object({
  sha256: z.string(),
  files: z.array(z.object({ path: ArtifactPath, sha256: Sha256, bytes: z.number().int().min(0) })).min(1),
});
export type StoredArtifact = z.infer<typeof StoredArtifact>;

/** What a train job returns through the queue: the outcome as the job process gave it, its files by hash. */
export const FleetTrainResult = z.object({
  format: z.literal(FLEET_JOB_FORMAT),
  worker: z.string(),
  outcome: z.object({
    task: TaskName,
    modelKind: ModelKindName,
    backend: z.string(),
    tfjsVersion: z.string(),
    params: z.record(z.string(), z.unknown()),
    preprocess: z.record(z.string(), z.unknown()),
    history: z.array(z.object({ epoch: z.number(), logs: z.record(z.string(), z.number()) })),
    metrics: z.record(z.string(), z.unknown()),
  }),
  artifact: StoredArtifact,
});
export type FleetTrainResult = z.infer<typeof FleetTrainResult>;

/** Progress a worker relays while a job runs: the job process's own progress message, as it sent it. */
export const FleetProgress = z.object({
  worker: z.string(),
  progress: RunProgress.omit({ runId: true }),
});
export type FleetProgress = z.infer<typeof FleetProgress>;

/**
 * Why a worker refuses a job it cannot read. The format comes first: a newer app's job is refused
 * as such (upgrade the worker), not as a malformed one.
 */
export function jobFormatProblem(data: unknown, knows: number = FLEET_JOB_FORMAT): string | undefined {
  const format = z.object({ format: z.number().int() }).safeParse(data);
  if (!format.success) return 'not a Cairn job: it has no format number';
  if (format.data.format > knows)
    return `job format ${format.data.format}, this worker knows up to ${knows}: upgrade it`;
  if (format.data.format < 1) return `job format ${format.data.format} is not one Cairn ever sent`;
  return undefined;
}
