// The model registry: models and their versions with lineage, cards, notes and tags; aliases
// (production, staging, any name) that move in one recorded, reversible step; deletes that refuse
// while an alias or an endpoint uses a version; bundles out and in. One resolver turns every
// reference (`name`, `name@alias`, `name:version`) into a stored version for every caller.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  AliasEvent,
  ModelCardView,
  ModelDetail,
  ModelLineage,
  ModelSummary,
  ModelVersionInfo,
  TaskName,
  TrainingDataSummary,
} from '../../../shared/api.js';
import type { DatasetsRepo } from '../db/datasets-repo.js';
import type { Db } from '../db/open.js';
import { RegistryRepo, type RegistryModel, type RegistryVersion, type StoredAlias } from '../db/registry-repo.js';
import { fsyncDir } from '../durable-fs.js';
import { CairnError } from '../errors.js';
import { isInside, type Layout } from '../paths.js';
import { BUNDLE_JSON, BundleManifest, DEFAULT_LIMITS, readBundle, writeBundle, type BundleLimits } from './bundle.js';
import { modelFolderName } from './folders.js';
import { inputSchema, outputSignature, trainingDataSummary } from './model-card.js';
import type { WriteTarget } from '../file-access.js';
import { parseModelRef, type ParsedModelRef } from './ref.js';
import { cardAndPreprocess, readStoredFiles } from './stored-files.js';

/** The alias a bare model name means when it has one. */
export const DEFAULT_ALIAS = 'production';

export interface RegistryOptions {
  db: Db;
  datasets: DatasetsRepo;
  paths: Layout;
  /** Called with a model's name after anything about it changed. */
  changed?: (name: string) => void;
  /** Whether an endpoint serves a version: such a version cannot be deleted. */
  isServed?: (name: string, version: number) => boolean;
  limits?: BundleLimits;
}

/** A reference as calls carry it: a name (or `name@alias` / `name:version` text) with an optional version or alias. */
export interface ModelRefInput {
  name: string;
  version?: number;
  alias?: string;
}

const TAGS_MAX = 50;

