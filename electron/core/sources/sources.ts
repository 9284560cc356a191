// Saved sources and their refreshes. A refresh is kind.fetch into a work folder, then the ordinary
// file import into the source's dataset: a new version only when the content hash differs, so an
// identical result makes nothing and says "unchanged". Nothing is half-imported (the import
// records a version only at its end; the work folder is removed whatever happens), at most one
// refresh of a source runs at a time, and every refresh is recorded with its outcome. Secrets are
// resolved for each use and masked out of every message that is recorded or returned.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  ImportResult,
  MethodArg,
  MethodResult,
  RefreshTrigger,
  Source,
  SourceRefresh,
  SourceRefreshResult,
} from '../../../shared/api.js';
import type { DatasetsRepo, StoredVersion } from '../db/datasets-repo.js';
import type { SourcesRepo, StoredSource } from '../db/sources-repo.js';
import { CairnError, toApiError } from '../errors.js';
import type { EventBus } from '../events.js';
import { envRef, maskSecrets, resolveSecret, STORED } from '../secrets/secret-refs.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { kindOf, sourceKinds } from './kind-registry.js';
import { nextRuns, parseSchedule } from './schedule.js';
import type { FetchProgress, SourceKind, SourceTarget } from './source-kind.js';
import { checkFields, secretOfDraft } from './source-rules.js';

/** Connect / first-byte deadline for every kind: an unreachable host answers within it. */
export const SOURCE_TIMEOUT_MS = 15_000;

/** Progress events at most this often per refresh. */
const PROGRESS_EVERY_MS = 250;

