// A run trained on a split column (as a pipeline's split step writes one) gets its own training
// rows back when monitoring makes its split again, and its drift report compares live inputs with
// those rows (a KS test per numeric feature), not with the card's profile.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../../../shared/api.js';
import { openDuck } from '../../../../../electron/core/datasets/duck.js';
import type { DatasetsRepo } from '../../../../../electron/core/db/datasets-repo.js';
import { RequestLogDb, type LogRow } from '../../../../../electron/core/db/request-log-db.js';
import { readRunRows, splitParamsOf } from '../../../../../electron/core/monitoring/training-rows.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { runRequestFrom } from '../../../../../electron/core/monitoring/retrainer.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { tempDirFor } from '../helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

/** Rows' parts: every 7th row tests, the next validates, the rest train (150/30/30 of 210). */
const partOf = (i: number) => (i % 7 === 0 ? 'test' : i % 7 === 1 ? 'validation' : 'train');
const N = 210;

const tmp = tempDirFor('file', 'cairn-training-rows-');
let service: CairnService;
let run: Run;

beforeAll(async () => {
  service = await CairnService.open({ home: path.join(tmp.dir, 'home'), host: 'cli' });
  const random = seededRandom(5);
  const lines = ['x1,x2,label,__split'];
  for (let i = 0; i < N; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${x1 + x2 > 0 ? 'yes' : 'no'},${partOf(i)}`);
  }
  await writeFile(path.join(tmp.dir, 'split.csv'), `${lines.join('\n')}\n`);
  await service.invoke('datasets.importNow', { path: path.join(tmp.dir, 'split.csv'), name: 'split' });
  run = await service.invoke('runs.startNow', {
    dataset: 'split',
    target: 'label',
    model: 'logistic_regression',
    epochs: 5,
    splitColumn: '__split',
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
});

describe('a run trained on a split column', () => {
  it('records the column method, and readRunRows gives back the rows the column assigned', async () => {
    const split = splitParamsOf(run);
    expect(split).toMatchObject({
      method: 'column',
      splitColumn: '__split',
      rows: { train: 150, validation: 30, test: 30 },
    });
    const datasets = (service as unknown as { repo: DatasetsRepo }).repo;
    const stored = datasets.version(run.datasetVersionId)!;
    const duck = await openDuck();
    try {
      const rows = await readRunRows(
        duck.conn,
        path.join(service.home, stored.dataFile),
        datasets.profile(stored.id),
        ['x1', 'x2'],
        split!,
      );
      const expected = (part: string) => Array.from({ length: N }, (_, i) => i).filter((i) => partOf(i) === part);
      expect(Array.from(rows.splits.train)).toEqual(expected('train'));
      expect(Array.from(rows.splits.validation)).toEqual(expected('validation'));
      expect(Array.from(rows.splits.test)).toEqual(expected('test'));
    } finally {
      duck.conn.closeSync();
      duck.instance.closeSync();
    }
  });

  it('drifts against the training rows, with a KS test per numeric feature', async () => {
    const log = new RequestLogDb(path.join(service.home, 'logs', 'requests.db'));
    const at = Date.now() - 60_000;
    const random = seededRandom(6);
    const rows: LogRow[] = Array.from({ length: 150 }, (_, i) => ({
      at: at + i,
      model: 'split',
      version: 1,
      status: 200,
      latencyMs: 2,
      predictionId: `s${i}`,
      inputJson: JSON.stringify({ x1: random() * 4 - 2, x2: random() * 4 - 2 }),
      outputJson: JSON.stringify({ label: 'yes', probabilities: { no: 0.4, yes: 0.6 } }),
      answer: 'yes',
      error: null,
    }));
    log.append(rows);
    log.close();
    const overview = await service.invoke('monitoring.overview', { model: 'split', window: '1h' });
    expect(overview.drift.reference).toBe('training_rows');
    expect(overview.drift.features.map((f) => [f.feature, f.ks === null]).sort()).toEqual([
      ['x1', false],
      ['x2', false],
    ]);
  });

  it('retrains with the same split column, not fractions', async () => {
    const version = service.registry.resolve({ name: 'split' });
    const req = runRequestFrom(version, run.datasetVersionId);
    expect(req.splitColumn).toBe('__split');
    expect(req.split).toBeUndefined();
    expect(req.timeColumn).toBeUndefined();
  });
});
