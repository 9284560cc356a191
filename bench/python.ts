// The Python the benchmarks compare against: Debian's system interpreter, where Debian's
// python3-* packages install, which may not be first on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Installs Debian's `debPackage` with apt unless `imports` (a Python import list) already works. */
export function ensurePython(imports: string, debPackage: string): void {
  const probe = spawnSync(PYTHON, ['-c', `import ${imports}`], { stdio: 'ignore' });
  if (probe.status === 0) return;
  console.log(`${imports} missing: installing Debian ${debPackage} ...`);
  const apt = spawnSync(
    'sh',
    ['-c', `apt-get install -y -qq ${debPackage} || (apt-get update -qq && apt-get install -y -qq ${debPackage})`],
    { stdio: 'inherit' },
  );
  if (apt.status !== 0) throw new Error(`could not install ${debPackage} (needs root and Debian apt)`);
}
