// Facts about this installation that `cairn doctor`, app.info and `npm start` report.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Not named `require`: electron-vite's ESM shim declares its own top-level `require` in the bundle.
const requireHere = createRequire(import.meta.url);

export interface ElectronBinary {
  present: boolean;
  version?: string;
  executable?: string;
}

/**
 * Whether the electron package has its binary. We read the files its index.js reads instead of
 * requiring it, because requiring it starts a download when the binary is missing.
 */
export function electronBinary(): ElectronBinary {
  let dir: string;
  try {
    dir = path.dirname(requireHere.resolve('electron/package.json'));
  } catch {
    return { present: false };
  }
  const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { present: false, version };
  const executable = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? { present: true, version, executable } : { present: false, version };
}

/** Version of an installed package, or undefined when it is not installed. */
export function packageVersion(name: string): string | undefined {
  try {
    const file = requireHere.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Cairn's own version, from the package.json at the repository (or app) root. */
export function cairnVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}
