// Which npm packages a Node command loads: every module it resolves through the ESM loader (a
// module.register resolve hook) and every CommonJS module in require's cache when it exits. Used
// to hold commands that must start at once (`cairn --help`) to the packages they need.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Packages whose loading alone costs a command tens to hundreds of milliseconds. */
export const HEAVY_PACKAGES = [
  'zod',
  'better-sqlite3',
  '@duckdb/node-api',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
  'sharp',
  'fastify',
  'protobufjs',
] as const;

// Runs in the loader's own thread (Node 20): it appends each resolved URL to the trace file.
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.CAIRN_LOAD_TRACE, resolved.url + '\\n');
  return resolved;
}`;

// Registers the hooks, and at exit adds the CommonJS modules loaded (require() bypasses the hooks).
const REGISTER = `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});
const require = createRequire(process.execPath);
process.on('exit', () => appendFileSync(process.env.CAIRN_LOAD_TRACE, Object.keys(require.cache).join('\\n') + '\\n'));`;

/** The package a module path or URL belongs to (`@scope/name` or `name`), if it is under node_modules. */
export function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = file.slice(at + '/node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

export interface TracedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every package the command loaded, sorted. */
  packages: string[];
}

/** Runs `node <nodeArgs>` with the trace hooks loaded first, and says which packages it loaded. */
export function tracePackages(nodeArgs: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): TracedRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-load-trace-'));
  try {
    const trace = path.join(dir, 'trace.txt');
    const r = spawnSync(
      process.execPath,
      [`--import=data:text/javascript,${encodeURIComponent(REGISTER)}`, ...nodeArgs],
      { cwd: options.cwd, encoding: 'utf8', env: { ...process.env, ...options.env, CAIRN_LOAD_TRACE: trace } },
    );
    if (!existsSync(trace)) throw new Error(`the traced command did not start: ${r.stderr}`);
    const lines = readFileSync(trace, 'utf8').split('\n');
    const packages = [...new Set(lines.map(packageOf).filter((p): p is string => p !== undefined))].sort();
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
