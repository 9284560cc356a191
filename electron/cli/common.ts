// What every command shares: a service over the chosen data folder, and JSON-or-text output.
import type { Command } from 'commander';
import { shellFiles } from '../core/file-access.js';
import { CairnService } from '../core/service.js';
import { resolveHome } from '../core/paths.js';
import { say, sayData } from './output.js';

export interface GlobalOptions {
  home?: string;
  debug?: boolean;
}

/** Runs `fn` with a service on the data folder the global options name, closing it after. */
export async function withService<T>(
  program: Command,
  host: 'cli' | 'browser',
  fn: (s: CairnService) => Promise<T>,
): Promise<T> {
  const opts = program.opts<GlobalOptions>();
  // The shell user may name any file (file-access.ts): the CLI's own policy.
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
