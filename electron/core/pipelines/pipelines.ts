// The pipelines part of the contract: saved pipelines and their versions, validation, templates,
// runs. The service holds one and routes the pipelines.* methods here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MethodArg, MethodResult, PipelineRun, PipelineSummary } from '../../../shared/api.js';
import {
  PipelineSpec,
  validatePipeline,
  type NodeParams,
  type PipelineIssue,
  type PipelineNode,
} from '../../../shared/pipeline.js';
import { DEFAULT_SPACES } from '../../../shared/sweep/default-spaces.js';
import type { PipelinesRepo, StoredPipelineVersion } from '../db/pipelines-repo.js';
import { CairnError } from '../errors.js';
import { hashOf } from './canonical.js';
import type { PipelineHost } from './host.js';
import { distributionsOf } from '../sweeps/distributions.js';
import { createSampler } from '../sweeps/strategies.js';
import { dataKindIssues } from './data-kind-issues.js';
import { invalidPipeline } from './issues.js';
import { looksLikePath } from './kinds/dataset.js';
import { pipelineRulePrefix } from './kinds/monitor.js';
import type { PipelineRunner } from './pipeline-runner.js';
import { fromTemplate, TEMPLATES } from './templates.js';

export interface PipelinesOptions {
  repo: PipelinesRepo;
  runner: PipelineRunner;
  host: PipelineHost;
  /** A pipeline was saved or deleted. */
  changed(id: string): void;
  newId(): string;
}

export class Pipelines {
  constructor(private readonly o: PipelinesOptions) {}

  list(): PipelineSummary[] {
    return this.o.repo.list();
  }

  /** A pipeline by id or name; not_found otherwise. */
  find(ref: string): PipelineSummary {
    const p = this.o.repo.find(ref);
    if (!p) throw new CairnError('not_found', `no pipeline named or with id "${ref}"`);
    return p;
  }

  private version(p: PipelineSummary, version?: number): StoredPipelineVersion {
    const v = this.o.repo.version(p.id, version ?? p.latestVersion);
    if (!v)
      throw new CairnError(
        'not_found',
        `pipeline "${p.name}" has no version ${String(version)} (its latest is ${p.latestVersion})`,
      );
    return v;
  }

  get({ id, version }: MethodArg<'pipelines.get'>): MethodResult<'pipelines.get'> {
    const p = this.find(id);
    const v = this.version(p, version);
    return {
      pipeline: p,
      version: v.version,
      spec: PipelineSpec.parse(JSON.parse(v.specJson)),
      versions: this.o.repo.versions(p.id).map(({ specJson: _s, baseDir: _b, pipelineId: _p, ...info }) => info),
    };
  }

  /** Saves a spec as a new version, a draft if it has problems (see the contract); `baseDir` for files run from the command line. */
  save(arg: MethodArg<'pipelines.save'>, baseDir: string | null = null): MethodResult<'pipelines.save'> {
    const checked = validatePipeline(arg.spec);
    // Stored as written (defaults not filled in), so the saved file diffs like the one the user wrote.
    const shape = PipelineSpec.safeParse(arg.spec);
    if (!shape.success) throw invalidPipeline(checked.ok ? [] : checked.issues);
    const spec = shape.data;
    const issues = checked.ok ? [] : checked.issues;
    const existing = arg.id ? this.find(arg.id) : undefined;
    const named = this.o.repo.find(spec.name);
    if (named && named.id !== existing?.id && named.name.toLowerCase() === spec.name.toLowerCase()) {
      throw new CairnError(
        'conflict',
        `a pipeline named "${named.name}" exists already${existing ? '' : ': open it to save a new version, or choose another name'}`,
        {
          field: 'name',
          id: named.id,
        },
      );
    }
    const id = existing?.id ?? this.o.newId();
    const saved = this.o.repo.save(
      {
        id,
        create: !existing,
        name: spec.name,
        specJson: JSON.stringify(spec),
        specHash: hashOf(spec),
        baseDir,
        message: arg.message,
      },
      new Date().toISOString(),
    );
    if (saved.created || !existing) this.o.changed(id);
    return { pipeline: this.find(id), version: saved.version, created: saved.created, issues };
  }

  /**
   * The file's own rules, then that the datasets it names exist and fit the steps they feed (pictures
   * straight into a CNN's train step, tables through a split), and that a sweep's grid can be enumerated.
   */
  validate(spec: unknown): PipelineIssue[] {
    const checked = validatePipeline(spec);
    if (!checked.ok) return checked.issues;
    const issues: PipelineIssue[] = [];
    for (const node of checked.spec.nodes) {
      if (node.kind === 'sweep') issues.push(...sweepGridIssues(node));
      if (node.kind !== 'dataset') continue;
      const ref = typeof node.params.dataset === 'string' ? node.params.dataset.trim() : '';
      const version = node.params.version as number | undefined;
      // A file resolves against the pipeline file's folder at run time: nothing to check here.
      if (looksLikePath(ref)) continue;
      const source = typeof node.params.source === 'string' ? node.params.source.trim() : '';
      if (source) {
        const feeds = this.o.host.sourceDataset(source);
        if (feeds === undefined) {
          issues.push({ nodeId: node.id, field: 'source', message: `no source named "${source}"` });
          continue;
        }
        if (feeds.toLowerCase() !== ref.toLowerCase()) {
          issues.push({
            nodeId: node.id,
            field: 'source',
            message: `source "${source}" feeds dataset "${feeds}", not "${ref}"`,
          });
          continue;
        }
        // Its first refresh, when the pipeline runs, makes the dataset.
        if (node.params.refresh !== 'latest' && !this.o.host.findDataset(ref)) continue;
      }
      if (!this.o.host.findDataset(ref))
        issues.push({ nodeId: node.id, field: 'dataset', message: `no dataset named "${ref}"` });
      else if (version !== undefined && !this.o.host.findDataset(ref, version))
        issues.push({ nodeId: node.id, field: 'version', message: `dataset "${ref}" has no version ${version}` });
    }
    return [...issues, ...dataKindIssues(checked.spec, this.o.host)];
  }

