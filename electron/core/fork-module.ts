// Starting one of core's process entries (the job worker, the endpoint process) with
// child_process.fork: the CLI's and the web host's way (Electron uses utilityProcess instead).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * A launcher for the module `name` beside `besideUrl` (an import.meta.url). Running from
 * TypeScript sources (npm start, tests), the module is loaded through tsx; from a build, as .js.
 * Throws at once when the module is missing, naming it as `what`.
 */
export function moduleForker(besideUrl: string, name: string, what: string): (env?: NodeJS.ProcessEnv) => ChildProcess {
  const here = fileURLToPath(besideUrl);
  const fromSource = here.endsWith('.ts');
  const entry = path.join(path.dirname(here), `${name}${fromSource ? '.ts' : '.js'}`);
  if (!existsSync(entry)) throw new Error(`${what} missing at ${entry}`);
  const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  // The child's stdout goes to the host's stderr: the host's stdout is the CLI's (--json) output,
  // and libraries (TensorFlow.js's banner) print to stdout.
  return (env) => fork(entry, [], { execArgv, env, stdio: ['ignore', 2, 'inherit', 'ipc'], serialization: 'advanced' });
}
