// Dataset imports: each file is read by a job process into Parquet with its profile; on success
// the host moves the file into the data folder and records the version (identical content makes
// none). An uploaded source is removed after its import, whatever the outcome.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportResult, JobProgress, MethodArg, MethodResult } from '../../../shared/api.js';
import type { DatasetsRepo, PipelineTable, StoredVersion } from '../db/datasets-repo.js';
import { fsyncDir } from '../durable-fs.js';
import { CairnError, toApiError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { JobInputs } from '../jobs/protocol.js';
import type { AddedPicture, ImageImportInput } from './images/import-images.js';
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

  /**
   * Runs an import job and, on success, moves what it made into place and records the version
   * (as a pipeline's table when `pipeline` says which made it).
   */
  async run(
    req: MethodArg<'datasets.import'>,
    jobId: string,
    onProgress: (p: JobProgress) => void,
    pipeline?: PipelineTable,
  ): Promise<ImportResult> {
    const name = req.name?.trim() || datasetNameFromPath(req.originalName ?? req.path);
    const workDir = path.join(this.deps.paths.work, jobId);
    const source = path.resolve(req.path);
    try {
      await mkdir(workDir, { recursive: true });
      const knownHashes = Object.fromEntries(this.deps.datasets.hashesByName(name));
      const imageFormat = await imageSourceFormat(source, req);
      // The dataset's id is known before its first version: an image job stores pictures by it.
      const datasetId = this.deps.datasets.find(name)?.id ?? randomUUID();
      const input: JobInputs['import'] = imageFormat
        ? {
            kind: 'images',
            path: source,
            format: imageFormat,
            pathColumn: req.pathColumn ?? 'path',
            labelColumn: req.labelColumn ?? 'label',
            knownHashes,
            storeDir: path.join(this.deps.paths.datasets, datasetId),
            workDir,
          }
        : { path: source, badRows: req.badRows, knownHashes, workDir };
      const stored = await this.made(name, datasetId, input, jobId, onProgress, req.originalName ?? source, pipeline);
      return resultOf(name, stored.version, stored.created, this.deps.datasets);
    } finally {
      await rm(workDir, { recursive: true, force: true });
      if (req.removeSourceAfter) await this.removeUpload(req.path);
    }
  }

  /**
   * Adds staged pictures to an image dataset version: the dataset's next version is that version's
   * pictures and these (runs the import job on them; nothing new makes no version).
   */
  async append(
    base: StoredVersion,
    pictures: AddedPicture[],
    onProgress: (p: JobProgress) => void,
  ): Promise<ImportResult> {
    const dataset = this.deps.datasets.find(base.datasetId);
    if (!dataset) throw new CairnError('not_found', `no dataset with id "${base.datasetId}"`);
    const jobId = randomUUID();
    const workDir = path.join(this.deps.paths.work, jobId);
    try {
      await mkdir(workDir, { recursive: true });
      const input: ImageImportInput = {
        kind: 'images',
        path: path.join(workDir, 'camera'),
        // The new version keeps its base's source format (app.db has no 'camera'; its source path says so).
        format: base.sourceFormat === 'json' ? 'folder' : base.sourceFormat,
        pathColumn: 'path',
        labelColumn: 'label',
        knownHashes: Object.fromEntries(this.deps.datasets.hashesByName(dataset.name)),
        storeDir: path.join(this.deps.paths.datasets, dataset.id),
        workDir,
        addTo: { baseIndex: path.join(this.deps.paths.home, base.dataFile), pictures },
      };
      const source = `camera: ${pictures.length} picture${pictures.length === 1 ? '' : 's'} added to version ${base.version}`;
      const stored = await this.made(dataset.name, dataset.id, input, jobId, onProgress, source);
      return resultOf(dataset.name, stored.version, stored.created, this.deps.datasets);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /**
   * Runs an import job and, when it made something new, moves its files into place and records
   * the version; the version it found with the same content otherwise.
   */
  private async made(
    name: string,
    datasetId: string,
    input: JobInputs['import'],
    jobId: string,
    onProgress: (p: JobProgress) => void,
    sourcePath: string,
    pipeline?: PipelineTable,
  ): Promise<{ version: StoredVersion; created: boolean }> {
    const handle = this.deps.jobs.start('import', input, (p) => onProgress({ ...p, jobId, kind: 'import' }), jobId);
    const out = await handle.done;
    if (out.kind === 'unchanged') return { version: this.deps.version(out.versionId), created: false };
    if (out.kind === 'createdImages') await moveStore(out.storeDir, path.join(this.deps.paths.datasets, datasetId));
    const versionId = randomUUID();
    const relative = path.join('datasets', datasetId, `${versionId}.parquet`);
    const dest = path.join(this.deps.paths.home, relative);
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(out.dataFile, dest);
    await fsyncDir(path.dirname(dest));
    const common = {
      id: versionId,
      datasetId,
      contentHash: out.sha256,
      sourcePath,
      sizeBytes: out.sizeBytes,
      rows: out.rows,
      dataFile: relative,
      ...(pipeline ? { pipeline } : {}),
    };
    let stored: StoredVersion;
    try {
      stored = this.deps.datasets.addVersion(
        name,
        out.kind === 'createdImages'
          ? {
              ...common,
              kind: 'images',
              sourceFormat: out.format,
              skippedRows: out.summary.skipped.length,
              profile: [],
              warnings: [],
              images: out.summary,
            }
          : {
              ...common,
              kind: 'table',
              sourceFormat: out.format,
              skippedRows: out.skippedRows,
              profile: out.columns,
              warnings: out.warnings,
            },
        new Date().toISOString(),
      );
    } catch (err) {
      // Pictures moved into the dataset's folder stay: they are stored by content, and a later
      // import of them finds them there.
      await rm(dest, { force: true });
      throw err;
    }
    return { version: stored, created: true };
  }
}

/** What an import reports of a version it made, or found already made from the same content. */
function resultOf(name: string, v: StoredVersion, created: boolean, datasets: DatasetsRepo): ImportResult {
  const common = {
    datasetId: v.datasetId,
    versionId: v.id,
    name,
    version: v.version,
    rows: v.rows,
    created,
    skippedRows: v.skippedRows,
    warnings: v.warnings,
  };
  if (v.images) return { ...common, kind: 'images', columns: [], images: v.images };
  return { ...common, kind: 'table', columns: datasets.profile(v.id) };
}

/**
 * Whether a source is pictures, and of which form: a folder or a .zip always is; a CSV or Parquet
 * file is when the request says so (it then lists pictures), and is a table otherwise.
 */
async function imageSourceFormat(
  source: string,
  req: MethodArg<'datasets.import'>,
): Promise<ImageImportInput['format'] | undefined> {
  const s = await stat(source).catch(() => undefined);
  if (s?.isDirectory()) return 'folder';
  const ext = path.extname(req.originalName ?? source).toLowerCase();
  if (ext === '.zip') return 'zip';
  if (req.kind !== 'images') return undefined;
  return ext === '.parquet' ? 'parquet' : 'csv';
}

/** Moves every file a job stored under `from` to the same place under `to`, keeping those there. */
async function moveStore(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true }).catch(() => []);
  const folders = new Set<string>();
  for (const e of entries) {
    if (!e.isFile()) continue;
    const rel = path.relative(from, path.join(e.parentPath, e.name));
    const dest = path.join(to, rel);
    if (!folders.has(path.dirname(dest))) {
      await mkdir(path.dirname(dest), { recursive: true });
      folders.add(path.dirname(dest));
    }
    // Content-addressed: a file already there (another import's) holds the same bytes.
    await rename(path.join(from, rel), dest);
  }
  for (const folder of folders) await fsyncDir(folder);
}
