// The `cairn` command: the engine for scripts and CI, over the same service the app uses.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { ImportResult } from '../../shared/api.js';
import { cairnVersion } from '../core/environment.js';
import { CairnService } from '../core/service.js';
import { layout, resolveHome } from '../core/paths.js';
import { formatBytes, profileTable, progressBar, reportError, table } from './output.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface GlobalOptions {
  home?: string;
  debug?: boolean;
}

async function withService<T>(program: Command, host: 'cli' | 'browser', fn: (s: CairnService) => Promise<T>): Promise<T> {
  const opts = program.opts<GlobalOptions>();
  const service = await CairnService.open({ home: resolveHome(opts.home), host });
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}

function importJson(r: ImportResult) {
  return { id: r.datasetId, name: r.name, version: r.version, rows: r.rows, columns: r.columns };
}

function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** Builds the command tree; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command('cairn')
    .description('Cairn: machine learning on your own machine, from data to a served model.')
    .version(cairnVersion())
    .option('--home <dir>', 'data folder (default: the desktop app\'s, or $CAIRN_HOME)')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('import <path>')
    .description('import a CSV, TSV, JSON/NDJSON or Parquet file as a dataset version')
    .option('--name <name>', 'dataset name (default: the file name)')
    .option('--skip-bad-rows', 'skip malformed rows instead of failing')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { name?: string; skipBadRows?: boolean; json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const bar = progressBar();
        const unsubscribe = s.events.subscribe((event, payload) => {
          if (event === 'job.progress') bar.update(payload as Parameters<typeof bar.update>[0]);
        });
        let r: ImportResult;
        try {
          r = await s.invoke('datasets.importNow', { path: file, name: o.name, badRows: o.skipBadRows ? 'skip' : 'fail' });
        } finally {
          unsubscribe();
          bar.done();
        }
        print(Boolean(o.json), importJson(r), () =>
          [
            r.created
              ? `Imported ${r.name} version ${r.version}: ${r.rows} rows, ${r.columns.length} columns${r.skippedRows ? ` (${r.skippedRows} malformed rows skipped)` : ''}.`
              : `Unchanged: ${r.name} version ${r.version} already has this content.`,
            '',
            profileTable(r.columns),
          ].join('\n'),
        );
      });
    });

  const datasets = program.command('datasets').description('list and inspect datasets');
  datasets
    .command('list')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const list = await s.invoke('datasets.list', {});
        print(Boolean(o.json), list, () =>
          list.length === 0
            ? 'No datasets yet. Import one with `cairn import <file>`.'
            : table(
                ['name', 'id', 'version', 'versions', 'rows', 'columns', 'updated'],
                list.map((d) => [d.name, d.id, d.latestVersion, d.versionCount, d.rows, d.columns, d.updatedAt]),
              ),
        );
      });
    });
  datasets
    .command('show <ref>')
    .description('schema and profile of a dataset (by name or id)')
    .option('--version <n>', 'a version other than the latest', (v) => Number.parseInt(v, 10))
    .option('--json', 'print as JSON')
    .action(async (ref: string, o: { version?: number; json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const d = await s.invoke('datasets.get', { ref, version: o.version });
        print(Boolean(o.json), d, () =>
          [
            `${d.dataset.name} version ${d.version.version} of ${d.versions.length}: ${d.version.rows} rows, ${d.version.columns} columns, ${formatBytes(d.version.sizeBytes)} from ${d.version.sourcePath}`,
            `sha256 ${d.version.contentHash}`,
            ...d.version.warnings.map((w) => `warning: ${w}`),
            '',
            profileTable(d.columns),
          ].join('\n'),
        );
      });
    });

  program
    .command('ui')
    .description('serve the app to your browser (127.0.0.1 only by default)')
    .option('--port <n>', 'port (default: a free one)', (v) => Number.parseInt(v, 10))
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .action(async (o: { port?: number; host: string }) => {
      const staticDir = path.join(ROOT, 'out', 'renderer');
      if (!existsSync(path.join(staticDir, 'index.html'))) {
        throw new Error('the UI is not built yet: run `npm run build` (or `npm start`, which builds it)');
      }
      const opts = program.opts<GlobalOptions>();
      // The web server is loaded only by the command that serves.
      const { startHttpHost } = await import('../server/http-host.js');
      const { newToken } = await import('../server/security.js');
      const service = await CairnService.open({ home: resolveHome(opts.home), host: 'browser' });
      const running = await startHttpHost({
        service,
        staticDir,
        uploadDir: layout(service.home).uploads,
        host: o.host,
        port: o.port,
        token: newToken(),
      });
      process.stdout.write(`Cairn is running at ${running.urlWithToken}\nData folder: ${service.home}\nPress Ctrl+C to stop.\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
      await service.close();
    });

  program
    .command('doctor')
    .description('data folder, training backend, Electron binary and versions')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const info = await s.invoke('app.info', {});
        print(Boolean(o.json), info, () =>
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
    return reportError(err, argv.includes('--debug'));
  }
}
