// `cairn models ...`: the registry from the command line: list and inspect models, move aliases
// (with a reason) and roll them back, delete versions, export and import bundles.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { AliasEvent, ExportFormat, ModelCardView, ModelDetail, ModelVersionInfo } from '../../shared/api.js';
import { exportFormats } from '../../shared/api/export-formats.js';
import { CairnError } from '../core/errors.js';
import { parseModelRef } from '../core/registry/ref.js';
import { addListCommand, print, printCall, withService } from './common.js';
import { escapeControls, formatBytes, say, table } from './output.js';

function fmtNumber(v: number | null | undefined): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : '';
}

/** The metrics a versions table shows, by task. */
const KEY_METRICS = { classification: ['accuracy', 'f1_macro'], regression: ['rmse', 'r2'] } as const;

function eventText(e: AliasEvent): string {
  const move =
    e.fromVersion === null
      ? `set to ${e.toVersion}`
      : e.toVersion === null
        ? `removed (was ${e.fromVersion})`
        : `${e.fromVersion} → ${e.toVersion}`;
  return `${e.at}  ${e.alias} ${move}${e.reason ? `: ${e.reason}` : ''}`;
}

function showText(d: ModelDetail): string {
  const task = d.model.task;
  const keys: readonly string[] = task ? KEY_METRICS[task] : [];
  const lines = [
    `${d.model.name}: ${d.model.versionCount} version${d.model.versionCount === 1 ? '' : 's'}, latest ${d.model.latestVersion}${task ? ` (${task})` : ''}`,
    d.model.aliases.length
      ? `aliases: ${d.model.aliases.map((a) => `${a.alias} → ${a.version}`).join(', ')}`
      : 'aliases: none',
    '',
    table(
      ['version', 'aliases', 'origin', 'run', 'dataset', ...keys, 'tags', 'created'],
      d.versions.map((v: ModelVersionInfo) => [
        v.version,
        v.aliases.join(','),
        v.origin,
        v.lineage.runId ? v.lineage.runId.slice(0, 8) : '',
        v.lineage.dataset ? `${v.lineage.dataset.name}@${v.lineage.dataset.version}` : '',
        ...keys.map((k) => fmtNumber(v.lineage.metrics[k])),
        v.tags.join(','),
        v.createdAt,
      ]),
    ),
  ];
  if (d.aliasHistory.length) lines.push('', 'alias history:', ...d.aliasHistory.map((e) => `  ${eventText(e)}`));
  return lines.join('\n');
}

function cardText(c: ModelCardView): string {
  const lines = [
    `${c.name} version ${c.version}: ${c.modelKind} ${c.task} of ${c.target}${c.classes ? ` (classes: ${c.classes.join(', ')})` : ''}`,
    'inputs:',
    ...c.inputs.map(
      (i) =>
        `  ${i.name.padEnd(20)}${i.kind}${i.categories ? ` (${i.categories.slice(0, 10).join(', ')}${i.categories.length > 10 ? ', …' : ''})` : ''}`,
    ),
  ];
  const test = (c.metrics.test ?? {}) as Record<string, unknown>;
  const scalars = Object.entries(test).filter(([, v]) => typeof v === 'number');
  if (scalars.length)
    lines.push('test metrics:', ...scalars.map(([k, v]) => `  ${k.padEnd(20)}${fmtNumber(v as number)}`));
  const data = c.trainingData;
  if (data)
    lines.push(
      `trained on: ${data.dataset.name} version ${data.dataset.version}` +
        (data.pipeline !== undefined ? ` through pipeline ${data.pipeline}` : '') +
        `, ${data.rows} rows (sha256 ${data.dataset.hash.slice(0, 12)}…)`,
    );
  return lines.join('\n');
}

/** `name:version` as the rm command takes it. */
function versionRef(ref: string): { name: string; version: number } {
  const parsed = parseModelRef(ref);
  if (parsed.version === undefined)
    throw new CairnError('invalid_argument', `say which version to delete: ${parsed.name}:<version>`);
  return { name: parsed.name, version: parsed.version };
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${escapeControls(question)} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

function parseVersion(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1 || String(n) !== v.trim()) throw new Error(`not a version number: ${v}`);
  return n;
}

