// Import tasks from the moment a file is chosen to its result: upload (browser only), the engine's
// job with its progress events, then success, failure or cancellation. Job events are kept per
// job id even before `datasets.import` has answered with that id, since the event stream and the
// call's reply travel separately and a quick job may finish first.
import type {
  BadRowsPolicy,
  CairnClient,
  EventPayload,
  ImportRequest,
  ImportResult,
  JobProgress,
} from '../../../shared/api.js';
import { ApiError, toApiError } from '../api/api-error.js';
import type { FileSource } from '../api/client.js';

export type ImportState = 'uploading' | 'importing' | 'succeeded' | 'failed' | 'cancelled';

export interface ImportTask {
  id: number;
  fileName: string;
  badRows: BadRowsPolicy;
  state: ImportState;
  /** Bytes sent while uploading, then the engine's progress. */
  progress?: Pick<JobProgress, 'phase' | 'fraction' | 'bytesDone' | 'bytesTotal' | 'rows' | 'unit'>;
  uploaded?: { sent: number; total: number };
  jobId?: string;
  result?: ImportResult;
  error?: ApiError;
}

export interface StartImport {
  file: File;
  source: FileSource;
  badRows?: BadRowsPolicy;
}

type Finished = EventPayload<'job.finished'>;

/** How long a success or cancellation notice stays before it dismisses itself. */
export const NOTICE_MS = 10_000;

/** A sample dataset, imported by id on the engine's side. */
interface SampleSource {
  kind: 'sample';
  id: string;
}

/** Observable list of import tasks, newest first, for useSyncExternalStore. */
export class ImportStore {
  private tasks: ImportTask[] = [];
  private nextId = 1;
  private readonly files = new Map<number, File>();
  private readonly aborts = new Map<number, () => void>();
  private readonly byJob = new Map<string, number>();
  /** Tasks cancelled before the engine told us their job id. */
  private readonly cancelWanted = new Set<number>();
  /** Events for job ids no task claims yet (the call's reply is still on its way). */
  private readonly early = new Map<string, { progress?: JobProgress; finished?: Finished }>();
  private readonly listeners = new Set<() => void>();
  private readonly noticeMs: number;

  constructor(
    private readonly client: CairnClient,
    private readonly sourceFor: (file: File) => FileSource,
    /** Told of every successful import, e.g. to refresh and open the dataset. */
    private readonly onImported: (result: ImportResult) => void = () => undefined,
    options: { noticeMs?: number } = {},
  ) {
    this.noticeMs = options.noticeMs ?? NOTICE_MS;
  }

  /** Listens to job events; returns the function that stops (an effect's cleanup). */
  connect(): () => void {
    const off = [
      this.client.on('job.progress', (p) => this.onProgress(p)),
      this.client.on('job.finished', (f) => this.onFinished(f)),
    ];
    return () => {
      for (const o of off) o();
    };
  }

  snapshot = (): readonly ImportTask[] => this.tasks;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Starts importing one file; returns the task id. */
  start({ file, source, badRows = 'fail' }: StartImport): number {
    const id = this.nextId++;
    this.files.set(id, file);
    this.tasks = [
      { id, fileName: file.name, badRows, state: source.kind === 'upload' ? 'uploading' : 'importing' },
      ...this.tasks,
    ];
    this.emit();
    void this.run(id, source, badRows);
    return id;
  }

  /**
   * Imports what the desktop app granted a handle for without a File (a folder chosen in the folder
   * dialog: pictures), shown under its name; returns the task id.
   */
  startGranted({ name, handle }: { name: string; handle: string }): number {
    const id = this.nextId++;
    this.tasks = [{ id, fileName: name, badRows: 'fail', state: 'importing' }, ...this.tasks];
    this.emit();
    void this.run(id, { kind: 'handle', grant: () => Promise.resolve(handle) }, 'fail');
    return id;
  }

  /** Imports one of the samples Cairn ships, shown under its name; returns the task id. */
  startSample(sample: { id: string; name: string }): number {
    const id = this.nextId++;
    this.tasks = [{ id, fileName: sample.name, badRows: 'fail', state: 'importing' }, ...this.tasks];
    this.emit();
    void this.run(id, { kind: 'sample', id: sample.id }, 'fail');
    return id;
  }

  /** Shows a drop that cannot be imported at all (a folder) as a failed task, with the reason. */
  reject(fileName: string, error: ApiError): number {
    const id = this.nextId++;
    this.tasks = [{ id, fileName, badRows: 'fail', state: 'failed', error }, ...this.tasks];
    this.emit();
    return id;
  }

  /** Imports the task's file again, skipping malformed rows (offered for bad_rows failures). */
  retrySkippingBadRows(id: number): number | undefined {
    const file = this.files.get(id);
    if (!file) return undefined;
    this.dismiss(id);
    return this.start({ file, source: this.sourceFor(file), badRows: 'skip' });
  }

