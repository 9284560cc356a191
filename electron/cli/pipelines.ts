// `cairn pipelines new|list` and `cairn run`: pipeline files from templates, and running them
// headless with per-step progress on stderr. `cairn run` exits 0 when the pipeline succeeds, 2
// when an evaluate gate is not met, 1 on any other error.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { PipelineRun, PipelineStep } from '../../shared/api.js';
import { TEMPLATES } from '../core/pipelines/template-list.js';
import { shellFiles } from '../core/file-access.js';
import { looksLikePath } from '../core/pipelines/kinds/source-ref.js';
import { addFleetOptions, addListCommand, connectFleet, print, withService, type FleetOptions } from './common.js';
import { CliExit, sayData, table, warn } from './output.js';

/** The exit code of a finished pipeline run. */
export function runExitCode(run: Pick<PipelineRun, 'status'>): number {
  if (run.status === 'succeeded') return 0;
  return run.status === 'gate_failed' ? 2 : 1;
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** One line on what a step produced or why it did not. */
function stepDetail(s: PipelineStep): string {
  if (s.error) return s.error.message;
  if (s.reason) return s.reason;
  const o = s.output;
  if (!o) return '';
  const parts: string[] = [];
  if (o.dataset) parts.push(`${o.dataset.name} v${o.dataset.version}`);
  if (o.table) parts.push(`${o.table.rowCount} rows × ${o.table.columns.length} columns`);
  if (o.table?.parts)
    parts.push(`train ${o.table.parts.train} / validation ${o.table.parts.validation} / test ${o.table.parts.test}`);
  if (o.sweep)
    parts.push(
      `sweep ${o.sweep.id.slice(0, 8)}: ${o.sweep.trials} trials${o.sweep.bestValue === null ? '' : `, best validation ${o.sweep.metric} ${fmt(o.sweep.bestValue)}`}`,
    );
  if (o.runId) parts.push(`${o.sweep ? 'best ' : ''}run ${o.runId.slice(0, 8)}`);
  if (o.model) parts.push(`${o.model.name}:${o.model.version}${o.model.alias ? ` @${o.model.alias}` : ''}`);
  if (o.gates?.length) parts.push(o.gates.map((g) => `${g.gate} ${g.passed ? 'met' : 'NOT met'}`).join(', '));
  else if (o.metrics) {
    const shown = Object.entries(o.metrics)
      .filter(([k]) => k !== 'rows' && k !== 'unknown_class_rows')
      .slice(0, 3);
    parts.push(shown.map(([k, v]) => `${k} ${fmt(v)}`).join(', '));
  }
  if (o.endpoint) parts.push(o.endpoint.url);
  if (o.monitoring)
    parts.push(o.monitoring.rules.length ? o.monitoring.rules.map((r) => r.line).join(', ') : 'no alert rules');
  return parts.join('; ');
}

/** What `cairn run --json` prints per step: its status, whether it was cached, and its metrics. */
function stepJson(s: PipelineStep) {
  return {
    id: s.nodeId,
    kind: s.kind,
    status: s.state,
    cached: s.cached,
    metrics: s.output?.metrics ?? null,
    ...(s.output?.gates ? { gates: s.output.gates } : {}),
    ...(s.output?.sweep ? { sweep: s.output.sweep } : {}),
    ...(s.output?.runId ? { trainingRun: s.output.runId } : {}),
    ...(s.output?.model ? { model: s.output.model } : {}),
    ...(s.output?.endpoint ? { endpoint: s.output.endpoint.url } : {}),
    ...(s.output?.monitoring
      ? {
          alertRules: s.output.monitoring.rules.map((r) => ({ id: r.id, rule: r.line })),
          retrainPolicy: s.output.monitoring.policy,
        }
      : {}),
    ...(s.output?.table ? { rows: s.output.table.rowCount } : {}),
    error: s.error?.message ?? null,
    reason: s.reason,
  };
}

function runText(run: PipelineRun): string {
  const rows = run.steps.map((s) => [s.nodeId, s.kind, s.state, stepDetail(s)]);
  const outcome = {
    succeeded: 'succeeded',
    gate_failed: 'failed: a gate was not met',
    failed: 'failed',
    cancelled: 'cancelled',
    interrupted: 'interrupted',
    queued: 'queued',
    running: 'running',
  }[run.status];
  return [
    table(['step', 'kind', 'state', 'detail'], rows),
    '',
    `Pipeline ${run.pipelineName} version ${run.version}: ${outcome} (run ${run.id}).`,
  ].join('\n');
}

/** Progress lines on stderr: each step's state changes, and a running step's progress every quarter. */
function progressPrinter(total: () => number): (s: PipelineStep) => void {
  const seen = new Map<string, { state: string; quarter: number }>();
  const order: string[] = [];
  return (s) => {
    if (!order.includes(s.nodeId)) order.push(s.nodeId);
    const before = seen.get(s.nodeId);
    const quarter = s.progress ? Math.floor(s.progress.fraction * 4) : -1;
    const changed = before?.state !== s.state;
    if (!changed && !(s.progress && quarter > (before?.quarter ?? -1))) return;
    seen.set(s.nodeId, { state: s.state, quarter: changed ? -1 : quarter });
    const label = s.state === 'running' && s.progress && !changed ? s.progress.label : s.state;
    const detail = s.state === 'running' ? '' : stepDetail(s);
    warn(`[${order.indexOf(s.nodeId) + 1}/${total()}] ${s.nodeId}: ${label}${detail ? ` (${detail})` : ''}\n`);
  };
}

const collect = (v: string, all: string[]) => [...all, v];

/** Adds `pipelines new`, `pipelines list` and `run` to the program. */
export function addPipelineCommands(program: Command): void {
  const pipelines = program
    .command('pipelines')
    .description('pipeline files: make one from a template, list saved ones');

  pipelines
    .command('new')
    .description('write a pipeline file from a template (to stdout without --out)')
    .requiredOption('--template <name>', TEMPLATES.map((t) => t.id).join(' or '))
    .requiredOption('--dataset <path-or-name>', 'a dataset name, or a CSV / Parquet file')
    .requiredOption('--target <column>', 'the column to predict')
    .option(
      '--gate <expr>',
      'a gate the evaluation must meet, e.g. "accuracy >= 0.9" (repeatable; default: the template\'s)',
      collect,
      [],
    )
    .option('--name <name>', "the pipeline's name (default: from the dataset and template)")
    .option('--out <file>', 'write the pipeline here instead of stdout (its folder must exist)')
    .option('--force', 'with --out: replace the file if it exists')
    .action(
      async (o: {
        template: string;
        dataset: string;
        target: string;
        gate: string[];
        name?: string;
        out?: string;
        force?: boolean;
      }) => {
        const template = TEMPLATES.find((t) => t.id === o.template);
        if (!template)
          throw new Error(`--template must be ${TEMPLATES.map((t) => t.id).join(' or ')}, not "${o.template}"`);
        let dataset = o.dataset;
        // A file path is written relative to the pipeline file, which is where `cairn run` resolves it.
        if (o.out && looksLikePath(dataset) && existsSync(dataset) && statSync(dataset).isFile()) {
          dataset = path
            .relative(path.dirname(path.resolve(o.out)), path.resolve(dataset))
            .split(path.sep)
            .join('/');
        }
        // The builder validates the pipeline with the contract's schemas: loaded only here.
        const { fromTemplate } = await import('../core/pipelines/templates.js');
        const spec = fromTemplate({
          template: template.id,
          dataset,
          target: o.target,
          ...(o.gate.length ? { gates: o.gate } : {}),
          ...(o.name ? { name: o.name } : {}),
        });
        const text = `${JSON.stringify(spec, null, 2)}\n`;
        if (!o.out) {
          sayData(text);
          return;
        }
        // The same rules as the service's outputs: an existing folder, and no replacing unasked.
        const target = await shellFiles().writable(o.out, { overwrite: Boolean(o.force) });
        writeFileSync(target.path, text, { flag: target.overwrite ? 'w' : 'wx' });
        warn(`Wrote ${o.out} (${spec.nodes.length} steps). Run it with: cairn run ${o.out}\n`);
      },
    );

  addListCommand(program, pipelines, {
    method: 'pipelines.list',
    description: 'pipelines saved in the data folder (from the app, or run from a file)',
    empty:
      'No pipelines yet. Make one with: cairn pipelines new --template tabular-classification --dataset FILE --target COL --out pipeline.json',
    headers: ['name', 'versions', 'updated', 'last run'],
    row: (p) => [
      p.name,
      p.versionCount,
      p.updatedAt.slice(0, 19).replace('T', ' '),
      p.lastRun ? `${p.lastRun.status} (v${p.lastRun.version})` : '-',
    ],
  });

  addFleetOptions(program.command('run <pipeline>'))
    .description(
      'run a pipeline file headless: exit 0 when it succeeds, 2 when a gate is not met, 1 on any other error',
    )
    .option('--json', "print each step's status, whether it was cached, and its metrics as JSON")
    .action(async (file: string, o: FleetOptions & { json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        await connectFleet(s, o);
        let steps = 0;
        const show = progressPrinter(() => steps);
        const unsubscribe = s.events.subscribe((event, payload) => {
          if (event === 'pipeline.run')
            steps = Object.values((payload as { counts: Record<string, number> }).counts).reduce((a, b) => a + b, 0);
          if (event === 'pipeline.step') show(payload as PipelineStep);
        });
        let run: PipelineRun;
        try {
          run = await s.invoke('pipelines.runFile', { path: file });
        } finally {
          unsubscribe();
        }
        print(
          Boolean(o.json),
          {
            run: run.id,
            pipeline: run.pipelineName,
            version: run.version,
            status: run.status,
            error: run.error?.message ?? null,
            steps: run.steps.map(stepJson),
          },
          () => runText(run),
        );
        const code = runExitCode(run);
        if (code !== 0) {
          warn(`cairn: ${run.error?.message ?? run.status}\n`);
          throw new CliExit(code);
        }
      });
    });
}
