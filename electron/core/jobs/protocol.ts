// Messages between a host and a job process. Both sides import these types; the wire is
// structured clone (child_process IPC or Electron's MessagePort), so plain data only.
import type { ApiErrorShape, Explanation, JobKind, JobProgress } from '../../../shared/api.js';
import type { ExplainSavedInput } from '../explain/explain-saved-run.js';
import type { ImageImportInput, ImageImportOutcome } from '../datasets/images/import-images.js';
import type { ImportInput, ImportOutcome } from '../datasets/import-file.js';
import type { TrainInput, TrainOutcome, TrainProgress } from '../training/run-training.js';
import type { ImageTrainInput } from '../training/train-images.js';

/**
 * What a job process does: the kinds the contract reports on (import, train), and 'explain', the
 * explanation of a run trained without one, which the host records on the run (no event of its own).
 */
export type JobProcessKind = JobKind | 'explain';

export interface JobInputs {
  /** A table file, or pictures (a folder, a zip, or a list of paths). */
  import: ImportInput | ImageImportInput;
  /** A table's columns, or an image dataset's pictures. */
  train: TrainInput | ImageTrainInput;
  explain: ExplainSavedInput;
}
export interface JobOutputs {
  import: ImportOutcome | ImageImportOutcome;
  train: TrainOutcome;
  explain: Explanation;
}
/** What each kind of job reports while it runs. */
export interface JobProgresses {
  import: Omit<JobProgress, 'jobId' | 'kind'>;
  train: TrainProgress;
  /** Nothing: an explanation takes seconds. */
  explain: never;
}

/** A job to do: the process does it, reports and ends. */
export type StartJob = { [K in JobProcessKind]: { type: 'start'; kind: K; input: JobInputs[K] } }[JobProcessKind];

export type HostToJob =
  | StartJob
  /** A job of this kind is coming: load what it needs now (job-runner.ts, prepare). */
  | { type: 'prepare'; kind: JobProcessKind };

export type JobToHost =
  | { type: 'progress'; progress: JobProgresses[JobProcessKind] }
  | { type: 'done'; output: JobOutputs[JobProcessKind] }
  | { type: 'error'; error: ApiErrorShape };

/** The host's handle on one job process, whatever launched it (fork or Electron utilityProcess). */
export interface JobProcess {
  send(message: HostToJob): void;
  onMessage(listener: (message: JobToHost) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnJobProcess = () => JobProcess;
