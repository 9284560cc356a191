// The endpoint's request log end to end: rows handed to the writer thread land in SQLite, and
// the writer prunes to the retention limits (its first batch prunes at once, later ones every
// 30 s).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readLog, type LogRow } from '../../../../../electron/core/db/request-log-db.js';
import { RequestLog } from '../../../../../electron/core/serving/request-log.js';
import { logRow, tempDirFor } from '../helpers.js';

const tmp = tempDirFor('file', 'cairn-request-log-');

describe('RequestLog', () => {
  it('writes rows from its thread and prunes past the row cap and the age limit', async () => {
    const file = path.join(tmp.dir, 'requests.db');
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

  it('hands every field of every row to the writer, answers included', async () => {
    const file = path.join(tmp.dir, 'fields.db');
    const at = Date.now();
    const rows: LogRow[] = [
      {
        at,
        model: 'Iris',
        version: 2,
        status: 200,
        latencyMs: 1.25,
        predictionId: 'a',
        inputJson: '{"x":1}',
        outputJson: '{"label":"b"}',
        answer: 'b',
        error: null,
      },
      {
        at: at + 1,
        model: 'house',
        version: 1,
        status: 200,
        latencyMs: 3.5,
        predictionId: 'b',
        inputJson: '{"x":null}',
        outputJson: '{"value":-2}',
        answer: -2,
        error: null,
      },
      {
        at: at + 2,
        model: 'nobody',
        version: null,
        status: 404,
        latencyMs: 0.1,
        predictionId: null,
        inputJson: null,
        outputJson: null,
        answer: null,
        error: 'no model named "nobody"',
      },
    ];
    const log = new RequestLog({ file });
    for (const r of rows) log.add(r);
    await log.close();
    expect(readLog(file).map(({ id: _id, ...r }) => r)).toEqual(rows.map(({ answer: _answer, ...r }) => r));
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT model, class, bin, count FROM output_minutes ORDER BY model').all()).toEqual([
        { model: 'house', class: '', bin: expect.any(Number) as number, count: 1 },
        { model: 'Iris', class: 'b', bin: 0, count: 1 },
      ]);
    } finally {
      db.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    'writes from a thread of lower priority (nice 5) than the endpoint, on Linux',
    async () => {
      // Nice value (field 19) of a stat line; the command name before it may hold spaces or ')'.
      const nice = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      const threads = () =>
        readdirSync('/proc/self/task').map((t) => nice(readFileSync(`/proc/self/task/${t}/stat`, 'utf8')));
      const main = nice(readFileSync('/proc/self/stat', 'utf8'));
      const lowered = () => threads().filter((n) => n >= Math.min(19, main + 5)).length;
      const before = lowered();
      const log = new RequestLog({ file: path.join(tmp.dir, 'nice.db') });
      // A feedback round trip: the writer has started, and lowered its priority first.
      await log.feedback('nobody', []);
      expect(lowered()).toBeGreaterThan(before);
      // The process (its main thread, which answers requests) keeps its priority.
      expect(nice(readFileSync('/proc/self/stat', 'utf8'))).toBe(main);
      await log.close();
    },
  );

  it('counts rows handed to the writer and not yet written against the limit', async () => {
    let dropped = 0;
    const file = path.join(tmp.dir, 'behind.db');
    const log = new RequestLog({ file, maxBuffered: 10, flushMs: 60_000, onDropped: (n) => (dropped += n) });
    const now = Date.now();
    for (let i = 0; i < 8; i++) log.add(logRow(now, i));
    // Handed over; the writer cannot have answered yet (this test has not yielded).
    log.flush();
    expect(log.buffered).toBe(8);
    for (let i = 8; i < 15; i++) log.add(logRow(now, i));
    expect(log.buffered).toBe(10);
    expect(dropped).toBe(5);
    await log.close();
    expect(readLog(file).map((r) => r.predictionId)).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
      'p7',
      'p13',
      'p14',
    ]);
    expect(log.buffered).toBe(0);
  });

  it('drops the oldest waiting rows, and counts them, when the writer falls behind', async () => {
    let dropped = 0;
    const log = new RequestLog({
      file: path.join(tmp.dir, 'small.db'),
      maxBuffered: 10,
      flushMs: 60_000,
      onDropped: (n) => (dropped += n),
    });
    for (let i = 0; i < 25; i++) log.add(logRow(Date.now(), i));
    expect(log.buffered).toBe(10);
    expect(dropped).toBe(15);
    await log.close();
    expect(readLog(path.join(tmp.dir, 'small.db')).map((r) => r.predictionId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `p${15 + i}`),
    );
  });
});
