// The "Add source" form: each kind's fields become the URL the engine reads (never with the
// password in it), every bad field is named, the password goes where the form says, a saved source
// reads back into the form for editing (password empty), and an edit sends only what changed.
import { describe, expect, it } from 'vitest';
import { SourceAddRequest, type Source } from '../../../../../shared/api.js';
import { parseS3Url } from '../../../../../electron/core/s3/s3-location.js';
import { checkFields } from '../../../../../electron/core/sources/source-rules.js';
import {
  checkSourceForm,
  emptySourceForm,
  formOfSource,
  maskedUrl,
  updateOf,
  withKind,
  type SourceForm,
} from '../../../../../renderer/src/pages/sources/source-form.js';

const pg = (patch: Partial<SourceForm> = {}): SourceForm => ({
  ...emptySourceForm('postgres'),
  name: 'orders',
  host: 'db.local',
  database: 'shop',
  user: 'ana',
  password: 's3cret:/@',
  query: 'SELECT * FROM orders',
  ...patch,
});

const saved = (patch: Partial<Source> = {}): Source => ({
  id: 'src-1',
  name: 'orders',
  kind: 'postgres',
  url: 'postgres://ana@db.local:5432/shop',
  query: 'SELECT * FROM orders',
  schedule: '0 6 * * *',
  nextRefreshAt: null,
  secretRef: 'stored',
  allowRedirects: false,
  maxBytes: 5 * 1024 ** 3,
  dataset: 'orders',
  datasetId: 'ds-1',
  createdAt: '2026-12-07T00:00:00.000Z',
  updatedAt: '2026-12-07T00:00:00.000Z',
  lastRefresh: null,
  refreshing: false,
  ...patch,
});

describe('the Add source form', () => {
  it('builds a postgres URL without the password, which travels apart and is accepted by the contract', () => {
    const { errors, request } = checkSourceForm(pg({ schedule: '0 6 * * *' }));
    expect(errors).toEqual({});
    expect(request).toMatchObject({
      kind: 'postgres',
      name: 'orders',
      url: 'postgres://ana@db.local:5432/shop',
      password: 's3cret:/@',
      query: 'SELECT * FROM orders',
      schedule: '0 6 * * *',
    });
    expect(request?.url).not.toContain('s3cret');
    expect(() => SourceAddRequest.parse(request)).not.toThrow();
    expect(() => checkFields('postgres', request!.url, request!.query)).not.toThrow();
  });

  it('names each bad field, and offers no draft while the address is incomplete', () => {
    const checked = checkSourceForm(pg({ host: '', port: '70000', user: '', query: ' ', password: '', name: '/x' }));
    expect(Object.keys(checked.errors).sort()).toEqual(['host', 'name', 'password', 'port', 'query', 'user']);
    expect(checked.errors.port).toBe('a port from 1 to 65535');
    expect(checked.draft).toBeUndefined();
    expect(checked.request).toBeUndefined();
  });

  it('tests and previews with a bad name (only Import needs one)', () => {
    const checked = checkSourceForm(pg({ name: '' }));
    expect(checked.errors).toEqual({ name: 'a name is needed' });
    expect(checked.draft?.url).toBe('postgres://ana@db.local:5432/shop');
    expect(checked.request).toBeUndefined();
  });

  it('reads the password from an environment variable when asked, and checks its name', () => {
    expect(checkSourceForm(pg({ passwordMode: 'env', passwordEnv: 'PGPASSWORD' })).request).toMatchObject({
      passwordEnv: 'PGPASSWORD',
    });
    expect(checkSourceForm(pg({ passwordMode: 'env', passwordEnv: 'PGPASSWORD' })).request).not.toHaveProperty(
      'password',
    );
    expect(checkSourceForm(pg({ passwordMode: 'env', passwordEnv: '1-bad' })).errors.passwordEnv).toMatch(
      /environment variable name/,
    );
  });

  it('builds an S3 URL the engine parses: access key id, key, endpoint and region', () => {
    const form: SourceForm = {
      ...withKind(pg(), 's3'),
      bucket: 'exports',
      key: '/2026/day one.csv',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      accessKeyId: 'AKID',
      passwordMode: 'store',
      password: 'secret-key',
    };
    const { request, errors } = checkSourceForm(form);
    expect(errors).toEqual({});
    expect(request).not.toHaveProperty('query');
    expect(parseS3Url(request!.url)).toEqual({
      bucket: 'exports',
      key: '2026/day one.csv',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      accessKeyId: 'AKID',
    });
    expect(checkSourceForm({ ...form, accessKeyId: '' }).errors.accessKeyId).toBeDefined();
  });

  it('takes an http(s) URL with its size limit for the url kind, and refuses anything else', () => {
    const form: SourceForm = { ...withKind(pg(), 'url'), url: 'https://example.com/a.csv', maxMb: '10' };
    expect(checkSourceForm(form).request).toMatchObject({ url: 'https://example.com/a.csv', maxBytes: 10 * 1024 ** 2 });
    expect(checkSourceForm({ ...form, url: 'ftp://x/a.csv' }).errors.url).toMatch(/http/);
    expect(checkSourceForm({ ...form, maxMb: '0' }).errors.maxMb).toBeDefined();
  });

  it('keeps the name, dataset, schedule and query when the kind changes (the query only for a query kind)', () => {
    const mysql = withKind(pg({ dataset: 'o', schedule: '@daily' }), 'mysql');
    expect(mysql).toMatchObject({ name: 'orders', dataset: 'o', schedule: '@daily', query: 'SELECT * FROM orders' });
    expect(mysql.port).toBe('3306');
    expect(withKind(mysql, 'url').query).toBe('');
  });
});

describe('a saved source in the form', () => {
  it('reads back every field, the password never', () => {
    const form = formOfSource(saved());
    expect(form).toMatchObject({ host: 'db.local', port: '5432', database: 'shop', user: 'ana', password: '' });
    expect(form.passwordMode).toBe('store');
    expect(formOfSource(saved({ secretRef: '$PGPASS' }))).toMatchObject({ passwordMode: 'env', passwordEnv: 'PGPASS' });
  });

  it('shows the password as *** in the URL', () => {
    expect(maskedUrl(saved())).toBe('postgres://ana:***@db.local:5432/shop');
    expect(maskedUrl(saved({ secretRef: null }))).toBe('postgres://ana@db.local:5432/shop');
  });

  it('sends only what changed: an empty password keeps the stored one, a cleared schedule is null', () => {
    const source = saved();
    expect(updateOf(source, formOfSource(source))).toEqual({ name: 'src-1' });
    expect(updateOf(source, { ...formOfSource(source), schedule: '', query: 'SELECT 1', name: 'o2' })).toEqual({
      name: 'src-1',
      rename: 'o2',
      query: 'SELECT 1',
      schedule: null,
    });
    expect(updateOf(source, { ...formOfSource(source), password: 'new' })).toEqual({ name: 'src-1', password: 'new' });
    expect(updateOf(source, { ...formOfSource(source), passwordMode: 'env', passwordEnv: 'PW' })).toEqual({
      name: 'src-1',
      passwordEnv: 'PW',
    });
    // From an environment variable to a stored password: one must be typed.
    expect(updateOf(saved({ secretRef: '$PW' }), { ...formOfSource(source), passwordMode: 'store' })).toBeUndefined();
  });
});
