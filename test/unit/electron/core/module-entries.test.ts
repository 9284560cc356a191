// Every module core starts as a thread or a process (moduleWorker, moduleForker) by name must be an
// entry of the main bundle, or the built app finds no such file beside its chunks: from TypeScript
// sources (every other test) a missing entry does not show.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const CORE = path.join(ROOT, 'electron/core');

/** [file, module name, module file beside it] of each moduleWorker/moduleForker call in core. */
function startedModules(): [string, string, string][] {
  const found: [string, string, string][] = [];
  const files = readdirSync(CORE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(path.join(CORE, file), 'utf8');
    for (const m of text.matchAll(/module(?:Worker|Forker)\(import\.meta\.url, '([\w-]+)'/g)) {
      found.push([file, m[1]!, path.join(path.dirname(file), `${m[1]}.ts`)]);
    }
  }
  return found;
}

describe('modules started by name', () => {
  const started = startedModules();
  const config = readFileSync(path.join(ROOT, 'electron.vite.config.ts'), 'utf8');

  it('are found in the sources (the threads and processes core starts)', () => {
    expect(started.map(([, name]) => name).sort()).toEqual(
      expect.arrayContaining(['endpoint-process', 'job-worker', 'request-log-worker', 'row-worker']),
    );
  });

  it.each(started)('%s starts %s: an entry of the main bundle, from the file beside it', (_file, name, source) => {
    expect(config).toContain(`'${name}': resolve(import.meta.dirname, 'electron/core/${source}')`);
  });
});
