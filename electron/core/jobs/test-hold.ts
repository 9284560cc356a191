// A test-only pause for import jobs. `CAIRN_TEST_HOLD_IMPORT` names a file's base name: an import
// of that file does its work and reports its progress, then holds its result until the host
// cancels it. An e2e test can then cancel a running import every time, instead of racing a file
// big enough to still be importing when its click lands. Unset in every real use.
import path from 'node:path';

export const HOLD_IMPORT_ENV = 'CAIRN_TEST_HOLD_IMPORT';

/** Whether an import of `file` holds its result (only when the test variable names its base name). */
export function holdsImport(file: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const name = env[HOLD_IMPORT_ENV];
  return !!name && path.basename(file) === name;
}

/** Never settles: the job process waits here, its IPC channel open, until it is killed. */
export function holdForever(): Promise<never> {
  return new Promise<never>(() => undefined);
}