export interface SourcesDeps {
  repo: SourcesRepo;
  datasets: DatasetsRepo;
  secrets: SecretStore;
  events: EventBus;
  /** A work folder of the service's: each refresh fetches into a folder inside it. */
  workDir: string;
  /** The ordinary file import into dataset `name`; `signal` cancels it. */
  importFile(file: string, name: string, originalName: string, signal: AbortSignal): Promise<ImportResult>;
  /** Called after a refresh made a new version (the retrain trigger looks at once). */
  versionAdded(): void;
  /** Called when a source's schedule may have changed (added, updated, removed). */
  scheduleChanged(): void;
  /**
   * A SQLite source's file as the host's file policy allows it (file-access.ts: any path from the
   * shell, a granted one in the desktop app, an upload in the browser), checked when it is given.
   */
  readablePath(given: string): Promise<string>;
  kinds?: Partial<Record<Source['kind'], SourceKind>>;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

type Draft = MethodArg<'sources.add'>;

export class Sources {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  constructor(private readonly deps: SourcesDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private kind(name: Source['kind']): SourceKind {
    return kindOf(name, this.deps.kinds ?? sourceKinds);
  }

  list(): Source[] {
    return this.deps.repo.list().map((s) => this.view(s));
  }

  get(name: string): MethodResult<'sources.get'> {
    const s = this.find(name);
    return { ...this.view(s), refreshes: this.deps.repo.refreshes(s.id, 50) };
  }

  history(name: string, limit: number): SourceRefresh[] {
    return this.deps.repo.refreshes(this.find(name).id, limit);
  }

  /** The sources with a schedule, for the scheduler. */
  scheduled(): StoredSource[] {
    return this.deps.repo.list().filter((s) => s.schedule !== null);
  }

  find(ref: string): StoredSource {
    const s = this.deps.repo.find(ref);
    if (!s) throw new CairnError('not_found', `no source named "${ref}"`);
    return s;
  }

  async add(req: Draft): Promise<Source> {
    if (this.deps.repo.find(req.name)) throw new CairnError('conflict', `a source named "${req.name}" exists already`);
    const split = await this.localFile(req.kind, secretOfDraft(req));
    checkFields(req.kind, split.url, req.query);
    const schedule = req.schedule ? checkedSchedule(req.schedule) : null;
    const at = this.now().toISOString();
    const s: StoredSource = {
      id: randomUUID(),
      name: req.name,
      kind: req.kind,
      url: split.url,
      query: req.query ?? null,
      schedule,
      secretRef: secretRefOf(split),
      allowRedirects: req.allowRedirects,
      maxBytes: req.maxBytes,
      dataset: req.dataset ?? req.name,
      createdAt: at,
      updatedAt: at,
    };
    if (split.password !== undefined) await this.deps.secrets.set(secretKey(s.id), split.password);
    try {
      this.deps.repo.insert(s);
    } catch (err) {
      await this.deps.secrets.delete(secretKey(s.id));
      throw err;
    }
    this.changed(s.name, true);
    if (req.refresh) await this.refresh(s.name, 'manual');
    return this.view(this.find(s.id));
  }

  async update(req: MethodArg<'sources.update'>): Promise<Source> {
    const old = this.find(req.name);
    if (req.rename && req.rename.toLowerCase() !== old.name.toLowerCase() && this.deps.repo.find(req.rename))
      throw new CairnError('conflict', `a source named "${req.rename}" exists already`);
    const given = secretOfDraft({
      url: req.url ?? old.url,
      ...(req.password !== undefined && req.password !== null ? { password: req.password } : {}),
      ...(req.passwordEnv !== undefined ? { passwordEnv: req.passwordEnv } : {}),
    });
    const split = req.url === undefined ? given : await this.localFile(old.kind, given);
    const query = req.query ?? old.query;
    checkFields(old.kind, split.url, query);
    const newSecret = split.password !== undefined || split.passwordEnv !== undefined;
    const s: StoredSource = {
      ...old,
      name: req.rename ?? old.name,
      url: split.url,
      query,
      schedule:
        req.schedule === undefined ? old.schedule : req.schedule === null ? null : checkedSchedule(req.schedule),
      secretRef: newSecret ? secretRefOf(split) : req.password === null ? null : old.secretRef,
      allowRedirects: req.allowRedirects ?? old.allowRedirects,
      maxBytes: req.maxBytes ?? old.maxBytes,
      updatedAt: this.now().toISOString(),
    };
    if (split.password !== undefined) await this.deps.secrets.set(secretKey(s.id), split.password);
    else if (old.secretRef === STORED && s.secretRef !== STORED) await this.deps.secrets.delete(secretKey(s.id));
    this.deps.repo.update(s);
    this.changed(s.name, true);
    return this.view(s);
  }

  async remove(name: string): Promise<{ removed: boolean }> {
    const s = this.deps.repo.find(name);
    if (!s) return { removed: false };
    if (this.running.has(s.id))
      throw new CairnError('conflict', `source "${s.name}" is refreshing: cancel the refresh first`);
    const removed = this.deps.repo.delete(s.id);
    if (s.secretRef === STORED) await this.deps.secrets.delete(secretKey(s.id));
    this.changed(s.name, true);
    return { removed };
  }

  async test(req: MethodArg<'sources.test'>): Promise<{ ok: true; seconds: number }> {
    const { target, secret } = await this.targetOf(req);
    const started = Date.now();
    await this.masked(secret, () => this.kind(target.kind).test(target, this.reach()));
    return { ok: true, seconds: (Date.now() - started) / 1000 };
  }

  async preview(req: MethodArg<'sources.preview'>): Promise<MethodResult<'sources.preview'>> {
    const { target, secret } = await this.targetOf(req);
    return this.masked(secret, () => this.kind(target.kind).preview(target, req.limit, this.reach()));
  }

  checkSchedule(schedule: string, count: number): MethodResult<'sources.checkSchedule'> {
    const checked = checkedSchedule(schedule);
    return { schedule: checked, next: nextRuns(checked, count, this.now()).map((d) => d.toISOString()) };
  }

  /** Whether a refresh of the source runs now (the scheduler skips a tick then). */
  isRefreshing(sourceId: string): boolean {
    return this.running.has(sourceId);
  }

  cancel(name: string): { cancelled: boolean } {
    const run = this.running.get(this.find(name).id);
    run?.controller.abort();
    return { cancelled: run !== undefined };
  }

  /** Cancels every refresh under way and waits for them to be recorded. */
  async close(): Promise<void> {
    const all = [...this.running.values()];
    for (const r of all) r.controller.abort();
    await Promise.allSettled(all.map((r) => r.done));
  }

  /** A refresh now, or the one under way when there is one (a pipeline's step waits for a scheduled refresh). */
  async refreshOrJoin(name: string, trigger: RefreshTrigger): Promise<void> {
    const running = this.running.get(this.find(name).id);
    if (running) await running.done;
    else await this.refresh(name, trigger);
  }

  /** Reads the source now into its dataset; conflict while a refresh of it runs. */
  async refresh(name: string, trigger: RefreshTrigger): Promise<SourceRefreshResult> {
    const s = this.find(name);
    if (this.running.has(s.id)) throw new CairnError('conflict', `source "${s.name}" is refreshing already`);
    const controller = new AbortController();
    const id = randomUUID();
    this.deps.repo.startRefresh(id, s.id, trigger, this.now().toISOString());
    const done = this.run(s, id, controller.signal);
    this.running.set(s.id, { controller, done });
    this.changed(s.name);
    try {
      return await done;
    } finally {
      this.running.delete(s.id);
      this.changed(s.name);
    }
  }

  private async run(s: StoredSource, refreshId: string, signal: AbortSignal): Promise<SourceRefreshResult> {
    const tempDir = path.join(this.deps.workDir, `source-${refreshId}`);
    const progress = throttled((p: FetchProgress) =>
      this.deps.events.emit('source.refresh', { source: s.name, refreshId, phase: 'reading', ...p }),
    );
    let secret: string | undefined;
    try {
      await mkdir(tempDir, { recursive: true });
      secret = await resolveSecret(
        s.secretRef,
        secretKey(s.id),
        this.deps.secrets,
        `source "${s.name}"`,
        this.deps.env,
      );
      const latest = this.latestVersion(s);
      const last = this.deps.repo.lastRead(s.id);
      // Validators only while what they read is still the dataset's latest version.
      const previous =
        last && latest && last.versionId === latest.id
          ? {
              ...(last.etag ? { etag: last.etag } : {}),
              ...(last.lastModified ? { lastModified: last.lastModified } : {}),
            }
          : undefined;
      const fetched = await this.kind(s.kind).fetch(this.target(s, secret), {
        signal,
        timeoutMs: this.deps.timeoutMs ?? SOURCE_TIMEOUT_MS,
        tempDir,
        onProgress: progress,
        ...(previous ? { previous } : {}),
      });
      signal.throwIfAborted();
      if ('notModified' in fetched) {
        const v = latest as StoredVersion;
        return this.finish(
          s,
          refreshId,
          'unchanged',
          v,
          ['not modified since the last refresh (nothing downloaded)'],
          fetched,
        );
      }
      this.deps.events.emit('source.refresh', {
        source: s.name,
        refreshId,
        phase: 'importing',
        ...(fetched.rows !== undefined ? { rows: fetched.rows } : {}),
      });
      const imported = await this.deps.importFile(fetched.path, s.dataset, `${s.name}.${fetched.format}`, signal);
      const v = this.deps.datasets.version(imported.versionId) as StoredVersion;
      const result = this.finish(
        s,
        refreshId,
        imported.created ? 'changed' : 'unchanged',
        v,
        [...fetched.notes, ...imported.warnings],
        fetched,
      );
      if (imported.created) this.deps.versionAdded();
      return result;
    } catch (err) {
      const error = toApiError(signal.aborted ? new CairnError('cancelled', 'the refresh was cancelled') : err);
      const safe = { ...error, message: maskSecrets(error.message, [secret]) };
      const refresh = this.deps.repo.endRefresh(refreshId, {
        status: error.code === 'cancelled' ? 'cancelled' : 'failed',
        endedAt: this.now().toISOString(),
        error: safe,
      });
      this.deps.events.emit('source.refresh', { source: s.name, refreshId, phase: 'ended', refresh });
      throw new CairnError(safe.code, safe.message, safe.details);
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  }

  private finish(
    s: StoredSource,
    refreshId: string,
    status: 'changed' | 'unchanged',
    v: StoredVersion,
    notes: string[],
    validators: { etag?: string; lastModified?: string },
  ): SourceRefreshResult {
    const refresh = this.deps.repo.endRefresh(refreshId, {
      status,
      endedAt: this.now().toISOString(),
      rows: v.rows,
      versionId: v.id,
      notes,
      ...(validators.etag ? { etag: validators.etag } : {}),
      ...(validators.lastModified ? { lastModified: validators.lastModified } : {}),
    });
    this.deps.events.emit('source.refresh', { source: s.name, refreshId, phase: 'ended', refresh });
    return {
      source: s.name,
      dataset: s.dataset,
      version: v.version,
      changed: status === 'changed',
      rows: v.rows,
      refresh,
    };
  }

  /** The newest version of the dataset a source feeds, if it has one. */
  latestVersion(s: StoredSource): StoredVersion | undefined {
    const d = this.deps.datasets.find(s.dataset);
    return d ? this.deps.datasets.versions(d.id)[0] : undefined;
  }

  private target(
    s: { kind: Source['kind']; url: string; query: string | null; maxBytes: number; allowRedirects: boolean },
    secret: string | undefined,
  ): SourceTarget {
    return {
      kind: s.kind,
      url: s.url,
      ...(secret !== undefined ? { secret } : {}),
      ...(s.query ? { query: s.query } : {}),
      limits: { maxBytes: s.maxBytes, allowRedirects: s.allowRedirects },
    };
  }

  /** A saved source's or a draft's target with its secret resolved. */
  private async targetOf(req: MethodArg<'sources.test'>): Promise<{ target: SourceTarget; secret?: string }> {
    if (req.name !== undefined) {
      const s = this.find(req.name);
      const secret = await resolveSecret(
        s.secretRef,
        secretKey(s.id),
        this.deps.secrets,
        `source "${s.name}"`,
        this.deps.env,
      );
      return { target: this.target(s, secret), ...(secret !== undefined ? { secret } : {}) };
    }
    const d = req.draft as NonNullable<typeof req.draft>;
    const split = await this.localFile(d.kind, secretOfDraft(d));
    checkFields(d.kind, split.url, d.query);
    const secret =
      split.password ??
      (split.passwordEnv
        ? await resolveSecret(envRef(split.passwordEnv), '', this.deps.secrets, 'this source', this.deps.env)
        : undefined);
    const target = this.target(
      { kind: d.kind, url: split.url, query: d.query ?? null, maxBytes: d.maxBytes, allowRedirects: d.allowRedirects },
      secret,
    );
    return { target, ...(secret !== undefined ? { secret } : {}) };
  }

  /** A SQLite source's path through the host's file policy; other kinds' URLs as they are. */
  private async localFile<T extends { url: string }>(kind: Source['kind'], split: T): Promise<T> {
    if (kind !== 'sqlite' || /^[a-z][a-z0-9+.-]*:\/\//i.test(split.url)) return split;
    return { ...split, url: await this.deps.readablePath(split.url) };
  }

  private reach(): { signal: AbortSignal; timeoutMs: number } {
    return { signal: new AbortController().signal, timeoutMs: this.deps.timeoutMs ?? SOURCE_TIMEOUT_MS };
  }

  /** Runs `fn`; a failure's message comes back with the secret masked. */
  private async masked<T>(secret: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = toApiError(err);
      throw new CairnError(e.code, maskSecrets(e.message, [secret]), e.details);
    }
  }

  private view(s: StoredSource): Source {
    const dataset = this.deps.datasets.find(s.dataset);
    let nextRefreshAt: string | null = null;
    if (s.schedule) {
      try {
        nextRefreshAt = nextRuns(s.schedule, 1, this.now())[0]?.toISOString() ?? null;
      } catch {
        // Saved schedules were checked; a croner upgrade that reads one differently shows none.
      }
    }
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      url: s.url,
      query: s.query,
      schedule: s.schedule,
      nextRefreshAt,
      secretRef: s.secretRef,
      allowRedirects: s.allowRedirects,
      maxBytes: s.maxBytes,
      dataset: s.dataset,
      datasetId: dataset?.id ?? null,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      lastRefresh: this.deps.repo.refreshes(s.id, 1)[0] ?? null,
      refreshing: this.running.has(s.id),
    };
  }

  private changed(name: string, schedule = false): void {
    this.deps.events.emit('source.changed', { name });
    if (schedule) this.deps.scheduleChanged();
  }
}

/** The key of a source's secret in the SecretStore. */
export function secretKey(sourceId: string): string {
  return `source:${sourceId}`;
}

function secretRefOf(split: { password?: string; passwordEnv?: string }): string | null {
  if (split.passwordEnv !== undefined) return envRef(split.passwordEnv);
  return split.password !== undefined ? STORED : null;
}

function checkedSchedule(schedule: string): string {
  const s = schedule.trim();
  parseSchedule(s).stop();
  return s;
}

/** `fn` at most every PROGRESS_EVERY_MS. */
function throttled<T>(fn: (v: T) => void): (v: T) => void {
  let last = 0;
  return (v) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    fn(v);
  };
}
