// Dataset imports: each file is read by a job process into Parquet with its profile; on success
// the host moves the file into the data folder and records the version (identical content makes
// none). An uploaded source is removed after its import, whatever the outcome.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ImportResult, JobProgress, MethodArg, MethodResult } from '../../../shared/api.js';
import type { DatasetsRepo, StoredVersion } from '../db/datasets-repo.js';
import { fsyncDir } from '../durable-fs.js';
import { toApiError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { isInside, type Layout } from '../paths.js';

/** Dataset names become folder-free labels; the file's base name is the default. */
export function datasetNameFromPath(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  return base.trim() || 'dataset';
}

/** What imports use of the host. */
export interface DatasetImportsDeps {
  datasets: DatasetsRepo;
  jobs: JobRunner;
  events: EventBus;
  paths: Layout;
  version(versionId: string): StoredVersion;
}

/** Starts and runs imports as job processes, and records what they made. */
export class DatasetImports {
  constructor(private readonly deps: DatasetImportsDeps) {}

  /** Deletes an uploaded temporary file and its per-upload folder; never a file outside uploads/. */
  async removeUpload(file: string): Promise<void> {
    const resolved = path.resolve(file);
    const uploads = path.resolve(this.deps.paths.uploads);
    if (!isInside(uploads, resolved)) return;
    await rm(resolved, { force: true });
    const folder = path.dirname(resolved);
    if (folder !== uploads) await rm(folder, { recursive: true, force: true });
  }

  /** Starts an import job and answers at once; progress and the outcome arrive as job.* events. */
  start(req: MethodArg<'datasets.import'>): MethodResult<'datasets.import'> {
    const jobId = randomUUID();
    const label = `Import ${path.basename(req.originalName ?? req.path)}`;
    this.deps.events.emit('job.started', { jobId, kind: 'import', label });
    this.run(req, jobId, (p) => this.deps.events.emit('job.progress', p)).then(
      (result) => this.deps.events.emit('job.finished', { jobId, kind: 'import', status: 'succeeded', result }),
      (err: unknown) => {
        const error = toApiError(err);
        const status = error.code === 'cancelled' ? 'cancelled' : 'failed';
        this.deps.events.emit('job.finished', { jobId, kind: 'import', status, error });
      },
    );
    return { jobId, kind: 'import', label };
  }

  /** Runs an import job and, on success, moves its Parquet file into place and records the version. */
  async run(
    req: MethodArg<'datasets.import'>,
    jobId: string,
    onProgress: (p: JobProgress) => void,
  ): Promise<ImportResult> {
    const name = req.name?.trim() || datasetNameFromPath(req.originalName ?? req.path);
    const workDir = path.join(this.deps.paths.work, jobId);
    try {
      await mkdir(workDir, { recursive: true });
      const handle = this.deps.jobs.start(
        'import',
        {
          path: path.resolve(req.path),
          badRows: req.badRows,
          knownHashes: Object.fromEntries(this.deps.datasets.hashesByName(name)),
          workDir,
        },
        (p) => onProgress({ ...p, jobId, kind: 'import' }),
        jobId,
      );
      const out = await handle.done;
      if (out.kind === 'unchanged') {
        const v = this.deps.version(out.versionId);
        return {
          datasetId: v.datasetId,
          versionId: v.id,
          name,
          version: v.version,
          rows: v.rows,
          created: false,
          skippedRows: v.skippedRows,
          columns: this.deps.datasets.profile(v.id),
          warnings: v.warnings,
        };
      }
      const datasetId = this.deps.datasets.find(name)?.id ?? randomUUID();
      const versionId = randomUUID();
      const relative = path.join('datasets', datasetId, `${versionId}.parquet`);
      const dest = path.join(this.deps.paths.home, relative);
      await mkdir(path.dirname(dest), { recursive: true });
      await rename(out.dataFile, dest);
      await fsyncDir(path.dirname(dest));
      let stored: StoredVersion;
      try {
        stored = this.deps.datasets.addVersion(
          name,
          {
            id: versionId,
            datasetId,
            contentHash: out.sha256,
            sourcePath: req.originalName ?? path.resolve(req.path),
            sourceFormat: out.format,
            sizeBytes: out.sizeBytes,
            rows: out.rows,
            skippedRows: out.skippedRows,
            dataFile: relative,
            profile: out.columns,
            warnings: out.warnings,
          },
          new Date().toISOString(),
        );
      } catch (err) {
        await rm(dest, { force: true });
        throw err;
      }
      return {
        datasetId: stored.datasetId,
        versionId: stored.id,
        name,
        version: stored.version,
        rows: stored.rows,
        created: true,
        skippedRows: stored.skippedRows,
        columns: out.columns,
        warnings: out.warnings,
      };
    } finally {
      await rm(workDir, { recursive: true, force: true });
      if (req.removeSourceAfter) await this.removeUpload(req.path);
    }
  }
}
