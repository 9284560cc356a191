// The `cairn` command as a user runs it: bin/cairn.js over the fresh build (out/main/cli.js), not
// the TypeScript sources through tsx. Builds first when the build is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliEntry } from '../scripts/build-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** bin/cairn.js, once it is sure to run the build. */
export function builtCairn(): string {
  if (!cliEntry(root).built) {
    console.log('building (npx electron-vite build) so cairn runs as installed ...');
    execFileSync(path.join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, stdio: 'ignore' });
    if (!cliEntry(root).built) throw new Error('the build is still older than its sources');
  }
  return path.join(root, 'bin', 'cairn.js');
}
