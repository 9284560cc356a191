// Retraining with a champion/challenger decision. The champion is the version the policy's alias
// points at; the challenger is trained with the champion's recorded configuration on the newest
// version of its dataset (optionally with logged, labelled requests added as a new dataset
// version), or as the best trial of a small sweep around that configuration when the policy says
// so, then both are scored on the challenger run's test rows and the challenger takes the
// alias only if it beats the champion on the policy's metric by its margin. Every outcome,
// promoted, kept or failed, is recorded with its reason.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  CompareMetric,
  ImportRequest,
  RetrainDecision,
  RetrainPlan,
  RetrainTrigger,
  Run,
  RunRequest,
  SweepRequest,
} from '../../../shared/api.js';
import { improvement } from '../../../shared/metrics.js';
import { championParams, narrowedSpace } from '../../../shared/sweep/narrowed-space.js';
import type { ModelKind } from '../../../shared/sweep/parameters.js';
import { ident, literal } from '../datasets/duck.js';
import type { DatasetsRepo, StoredVersion } from '../db/datasets-repo.js';
import type { MonitoringRepo, NewDecision, StoredPolicy } from '../db/monitoring-repo.js';
import type { RegistryVersion } from '../db/registry-repo.js';
import type { RequestLogReader } from '../db/request-log-reader.js';
import { CairnError, toApiError } from '../errors.js';
import type { ModelRegistry } from '../registry/registry.js';
import { boostingOf, type BoostingParams } from '../training/gbdt/boosting-params.js';
import { answer, beats, heldOutMetrics } from './held-out.js';
import { cellOf, readRunRows, recordsOf, splitParamsOf } from './training-rows.js';

export interface RetrainDeps {
  registry: ModelRegistry;
  datasets: DatasetsRepo;
  repo: MonitoringRepo;
  home: string;
  work: string;
  connect: () => Promise<DuckDBConnection>;
  reader: () => RequestLogReader;
  /** Queues a training run; `ended` settles when it has finished (rejecting with its error). */
  startRun: (req: RunRequest) => { runId: string; ended: Promise<Run> };
  /** Starts a sweep (refusing what sweeps.start refuses); `ended` gives its best trial's run, or rejects when it failed. */
  startSweep: (req: SweepRequest) => Promise<{ sweepId: string; ended: Promise<Run> }>;
  importNow: (req: ImportRequest) => Promise<{ versionId: string; version: number; created: boolean }>;
  /**
   * The table the pipeline step that made training run `trainingRunId` would train on from version
   * `version` of dataset `name` (its preparation steps run again on that version), saved as a
   * dataset version.
   */
  pipelineTable: (trainingRunId: string, dataset: { name: string; version: number }) => Promise<{ versionId: string }>;
}

/** The user's dataset version a model learned from, and whether a pipeline prepared it into the table it trained on. */
export interface UserData {
  id: string;
  name: string;
  version: number;
  viaPipeline: boolean;
}

/**
 * What a run learned from, as the user knows it: a pipeline trains on a table of its own (split,
 * imputed...) that gets no new version when the user's data does, so its version is the one the
 * pipeline's dataset step read.
 */
export function userDataOf(run: NonNullable<RegistryVersion['run']>): UserData {
  return run.source && run.sourceVersionId
    ? { id: run.sourceVersionId, name: run.source.name, version: run.source.version, viaPipeline: true }
    : { id: run.datasetVersionId, name: run.datasetName, version: run.datasetVersion, viaPipeline: false };
}

export interface RetrainJob {
  model: string;
  trigger: RetrainTrigger;
  triggerDetail: string;
  policy: Pick<StoredPolicy, 'alias' | 'metric' | 'margin' | 'includeLabelledRequests' | 'mode' | 'sweepTrials'>;
}

/** A retrain under way: its run (or sweep), and the decision it ends with (never rejects). */
export interface RetrainHandle {
  runId: string | null;
  sweepId: string | null;
  championVersion: number | null;
  decided: Promise<RetrainDecision>;
}

