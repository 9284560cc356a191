// The `cairn` command: the engine for scripts and CI, over the same service the app uses.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import {
  autoChoiceOf,
  type Cell,
  type ImportResult,
  type MethodInput,
  type PredictFileResult,
  type Run,
  type RunProgress,
} from '../../shared/api.js';
import { HEADLINE_TEST_METRICS } from '../../shared/metrics.js';
import { AUGMENT, CNN_PRESET } from '../../shared/training-settings.js';
import { cairnVersion } from '../core/environment.js';
import { shellFiles, uploadedFiles } from '../core/file-access.js';
import { layout, resolveHome } from '../core/paths.js';
import {
  addListCommand,
  chosenModel,
  chosenOption,
  datasetOf,
  loadService,
  TRAIN_MODELS,
  parseNumber,
  print,
  printCall,
  targetOf,
  withService,
  type GlobalOptions,
} from './common.js';
import { addExplainCommand } from './explain-command.js';
import { addModelCommands } from './models.js';
import { addMonitorCommands } from './monitor-command.js';
import { CliExit, formatBytes, profileTable, progressBar, reportError, say, sayData, table, warn } from './output.js';
import { addPipelineCommands } from './pipelines.js';
import { addRunsListCommand } from './runs-command.js';
import { addSourcesCommands } from './sources-command.js';
import { addSweepCommands } from './sweep-command.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `cairn import --json`: a table's columns, or an image dataset's classes and skipped files. */
function importJson(r: ImportResult) {
  const common = { id: r.datasetId, name: r.name, version: r.version, kind: r.kind, rows: r.rows };
  if (r.images) return { ...common, classes: r.images.classes, skipped: r.images.skipped };
  return { ...common, columns: r.columns, warnings: r.warnings };
}

function importSummary(r: ImportResult): string {
  if (!r.created) return `Unchanged: ${r.name} version ${r.version} already has this content.`;
  if (r.images) {
    const classes = Object.entries(r.images.classes).map(([label, n]) => `${label} ${n}`);
    const skipped = r.images.skipped.length;
    return [
      `Imported ${r.name} version ${r.version}: ${r.rows} pictures in ${classes.length} classes${skipped ? ` (${skipped} files skipped)` : ''}.`,
      `  ${classes.join(', ')}`,
      ...r.images.skipped.map((f) => `skipped: ${f.file}: ${f.reason}`),
    ].join('\n');
  }
  return [
    `Imported ${r.name} version ${r.version}: ${r.rows} rows, ${r.columns.length} columns${r.skippedRows ? ` (${r.skippedRows} malformed rows skipped)` : ''}.`,
    '',
    profileTable(r.columns),
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

interface ImportOptions {
  name?: string;
  skipBadRows?: boolean;
  images?: boolean;
  pathColumn: string;
  labelColumn: string;
  json?: boolean;
}

interface TrainOptions {
  target?: string;
  task?: 'classification' | 'regression';
  model?: keyof typeof TRAIN_MODELS;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  trees?: number;
  maxLeaves?: number;
  imageSize?: number;
  augment?: string;
  preset?: string;
  seed?: number;
  json?: boolean;
}

function testMetrics(run: Run): Record<string, unknown> {
  const test = ((run.metrics ?? {}) as { test?: Record<string, unknown> }).test ?? {};
  const keys: readonly string[] = run.task ? HEADLINE_TEST_METRICS[run.task] : [];
  return Object.fromEntries(keys.map((k) => [k, test[k] ?? null]));
}

function runJson(run: Run) {
  const auto = autoChoiceOf(run);
  return {
    run: run.id,
    status: run.status,
    task: run.task,
    backend: run.backend,
    model: run.model,
    metrics: { test: testMetrics(run) },
    ...(auto
      ? {
          candidates: auto.candidates.map((c) => ({ model: c.model, validation: c.validation, seconds: c.seconds })),
          chosen: auto.chosen,
        }
      : {}),
  };
}

function fmtMetric(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v);
}

function runText(run: Run): string {
  const lines = [
    `run ${run.id}: ${run.status}`,
    `dataset:  ${run.datasetName} version ${run.datasetVersion}, target ${run.target}${run.task ? ` (${run.task})` : ''}`,
    `model:    ${run.params.modelChoice === 'auto' && run.modelKind !== 'auto' ? 'auto → ' : ''}${run.modelKind}${run.model ? `, saved as ${run.model.name} version ${run.model.version}` : ''}`,
  ];
  const made = run.pipelineTable;
  // The dataset above is then a pipeline's table (not in `datasets list`): say what it was made from.
  if (made)
    lines.splice(
      2,
      0,
      `made by:  pipeline ${made.pipeline ?? '(deleted)'} from ${made.source ? `${made.source.name} version ${made.source.version}` : 'several datasets'}`,
    );
  if (run.backend)
    lines.push(`backend:  ${run.backend}${run.modelKind === 'gbdt' ? '' : ` (tfjs ${run.tfjsVersion ?? '?'})`}`);
  const boosting = (run.metrics as { boosting?: { rounds: number; bestIteration: number } } | null)?.boosting;
  if (boosting) lines.push(`rounds:   ${boosting.rounds} (trees kept from the best, round ${boosting.bestIteration})`);
  else if (run.history.length) lines.push(`epochs:   ${run.history.length}`);
  const metrics = Object.entries(testMetrics(run));
  if (metrics.length) lines.push('test metrics:', ...metrics.map(([k, v]) => `  ${k.padEnd(16)}${fmtMetric(v)}`));
  const auto = autoChoiceOf(run);
  if (auto)
    lines.push(
      `chosen:   ${auto.reason}`,
      `candidates (validation ${auto.metric}, seconds):`,
      ...auto.candidates.map(
        (c) => `  ${c.model.padEnd(20)}${fmtMetric(c.validation[auto.metric])}  ${c.seconds.toFixed(1)}s`,
      ),
    );
  if (run.error) lines.push(`error:    ${run.error.message}`);
  return lines.join('\n');
}

function fmtCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  const s = String(v);
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}

