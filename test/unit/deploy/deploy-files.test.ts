// The deployment examples under deploy/ (README, "Running a fleet"), each checked by a tool made
// for it: the Dockerfile parsed by dockerfile-ast (the parser of the Docker language server; hadolint
// is not in Debian) and held to the rules that matter for a worker image, the Kubernetes
// Deployment validated against the API's schema by kubernetes-models, and the systemd unit by
// `systemd-analyze verify`. Each check is also shown to refuse a broken copy.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Copy, DockerfileParser, Env, type Dockerfile } from 'dockerfile-ast';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { tempDirFor } from '../electron/core/helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const deployFile = (name: string) => path.join(ROOT, 'deploy', name);
const tmp = tempDirFor('each test', 'cairn-deploy-');

/** What is wrong with a worker Dockerfile, by the rules that matter for it; empty when nothing. */
function dockerfileProblems(text: string): string[] {
  const file: Dockerfile = DockerfileParser.parse(text);
  const problems: string[] = [];
  const stages = new Set(
    file
      .getFROMs()
      .map((f) => f.getBuildStage())
      .filter((s) => s !== null),
  );
  for (const from of file.getFROMs()) {
    const image = from.getImageName() ?? '';
    if (stages.has(image)) continue;
    const tag = from.getImageTag();
    // Pinned: a digest, or a full version (x.y.z), never latest or a moving major.
    if (!from.getImageDigest() && !(tag && /^\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/.test(tag)))
      problems.push(`base ${from.getImage() ?? '?'} is not pinned to a full version or digest`);
  }
  const instructions = file.getInstructions();
  const runs = instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');
  if (!runs.some((r) => /\bnpm ci\b[^&]*--omit=dev\b/.test(r))) problems.push('no `npm ci --omit=dev`');
  if (runs.some((r) => /\bnpm (install|i)\b/.test(r))) problems.push('`npm install` (not the lockfile) is used');
  const env = new Map(
    instructions
      .filter((i) => i instanceof Env)
      .flatMap((i) => i.getProperties())
      .map((p) => [p.getName(), p.getValue()]),
  );
  if (env.get('ELECTRON_SKIP_BINARY_DOWNLOAD') !== '1') problems.push('ELECTRON_SKIP_BINARY_DOWNLOAD is not 1');
  // The final stage's user: set, and not root.
  const last = file.getFROMs().at(-1)!.getRange().start.line;
  const users = instructions
    .filter((i) => i.getKeyword() === 'USER' && i.getRange().start.line > last)
    .map((i) => i.getArgumentsContent() ?? '');
  const user = users.at(-1);
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push('the worker runs as root');
  const entry = instructions.find((i) => i.getKeyword() === 'ENTRYPOINT')?.getArgumentsContent() ?? '';
  if (!/bin\/cairn\.js".*"worker"/.test(entry)) problems.push('the entrypoint is not `cairn worker`');
  // What it copies from the repository must exist in it.
  for (const copy of instructions.filter((i) => i instanceof Copy)) {
    if (copy.getFlags().some((f) => f.getName() === 'from')) continue;
    const args = copy.getArguments().map((a) => a.getValue());
    for (const source of args.slice(0, -1))
      if (!existsSync(path.join(ROOT, source))) problems.push(`COPY ${source}: no such file here`);
  }
  return problems;
}

describe('deploy/Dockerfile', () => {
  it('is pinned, installs no dev dependencies nor Electron, and runs cairn worker as a user', async () => {
    const text = await readFile(deployFile('Dockerfile'), 'utf8');
    expect(dockerfileProblems(text)).toEqual([]);
  });

  it('(the check refuses a root, unpinned image that installs everything)', () => {
    const bad =
      'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nENTRYPOINT ["node", "bin/cairn.js", "worker"]\n';
    expect(dockerfileProblems(bad)).toEqual([
      'base node:20-slim is not pinned to a full version or digest',
      'no `npm ci --omit=dev`',
      '`npm install` (not the lockfile) is used',
      'ELECTRON_SKIP_BINARY_DOWNLOAD is not 1',
      'the worker runs as root',
    ]);
  });
});

describe('deploy/worker-deployment.yaml', () => {
  const load = async () =>
    parseYaml(await readFile(deployFile('worker-deployment.yaml'), 'utf8')) as Record<string, unknown>;

  it('is a Deployment valid against the Kubernetes schema, running cairn worker as non-root', async () => {
    const manifest = await load();
    const deployment = new Deployment(manifest);
    expect(() => deployment.validate()).not.toThrow();
    const pod = deployment.spec!.template.spec!;
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    const worker = pod.containers[0]!;
    expect(worker.args?.slice(0, 4)).toEqual([
      '--queue',
      expect.stringMatching(/^rediss?:\/\//),
      '--store',
      expect.stringMatching(/^(s3:\/\/|\/)/),
    ]);
    // No credential in the manifest itself: only references to a Secret.
    expect(worker.env?.filter((e) => e.value !== undefined)).toEqual([]);
  });

  it('(the schema refuses a broken copy)', async () => {
    const manifest = await load();
    const spec = manifest.spec as Record<string, unknown>;
    const broken = new Deployment({ ...manifest, spec: { ...spec, replicas: 'four' } } as never);
    expect(() => broken.validate()).toThrow(/replicas/);
  });
});

describe('deploy/cairn-worker.service', () => {
  const verify = (file: string) =>
    spawnSync('systemd-analyze', ['verify', file], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_LOG_COLOR: '0' },
    });

  it('passes systemd-analyze verify', () => {
    const result = verify(deployFile('cairn-worker.service'));
    expect(result.error).toBeUndefined();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('(verify refuses a broken copy)', async () => {
    const text = await readFile(deployFile('cairn-worker.service'), 'utf8');
    const broken = path.join(tmp.dir, 'cairn-worker.service');
    await writeFile(broken, text.replace(/^ExecStart=\/usr\/bin\/node/m, 'ExecStart=node-nowhere'));
    expect(verify(broken).status).not.toBe(0);
  });
});