/** What the champion's run recorded, as a request for the same training on another dataset version. */
export function runRequestFrom(champion: RegistryVersion, datasetVersionId: string): RunRequest {
  const run = champion.run;
  if (!run)
    throw new CairnError(
      'invalid_argument',
      `version ${champion.version} of "${champion.name}" was imported: it has no recorded training configuration to retrain with`,
    );
  const p = run.params as {
    model?: {
      kind?: RunRequest['model'];
      hiddenLayers?: RunRequest['hiddenLayers'];
      l2?: number;
      boosting?: Partial<BoostingParams>;
    };
    train?: {
      epochs?: number;
      batchSize?: number;
      learningRate?: number;
      optimizer?: RunRequest['optimizer'];
      classWeight?: RunRequest['classWeight'];
      earlyStopping?: RunRequest['earlyStopping'];
      seed?: number;
    };
    split?: { fractions?: RunRequest['split']; timeColumn?: string; splitColumn?: string };
    features?: string[];
  };
  const kind = (p.model?.kind ?? run.modelKind) as NonNullable<RunRequest['model']>;
  return {
    dataset: datasetVersionId,
    target: run.target,
    ...(run.task ? { task: run.task as 'classification' | 'regression' } : {}),
    ...(p.features?.length ? { features: p.features } : {}),
    model: kind,
    ...(kind === 'mlp' && p.model?.hiddenLayers ? { hiddenLayers: p.model.hiddenLayers } : {}),
    // The tree settings are recorded under the names the request uses.
    ...(kind === 'gbdt' && p.model?.boosting ? boostingOf(p.model.boosting) : {}),
    ...(p.model?.l2 !== undefined ? { l2: p.model.l2 } : {}),
    ...(p.train?.epochs !== undefined ? { epochs: p.train.epochs } : {}),
    ...(p.train?.batchSize !== undefined ? { batchSize: p.train.batchSize } : {}),
    ...(p.train?.learningRate !== undefined ? { learningRate: p.train.learningRate } : {}),
    ...(p.train?.optimizer ? { optimizer: p.train.optimizer } : {}),
    ...(p.train?.classWeight ? { classWeight: p.train.classWeight } : {}),
    ...(p.train?.earlyStopping ? { earlyStopping: p.train.earlyStopping } : {}),
    ...(p.train?.seed !== undefined ? { seed: p.train.seed } : {}),
    // A split column replaces fractions and a time column (the fractions it records are only its shares).
    ...(p.split?.splitColumn
      ? { splitColumn: p.split.splitColumn }
      : {
          ...(p.split?.fractions ? { split: p.split.fractions } : {}),
          ...(p.split?.timeColumn ? { timeColumn: p.split.timeColumn } : {}),
        }),
    modelName: champion.name,
  };
}

/**
 * A small sweep about the champion's settings (narrowed-space.ts) on the data and split a retrain
 * trains on, choosing by the policy's metric on the validation split, seeded as the champion was.
 */
export function sweepRequestFrom(req: RunRequest, policy: Pick<StoredPolicy, 'metric' | 'sweepTrials'>): SweepRequest {
  const model = req.model as ModelKind;
  return {
    dataset: req.dataset,
    target: req.target,
    ...(req.task ? { task: req.task } : {}),
    ...(req.features ? { features: req.features } : {}),
    ...(req.split ? { split: req.split } : {}),
    ...(req.timeColumn ? { timeColumn: req.timeColumn } : {}),
    ...(req.splitColumn ? { splitColumn: req.splitColumn } : {}),
    ...(req.modelName ? { modelName: req.modelName } : {}),
    model,
    space: narrowedSpace(model, championParams(req)),
    strategy: 'tpe',
    metric: policy.metric,
    trials: policy.sweepTrials,
    ...(req.seed !== undefined ? { seed: req.seed } : {}),
  };
}

export class Retrainer {
  constructor(private readonly deps: RetrainDeps) {}

  /** The newest version of a dataset that a user made (not one retraining derived), or undefined. */
  newestBase(datasetName: string): StoredVersion | undefined {
    const dataset = this.deps.datasets.find(datasetName);
    if (!dataset) return undefined;
    const derived = this.deps.repo.derivedDatasetVersionIds();
    return this.deps.datasets.versions(dataset.id).find((v) => !derived.has(v.id));
  }

  /** The champion's recorded run, the user's data it learned from, and the newest user version of that dataset. */
  private trainingSource(champion: RegistryVersion): {
    run: NonNullable<RegistryVersion['run']>;
    data: UserData;
    newest: StoredVersion;
  } {
    const run = champion.run;
    if (!run)
      throw new CairnError(
        'invalid_argument',
        `version ${champion.version} of "${champion.name}" was imported: it has no recorded training configuration to retrain with`,
      );
    const data = userDataOf(run);
    const newest = this.newestBase(data.name);
    if (!newest)
      throw new CairnError(
        'not_found',
        `dataset "${data.name}" that version ${champion.version} was trained on is gone`,
      );
    return { run, data, newest };
  }

