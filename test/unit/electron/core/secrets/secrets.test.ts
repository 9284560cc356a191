// The secret store and references: a URL's password split off (encoded or not), messages masked,
// the store's file written 0600 and refused when others could read it, values kept across opens,
// environment references resolved at use.
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskSecrets, resolveSecret, splitUrlSecret } from '../../../../../electron/core/secrets/secret-refs.js';
import { FileSecretStore } from '../../../../../electron/core/secrets/secret-store.js';
import { tempDirFor } from '../helpers.js';

const folder = tempDirFor('each test', 'cairn-secrets-');

describe('secret references', () => {
  it('splits the password out of a URL and leaves URLs without one alone', () => {
    expect(splitUrlSecret('postgres://u:pw@h:5432/db')).toEqual({ url: 'postgres://u@h:5432/db', password: 'pw' });
    expect(splitUrlSecret('mysql://u:p%40ss%3Aword@h/db?x=1')).toEqual({
      url: 'mysql://u@h/db?x=1',
      password: 'p@ss:word',
    });
    expect(splitUrlSecret('s3://KEY:SECRET@bucket/k?endpoint=http://h:9')).toEqual({
      url: 's3://KEY@bucket/k?endpoint=http://h:9',
      password: 'SECRET',
    });
    expect(splitUrlSecret('postgres://u@h/db')).toEqual({ url: 'postgres://u@h/db' });
    expect(splitUrlSecret('/data/file.sqlite')).toEqual({ url: '/data/file.sqlite' });
  });

  it('masks a secret as typed and URL-encoded', () => {
    expect(maskSecrets('login p@ss failed for p%40ss', ['p@ss'])).toBe('login *** failed for ***');
    expect(maskSecrets('nothing here', [undefined])).toBe('nothing here');
  });

  it('resolves $NAME from the environment at use, and says which variable is missing', async () => {
    const store = new FileSecretStore(path.join(folder.dir, 's.json'));
    expect(await resolveSecret('$PW', 'k', store, 'source "x"', { PW: 'v' })).toBe('v');
    await expect(resolveSecret('$PW', 'k', store, 'source "x"', {})).rejects.toThrow(
      'source "x" takes its password from $PW, which is not set here',
    );
    await expect(resolveSecret('stored', 'k', store, 'source "x"')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(await resolveSecret(null, 'k', store, 'source "x"')).toBeUndefined();
  });
});

describe('FileSecretStore', () => {
  it('keeps values in a 0600 file across opens, and deletes them', async () => {
    const file = path.join(folder.dir, 'secrets.json');
    const store = new FileSecretStore(file);
    await Promise.all([store.set('a', '1'), store.set('b', '2')]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = new FileSecretStore(file);
    expect([await again.get('a'), await again.get('b')]).toEqual(['1', '2']);
    await again.delete('a');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ b: '2' });
  });

  it('refuses a file other users could read', async () => {
    const file = path.join(folder.dir, 'secrets.json');
    await writeFile(file, '{"a":"1"}');
    await chmod(file, 0o644);
    await expect(new FileSecretStore(file).get('a')).rejects.toThrow(/can be read by other users \(mode 644\)/);
  });
});
