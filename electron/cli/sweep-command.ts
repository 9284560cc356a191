// `cairn sweep <dataset|file|folder> [--target COL] ...`: a hyperparameter sweep, each trial a training
// run, progress on stderr (trials done, best so far) and the sweep with its best run at the end;
// `cairn sweeps list|show|resume`. A sweep whose every trial failed exits 1 after printing.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { MethodInput, Run, Sweep, SweepProgress, SweepSummary } from '../../shared/api.js';
import type { CairnService } from '../core/service.js';
import {
  addFleetOptions,
  addListCommand,
  chosenModel,
  connectFleet,
  datasetOf,
  parseNumber,
  print,
  SWEEP_MODELS,
  targetOf,
  withService,
  type FleetOptions,
} from './common.js';
import { CliExit, table, warn } from './output.js';

interface SweepOptions extends FleetOptions {
  target?: string;
  model?: string;
  space?: string;
  strategy?: string;
  stopping?: string;
  trials?: number;
  seconds?: number;
  parallel?: number;
  metric?: string;
  seed?: number;
  json?: boolean;
}

/** Scalar scores of a run's split as the JSON shows them; {} when it has none. */
function scores(run: Run | undefined, split: 'test' | 'validation'): Record<string, number | null> {
  const found = run?.metrics?.[split] as Record<string, unknown> | undefined;
  return Object.fromEntries(
    Object.entries(found ?? {}).filter(
      (e): e is [string, number | null] => (typeof e[1] === 'number' || e[1] === null) && e[0] !== 'rows',
    ),
  );
}

/** The documented `--json` shape: the trials, and the best by validation with its test scores and model. */
function sweepJson(sweep: Sweep, best: Run | undefined) {
  const bestTrial = sweep.trials.find((t) => t.runId !== null && t.runId === sweep.bestRunId);
  return {
    sweep: sweep.id,
    status: sweep.status,
    metric: sweep.metric,
    trials: sweep.trials.map((t) => ({
      run: t.runId,
      status: t.status,
      params: t.params,
      validation: t.validation ?? {},
    })),
    best:
      best && bestTrial
        ? {
            run: best.id,
            params: bestTrial.params,
            validation: scores(best, 'validation'),
            test: scores(best, 'test'),
            model: best.model,
          }
        : null,
  };
}

function sweepText(sweep: Sweep): string {
  const value = (v: number | null) => (v === null ? '' : v.toFixed(4));
  const names = [...new Set(sweep.trials.flatMap((t) => Object.keys(t.params)))];
  const rows = sweep.trials.map((t) => [
    t.number,
    t.status,
    value(t.value),
    ...names.map((n) => (t.params[n] === undefined ? '' : String(t.params[n]))),
    t.error?.message ?? '',
  ]);
  const best = sweep.trials.find((t) => t.runId === sweep.bestRunId);
  return [
    `Sweep ${sweep.id} (${sweep.status}): ${sweep.model} on ${sweep.datasetName}@${sweep.datasetVersion} → ${sweep.target}, ${sweep.strategy}, ${sweep.trialsDone} trials done, by validation ${sweep.metric}.`,
    ...(sweep.error ? [`error: ${sweep.error.message}`] : []),
    ...sweep.notes.map((n) => `note: ${n}`),
    '',
    table(['trial', 'status', `val ${sweep.metric}`, ...names, 'why'], rows),
    '',
    best
      ? `Best: trial ${best.number}, run ${best.runId}, validation ${sweep.metric} ${value(best.value)}`
      : 'No best trial.',
  ].join('\n');
}

/** "trial 3 complete (0.9667); 4/20 done, best accuracy 0.9667" for each trial that ends. */
function progressLine(p: SweepProgress): string | undefined {
  const t = p.trial;
  if (!t || t.status === 'running') return undefined;
  const value = t.value === null ? '' : ` (${t.value.toFixed(4)})`;
  const why = t.status === 'failed' && t.error ? `: ${t.error.message}` : '';
  const budget = p.budget.trials === null ? '' : `/${p.budget.trials}`;
  const best = p.bestValue === null ? 'no best yet' : `best ${p.metric} ${p.bestValue.toFixed(4)}`;
  return `trial ${t.number} ${t.status}${value}${why}; ${p.trialsDone}${budget} done, ${best}\n`;
}

/**
 * Runs `go` (a sweep that waits for its end) with its progress on stderr, then prints it. The
 * sweep's notes (parallel trials lowered to fit in memory...) go to stderr as it starts, and any
 * added later as it ends.
 */