  /**
   * What a retrain would train on against what the champion was: a retrain with the same dataset
   * version and the same labelled requests would build the champion again (same rows, same seed).
   */
  plan(model: string, policy: Pick<StoredPolicy, 'alias' | 'includeLabelledRequests'>): RetrainPlan {
    const champion = this.champion(model, policy.alias);
    const { data, newest } = this.trainingSource(champion);
    // A champion trained by a retrain with labelled requests was trained on a derived version.
    const derived = this.deps.repo.derivedFrom(data.id);
    const championBase = derived ? this.deps.datasets.version(derived.baseDatasetVersionId) : undefined;
    const championVersion = championBase?.version ?? data.version;
    const labelledInChampion = derived?.labelledRows ?? 0;
    const labelledAvailable = this.deps.reader().labelledCount(champion.name);
    const labelledToAdd = policy.includeLabelledRequests ? labelledAvailable : 0;
    const sameData = (championBase?.id ?? data.id) === newest.id;
    const nothingNew = sameData && labelledToAdd === labelledInChampion;
    const name = data.name;
    const requests = (n: number) => `${n} labelled request${n === 1 ? '' : 's'}`;
    const leftOut =
      !policy.includeLabelledRequests && labelledAvailable
        ? ` (the policy leaves out the model's ${requests(labelledAvailable)})`
        : '';
    const summary = nothingNew
      ? `nothing changed since version ${champion.version} was trained: the same version ${newest.version} of dataset "${name}" and ${labelledToAdd ? `the same ${requests(labelledToAdd)}` : 'no labelled requests'}${leftOut}; a retrain would build the same model again`
      : `a retrain would train on version ${newest.version} of dataset "${name}"${labelledToAdd ? ` plus ${requests(labelledToAdd)} (saved as a new dataset version)` : ''}${leftOut}; version ${champion.version} was trained on version ${championVersion}${labelledInChampion ? ` plus ${requests(labelledInChampion)}` : ''}`;
    return {
      model: champion.name,
      championVersion: champion.version,
      championDataset: { name, version: championVersion },
      newestDataset: { name, version: newest.version },
      labelledInChampion,
      labelledToAdd,
      labelledAvailable,
      nothingNew,
      summary,
    };
  }

  /** The version the policy's alias points at, else the model's latest. */
  champion(model: string, alias: string): RegistryVersion {
    try {
      return this.deps.registry.resolve({ name: model, alias });
    } catch (err) {
      if (err instanceof CairnError && err.code === 'not_found' && err.details?.alias)
        return this.deps.registry.resolve({ name: model });
      throw err;
    }
  }

  /**
   * Starts a retrain: prepares the data, queues the run, and decides once it has trained. The
   * handle comes back as soon as the run is queued (or the retrain failed before it).
   */
  async start(job: RetrainJob): Promise<RetrainHandle> {
    const { policy } = job;
    const base: Omit<NewDecision, 'outcome' | 'reason' | 'at' | 'promoted'> = {
      model: job.model,
      trigger: job.trigger,
      triggerDetail: job.triggerDetail,
      alias: policy.alias,
      metric: policy.metric,
      margin: policy.margin,
      runId: null,
      sweepId: null,
      dataset: null,
      labelledRowsAdded: 0,
      heldOutRows: 0,
      champion: null,
      challenger: null,
      baseDatasetVersionId: null,
      derivedDatasetVersionId: null,
    };
    const fail = (d: typeof base, err: unknown): RetrainDecision =>
      this.deps.repo.addDecision({
        ...d,
        outcome: 'failed',
        promoted: false,
        reason: toApiError(err).message,
        at: new Date().toISOString(),
      });
    let champion: RegistryVersion;
    let challengerRun: Promise<Run>;
    try {
      champion = this.champion(job.model, policy.alias);
      base.model = champion.name;
      base.champion = { version: champion.version, metrics: {} };
      const { data, newest } = this.trainingSource(champion);
      let trainOn = newest;
      base.baseDatasetVersionId = newest.id;
      if (policy.includeLabelledRequests) {
        const derived = await this.withLabelledRequests(champion, data.name, newest);
        if (derived) {
          trainOn = derived.version;
          base.derivedDatasetVersionId = derived.version.id;
          base.labelledRowsAdded = derived.added;
        }
      }
      base.dataset = { name: data.name, version: trainOn.version };
      // With no alias yet, the bare name means the latest version: the challenger would be served
      // before it has won. Pinning the champion first keeps what is served until a decision.
      if (!this.deps.registry.aliasesAt(champion).some((a) => a.toLowerCase() === policy.alias.toLowerCase()))
        this.deps.registry.setAlias(
          champion.name,
          policy.alias,
          champion.version,
          'pinned before retraining, so a challenger is served only once it wins',
        );
      // A pipeline's model learns from its own preparation of the new version, as a rerun would give it.
      const table = data.viaPipeline
        ? (await this.deps.pipelineTable(champion.runId as string, { name: data.name, version: trainOn.version }))
            .versionId
        : trainOn.id;
      const request = runRequestFrom(champion, table);
      if (policy.mode === 'sweep') {
        const sweep = await this.deps.startSweep(sweepRequestFrom(request, policy));
        base.sweepId = sweep.sweepId;
        challengerRun = sweep.ended;
      } else {
        const started = this.deps.startRun(request);
        base.runId = started.runId;
        challengerRun = started.ended;
      }
    } catch (err) {
      return {
        runId: null,
        sweepId: null,
        championVersion: base.champion?.version ?? null,
        decided: Promise.resolve(fail(base, err)),
      };
    }
    const decided = challengerRun.then(
      (run) => {
        // A sweep's challenger is its best trial: known only now.
        const d = { ...base, runId: run.id };
        return this.decide(d, champion, run).catch((err: unknown) => fail(d, err));
      },
      (err: unknown) => fail(base, err),
    );
    return { runId: base.runId, sweepId: base.sweepId, championVersion: champion.version, decided };
  }

