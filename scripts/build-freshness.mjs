// Whether electron-vite's build (out/) is up to date with the sources it is built from: the one
// rule by which `cairn` and `npm start` use the build, and never a stale one. Plain JavaScript with
// no dependencies, as bin/cairn.js loads it before anything else.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What out/main/cli.js (the `cairn` command and the job and endpoint entries it forks) is built from. */
export const CLI_SOURCES = ['electron/cli', 'electron/core', 'shared', 'electron.vite.config.ts', 'package.json'];

/** The newest modification time of a file, or of any file under a folder (0 when it is absent). */
export function newestMtime(root, entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const dirent of readdirSync(full, { recursive: true, withFileTypes: true })) {
    const parent = dirent.parentPath ?? dirent.path;
    if (!dirent.isFile() || /[\\/](node_modules|dist)([\\/]|$)/.test(parent)) continue;
    newest = Math.max(newest, statSync(path.join(parent, dirent.name)).mtimeMs);
  }
  return newest;
}

/**
 * Whether every output exists and is newer than every source. A layout without the sources (an
 * installed package holding only the build) counts as fresh.
 */
export function isBuildFresh(root, outputs, sources) {
  const built = outputs.map((file) => path.join(root, file));
  if (built.some((file) => !existsSync(file))) return false;
  const oldestOutput = Math.min(...built.map((file) => statSync(file).mtimeMs));
  return sources.every((entry) => newestMtime(root, entry) <= oldestOutput);
}

/**
 * The module whose `main` runs the `cairn` command: the built out/main/cli.js when it is fresh
 * (plain Node, no transpiling at start), else the TypeScript source, to be loaded through tsx.
 */
export function cliEntry(root) {
  const built = path.join(root, 'out', 'main', 'cli.js');
  if (isBuildFresh(root, ['out/main/cli.js'], CLI_SOURCES)) return { file: built, built: true };
  return { file: path.join(root, 'electron', 'cli', 'main.ts'), built: false };
}
