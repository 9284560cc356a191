#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI. node_modules keeps the build for Node's ABI, which the
// CLI and the tests use; the desktop app needs a second one, compiled against Electron's headers.
// It goes to .cache/electron-native/<electron version>/better_sqlite3.node, built once per version,
// and the main process finds it there (or through CAIRN_SQLITE_BINDING). Packaged builds do not
// use this: electron-builder rebuilds native modules itself.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Compiles a private copy of better-sqlite3 with node-gyp and the given extra arguments (target,
 * headers), then moves its binding to `out`. The copy keeps node_modules' own build untouched.
 */
export function compileSqliteBinding(out, gypArgs, log = console.log) {
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  const work = mkdtempSync(path.join(os.tmpdir(), 'cairn-sqlite-'));
  try {
    const copy = path.join(work, 'better-sqlite3');
    cpSync(source, copy, {
      recursive: true,
      // The existing build is for Node's ABI; a stale build folder would make node-gyp skip work.
      filter: (file) => !['build', 'node_modules'].includes(path.relative(source, file)),
    });
    // npm passes .npmrc settings (nodedir, target, runtime, ...) to children as npm_config_*,
    // and node-gyp obeys them: under `npm start` they would point it at Node's headers.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|devdir)$/i.test(key),
      ),
    );
    log(`cairn: building better-sqlite3 (${gypArgs.join(' ')}), this takes a few minutes once`);
    const result = spawnSync(
      process.execPath,
      [nodeGyp, 'rebuild', '--release', `--jobs=${os.availableParallelism()}`, ...gypArgs],
      {
        cwd: copy,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (result.status !== 0)
      throw new Error(`node-gyp rebuild failed (exit ${String(result.status ?? result.signal)})`);
    const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) throw new Error(`node-gyp finished but ${built} is missing`);
    mkdirSync(path.dirname(out), { recursive: true });
    // Copied beside the target and renamed, so an interrupted build never leaves a partial binding.
    const partial = `${out}.partial-${process.pid}`;
    copyFileSync(built, partial);
    renameSync(partial, out);
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The path of better-sqlite3 built for the installed Electron, building it if it is not cached;
 * null when no Electron binary is installed (there is nothing to build for).
 */
export async function ensureElectronSqlite(log = console.log) {
  const { electronBinary } = await tsImport('../electron/core/environment.ts', import.meta.url);
  const { electronSqliteBindingPath } = await tsImport('../electron/main/native-binding.ts', import.meta.url);
  const electron = electronBinary();
  if (!electron.present || !electron.version) return null;
  const out = electronSqliteBindingPath(root, electron.version);
  if (existsSync(out)) return out;
  return compileSqliteBinding(
    out,
    [
      `--target=${electron.version}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
      `--devdir=${path.join(root, '.cache', 'electron-gyp')}`,
    ],
    log,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const out = await ensureElectronSqlite();
    console.log(
      out ? `cairn: better-sqlite3 for Electron: ${out}` : 'cairn: no Electron binary installed, nothing to build',
    );
  } catch (err) {
    console.error(
      `cairn: could not build better-sqlite3 for Electron: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exitCode = 1;
  }
}