  /** Scores champion and challenger on the challenger's test rows and moves the alias if the challenger wins. */
  private async decide(
    base: Omit<NewDecision, 'outcome' | 'reason' | 'at' | 'promoted'>,
    champion: RegistryVersion,
    run: Run,
  ): Promise<RetrainDecision> {
    if (!run.model) throw new CairnError('internal', 'the retraining run saved no model version');
    const challenger = this.deps.registry.resolve({ name: run.model.name, version: run.model.version });
    const d = { ...base, challenger: { version: challenger.version, metrics: {} } };
    const split = splitParamsOf(run);
    const stored = this.deps.datasets.version(run.datasetVersionId);
    if (!split || !stored) throw new CairnError('internal', 'the retraining run recorded no split to evaluate on');
    const { loadArtifacts } = await import('../training/artifacts.js');
    const { selectBackend } = await import('../training/backend.js');
    await selectBackend();
    const loaded = [
      await loadArtifacts(this.deps.registry.dirOf(champion), champion.sha256),
      await loadArtifacts(this.deps.registry.dirOf(challenger), challenger.sha256),
    ];
    try {
      const columns = [...new Set(loaded.flatMap((a) => a.preprocess.features.map((f) => f.column)))];
      const conn = await this.deps.connect();
      let rows;
      try {
        rows = await readRunRows(
          conn,
          path.join(this.deps.home, stored.dataFile),
          this.deps.datasets.profile(stored.id),
          columns,
          split,
        );
      } finally {
        conn.closeSync();
      }
      const test = rows.splits.test;
      const target = rows.data.columns.get(split.target);
      if (!target) throw new CairnError('internal', `the data has no target column "${split.target}"`);
      // Test rows all have a target (splits leave out rows without one).
      const truth = Array.from(test, (r) =>
        split.task === 'classification' ? String(cellOf(target, r)) : (cellOf(target, r) as number),
      );
      const records = recordsOf(rows.data, test, columns);
      let championAnswers;
      try {
        championAnswers = await answer(loaded[0]!, records);
      } catch (err) {
        throw new CairnError(
          'invalid_argument',
          `the champion (version ${champion.version}) cannot score the new data: ${toApiError(err).message}`,
        );
      }
      const [championScores, challengerScores] = heldOutMetrics(truth, [
        championAnswers,
        await answer(loaded[1]!, records),
      ]) as [Record<string, number>, Record<string, number>];
      const scored = {
        ...d,
        heldOutRows: test.length,
        champion: { version: champion.version, metrics: championScores },
        challenger: { version: challenger.version, metrics: challengerScores },
      };
      return this.conclude(scored, champion, challenger);
    } finally {
      for (const a of loaded) a.dispose();
    }
  }