async function runAndPrint(s: CairnService, json: boolean, go: () => Promise<Sweep>): Promise<void> {
  let noted = 0;
  const note = (sweep: Sweep) => {
    for (const n of sweep.notes.slice(noted)) warn(`note: ${n}\n`);
    noted = Math.max(noted, sweep.notes.length);
  };
  let first: Promise<void> | undefined;
  const unsubscribe = s.events.subscribe((event, payload) => {
    if (event !== 'sweep.progress') return;
    const p = payload as SweepProgress;
    first ??= s.invoke('sweeps.get', { sweepId: p.sweepId }).then(note, () => undefined);
    const line = progressLine(p);
    if (line) warn(line);
  });
  let sweep: Sweep;
  try {
    sweep = await go();
  } finally {
    unsubscribe();
  }
  await first;
  note(sweep);
  await printSweep(s, sweep, json);
  if (sweep.status === 'failed') throw new CliExit(1);
}

async function printSweep(s: CairnService, sweep: Sweep, json: boolean): Promise<void> {
  const best = sweep.bestRunId ? await s.invoke('runs.get', { runId: sweep.bestRunId }) : undefined;
  print(json, sweepJson(sweep, best), () => sweepText(sweep));
}

function readSpace(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the space file ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`the space file ${file} is not JSON: ${(err as Error).message}`);
  }
}

export function addSweepCommands(program: Command): void {
  addFleetOptions(program.command('sweep <dataset>'))
    .description('search training parameters (each trial a run) and keep the best by the validation split')
    .option('--target <column>', "the column to predict (a picture dataset's is each picture's label)")
    .option('--model <kind>', 'logistic, linear, mlp or gbdt, or cnn for pictures (default: mlp; cnn on pictures)')
    .option('--space <file>', "a JSON search space (default: the model kind's own)")
    .option('--strategy <name>', 'grid, random or tpe (default: tpe)')
    .option('--stopping <rule>', 'stop poor trials early: none, median or asha (default: none)')
    .option('--trials <n>', 'trials to run (default: 20; a grid: every point)', parseNumber('int'))
    .option('--seconds <n>', 'wall-time budget: no trial starts after it', parseNumber('float'))
    .option(
      '--parallel <n>',
      'trials training at once (default: one per core less one; lowered to what memory holds)',
      parseNumber('int'),
    )
    .option('--metric <name>', 'validation score to choose by (default: accuracy, or rmse for regression)')
    .option('--seed <n>', 'seeds the sampler and every trial', parseNumber('int'))
    .option('--json', 'print the result as JSON')
    .action(async (ref: string, o: SweepOptions) => {
      const model = chosenModel(SWEEP_MODELS, o.model);
      const space = o.space === undefined ? undefined : readSpace(o.space);
      await withService(program, 'cli', async (s) => {
        await connectFleet(s, o);
        const dataset = await datasetOf(s, ref);
        const { target, pictures } = await targetOf(s, dataset, o.target);
        const req = {
          dataset,
          target,
          model: model ?? (pictures ? 'cnn' : undefined),
          space,
          strategy: o.strategy,
          stopping: o.stopping,
          trials: o.trials,
          seconds: o.seconds,
          parallel: o.parallel,
          metric: o.metric,
          seed: o.seed,
          wait: true,
        } as MethodInput<'sweeps.start'>;
        await runAndPrint(s, Boolean(o.json), () => s.invoke('sweeps.start', req));
      });
    });

  const sweeps = program.command('sweeps').description('list, inspect and resume sweeps');
  addListCommand(program, sweeps, {
    method: 'sweeps.list',
    description: 'list sweeps, newest first',
    empty: 'No sweeps yet. Start one with `cairn sweep <dataset> --target <column>`.',
    headers: ['id', 'status', 'dataset', 'target', 'model', 'strategy', 'trials', 'metric', 'best'],
    row: (w: SweepSummary) => [
      w.id,
      w.status,
      `${w.datasetName}@${w.datasetVersion}`,
      w.target,
      w.model,
      w.strategy,
      `${w.trialsDone}${w.budget.trials === null ? '' : `/${w.budget.trials}`}`,
      w.metric,
      w.bestValue === null ? '' : w.bestValue.toFixed(4),
    ],
  });
  sweeps
    .command('show <id>')
    .description('a sweep: its trials, and its best run by the validation split')
    .option('--json', 'print as JSON (the shape `cairn sweep --json` prints)')
    .action(async (id: string, o: { json?: boolean }) => {
      await withService(program, 'cli', async (s) =>
        printSweep(s, await s.invoke('sweeps.get', { sweepId: id }), Boolean(o.json)),
      );
    });
  sweeps
    .command('resume <id>')
    .description('continue an interrupted sweep with the budget it has left')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withService(program, 'cli', async (s) =>
        runAndPrint(s, Boolean(o.json), () => s.invoke('sweeps.resume', { sweepId: id, wait: true })),
      );
    });
}
