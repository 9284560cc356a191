// Sources through the service's contract, against a local HTTP server: a password typed in the URL
// goes to the 0600 secret store and never into app.db or the logs; a refresh makes a version only
// when the content changed (a 304 or identical bytes make none); a failure leaves the datasets as
// they were and is recorded; schedules that do not parse are refused naming the field.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source, SourceDetail, SourceRefreshResult } from '../../../../../shared/api.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { startHttpFiles, type HttpFiles } from '../../../../support/servers/http-files.js';
import { serviceCaller, tempDirFor } from '../helpers.js';

const PASSWORD = 'hunter2-very-secret';
const folder = tempDirFor('file', 'cairn-sources-');
let web: HttpFiles;
let service: CairnService;
let call: ReturnType<typeof serviceCaller>;
let home: string;

beforeAll(async () => {
  web = await startHttpFiles({ user: 'reader', password: PASSWORD });
  web.set('/people.csv', 'name,age\nada,36\nalan,41\n');
  home = path.join(folder.dir, 'home');
  service = await CairnService.open({ home, host: 'cli', sourceTimeoutMs: 3000 });
  call = serviceCaller(service);
}, 60_000);

afterAll(async () => {
  await service?.close();
  await web?.stop();
});

function withPassword(p: string): string {
  return web.base.replace('http://', `http://reader:${PASSWORD}@`) + p;
}

async function versions(name: string): Promise<number[]> {
  const d = await call<{ versions: { version: number }[] }>('datasets.get', { ref: name });
  return d.versions.map((v) => v.version);
}

