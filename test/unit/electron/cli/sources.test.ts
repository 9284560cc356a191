// `cairn sources add|list|refresh|rm` as scripts run them, against a local HTTP server: the exact
// JSON of refresh, passwords shown as *** (or $NAME) and never printed, a schedule that does not
// parse, and rm. The commands run as child processes (startCairn): the server answers meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFiles, type HttpFiles } from '../../../support/servers/http-files.js';
import { cliWorkspace, startCairn, type CliResult } from './run-cairn.js';

const PASSWORD = 'cli-pass-0123456789';
const ws = cliWorkspace('cairn-cli-sources-');
let web: HttpFiles;

beforeAll(async () => {
  web = await startHttpFiles({ user: 'u', password: PASSWORD });
  web.set('/people.csv', 'name,age\nada,36\nalan,41\n');
});

afterAll(async () => {
  await web?.stop();
});

async function cairn(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const run = startCairn(ws.home, args, env);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

async function json<T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const r = await cairn([...args, '--json'], env);
  if (r.code !== 0) throw new Error(r.stderr);
  expect(r.stdout).not.toContain(PASSWORD);
  return JSON.parse(r.stdout) as T;
}

describe('cairn sources', () => {
  it('adds a source with the password taken out of its URL, and lists it as ***', async () => {
    const url = `${web.base.replace('http://', `http://u:${PASSWORD}@`)}/people.csv`;
    const added = await json<{ secretRef: string; url: string }>([
      'sources',
      'add',
      'people',
      '--kind',
      'url',
      '--url',
      url,
    ]);
    expect(added).toMatchObject({ secretRef: '***', url: `${web.base.replace('http://', 'http://u@')}/people.csv` });
    const listed = await json<{ name: string; secretRef: string }[]>(['sources', 'list']);
    expect(listed.map((s) => [s.name, s.secretRef])).toEqual([['people', '***']]);
    const text = await cairn(['sources', 'list']);
    expect(text.stdout).toMatch(/people\s+url\s+\S+people\.csv\s+\*\*\*\s+people/);
    expect(text.stdout).not.toContain(PASSWORD);
  });

  it('refresh --json prints exactly source, dataset, version, changed and rows', async () => {
    expect(await json(['sources', 'refresh', 'people'])).toEqual({
      source: 'people',
      dataset: 'people',
      version: 1,
      changed: true,
      rows: 2,
    });
    const again = await cairn(['sources', 'refresh', 'people']);
    expect(again.stdout).toMatch(/^people → dataset "people": unchanged \(still version 1\), 2 rows/);
  });

  it('takes --password-env, read at refresh', async () => {
    const url = `${web.base.replace('http://', 'http://u@')}/people.csv`;
    const added = await json<{ secretRef: string }>([
      'sources',
      'add',
      'env',
      '--kind',
      'url',
      '--url',
      url,
      '--password-env',
      'PEOPLE_PW',
      '--dataset',
      'people2',
    ]);
    expect(added.secretRef).toBe('$PEOPLE_PW');
    const r = await json<{ dataset: string; version: number }>(['sources', 'refresh', 'env'], { PEOPLE_PW: PASSWORD });
    expect(r).toMatchObject({ dataset: 'people2', version: 1 });
  });

  it('refuses a schedule that does not parse with exit code 1, naming the field', async () => {
    const bad = await cairn([
      'sources',
      'add',
      's',
      '--kind',
      'url',
      '--url',
      `${web.base}/x.csv`,
      '--schedule',
      '0 25 * * *',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/the hour field "25" does not parse/);
  });

  it('rm forgets a source (its dataset stays); a second rm exits 1', async () => {
    const r = await cairn(['sources', 'rm', 'people']);
    expect(r.code).toBe(0);
    expect((await json<{ name: string }[]>(['sources', 'list'])).map((s) => s.name)).toEqual(['env']);
    expect((await cairn(['sources', 'rm', 'people'])).code).toBe(1);
    expect((await json<{ name: string }[]>(['datasets', 'list'])).map((d) => d.name).sort()).toEqual([
      'people',
      'people2',
    ]);
  });
});
