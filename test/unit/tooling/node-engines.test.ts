// README promises Node 20.19 or newer, and `npm install` warns EBADENGINE for a few packages whose
// `engines` ask for Node 22.12: Electron 45's download and rebuild tooling (electron, @electron/get,
// @electron-internal/extract-zip, @electron/rebuild, node-abi) and fastify's test helper's cookie
// parser. They are plain JavaScript that runs on Node 20 (their engines follow Electron's own
// support policy, not a Node API they need). This test keeps that claim true: the packages whose
// engines exclude the running Node are exactly these, and each one loads and works here. A new
// package that excludes Node 20 fails it, so the README's version cannot silently become untrue.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

/** Lock entries (path -> engines.node) the running Node does not satisfy. */
function excluding(): string[] {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([, m]) => !m.optional && m.engines && !Array.isArray(m.engines) && m.engines.node)
    .filter(
      ([, m]) => !semver.satisfies(process.version, (m.engines as { node: string }).node, { includePrerelease: true }),
    )
    .map(([p]) => p)
    .sort();
}

const KNOWN = [
  'node_modules/@electron-internal/extract-zip',
  'node_modules/@electron/get',
  'node_modules/@electron/rebuild',
  // kubernetes-models validates deploy/worker-deployment.yaml in a dev-only test that runs on Node 20.
  'node_modules/@kubernetes-models/apimachinery',
  'node_modules/@kubernetes-models/base',
  'node_modules/@kubernetes-models/validate',
  'node_modules/cookie',
  'node_modules/electron',
  'node_modules/kubernetes-models',
  'node_modules/node-abi',
];

describe('packages that ask for a newer Node than this one', () => {
  it.runIf(semver.lt(process.version, '22.12.0'))('are only the known Electron tooling and cookie', () => {
    expect(excluding()).toEqual(KNOWN);
  });

  it('load and work on this Node', async () => {
    const cookie = await import('cookie');
    expect(cookie.parseCookie('a=b%20c').a).toBe('b c');
    // node-abi ships no types; a variable specifier keeps the type checker from asking for them.
    const nodeAbi = 'node-abi';
    const abi = (await import(nodeAbi)) as { getAbi(target: string, runtime: string): string };
    expect(Number(abi.getAbi('45.0.0', 'electron'))).toBeGreaterThan(100);
    expect(typeof (await import('@electron/get')).downloadArtifact).toBe('function');
    expect(typeof (await import('@electron/rebuild')).rebuild).toBe('function');
    const zip = (await import('@electron-internal/extract-zip')) as unknown as { extract?: unknown; default?: unknown };
    expect(typeof (zip.extract ?? zip.default)).toBe('function');
    // electron's own install script (it downloads the binary where it can) at least parses here.
    const check = spawnSync(process.execPath, ['--check', path.join(root, 'node_modules', 'electron', 'install.js')]);
    expect(check.status, check.stderr.toString()).toBe(0);
  });
});