function predictText(r: PredictFileResult): string {
  const lines = [
    table(
      r.columns,
      r.preview.map((row) => row.map(fmtCell)),
    ),
    ...(r.rows > r.preview.length ? [`... ${r.rows - r.preview.length} more rows`] : []),
    '',
    `Scored ${r.rows} row${r.rows === 1 ? '' : 's'} with ${r.model.name} version ${r.model.version} (${r.task}).`,
  ];
  if (r.out) lines.push(`Written to ${r.out}.`);
  else if (r.rows > r.preview.length) lines.push('Use --out FILE to write every prediction (.csv, .json or .ndjson).');
  // A picture model's skipped files are on stderr already.
  if (!r.skipped) lines.push(...r.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n');
}

/** Builds the command tree; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command('cairn')
    .description('Cairn: machine learning on your own machine, from data to a served model.')
    .version(cairnVersion())
    .option('--home <dir>', "data folder (default: the desktop app's, or $CAIRN_HOME)")
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('import <path>')
    .description(
      'import a CSV, TSV, JSON/NDJSON or Parquet file, or pictures (a folder with a subfolder per class, or a .zip of one), as a dataset version',
    )
    .option('--name <name>', 'dataset name (default: the file name)')
    .option('--skip-bad-rows', 'skip malformed rows instead of failing')
    .option('--images', 'the CSV/Parquet file lists pictures by path (relative to its folder) and label')
    .option('--path-column <name>', 'with --images: the column of paths', 'path')
    .option('--label-column <name>', 'with --images: the column of labels', 'label')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: ImportOptions) => {
      await withService(program, 'cli', async (s) => {
        const bar = progressBar();
        const unsubscribe = s.events.subscribe((event, payload) => {
          if (event === 'job.progress') bar.update(payload as Parameters<typeof bar.update>[0]);
        });
        let r: ImportResult;
        try {
          r = await s.invoke('datasets.importNow', {
            path: file,
            name: o.name,
            badRows: o.skipBadRows ? 'skip' : 'fail',
            ...(o.images ? { kind: 'images' as const, pathColumn: o.pathColumn, labelColumn: o.labelColumn } : {}),
          });
        } finally {
          unsubscribe();
          bar.done();
        }
        print(Boolean(o.json), importJson(r), () => importSummary(r));
      });
    });

  const datasets = program.command('datasets').description('list and inspect datasets');
  addListCommand(program, datasets, {
    method: 'datasets.list',
    empty: 'No datasets yet. Import one with `cairn import <file>`.',
    headers: ['name', 'id', 'version', 'versions', 'rows', 'columns', 'updated'],
    row: (d) => [d.name, d.id, d.latestVersion, d.versionCount, d.rows, d.columns, d.updatedAt],
  });
  datasets
    .command('show <ref>')
    .description('schema and profile of a dataset (by name or id)')
    .option('--version <n>', 'a version other than the latest', (v) => Number.parseInt(v, 10))
    .option('--json', 'print as JSON')
    .action(async (ref: string, o: { version?: number; json?: boolean }) => {
      await printCall(program, 'datasets.get', { ref, version: o.version }, o.json, (d) =>
        [
          `${d.dataset.name} version ${d.version.version} of ${d.versions.length}: ${d.dataset.kind === 'images' ? `${d.version.rows} pictures in ${d.version.columns} classes` : `${d.version.rows} rows, ${d.version.columns} columns`}, ${formatBytes(d.version.sizeBytes)} from ${d.version.sourcePath}`,
          `sha256 ${d.version.contentHash}`,
          ...d.version.warnings.map((w) => `warning: ${w}`),
          '',
          profileTable(d.columns),
        ].join('\n'),
      );
    });

  program
    .command('train <dataset>')
    .description(
      'train a model on a dataset (name, id, or a file or folder of pictures to import first); saves it as a model version',
    )
    .option('--target <column>', "the column to predict (a picture dataset's is each picture's label)")
    .option('--task <task>', "classification or regression (default: from the target's type)")
    .option(
      '--model <kind>',
      'logistic, linear, mlp, gbdt (gradient-boosted trees), cnn (convolutional network, for pictures) or auto (tries those that fit the task, keeps the best on the validation split) (default: mlp for a table, cnn for pictures)',
    )
    .option('--epochs <n>', 'training epochs', parseNumber('int'))
    .option('--batch-size <n>', 'rows per training step', parseNumber('int'))
    .option('--learning-rate <x>', 'optimizer learning rate (for gbdt: shrinkage)', parseNumber('float'))
    .option('--trees <n>', 'gbdt: boosting rounds at most', parseNumber('int'))
    .option('--max-leaves <n>', 'gbdt: leaves per tree', parseNumber('int'))
    .option(
      '--image-size <n>',
      'cnn: the side pictures are stretched to (default: 32 up to 32 px, else 64)',
      parseNumber('int'),
    )
    .option('--augment <level>', 'cnn: none, light or strong (default: light)')
    .option('--preset <size>', 'cnn: small or medium (default: small)')
    .option('--seed <n>', 'seeds the split, initial weights and batch order', parseNumber('int'))
    .option('--json', 'print the result as JSON')
    .action(async (ref: string, o: TrainOptions) => {
      if (o.task !== undefined && o.task !== 'classification' && o.task !== 'regression')
        throw new Error(`--task must be classification or regression, not "${String(o.task)}"`);
      const model = chosenModel(TRAIN_MODELS, o.model);
      const augment = chosenOption('--augment', AUGMENT, o.augment);
      const preset = chosenOption('--preset', CNN_PRESET, o.preset);
      await withService(program, 'cli', async (s) => {
        const bar = progressBar();
        const unsubscribe = s.events.subscribe((event, payload) => {
          if (event === 'job.progress') bar.update(payload as Parameters<typeof bar.update>[0]);
          if (event === 'run.progress') {
            const p = payload as RunProgress;
            const loss = p.logs.loss === undefined ? '' : ` loss ${p.logs.loss.toFixed(4)}`;
            const eta = p.etaMs > 0 ? ` ~${Math.ceil(p.etaMs / 1000)}s left` : '';
            const c = p.candidate;
            const step = (c?.model ?? o.model) === 'gbdt' ? 'round' : 'epoch';
            const stage = c ? `${c.model} (${c.number} of ${c.of}): ` : '';
            bar.update({ fraction: p.fraction, label: `${stage}${step} ${p.epoch}/${p.epochs}${loss}${eta}` });
          }
        });
        let run: Run;
        try {
          const dataset = await datasetOf(s, ref);
          const { target, pictures } = await targetOf(s, dataset, o.target);
          const req: MethodInput<'runs.startNow'> = {
            dataset,
            target,
            task: o.task,
            // The CNN is a picture dataset's one model.
            model: model ?? (pictures ? 'cnn' : undefined),
            imageSize: o.imageSize,
            augment,
            preset,
            epochs: o.epochs,
            batchSize: o.batchSize,
            learningRate: o.learningRate,
            trees: o.trees,
            maxLeaves: o.maxLeaves,
            seed: o.seed,
          };
          run = await s.invoke('runs.startNow', req);
        } finally {
          unsubscribe();
          bar.done();
        }
        print(Boolean(o.json), runJson(run), () => runText(run));
      });
    });

  program
    .command('predict <model> <file>')
    .description(
      'score a CSV, TSV, JSON/NDJSON or Parquet file with a model, or with a picture model a picture or a folder of pictures (<name>: its production alias, else the latest version; <name>@<alias>; <name>:<version>)',
    )
    .option(
      '--out <file>',
      'write input columns (a picture: its file) plus predictions to a .csv, .json or .ndjson file (its folder must exist)',
    )
    .option('--force', 'with --out: replace the file if it exists')
    .option('--json', 'print the result as JSON (every prediction, unless --out is given)')
    .action(async (ref: string, file: string, o: { out?: string; force?: boolean; json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        // The service's one resolver reads `name`, `name@alias` and `name:version`.
        const r = await s.invoke('models.predictFile', {
          model: ref,
          path: file,
          out: o.out,
          overwrite: Boolean(o.force),
        });
        // Pictures that could not be read are named on stderr, with why, whatever the output.
        for (const s of r.skipped ?? []) warn(`skipped ${s.file}: ${s.reason}\n`);
        if (o.json) {
          // Compact: with no --out this holds every prediction, and scripts parse it, not people.
          const pictures = r.files ? { skipped: r.skipped ?? [] } : {};
          const predictions = r.files
            ? (r.predictions ?? []).map((p, i) => ({ file: r.files?.[i], ...p }))
            : (r.predictions ?? []);
          const value = r.out
            ? { model: r.model, rows: r.rows, out: r.out, ...pictures }
            : { model: r.model, rows: r.rows, predictions, ...pictures };
          sayData(`${JSON.stringify(value)}\n`);
        } else say(`${predictText(r)}\n`);
      });
    });

  addModelCommands(program);
  addExplainCommand(program);
  addPipelineCommands(program);
  addMonitorCommands(program);
  addSweepCommands(program);
  addSourcesCommands(program);

  const runs = program.command('runs').description('list and inspect training runs');
  addRunsListCommand(program, runs);
  runs
    .command('show <id>')
    .description('parameters, metrics and outcome of one run')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await printCall(program, 'runs.get', { runId: id }, o.json, runText);
    });

  program
    .command('ui')
    .description('serve the app to your browser (127.0.0.1 only by default)')
    .option('--port <n>', 'port (default: a free one)', (v) => Number.parseInt(v, 10))
    .option('--host <addr>', 'address to bind; 0.0.0.0 lets anyone on the network with the token in', '127.0.0.1')
    .option('--max-upload-mb <n>', 'largest file the browser may upload, in MiB (default: 10240)', parseNumber('int'))
    .option('--rotate-token', 'make a new token: URLs printed before stop working')
    .action(async (o: { port?: number; host: string; maxUploadMb?: number; rotateToken?: boolean }) => {
      const staticDir = path.join(ROOT, 'out', 'renderer');
      if (!existsSync(path.join(staticDir, 'index.html'))) {
        throw new Error('the UI is not built yet: run `npm run build` (or `npm start`, which builds it)');
      }
      const opts = program.opts<GlobalOptions>();
      // The web server is loaded only by the command that serves.
      const { startHttpHost } = await import('../server/http-host.js');
      const { loadUiToken } = await import('../server/ui-token.js');
      const home = resolveHome(opts.home);
      const uploadDir = layout(home).uploads;
      // The browser reads only what it uploaded and writes nothing but downloads (file-access.ts).
      const CairnService = await loadService();
      const service = await CairnService.open({ home, host: 'browser', files: uploadedFiles(uploadDir) });
      // The same token on every start of this data folder, so bookmarks and open tabs survive a restart.
      const ui = await loadUiToken(layout(home).uiToken, { rotate: o.rotateToken });
      if (ui.made === 'replaced') warn(`Warning: the saved UI token was not used (${ui.reason}): made a new one.\n`);
      const running = await startHttpHost({
        service,
        staticDir,
        uploadDir,
        host: o.host,
        port: o.port,
        token: ui.token,
        ...(o.maxUploadMb ? { maxUploadBytes: o.maxUploadMb * 1024 ** 2 } : {}),
      });
      const token = running.urlWithToken.slice(running.url.length);
      const lines = [`Cairn is running at ${running.urls.map((u) => `${u}${token}`).join('\n                   ')}`];
      if (running.exposed) {
        lines.push(
          `Warning: this listens beyond this computer: anyone on the network with the token can use the data folder.`,
        );
      }
      lines.push(`Data folder: ${service.home}`, 'Press Ctrl+C to stop.');
      say(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
      await service.close();
    });

  program
    .command('serve <models...>')
    .description(
      'serve models over HTTP in the foreground: <name> (production, else latest), <name>@<alias>, <name>:<version>',
    )
    .option('--port <n>', 'port (default: a free one)', parseNumber('int'))
    .option('--host <addr>', 'address to bind; any but loopback needs the API key printed at start', '127.0.0.1')
    .action(async (refs: string[], o: { port?: number; host: string }) => {
      const opts = program.opts<GlobalOptions>();
      const CairnService = await loadService();
      const service = await CairnService.open({ home: resolveHome(opts.home), host: 'cli', files: shellFiles() });
      // Listened for from the start: a signal while the endpoint still loads its models must stop
      // it too (service.close drains or kills it), not end this process and leave it running.
      const signalled = new Promise<'signal'>((resolve) => {
        process.once('SIGINT', () => resolve('signal'));
        process.once('SIGTERM', () => resolve('signal'));
      });
      try {
        const starting = service.invoke('endpoints.start', { models: refs, port: o.port, host: o.host });
        // Stopped before it listened, it rejects once its process has gone: nothing more to say.
        starting.catch(() => undefined);
        const ep = await Promise.race([starting, signalled]);
        if (ep === 'signal') {
          warn('Stopping: the endpoint was still starting...\n');
          return;
        }
        const lines = [
          `Serving at ${ep.url}`,
          ...ep.models.map(
            (m) =>
              `  ${m.name} version ${m.version}${m.isDefault ? ' (default)' : ''}${m.aliases.length ? ` aliases: ${m.aliases.join(', ')}` : ''}${m.error ? `  NOT SERVING: ${m.error}` : ''}`,
          ),
          `  POST ${ep.url}/v1/models/<name>/predict  {"instances": [{...}]}`,
          `  API: ${ep.url}/openapi.json   health: ${ep.url}/healthz   metrics: ${ep.url}/metrics`,
        ];
        if (ep.apiKey) lines.push(`API key (send as Authorization: Bearer <key>): ${ep.apiKey}`);
        lines.push('Press Ctrl+C to stop.');
        say(`${lines.join('\n')}\n`);
        // The supervisor restarts a crashed endpoint; say so on stderr.
        service.events.subscribe((event, payload) => {
          if (event !== 'endpoint.status') return;
          const e = payload as { id: string; status: string; message: string | null };
          if (e.id === ep.id && (e.status === 'restarting' || (e.status === 'running' && e.message)))
            warn(`endpoint ${e.status}${e.message ? `: ${e.message}` : ''}\n`);
        });
        await signalled;
        warn('Stopping: answering requests in flight...\n');
      } finally {
        // Drains every endpoint, then closes app.db.
        await service.close();
      }
    });

  program
    .command('doctor')
    .description('data folder, training backend, Electron binary and versions')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      await printCall(program, 'app.info', {}, o.json, (info) =>
        [
          `data folder:      ${info.home}`,
          `training backend: ${info.backend.name}`,
          ...info.backend.tried.filter((t) => !t.ok).map((t) => `  (${t.name} unavailable: ${t.error ?? 'unknown'})`),
          `electron binary:  ${info.electron.present ? `present (${info.electron.version})` : `not installed${info.electron.version ? ` (electron ${info.electron.version} package has no binary; npm start opens the browser UI)` : ''}`}`,
          'versions:',
          ...Object.entries(info.versions).map(([k, v]) => `  ${k.padEnd(16)}${v}`),
        ].join('\n'),
      );
    });

  return program;
}

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliExit) return err.code;
    return reportError(err, argv.includes('--debug'));
  }
}
