// Long work in job processes (imports, training): their progress and outcome events.
import { z } from 'zod';
import { ImportResult } from './datasets.js';
import { ApiErrorShape } from './errors.js';

export const JobKind = z.enum(['import', 'train']);
export type JobKind = z.infer<typeof JobKind>;
export const JobStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

export const JobProgress = z.object({
  jobId: z.string(),
  kind: JobKind,
  phase: z.enum(['checking', 'hashing', 'reading', 'profiling', 'saving']),
  /** 0..1 over the whole job, for one progress bar. */
  fraction: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  rows: z.number().optional(),
  /** What `rows` counts: table rows (when absent) or a picture dataset's pictures. */
  unit: z.enum(['rows', 'pictures']).optional(),
  label: z.string(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobFinished = z.object({
  jobId: z.string(),
  kind: JobKind,
  status: JobStatus,
  result: ImportResult.optional(),
  error: ApiErrorShape.optional(),
});
export type JobFinished = z.infer<typeof JobFinished>;

export const JobStarted = z.object({ jobId: z.string(), kind: JobKind, label: z.string() });
export type JobStarted = z.infer<typeof JobStarted>;
