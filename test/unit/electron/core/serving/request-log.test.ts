// The endpoint's request log end to end: rows handed to the writer thread land in SQLite, and
// the writer prunes to the retention limits (its first batch prunes at once, later ones every
// 30 s).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from '../../../../../electron/core/db/request-log-db.js';
import { RequestLog } from '../../../../../electron/core/serving/request-log.js';
import { logRow, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-request-log-'));
});
afterAll(async () => {
  await cleanup();
});


describe('RequestLog', () => {
  it('writes rows from its thread and prunes past the row cap and the age limit', async () => {
    const file = path.join(dir, 'requests.db');
    const errors: string[] = [];
    const log = new RequestLog({ file, retention: { maxRows: 5, maxAgeDays: 1 }, onError: (m) => errors.push(m) });
    const now = Date.now();
    for (let i = 0; i < 3; i++) log.add(logRow(now - 3 * 86_400_000, i));
    for (let i = 3; i < 20; i++) log.add(logRow(now, i));
    expect(log.buffered).toBe(20);
    await log.close();
    expect(errors).toEqual([]);
    expect(readLog(file).map((r) => r.predictionId)).toEqual(['p15', 'p16', 'p17', 'p18', 'p19']);
  });

  it('drops the oldest waiting rows, and counts them, when the writer falls behind', async () => {
    let dropped = 0;
    const log = new RequestLog({ file: path.join(dir, 'small.db'), maxBuffered: 10, flushMs: 60_000, onDropped: (n) => (dropped += n) });
    for (let i = 0; i < 25; i++) log.add(logRow(Date.now(), i));
    expect(log.buffered).toBe(10);
    expect(dropped).toBe(15);
    await log.close();
    expect(readLog(path.join(dir, 'small.db')).map((r) => r.predictionId)).toEqual(Array.from({ length: 10 }, (_, i) => `p${15 + i}`));
  });
});