export class ModelRegistry {
  readonly repo: RegistryRepo;
  /** Replaced by the host once an endpoint can serve versions. */
  isServed: (name: string, version: number) => boolean;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RegistryOptions) {
    this.repo = new RegistryRepo(options.db);
    this.isServed = options.isServed ?? (() => false);
  }

  /**
   * Runs `fn` after every earlier call has finished: version numbers are picked and their
   * folders moved into place one save at a time (a run's and an import's could collide).
   */
  serialize<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(fn, fn);
    this.lock = result.catch(() => undefined);
    return result;
  }

  /** The number the next version of `name` gets (never a deleted one's). */
  nextVersion(name: string): number {
    return this.repo.nextVersion(name);
  }

  /** Where a version's files go, relative to the data folder. */
  folderFor(name: string, version: number): string {
    return path.join('models', modelFolderName(name), String(version));
  }

  private changed(name: string): void {
    this.options.changed?.(name);
  }

  private model(name: string): RegistryModel {
    const m = this.repo.model(name);
    if (!m)
      throw new CairnError(
        'not_found',
        `no model named "${name}" (train one with \`cairn train <dataset> --target <column>\`)`,
        { model: name },
      );
    return m;
  }

  /** Every model with its version count, latest version, aliases and task. */
  async list(): Promise<ModelSummary[]> {
    const aliases = this.repo.allAliases();
    const byModel = new Map<string, RegistryVersion[]>();
    for (const v of this.repo.allVersions()) {
      const list = byModel.get(v.modelId) ?? [];
      list.push(v);
      byModel.set(v.modelId, list);
    }
    const out: ModelSummary[] = [];
    for (const m of this.repo.models()) {
      const versions = byModel.get(m.id) ?? [];
      if (!versions.length) continue;
      const s = summary(m, versions, aliases.get(m.id) ?? []);
      // An imported latest version has no run: its bundle says the task.
      if (s.task === null && versions[0]) s.task = (await this.bundleOf(versions[0]))?.task ?? null;
      out.push(s);
    }
    return out;
  }

  /** A model with every version (lineage, notes, tags, aliases) and its alias history. */
  async get(name: string): Promise<ModelDetail> {
    const m = this.model(name);
    const versions = this.repo.versions(m.id);
    const aliases = this.repo.aliases(m.id);
    const infos = await Promise.all(versions.map((v) => this.versionInfo(v, aliases)));
    return {
      model: { ...summary(m, versions, aliases), task: infos[0]?.task ?? null },
      versions: infos,
      aliasHistory: this.repo.aliasEvents(m.id),
    };
  }

  /**
   * The stored version a reference means: a given version, else a given alias, else the
   * production alias, else the latest. `name` may itself be `name@alias` or `name:version`.
   */
  resolve(ref: ModelRefInput): RegistryVersion {
    let wanted: ParsedModelRef = ref;
    if (ref.version === undefined && ref.alias === undefined && !this.repo.model(ref.name))
      wanted = parseModelRef(ref.name);
    const m = this.model(wanted.name);
    if (wanted.version !== undefined) {
      const v = this.repo.version(m.id, wanted.version);
      if (!v) {
        const latest = this.repo.version(m.id);
        throw new CairnError(
          'not_found',
          `model "${m.name}" has no version ${wanted.version}${latest ? ` (its latest is ${latest.version})` : ''}`,
          { model: m.name, version: wanted.version },
        );
      }
      return v;
    }
    const alias = wanted.alias ?? DEFAULT_ALIAS;
    const pointed = this.repo.alias(m.id, alias);
    if (pointed) return this.repo.version(m.id, pointed.version) as RegistryVersion;
    if (wanted.alias !== undefined) {
      const all = this.repo.aliases(m.id).map((a) => a.alias);
      throw new CairnError(
        'not_found',
        `model "${m.name}" has no alias "${wanted.alias}"${all.length ? ` (its aliases: ${all.join(', ')})` : ' (it has no aliases yet)'}`,
        { model: m.name, alias: wanted.alias },
      );
    }
    const latest = this.repo.version(m.id);
    if (!latest) throw new CairnError('not_found', `model "${m.name}" has no versions`, { model: m.name });
    return latest;
  }

  /** The aliases pointing at a stored version, in name order. */
  aliasesAt(v: RegistryVersion): string[] {
    return this.repo
      .aliases(v.modelId)
      .filter((a) => a.version === v.version)
      .map((a) => a.alias)
      .sort();
  }

  /** The absolute folder of a stored version. */
  dirOf(v: RegistryVersion): string {
    return path.join(this.options.paths.home, v.dir);
  }

  /** A version's card: card.json, its input schema and output, and the profile of its training data. */
  async card(ref: ModelRefInput): Promise<ModelCardView> {
    const v = this.resolve(ref);
    const dir = this.dirOf(v);
    const { card, preprocess } = cardAndPreprocess(dir, await readStoredFiles(dir, v.sha256));
    return {
      name: v.name,
      version: v.version,
      task: card.task,
      target: card.target,
      modelKind: card.modelKind,
      classes: card.classes,
      inputs: inputSchema(preprocess),
      image: preprocess.image ? { size: preprocess.image.size, channels: preprocess.image.channels } : null,
      output: outputSignature(card),
      dropped: preprocess.dropped,
      metrics: card.metrics,
      backend: card.backend,
      tfjsVersion: card.tfjsVersion,
      createdAt: card.createdAt,
      trainingData: await this.trainingData(v),
    };
  }

  /** Points `alias` at `version`, recording the move and its reason. */
  setAlias(name: string, alias: string, version: number, reason: string): AliasEvent {
    const m = this.model(name);
    if (!this.repo.version(m.id, version))
      throw new CairnError('not_found', `model "${m.name}" has no version ${version}`, { model: m.name, version });
    const current = this.repo.alias(m.id, alias);
    if (current?.version === version)
      throw new CairnError('invalid_argument', `${current.alias} already points at version ${version} of "${m.name}"`, {
        model: m.name,
        alias,
      });
    const event = this.repo.moveAlias(m.id, alias, version, reason, new Date().toISOString()) as AliasEvent;
    this.changed(m.name);
    return event;
  }

  removeAlias(name: string, alias: string, reason: string): AliasEvent {
    const m = this.model(name);
    if (!this.repo.alias(m.id, alias))
      throw new CairnError('not_found', `model "${m.name}" has no alias "${alias}"`, { model: m.name, alias });
    const event = this.repo.moveAlias(m.id, alias, null, reason, new Date().toISOString()) as AliasEvent;
    this.changed(m.name);
    return event;
  }

  /**
   * Puts an alias back where it pointed before its last move: the previous version, or no
   * version when that move first set it. A rollback is itself a move, so a second one redoes.
   */
  rollbackAlias(name: string, alias: string, reason: string): AliasEvent {
    const m = this.model(name);
    const [last] = this.repo.aliasEvents(m.id, alias);
    if (!last)
      throw new CairnError('not_found', `model "${m.name}" has no alias "${alias}" to roll back`, {
        model: m.name,
        alias,
      });
    const target = last.fromVersion;
    if (target !== null && !this.repo.version(m.id, target))
      throw new CairnError(
        'conflict',
        `${last.alias} cannot go back to version ${target} of "${m.name}": that version was deleted`,
        {
          model: m.name,
          alias: last.alias,
          version: target,
        },
      );
    const because =
      reason || `rollback of the move from ${last.fromVersion ?? 'nothing'} to ${last.toVersion ?? 'nothing'}`;
    const event = this.repo.moveAlias(m.id, last.alias, target, because, new Date().toISOString()) as AliasEvent;
    this.changed(m.name);
    return event;
  }

  async updateVersion(
    name: string,
    version: number,
    patch: { notes?: string; tags?: string[] },
  ): Promise<ModelVersionInfo> {
    const v = this.resolve({ name, version });
    const tags = patch.tags
      ? [...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))].slice(0, TAGS_MAX)
      : undefined;
    this.repo.updateVersion(v.id, { notes: patch.notes, tags });
    this.changed(v.name);
    const updated = this.repo.version(v.modelId, v.version) as RegistryVersion;
    return this.versionInfo(updated, this.repo.aliases(v.modelId));
  }

  /** Deletes a version and its files; refused while an alias points at it or an endpoint serves it. */
  async deleteVersion(
    name: string,
    version: number,
  ): Promise<{ name: string; version: number; modelDeleted: boolean }> {
    const v = this.resolve({ name, version });
    const aliases = this.repo
      .aliases(v.modelId)
      .filter((a) => a.version === v.version)
      .map((a) => a.alias);
    if (aliases.length)
      throw new CairnError(
        'conflict',
        `Version ${v.version} of "${v.name}" cannot be deleted: the alias${aliases.length > 1 ? 'es' : ''} ${aliases.join(', ')} point${aliases.length > 1 ? '' : 's'} at it. Move or remove ${aliases.length > 1 ? 'them' : 'it'} first.`,
        { model: v.name, version: v.version, aliases },
      );
    if (this.isServed(v.name, v.version))
      throw new CairnError(
        'conflict',
        `Version ${v.version} of "${v.name}" cannot be deleted: an endpoint serves it. Stop the endpoint first.`,
        {
          model: v.name,
          version: v.version,
          served: true,
        },
      );
    const { modelDeleted } = this.repo.deleteVersion(v.modelId, v.id);
    // Only a folder under models/ is removed: the record's path is trusted no further than that.
    const dir = path.resolve(this.dirOf(v));
    if (isInside(this.options.paths.models, dir)) await rm(dir, { recursive: true, force: true });
    this.changed(v.name);
    return { name: v.name, version: v.version, modelDeleted };
  }

  /** Writes a version as a zip bundle at `out`. */
  async exportVersion(
    ref: ModelRefInput,
    out: WriteTarget,
  ): Promise<{ name: string; version: number; path: string; bytes: number }> {
    const v = this.resolve(ref);
    const dir = this.dirOf(v);
    const files = await readStoredFiles(dir, v.sha256);
    const { card, preprocess } = cardAndPreprocess(dir, files);
    const written = await writeBundle(
      out,
      {
        model: { name: v.name, version: v.version },
        task: card.task,
        createdAt: v.createdAt,
        signature: { inputs: inputSchema(preprocess), output: outputSignature(card) },
        lineage: await this.lineage(v),
        trainingData: await this.trainingData(v),
        notes: v.notes,
        tags: v.tags,
      },
      files,
      new Date().toISOString(),
    );
    return { name: v.name, version: v.version, ...written };
  }

  /** Checks a bundle, moves it into place as the next version of its model (or `name`) and records it. */
  async importBundle(file: string, name?: string): Promise<ModelVersionInfo> {
    const read = await readBundle(path.resolve(file), this.options.paths.work, this.options.limits ?? DEFAULT_LIMITS);
    let placed: string | undefined;
    try {
      const stored = await this.serialize(async () => {
        const wanted = name?.trim() || read.manifest.model.name;
        const modelName = this.repo.model(wanted)?.name ?? wanted;
        const version = this.repo.nextVersion(modelName);
        const relative = this.folderFor(modelName, version);
        placed = path.join(this.options.paths.home, relative);
        await mkdir(path.dirname(placed), { recursive: true });
        // A folder left by a save whose record was never written holds nothing anyone points at.
        await rm(placed, { recursive: true, force: true });
        await rename(read.dir, placed);
        await fsyncDir(path.dirname(placed));
        this.repo.addImported(
          {
            id: randomUUID(),
            modelId: randomUUID(),
            name: modelName,
            version,
            dir: relative,
            sha256: read.artifactSha256,
            notes: read.manifest.notes,
            tags: read.manifest.tags,
          },
          new Date().toISOString(),
        );
        return this.resolve({ name: modelName, version });
      });
      this.changed(stored.name);
      return this.versionInfo(stored, this.repo.aliases(stored.modelId));
    } catch (err) {
      await rm(read.dir, { recursive: true, force: true });
      if (placed) await rm(placed, { recursive: true, force: true });
      throw err;
    }
  }

  /** bundle.json kept in an imported version's folder; null for run versions or if unreadable. */
  private async bundleOf(v: RegistryVersion): Promise<BundleManifest | null> {
    if (v.origin !== 'import') return null;
    try {
      return BundleManifest.parse(JSON.parse(await readFile(path.join(this.dirOf(v), BUNDLE_JSON), 'utf8')));
    } catch {
      return null;
    }
  }

  private async lineage(v: RegistryVersion): Promise<ModelLineage> {
    if (v.run)
      return {
        runId: v.runId,
        ...trainedOn(v.run),
        target: v.run.target,
        modelKind: v.run.modelKind,
        params: v.run.params,
        metrics: v.run.testMetrics,
      };
    const bundle = await this.bundleOf(v);
    return bundle?.lineage ?? { runId: null, dataset: null, target: null, modelKind: null, params: {}, metrics: {} };
  }

  private async trainingData(v: RegistryVersion): Promise<TrainingDataSummary | null> {
    if (v.run) {
      const dv = this.options.datasets.version(v.run.datasetVersionId);
      if (!dv) return null;
      const { dataset, pipeline } = trainedOn(v.run);
      return trainingDataSummary(
        dataset,
        { rows: dv.rows, ...(pipeline !== undefined ? { pipeline } : {}) },
        this.options.datasets.profile(dv.id),
      );
    }
    return (await this.bundleOf(v))?.trainingData ?? null;
  }

  private async versionInfo(v: RegistryVersion, aliases: StoredAlias[]): Promise<ModelVersionInfo> {
    const bundle = await this.bundleOf(v);
    return {
      id: v.id,
      name: v.name,
      version: v.version,
      origin: v.origin,
      task: (v.run?.task ?? bundle?.task ?? null) as TaskName | null,
      createdAt: v.createdAt,
      notes: v.notes,
      tags: v.tags,
      aliases: aliases.filter((a) => a.version === v.version).map((a) => a.alias),
      sha256: v.sha256,
      lineage: await this.lineage(v),
      importedFrom: bundle
        ? { name: bundle.model.name, version: bundle.model.version, exportedAt: bundle.exportedAt }
        : null,
    };
  }
}

/**
 * The dataset version a run's model traces to: the one the run trained on, or, when a pipeline
 * made that table, the version the pipeline started from (and the pipeline's name).
 */
function trainedOn(run: NonNullable<RegistryVersion['run']>): {
  dataset: { name: string; version: number; hash: string };
  pipeline?: string;
} {
  const made = run.pipeline !== null ? { pipeline: run.pipeline } : {};
  if (run.source) return { dataset: run.source, ...made };
  return { dataset: { name: run.datasetName, version: run.datasetVersion, hash: run.datasetHash }, ...made };
}

function summary(m: RegistryModel, versions: RegistryVersion[], aliases: StoredAlias[]): ModelSummary {
  const latest = versions[0];
  const times = [latest?.createdAt ?? m.createdAt, ...aliases.map((a) => a.updatedAt)].sort();
  return {
    name: m.name,
    versionCount: versions.length,
    latestVersion: latest?.version ?? 0,
    aliases: aliases.map((a) => ({ alias: a.alias, version: a.version, updatedAt: a.updatedAt })),
    task: (latest?.run?.task ?? null) as TaskName | null,
    createdAt: m.createdAt,
    updatedAt: times[times.length - 1] ?? m.createdAt,
  };
}