  delete(ref: string): boolean {
    const p = this.find(ref);
    if (this.o.runner.isRunning(p.id) || this.o.repo.hasOpenRun(p.id))
      throw new CairnError('conflict', `pipeline "${p.name}" is running: cancel its run first`);
    const deleted = this.o.repo.delete(p.id);
    if (deleted) {
      // Alert rules its monitor steps set go with it; rules made in the app, and the models' retrain
      // policies (one per model, perhaps edited since), stay.
      const made = pipelineRulePrefix(p.id);
      for (const rule of this.o.host.alertRules()) if (rule.id.startsWith(made)) this.o.host.deleteAlertRule(rule.id);
      this.o.changed(p.id);
    }
    return deleted;
  }

  templates(): MethodResult<'pipelines.templates'> {
    return [...TEMPLATES];
  }

  fromTemplate(req: MethodArg<'pipelines.fromTemplate'>): MethodResult<'pipelines.fromTemplate'> {
    return fromTemplate(req);
  }

  run({ id, version }: MethodArg<'pipelines.run'>): { runId: string } {
    const p = this.find(id);
    const { runId } = this.o.runner.start(this.version(p, version), p.name);
    return { runId };
  }

  /** Saves a pipeline file as a version of the pipeline it names (its folder anchoring relative paths), runs it and waits. */
  async runFile(file: string): Promise<PipelineRun> {
    const resolved = path.resolve(file);
    let text: string;
    try {
      text = await readFile(resolved, 'utf8');
    } catch (err) {
      throw new CairnError(
        'not_found',
        `cannot read ${resolved}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    let spec: unknown;
    try {
      spec = JSON.parse(text);
    } catch (err) {
      // JSON.parse quotes the text around the error; the message names the file and line only.
      const at = /at position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
      const line = at === undefined ? undefined : text.slice(0, Number(at)).split('\n').length;
      throw new CairnError(
        'invalid_argument',
        `${path.basename(resolved)}${line ? `, line ${line}` : ''} is not JSON: fix it, or write it with \`cairn pipelines new\``,
        line ? { file: path.basename(resolved), line } : { file: path.basename(resolved) },
      );
    }
    const checked = validatePipeline(spec);
    if (!checked.ok) throw invalidPipeline(checked.issues, path.basename(resolved));
    // A model kind its data cannot train, before anything runs or is saved.
    const misfits = dataKindIssues(checked.spec, this.o.host);
    if (misfits.length) throw invalidPipeline(misfits, path.basename(resolved));
    const existing = this.o.repo.find(checked.spec.name);
    const saved = this.save(
      { ...(existing ? { id: existing.id } : {}), spec, message: `run from ${resolved}` },
      path.dirname(resolved),
    );
    const { done } = this.o.runner.start(this.version(saved.pipeline, saved.version), saved.pipeline.name);
    return done;
  }

  runs(pipelineRef?: string): MethodResult<'pipelines.runs'> {
    return this.o.repo.runs(pipelineRef ? this.find(pipelineRef).id : undefined);
  }

  runGet(runId: string): PipelineRun {
    const run = this.o.repo.run(runId);
    if (!run) throw new CairnError('not_found', `no pipeline run with id ${runId}`);
    const live = this.o.runner.progress(runId);
    return live.size
      ? {
          ...run,
          steps: run.steps.map((s) => (live.has(s.nodeId) ? { ...s, progress: live.get(s.nodeId) ?? null } : s)),
        }
      : run;
  }

  cancel(runId: string): boolean {
    if (!this.o.repo.runSummary(runId)) throw new CairnError('not_found', `no pipeline run with id ${runId}`);
    return this.o.runner.cancel(runId);
  }
}

/** A grid sweep over a range without a step or count (or too large to finish), as sweeps.start refuses it. */
function sweepGridIssues(node: PipelineNode): PipelineIssue[] {
  const p = node.params as unknown as NodeParams['sweep'];
  if (p.strategy !== 'grid') return [];
  try {
    createSampler('grid', distributionsOf(p.model, p.space ?? DEFAULT_SPACES[p.model]), p.seed);
    return [];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [{ nodeId: node.id, field: p.space ? 'space' : 'strategy', message }];
  }
}