  private conclude(
    d: Omit<NewDecision, 'outcome' | 'reason' | 'at' | 'promoted'>,
    champion: RegistryVersion,
    challenger: RegistryVersion,
  ): RetrainDecision {
    const metric: CompareMetric = d.metric;
    const a = d.champion?.metrics[metric];
    const b = d.challenger?.metrics[metric];
    if (typeof a !== 'number' || typeof b !== 'number')
      throw new CairnError('internal', `no ${metric} for both versions`);
    const gain = improvement(metric, a, b);
    const fmt = (x: number) => String(Number(x.toPrecision(4)));
    const versus = `${metric} ${fmt(b)} against ${fmt(a)} on the same ${d.heldOutRows} held-out rows${this.trainedOn(d)}`;
    const at = new Date().toISOString();
    const which = `version ${challenger.version}${d.sweepId ? ` (the best trial of sweep ${d.sweepId.slice(0, 8)} around version ${champion.version}'s settings)` : ''}`;
    if (beats(gain, d.margin)) {
      const reason = `${which} beat version ${champion.version}: ${versus} (better by ${fmt(gain)}, margin ${fmt(d.margin)})`;
      this.deps.registry.setAlias(challenger.name, d.alias, challenger.version, `retrain (${d.trigger}): ${reason}`);
      return this.deps.repo.addDecision({ ...d, outcome: 'promoted', promoted: true, reason, at });
    }
    const reason =
      gain > 0
        ? `${which} was better by ${fmt(gain)}, less than the margin of ${fmt(d.margin)}: ${versus}; version ${champion.version} keeps ${d.alias}`
        : `${which} did not beat version ${champion.version}: ${versus}; version ${champion.version} keeps ${d.alias}`;
    return this.deps.repo.addDecision({ ...d, outcome: 'kept', promoted: false, reason, at });
  }

  /** Says what the challenger was trained on when labelled requests made a new dataset version. */
  private trainedOn(d: Omit<NewDecision, 'outcome' | 'reason' | 'at' | 'promoted'>): string {
    if (!d.labelledRowsAdded || !d.dataset || !d.baseDatasetVersionId) return '';
    const base = this.deps.datasets.version(d.baseDatasetVersionId);
    return ` (trained on new version ${d.dataset.version} of dataset "${d.dataset.name}": version ${base?.version ?? '?'} plus ${d.labelledRowsAdded} labelled request${d.labelledRowsAdded === 1 ? '' : 's'})`;
  }

  /**
   * A new version of the dataset: `base` plus the model's logged predictions that received a
   * label, their inputs as the columns and the label as the target. Undefined when none have.
   */
  private async withLabelledRequests(
    champion: RegistryVersion,
    datasetName: string,
    base: StoredVersion,
  ): Promise<{ version: StoredVersion; added: number } | undefined> {
    const run = champion.run as NonNullable<RegistryVersion['run']>;
    const labelled = this.deps.reader().labelled(champion.name);
    if (!labelled.length) return undefined;
    const profile = this.deps.datasets.profile(base.id);
    const dir = path.join(this.deps.work, `retrain-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    try {
      const lines = labelled.map(({ inputJson, labelJson }) => {
        const input = JSON.parse(inputJson) as Record<string, unknown>;
        const row: Record<string, string | null> = {};
        for (const c of profile) {
          const v = c.name === run.target ? (JSON.parse(labelJson) as unknown) : input[c.name];
          row[c.name] = v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
        }
        return JSON.stringify(row);
      });
      const ndjson = path.join(dir, 'labelled.ndjson');
      await writeFile(ndjson, `${lines.join('\n')}\n`);
      const columns = `{${profile.map((c) => `${literal(c.name)}: 'VARCHAR'`).join(', ')}}`;
      const casts = profile.map((c) => `TRY_CAST(${ident(c.name)} AS ${c.storageType}) AS ${ident(c.name)}`).join(', ');
      const out = path.join(dir, 'data.parquet');
      const conn = await this.deps.connect();
      try {
        await conn.run(
          `COPY (SELECT * FROM read_parquet(${literal(path.join(this.deps.home, base.dataFile))})
             UNION ALL BY NAME SELECT ${casts} FROM read_json(${literal(ndjson)}, format = 'newline_delimited', columns = ${columns}))
           TO ${literal(out)} (FORMAT parquet)`,
        );
      } finally {
        conn.closeSync();
      }
      const imported = await this.deps.importNow({
        path: out,
        name: datasetName,
        badRows: 'fail',
        removeSourceAfter: false,
        originalName: `${datasetName} v${base.version} + ${labelled.length} labelled requests`,
      });
      const version = this.deps.datasets.version(imported.versionId);
      if (!version) throw new CairnError('internal', 'the dataset version with labelled requests was not recorded');
      return { version, added: labelled.length };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