describe('sources', () => {
  it('keeps a password typed in the URL in the 0600 store, and the URL without it', async () => {
    const s = await call<Source>('sources.add', { name: 'people', kind: 'url', url: withPassword('/people.csv') });
    expect(s).toMatchObject({
      url: `${web.base.replace('http://', 'http://reader@')}/people.csv`,
      secretRef: 'stored',
    });
    expect(s.datasetId).toBeNull();
    const store = path.join(home, 'secrets.json');
    expect((await stat(store)).mode & 0o777).toBe(0o600);
    expect(await readFile(store, 'utf8')).toContain(PASSWORD);
  });

  it('makes a version on the first refresh, none when the file is not modified or identical, one when it changed', async () => {
    const phases: string[] = [];
    const off = service.events.subscribe((event, payload) => {
      if (event === 'source.refresh') phases.push((payload as { phase: string }).phase);
    });
    const first = await call<SourceRefreshResult>('sources.refresh', { name: 'people' }).finally(off);
    expect(first).toMatchObject({ source: 'people', dataset: 'people', version: 1, changed: true, rows: 2 });
    expect(phases).toEqual(['reading', 'importing', 'ended']);
    const again = await call<SourceRefreshResult>('sources.refresh', { name: 'people' });
    expect(again).toMatchObject({ version: 1, changed: false, rows: 2 });
    expect(again.refresh.status).toBe('unchanged');
    expect(again.refresh.notes).toEqual(['not modified since the last refresh (nothing downloaded)']);
    // The same bytes under another ETag: downloaded in full, and the content hash finds nothing new.
    web.set('/people.csv', 'name,age\nada,36\nalan,41\n', 'text/csv', '"another"');
    expect(await call<SourceRefreshResult>('sources.refresh', { name: 'people' })).toMatchObject({
      version: 1,
      changed: false,
    });
    web.set('/people.csv', 'name,age\nada,36\nalan,41\ngrace,45\n');
    expect(await call<SourceRefreshResult>('sources.refresh', { name: 'people' })).toMatchObject({
      version: 2,
      changed: true,
      rows: 3,
    });
    expect(await versions('people')).toEqual([2, 1]);
    const detail = await call<SourceDetail>('sources.get', { name: 'people' });
    expect(detail.refreshes.map((r) => r.status)).toEqual(['changed', 'unchanged', 'unchanged', 'changed']);
    expect(detail.lastRefresh).toMatchObject({ status: 'changed', version: 2, rows: 3 });
    expect(detail.datasetId).not.toBeNull();
  });

  it('records a failed refresh and leaves the datasets as they were', async () => {
    const before = await call<unknown[]>('datasets.list', {});
    web.remove('/people.csv');
    await expect(call('sources.refresh', { name: 'people' })).rejects.toThrow(/not_found/);
    web.set('/page.csv', '<html><body>login</body></html>', 'text/html');
    await call('sources.add', { name: 'page', kind: 'url', url: withPassword('/page.csv') });
    await expect(call('sources.refresh', { name: 'page' })).rejects.toThrow(/text\/html, not a CSV/);
    expect(await call<unknown[]>('datasets.list', {})).toEqual(before);
    const [failed] = await call<SourceDetail['refreshes']>('sources.history', { name: 'people' });
    expect(failed).toMatchObject({ status: 'failed', changed: false, error: { code: 'not_found' } });
    expect(await versions('people')).toEqual([2, 1]);
    expect((await call<Source>('sources.get', { name: 'page' })).datasetId).toBeNull();
  });

  it('never writes the password into app.db or any log, and never returns it', async () => {
    const listed = JSON.stringify(await call('sources.list', {}));
    expect(listed).not.toContain(PASSWORD);
    await service.close();
    const files = (await readdir(home, { recursive: true })).filter(
      (f) => /app\.db|\.log$|logs\//.test(f) && !f.endsWith('logs'),
    );
    expect(files).toContain('app.db');
    for (const f of files) expect(await readFile(path.join(home, f)), f).not.toContain(Buffer.from(PASSWORD));
    service = await CairnService.open({ home, host: 'cli', sourceTimeoutMs: 3000 });
    call = serviceCaller(service);
  });

  it('takes the password from an environment variable named in the source, at each use', async () => {
    web.set('/people.csv', 'name,age\nada,36\n');
    const s = await call<Source>('sources.add', {
      name: 'by-env',
      kind: 'url',
      url: `${web.base.replace('http://', 'http://reader@')}/people.csv`,
      passwordEnv: 'CAIRN_TEST_SOURCE_PASSWORD',
    });
    expect(s.secretRef).toBe('$CAIRN_TEST_SOURCE_PASSWORD');
    await expect(call('sources.refresh', { name: 'by-env' })).rejects.toThrow(
      /unauthorized: source "by-env" takes its password from \$CAIRN_TEST_SOURCE_PASSWORD, which is not set here/,
    );
    process.env.CAIRN_TEST_SOURCE_PASSWORD = PASSWORD;
    try {
      expect(await call<SourceRefreshResult>('sources.refresh', { name: 'by-env' })).toMatchObject({ version: 1 });
    } finally {
      delete process.env.CAIRN_TEST_SOURCE_PASSWORD;
    }
  });

  it('refuses a schedule that does not parse, naming its field; gives a good one its next times', async () => {
    await expect(
      call('sources.add', { name: 'sched', kind: 'url', url: `${web.base}/x.csv`, schedule: '61 * * * *' }),
    ).rejects.toThrow(/invalid_argument: schedule "61 \* \* \* \*": the minute field "61" does not parse/);
    await expect(call('sources.checkSchedule', { schedule: '0 6 * 13 *' })).rejects.toThrow(/the month field "13"/);
    await expect(call('sources.checkSchedule', { schedule: 'every day' })).rejects.toThrow(
      /a cron schedule has 5 fields/,
    );
    const ok = await call<{ next: string[] }>('sources.checkSchedule', { schedule: '0 6 * * *', count: 2 });
    expect(ok.next).toHaveLength(2);
    expect(ok.next.every((t) => new Date(t).getUTCMinutes() === 0)).toBe(true);
    const s = await call<Source>('sources.add', {
      name: 'sched',
      kind: 'url',
      url: `${web.base}/x.csv`,
      schedule: '0 6 * * *',
    });
    expect(s.nextRefreshAt).not.toBeNull();
    expect(await call('sources.list', {})).toHaveLength(4);
  });

  it('refuses fields that do not fit the kind, and removes a source with its secret', async () => {
    await expect(
      call('sources.add', { name: 'q', kind: 'url', url: `${web.base}/x.csv`, query: 'SELECT 1' }),
    ).rejects.toThrow(/takes no query/);
    await expect(call('sources.add', { name: 'q', kind: 's3', url: `${web.base}/x.csv` })).rejects.toThrow(
      /s3:\/\/bucket\/key/,
    );
    await expect(call('sources.add', { name: 'people', kind: 'url', url: `${web.base}/x.csv` })).rejects.toThrow(
      /conflict/,
    );
    expect(await call('sources.remove', { name: 'people' })).toEqual({ removed: true });
    expect(await readFile(path.join(home, 'secrets.json'), 'utf8')).toContain(PASSWORD); // "page" still has it
    await call('sources.remove', { name: 'page' });
    expect(await readFile(path.join(home, 'secrets.json'), 'utf8')).not.toContain(PASSWORD);
    expect(await versions('people')).toEqual([2, 1]);
  });
});