/** Adds `cairn models ...` to the program. */
export function addModelCommands(program: Command): void {
  const models = program.command('models').description('the model registry: versions, aliases, bundles');

  addListCommand(program, models, {
    method: 'models.list',
    empty: 'No models yet. Train one with `cairn train <dataset> --target <column>`.',
    headers: ['name', 'versions', 'latest', 'aliases', 'task', 'updated'],
    row: (m) => [
      m.name,
      m.versionCount,
      m.latestVersion,
      m.aliases.map((a) => `${a.alias}→${a.version}`).join(' '),
      m.task ?? '',
      m.updatedAt,
    ],
  });

  models
    .command('show <name>')
    .description("a model's versions with lineage, metrics and aliases, and its alias history")
    .option('--json', 'print as JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      await printCall(program, 'models.get', { name }, o.json, showText);
    });

  models
    .command('card <ref>')
    .description("a version's card: inputs, output, metrics, training data (<name>[@alias|:version])")
    .option('--json', 'print as JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      await printCall(program, 'models.card', { name: ref }, o.json, cardText);
    });

  models
    .command('alias <name> <alias> <version>')
    .description('point an alias (production, staging, any name) at a version; recorded with its reason')
    .option('--reason <text>', 'why, kept in the alias history')
    .option('--json', 'print the recorded move as JSON')
    .action(async (name: string, alias: string, version: string, o: { reason?: string; json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const e = await s.invoke('models.setAlias', {
          name,
          alias,
          version: parseVersion(version),
          reason: o.reason ?? '',
        });
        print(
          Boolean(o.json),
          e,
          () =>
            `${name}@${e.alias}: ${e.fromVersion === null ? `set to version ${e.toVersion}` : `moved from version ${e.fromVersion} to ${e.toVersion}`}.`,
        );
      });
    });

  models
    .command('unalias <name> <alias>')
    .description('remove an alias (recorded; `rollback` puts it back)')
    .option('--reason <text>', 'why, kept in the alias history')
    .action(async (name: string, alias: string, o: { reason?: string }) => {
      await withService(program, 'cli', async (s) => {
        const e = await s.invoke('models.removeAlias', { name, alias, reason: o.reason ?? '' });
        say(`${name}@${e.alias} removed (it pointed at version ${e.fromVersion}).\n`);
      });
    });

  models
    .command('rollback <name> <alias>')
    .description('put an alias back where it pointed before its last move')
    .option('--reason <text>', 'why, kept in the alias history')
    .option('--json', 'print the recorded move as JSON')
    .action(async (name: string, alias: string, o: { reason?: string; json?: boolean }) => {
      await printCall(program, 'models.rollbackAlias', { name, alias, reason: o.reason ?? '' }, o.json, (e) =>
        e.toVersion === null
          ? `${name}@${e.alias} rolled back: removed (it was first set by the move undone).`
          : `${name}@${e.alias} rolled back from version ${e.fromVersion ?? '-'} to ${e.toVersion}.`,
      );
    });

  models
    .command('rm <ref>')
    .description('delete a version and its files (<name>:<version>); refused while an alias or endpoint uses it')
    .option('--yes', 'do not ask for confirmation')
    .action(async (ref: string, o: { yes?: boolean }) => {
      const { name, version } = versionRef(ref);
      await withService(program, 'cli', async (s) => {
        if (!o.yes) {
          // Check first, so a refused delete says why before asking anything.
          const d = await s.invoke('models.get', { name });
          const v = d.versions.find((x) => x.version === version);
          if (!v) throw new CairnError('not_found', `model "${d.model.name}" has no version ${version}`);
          if (!process.stdin.isTTY)
            throw new CairnError(
              'invalid_argument',
              `deleting ${d.model.name}:${version} needs confirmation: add --yes`,
            );
          if (!(await confirm(`Delete ${d.model.name} version ${version} and its files?`))) {
            say('Nothing deleted.\n');
            return;
          }
        }
        const r = await s.invoke('models.deleteVersion', { name, version });
        say(
          `Deleted ${r.name} version ${r.version}${r.modelDeleted ? ` (its last version: the model is gone)` : ''}.\n`,
        );
      });
    });

  models
    .command('export <ref>')
    .description(
      'write a version as a self-contained zip bundle, or as ONNX for other runtimes (<name>[@alias|:version])',
    )
    .requiredOption('--out <file>', 'the file to write, .zip or .onnx (its folder must exist)')
    .option('--format <format>', 'bundle (a Cairn zip, importable) or onnx', 'bundle')
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print the result as JSON')
    .action(async (ref: string, o: { out: string; format: string; force?: boolean; json?: boolean }) => {
      const format = exportFormats.find((f): f is ExportFormat => f === o.format);
      if (!format) throw new Error(`--format must be bundle or onnx, not "${o.format}"`);
      await withService(program, 'cli', async (s) => {
        const r = await s.invoke('models.export', {
          name: ref,
          out: o.out,
          overwrite: Boolean(o.force),
          format,
        });
        print(
          Boolean(o.json),
          r,
          () =>
            `Exported ${r.name} version ${r.version}${format === 'onnx' ? ' as ONNX' : ''} to ${r.path} (${formatBytes(r.bytes)}).`,
        );
      });
    });

  models
    .command('import <bundle>')
    .description('import a model bundle (.zip) as a new version, after checking every entry')
    .option('--name <name>', "the model to import under (default: the bundle's)")
    .option('--json', 'print the new version as JSON')
    .action(async (bundle: string, o: { name?: string; json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const v = await s.invoke('models.import', { path: bundle, name: o.name });
        print(
          Boolean(o.json),
          v,
          () =>
            `Imported ${v.name} version ${v.version}${v.importedFrom ? ` (exported as ${v.importedFrom.name} version ${v.importedFrom.version})` : ''}.`,
        );
      });
    });
}
