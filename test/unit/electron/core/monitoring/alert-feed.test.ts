// The alert feed `cairn monitor --watch` reads: from the moment it starts, each alert that fires
// once, each resolution once (an alert firing before the start included), an alert that fired
// and resolved between two reads as both, and only the model asked for.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../../../shared/api.js';
import { MonitoringRepo } from '../../../../../electron/core/db/monitoring-repo.js';
import { openDb, type Db } from '../../../../../electron/core/db/open.js';
import { AlertFeed, type AlertChange } from '../../../../../electron/core/monitoring/alert-feed.js';
import { tempDirFor } from '../helpers.js';

const tmp = tempDirFor('file', 'cairn-alert-feed-');
let db: Db;
let repo: MonitoringRepo;

beforeAll(() => {
  db = openDb(path.join(tmp.dir, 'app.db'));
  repo = new MonitoringRepo(db);
});
afterAll(() => db?.close());

function fire(ruleId: string, model = 'iris'): Alert {
  return repo.fire({
    ruleId,
    model,
    metric: 'error_rate',
    comparator: '>',
    threshold: 0.05,
    window: '1h',
    action: 'notify',
    value: 0.1,
    message: `${model}: error rate 10 % > 5 % over 1h`,
    features: [],
    firedAt: new Date().toISOString(),
  });
}

const seen = (changes: AlertChange[]) => changes.map((c) => [c.event, c.alert.id]);

describe('AlertFeed', () => {
  it('tells what changed since it started, each change once and in order', () => {
    const before = fire('r1');
    const old = fire('r0');
    repo.resolve(old.id, new Date().toISOString());
    const feed = new AlertFeed(repo);
    const irisOnly = new AlertFeed(repo, 'iris');
    expect(feed.read()).toEqual([]);

    const a = fire('r2');
    expect(seen(feed.read())).toEqual([['fired', a.id]]);
    expect(feed.read()).toEqual([]);

    // Fired and resolved between two reads, and a resolution of one firing before the start.
    const b = fire('r3');
    repo.resolve(b.id, new Date().toISOString());
    repo.resolve(before.id, new Date().toISOString());
    const other = fire('r4', 'wine');
    expect(seen(feed.read())).toEqual([
      ['resolved', before.id],
      ['fired', b.id],
      ['resolved', b.id],
      ['fired', other.id],
    ]);
    repo.resolve(a.id, new Date().toISOString());
    const changes = feed.read();
    expect(seen(changes)).toEqual([['resolved', a.id]]);
    expect(changes[0]?.alert.resolvedAt).not.toBeNull();
    expect(feed.read()).toEqual([]);

    // Read once at the end, for iris alone: wine's alert is left out.
    expect(seen(irisOnly.read())).toEqual([
      ['resolved', before.id],
      ['fired', a.id],
      ['resolved', a.id],
      ['fired', b.id],
      ['resolved', b.id],
    ]);
  });
});