  /** Cancels an upload or a running job. */
  cancel(id: number): void {
    const task = this.task(id);
    if (!task) return;
    if (task.state === 'uploading') this.aborts.get(id)?.();
    else if (task.state === 'importing') {
      if (task.jobId) this.cancelJob(id, task.jobId);
      else this.cancelWanted.add(id);
    }
  }

  private cancelJob(id: number, jobId: string): void {
    this.client.call('jobs.cancel', { jobId }).catch((err: unknown) => {
      this.update(id, { error: toApiError(err) });
    });
  }

  /** Removes a finished task from the list. */
  dismiss(id: number): void {
    const task = this.task(id);
    if (!task || isRunning(task)) return;
    this.tasks = this.tasks.filter((t) => t.id !== id);
    this.files.delete(id);
    this.emit();
  }

  /** Removes every finished task (a pile of rejected files, say); running ones stay. */
  dismissFinished(): void {
    const done = this.tasks.filter((t) => !isRunning(t));
    if (done.length === 0) return;
    this.tasks = this.tasks.filter(isRunning);
    for (const t of done) this.files.delete(t.id);
    this.emit();
  }

  /** A notice that needs nothing from the user goes by itself; a failure stays until dismissed. */
  private dismissLater(id: number): void {
    setTimeout(() => this.dismiss(id), this.noticeMs);
  }

  private async run(id: number, source: FileSource | SampleSource, badRows: BadRowsPolicy): Promise<void> {
    try {
      let request: ImportRequest | undefined;
      if (source.kind === 'upload') {
        const upload = source.start((sent, total) => this.update(id, { uploaded: { sent, total } }));
        this.aborts.set(id, () => upload.abort());
        const { path, name } = await upload.done;
        this.aborts.delete(id);
        this.update(id, { state: 'importing' });
        request = { path, originalName: name, removeSourceAfter: true, badRows };
      } else if (source.kind === 'handle') {
        request = { path: await source.grant(), badRows };
      }
      // A sample lies on the engine's side: it is named by id, not by a path the renderer knows.
      const started = request
        ? await this.client.call('datasets.import', request)
        : await this.client.call('samples.import', { id: (source as SampleSource).id });
      this.byJob.set(started.jobId, id);
      this.update(id, { jobId: started.jobId });
      if (this.cancelWanted.delete(id)) this.cancelJob(id, started.jobId);
      const early = this.early.get(started.jobId);
      this.early.delete(started.jobId);
      if (early?.progress) this.onProgress(early.progress);
      if (early?.finished) this.onFinished(early.finished);
    } catch (err) {
      this.aborts.delete(id);
      const error = toApiError(err);
      this.update(id, { state: error.code === 'cancelled' ? 'cancelled' : 'failed', error });
      if (error.code === 'cancelled') this.dismissLater(id);
    }
  }

  private onProgress(p: JobProgress): void {
    const id = this.byJob.get(p.jobId);
    if (id === undefined) {
      this.remember(p.jobId, { progress: p });
      return;
    }
    if (this.task(id)?.state !== 'importing') return;
    this.update(id, {
      progress: {
        phase: p.phase,
        fraction: p.fraction,
        bytesDone: p.bytesDone,
        bytesTotal: p.bytesTotal,
        rows: p.rows,
        unit: p.unit,
      },
    });
  }

  private onFinished(f: Finished): void {
    const id = this.byJob.get(f.jobId);
    if (id === undefined) {
      this.remember(f.jobId, { finished: f });
      return;
    }
    this.byJob.delete(f.jobId);
    if (f.status === 'succeeded' && f.result) {
      this.update(id, { state: 'succeeded', result: f.result });
      this.dismissLater(id);
      this.onImported(f.result);
    } else {
      const error = f.error
        ? toApiError(f.error)
        : new ApiError({ code: 'internal', message: 'the import ended without a result' });
      this.update(id, { state: f.status === 'cancelled' ? 'cancelled' : 'failed', error });
      if (f.status === 'cancelled') this.dismissLater(id);
    }
  }

  private remember(jobId: string, entry: { progress?: JobProgress; finished?: Finished }): void {
    // Other windows or the CLI may run jobs too; keep only a few unclaimed ones.
    this.early.set(jobId, { ...this.early.get(jobId), ...entry });
    if (this.early.size > 50) {
      const oldest = this.early.keys().next().value;
      if (oldest !== undefined) this.early.delete(oldest);
    }
  }

  private task(id: number): ImportTask | undefined {
    return this.tasks.find((t) => t.id === id);
  }

  private update(id: number, patch: Partial<ImportTask>): void {
    this.tasks = this.tasks.map((t) => (t.id === id ? { ...t, ...patch } : t));
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

function isRunning(task: ImportTask): boolean {
  return task.state === 'uploading' || task.state === 'importing';
}
