#!/usr/bin/env node
// `npm start`: build (when the sources changed since the last build), then open the desktop app;
// where no Electron binary is installed (it downloads from outside the npm registry), start the
// browser UI instead. Extra arguments go to the app or to `cairn ui` (e.g. `npm start -- --home DIR`).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { isBuildFresh } from './build-freshness.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const sources = [
  'electron/main',
  'electron/cli',
  'electron/preload',
  'electron/core',
  'shared',
  'renderer',
  'electron.vite.config.ts',
  'package.json',
];
const outputs = [
  'out/main/index.js',
  'out/main/cli.js',
  'out/main/job-worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];

/** Whether out/ is missing a bundle or older than any source it is built from. */
export function buildIsStale() {
  return !isBuildFresh(root, outputs, sources);
}

/** Runs `electron-vite build` when out/ is stale (or always with force); throws if it fails. */
export function ensureBuild({ force = false } = {}) {
  if (!force && !buildIsStale()) return;
  const bin = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`electron-vite build failed (exit ${String(result.status ?? result.signal)})`);
}

/** Starts a child with our stdio and mirrors its exit; a terminal's Ctrl-C reaches it directly. */
function runChild(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (err) => {
    console.error(`cairn: could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startBrowserUi(args) {
  runChild(process.execPath, [path.join(root, 'bin', 'cairn.js'), 'ui', ...args]);
}

async function main() {
  const args = process.argv.slice(2);
  ensureBuild();
  const { electronBinary } = await tsImport('../electron/core/environment.ts', import.meta.url);
  const electron = electronBinary();
  if (!electron.present || !electron.executable) {
    console.log('cairn: no Electron binary is installed, so starting the browser UI instead (cairn ui).');
    startBrowserUi(args);
    return;
  }
  const { ensureElectronSqlite } = await import('./electron-native.mjs');
  let binding;
  try {
    binding = await ensureElectronSqlite();
  } catch (err) {
    console.error(
      `cairn: could not build better-sqlite3 for Electron (${err instanceof Error ? err.message : String(err)}); starting the browser UI instead.`,
    );
    startBrowserUi(args);
    return;
  }
  const env = { ...process.env, CAIRN_SQLITE_BINDING: binding ?? '' };
  // Set in some shells and CI images; it would make the binary run as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  if (!binding) delete env.CAIRN_SQLITE_BINDING;
  runChild(electron.executable, [root, ...args], env);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(`cairn: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
