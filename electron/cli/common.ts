// What every command shares: a service over the chosen data folder, and JSON-or-text output.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { IMAGE_LABEL_COLUMN, type MethodInput, type MethodName, type MethodResult } from '../../shared/api.js';
import type { ChoiceSetting, ChoiceValue } from '../../shared/training-settings.js';
import { shellFiles } from '../core/file-access.js';
import type { CairnService } from '../core/service.js';
import { resolveHome } from '../core/paths.js';
import { say, sayData, table } from './output.js';

export interface GlobalOptions {
  home?: string;
  debug?: boolean;
}

/** The table model kinds as the CLI's --model names them (a sweep's choices). */
export const MODEL_KINDS = {
  logistic: 'logistic_regression',
  linear: 'linear_regression',
  mlp: 'mlp',
  gbdt: 'gbdt',
} as const;

/**
 * What `cairn train --model` takes: a table's kind, the CNN (pictures), or `auto` to train the
 * candidates and keep the best (the CNN on pictures).
 */
export const TRAIN_MODELS = { ...MODEL_KINDS, cnn: 'cnn', auto: 'auto' } as const;

/** What `cairn sweep --model` takes: a table's kind or the CNN (pictures). */
export const SWEEP_MODELS = { ...MODEL_KINDS, cnn: 'cnn' } as const;

/** The engine's name for a `--model` value among `choices`, or undefined when none was given. */
export function chosenModel<M extends Record<string, string>>(
  choices: M,
  name: string | undefined,
): M[keyof M] | undefined {
  if (name === undefined) return undefined;
  if (!Object.hasOwn(choices, name)) throw notOneOf('--model', Object.keys(choices), name);
  return choices[name as keyof M];
}

/** The value of a choice setting's option (`--augment light`), or undefined when none was given. */
export function chosenOption<S extends ChoiceSetting<string>>(
  flag: string,
  setting: S,
  value: string | undefined,
): ChoiceValue<S> | undefined {
  if (value === undefined) return undefined;
  const names = setting.options.map((o) => o.value);
  if (!names.includes(value)) throw notOneOf(flag, names, value);
  return value;
}

function notOneOf(flag: string, names: readonly string[], value: string): Error {
  return new Error(`${flag} must be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, not "${value}"`);
}

/**
 * The dataset a command's argument names: a path to a file or a folder (of pictures in class
 * folders) is imported first (identical content is recognised, not duplicated).
 */
export async function datasetOf(s: CairnService, ref: string): Promise<string> {
  return existsSync(ref) && (statSync(ref).isFile() || statSync(ref).isDirectory())
    ? (await s.invoke('datasets.importNow', { path: ref })).datasetId
    : ref;
}

/**
 * The target a run or sweep on `dataset` predicts, and whether the dataset holds pictures: a
 * picture's label is a picture dataset's one target; a table needs --target.
 */
export async function targetOf(
  s: CairnService,
  dataset: string,
  target: string | undefined,
): Promise<{ target: string; pictures: boolean }> {
  const pictures = (await s.invoke('datasets.get', { ref: dataset })).dataset.kind === 'images';
  if (!pictures && target === undefined) throw new Error('--target is required: the column to predict');
  return { target: target ?? IMAGE_LABEL_COLUMN, pictures };
}

/** A commander option parser for an integer or a number, refusing anything else by name. */
export function parseNumber(kind: 'int' | 'float') {
  return (v: string) => {
    const n = kind === 'int' ? Number.parseInt(v, 10) : Number.parseFloat(v);
    if (!Number.isFinite(n) || (kind === 'int' && String(n) !== v.trim()))
      throw new Error(`not a${kind === 'int' ? 'n integer' : ' number'}: ${v}`);
    return n;
  };
}

/**
 * The engine, loaded only by a command that uses it: its modules (and zod, DuckDB, SQLite with
 * them) would make `cairn --help` take several times as long.
 */
export async function loadService(): Promise<typeof CairnService> {
  return (await import('../core/service.js')).CairnService;
}

/** Runs `fn` with a service on the data folder the global options name, closing it after. */
export async function withService<T>(
  program: Command,
  host: 'cli' | 'browser',
  fn: (s: CairnService) => Promise<T>,
): Promise<T> {
  const opts = program.opts<GlobalOptions>();
  // The shell user may name any file (file-access.ts): the CLI's own policy.
  const CairnService = await loadService();
  const service = await CairnService.open({
    home: resolveHome(opts.home),
    host,
    ...(host === 'cli' ? { files: shellFiles() } : {}),
  });
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}

/** Prints `value` as JSON with --json (exact), else the text `text` makes (control characters escaped). */
export function print(json: boolean, value: unknown, text: () => string): void {
  if (json) sayData(`${JSON.stringify(value, null, 2)}\n`);
  else say(`${text()}\n`);
}

/** Calls `method` on a service over the data folder and prints its result (see print). */
export async function printCall<M extends MethodName>(
  program: Command,
  method: M,
  arg: MethodInput<M>,
  json: boolean | undefined,
  text: (result: MethodResult<M>) => string,
): Promise<void> {
  await withService(program, 'cli', async (s) => {
    const result = await s.invoke(method, arg);
    print(Boolean(json), result, () => text(result));
  });
}

/** The methods that take no argument and answer a list. */
type ListMethod = 'datasets.list' | 'models.list' | 'pipelines.list' | 'sweeps.list' | 'sources.list';

export interface ListCommand<M extends ListMethod> {
  method: M;
  description?: string;
  /** What to print when there is nothing yet: says how to make the first one. */
  empty: string;
  headers: string[];
  row: (item: MethodResult<M>[number]) => (string | number)[];
  /** What --json prints, when not the list as it is. */
  json?: (items: MethodResult<M>) => unknown;
}

/** Adds `<parent> list [--json]`: the method's list as JSON, or a table. */
export function addListCommand<M extends ListMethod>(program: Command, parent: Command, list: ListCommand<M>): void {
  const command = parent.command('list');
  if (list.description) command.description(list.description);
  command.option('--json', 'print as JSON').action(async (o: { json?: boolean }) => {
    await withService(program, 'cli', async (s) => {
      const items = await s.invoke(list.method, {});
      print(Boolean(o.json), list.json ? list.json(items) : items, () =>
        items.length === 0 ? list.empty : table(list.headers, (items as MethodResult<M>[number][]).map(list.row)),
      );
    });
  });
}
