// The request log's retention: rows older than the age limit and the oldest rows beyond the row
// cap are deleted, in bounded chunks, and nothing else is.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLog, RequestLogDb } from '../../../../../electron/core/db/request-log-db.js';
import { logRow, tempDirFor } from '../helpers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 0, 31, 12);

const tmp = tempDirFor('each test', 'cairn-request-log-');
let file: string;
let db: RequestLogDb;

beforeEach(async () => {
  file = path.join(tmp.dir, 'logs', 'requests.db');
  db = new RequestLogDb(file);
});
afterEach(() => {
  db.close();
});

describe('RequestLogDb.prune', () => {
  it('deletes rows older than the age limit', () => {
    // 10 rows a day apart, the newest now: days 9..0 ago.
    db.append(Array.from({ length: 10 }, (_, i) => logRow(NOW - (9 - i) * DAY, i)));
    expect(db.prune({ maxRows: 1_000, maxAgeDays: 3 }, NOW)).toBe(6);
    const left = readLog(file);
    expect(left.map((r) => r.predictionId)).toEqual(['p6', 'p7', 'p8', 'p9']);
    expect(Math.min(...left.map((r) => r.at))).toBeGreaterThanOrEqual(NOW - 3 * DAY);
    expect(db.prune({ maxRows: 1_000, maxAgeDays: 3 }, NOW)).toBe(0);
  });

  it('keeps the newest rows up to the cap', () => {
    db.append(Array.from({ length: 250 }, (_, i) => logRow(NOW - 1000 + i, i)));
    expect(db.prune({ maxRows: 100, maxAgeDays: 30 }, NOW)).toBe(150);
    const left = readLog(file);
    expect(left).toHaveLength(100);
    expect(left[0]?.predictionId).toBe('p150');
    expect(left.at(-1)?.predictionId).toBe('p249');
    // New rows after a prune push the oldest out again.
    db.append(Array.from({ length: 10 }, (_, i) => logRow(NOW, 1000 + i)));
    expect(db.prune({ maxRows: 100, maxAgeDays: 30 }, NOW)).toBe(10);
    expect(readLog(file)[0]?.predictionId).toBe('p160');
  });

  it('applies both limits together, a bounded chunk per call', () => {
    db.append([
      ...Array.from({ length: 50 }, (_, i) => logRow(NOW - 40 * DAY, i)),
      ...Array.from({ length: 150 }, (_, i) => logRow(NOW, 50 + i)),
    ]);
    // 50 too old, then 50 over the cap of 100; at most 30 go per call.
    const retention = { maxRows: 100, maxAgeDays: 30 };
    const deleted: number[] = [];
    for (let n = db.prune(retention, NOW, 30); n > 0; n = db.prune(retention, NOW, 30)) deleted.push(n);
    expect(deleted.every((n) => n <= 60)).toBe(true);
    expect(deleted.reduce((a, b) => a + b, 0)).toBe(100);
    const left = readLog(file);
    expect(left).toHaveLength(100);
    expect(left[0]?.predictionId).toBe('p100');
  });
});
