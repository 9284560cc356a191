// A database kind through the service (SQLite: a file, no server): the registry reaches the kinds
// sources-db wrote; a refresh after an UPDATE makes a new version, one after nothing changed none.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnService } from '../../../../../electron/core/service.js';
import { tempDirFor } from '../helpers.js';

const folder = tempDirFor('file', 'cairn-database-source-');
let service: CairnService;
let file: string;

beforeAll(async () => {
  file = path.join(folder.dir, 'shop.sqlite');
  const db = new Database(file);
  db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, city TEXT);
           INSERT INTO orders VALUES (1, 9.5, 'Oslo'), (2, 20, 'Lima'), (3, 7.25, 'Pune');`);
  db.close();
  service = await CairnService.open({ home: path.join(folder.dir, 'home'), host: 'cli' });
});

afterAll(async () => {
  await service?.close();
});

describe('a SQLite source', () => {
  it('refreshes into versions: changed after an UPDATE, unchanged after nothing', async () => {
    await service.invoke('sources.add', {
      name: 'orders',
      kind: 'sqlite',
      url: file,
      query: 'SELECT id, amount, city FROM orders ORDER BY id',
    });
    const preview = await service.invoke('sources.preview', { name: 'orders', limit: 2 });
    expect(preview.rows).toHaveLength(2);
    expect(await service.invoke('sources.refresh', { name: 'orders' })).toMatchObject({
      version: 1,
      changed: true,
      rows: 3,
    });
    expect(await service.invoke('sources.refresh', { name: 'orders' })).toMatchObject({ version: 1, changed: false });
    const db = new Database(file);
    db.prepare('UPDATE orders SET amount = 11 WHERE id = 1').run();
    db.close();
    expect(await service.invoke('sources.refresh', { name: 'orders' })).toMatchObject({
      version: 2,
      changed: true,
      rows: 3,
    });
  });

  it('says a query that fails, and records it', async () => {
    await service.invoke('sources.add', { name: 'bad', kind: 'sqlite', url: file, query: 'SELECT nope FROM orders' });
    await expect(service.invoke('sources.refresh', { name: 'bad' })).rejects.toThrow(/nope/);
    const [r] = await service.invoke('sources.history', { name: 'bad' });
    expect(r).toMatchObject({ status: 'failed' });
  });

  it('reads a SQLite file only as the host file policy allows: the browser host refuses a path', async () => {
    const browser = await CairnService.open({ home: path.join(folder.dir, 'home-browser'), host: 'browser' });
    try {
      await expect(
        browser.invoke('sources.add', { name: 'x', kind: 'sqlite', url: file, query: 'SELECT 1' }),
      ).rejects.toMatchObject({ code: 'unauthorized' });
      expect(await browser.invoke('sources.list', {})).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
