// The monitoring methods through the service's contract: CSV feedback with per-row problems,
// rules checked against the model's task, deleted rules resolving their alerts, retrain policies
// with a metric of the task, triggers by schedule and by a new dataset version, and the models list.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLogDb, type LogRow } from '../../../../../electron/core/db/request-log-db.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { classificationCsv, regressionCsv } from '../training/data.js';
import { tempDir } from '../helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let cleanup: () => Promise<void>;
let service: CairnService;
let loggedAt: number;
const quick = { model: 'logistic_regression' as const, epochs: 5, learningRate: 0.1 };

/** Logs `n` answered predictions of a model a minute ago, ids `<prefix>0..n-1`. */
function logPredictions(model: string, n: number, out: (i: number) => unknown, prefix: string): void {
  const log = new RequestLogDb(path.join(service.home, 'logs', 'requests.db'));
  const at = Date.now() - 60_000;
  loggedAt = at;
  const rows: LogRow[] = Array.from({ length: n }, (_, i) => ({
    at: at + i,
    model,
    version: 1,
    status: 200,
    latencyMs: 2,
    predictionId: `${prefix}${i}`,
    inputJson: JSON.stringify({ x1: 0.5, x2: -0.5, color: 'red' }),
    outputJson: JSON.stringify(out(i)),
    answer: ((o) => o.label ?? o.value ?? null)(out(i) as { label?: string; value?: number }),
    error: null,
  }));
  log.append(rows);
  log.close();
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-monitoring-contract-'));
  service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  await writeFile(path.join(dir, 'flowers.csv'), classificationCsv());
  await writeFile(path.join(dir, 'prices.csv'), regressionCsv());
  await service.invoke('datasets.importNow', { path: path.join(dir, 'flowers.csv') });
  await service.invoke('datasets.importNow', { path: path.join(dir, 'prices.csv') });
  await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...quick });
  await service.invoke('runs.startNow', { dataset: 'prices', target: 'y', model: 'linear_regression', epochs: 5 });
  logPredictions('flowers', 10, () => ({ label: 'true', probabilities: { false: 0.1, true: 0.9 } }), 'f');
  logPredictions('prices', 5, () => ({ value: 10 }), 'p');
  // A mistyped model name in a URL is logged as refused traffic, but is no model to monitor.
  logPredictions('pricse', 1, () => ({ value: 1 }), 'x');
}, 120_000);

afterAll(async () => {
  await service?.close();
  await cleanup();
});

describe('feedback from CSV', () => {
  it('stores good rows and reports unknown ids and bad rows by their CSV row', async () => {
    const csv = ['label,id,note', 'true,f0,ok', 'false,f1,', 'purple,f2,', ',f3,', 'true,,', 'true,nope,'].join('\n');
    const r = await service.invoke('monitoring.feedbackCsv', { model: 'flowers', csv });
    expect(r).toEqual({
      rows: 6,
      accepted: 2,
      unknown: ['nope'],
      invalid: [
        { row: 4, id: 'f2', message: 'label "purple" is not one of the model\'s classes (false, true)' },
        { row: 5, id: 'f3', message: 'the label is empty' },
        { row: 6, id: null, message: 'the id is empty' },
      ],
    });
    const o = await service.invoke('monitoring.overview', { model: 'flowers', window: '1h' });
    expect(o.live).toMatchObject({ metric: 'accuracy', labelled: 2, value: 0.5 });
  });

  it('reads numbers written as text for a regressor, from a file too', async () => {
    const file = path.join(dir, 'truth.csv');
    await writeFile(file, 'id,label\np0,12.5\np1,7.5\np2,abc\n');
    const r = await service.invoke('monitoring.feedbackCsv', { model: 'prices', path: file });
    expect(r.accepted).toBe(2);
    expect(r.invalid).toEqual([
      { row: 4, id: 'p2', message: 'the label must be a finite number for a regression model' },
    ]);
    const o = await service.invoke('monitoring.overview', { model: 'prices', window: '1h' });
    expect(o.live).toMatchObject({ metric: 'mae', labelled: 2, value: 2.5 });
    // A regressor's answers as a value histogram: the five logged values of 10 in one bar around 10.
    expect(o.predictions.kind).toBe('values');
    expect(o.predictions.total).toEqual([5]);
    expect(o.predictions.edges[0]).toBeLessThanOrEqual(10);
    expect(o.predictions.edges[1]).toBeGreaterThan(10);
    expect(o.predictions.buckets).toHaveLength(60);
  });

  it('numbers rows by their line in the file, past blank lines and a quoted field spanning two', async () => {
    const csv = ['note,id,label', 'a,zz,true', '', 'b,f5,purple', '"two', 'lines",f6,', '', 'c,f7,violet', ''].join(
      '\n',
    );
    const r = await service.invoke('monitoring.feedbackCsv', { model: 'flowers', csv });
    expect(r).toEqual({
      rows: 4,
      accepted: 0,
      unknown: ['zz'],
      invalid: [
        { row: 4, id: 'f5', message: 'label "purple" is not one of the model\'s classes (false, true)' },
        { row: 5, id: 'f6', message: 'the label is empty' },
        { row: 8, id: 'f7', message: 'label "violet" is not one of the model\'s classes (false, true)' },
      ],
    });
  });

  it('names the columns it needs, and wants either text or a path', async () => {
    await expect(
      service.invoke('monitoring.feedbackCsv', { model: 'flowers', csv: 'prediction,truth\na,b\n' }),
    ).rejects.toThrow(/needs an "id" and a "label" column; its columns are "prediction", "truth"/);
    await expect(service.invoke('monitoring.feedbackCsv', { model: 'flowers' })).rejects.toThrow(/either csv or path/);
    await expect(
      service.invoke('monitoring.feedback', { model: 'nope', items: [{ id: 'f0', label: 'true' }] }),
    ).rejects.toThrow(/no model named "nope"/);
  });
});

describe('rules', () => {
  it('are checked against the model and its task', async () => {
    await expect(
      service.invoke('monitoring.rules.save', {
        model: 'prices',
        metric: 'live_accuracy',
        comparator: '<',
        threshold: 0.8,
      }),
    ).rejects.toThrow(/live_accuracy needs a classification model; "prices" is a regression model/);
    await expect(
      service.invoke('monitoring.rules.save', { model: 'nope', metric: 'error_rate', comparator: '>', threshold: 0.1 }),
    ).rejects.toThrow(/no model named/);
    await expect(
      service.invoke('monitoring.rules.save', {
        id: 'missing',
        model: 'prices',
        metric: 'error_rate',
        comparator: '>',
        threshold: 0.1,
      }),
    ).rejects.toThrow(/no alert rule missing/);
  });

  it('fire at once when saved over a window that already crosses, and deleting one resolves its alert', async () => {
    const rule = await service.invoke('monitoring.rules.save', {
      model: 'PRICES',
      metric: 'live_mae',
      comparator: '>',
      threshold: 1,
      minSamples: 2,
    });
    expect(rule).toMatchObject({
      model: 'prices',
      window: '1h',
      enabled: true,
      action: 'notify',
      state: { firing: true, value: 2.5 },
    });
    const [alert] = await service.invoke('monitoring.alerts', { model: 'prices', status: 'firing' });
    expect(alert?.message).toBe('prices: live MAE 2.5 > 1 over 1h');
    // Raising the threshold is another question: the old alert is answered, the new one holds.
    const raised = await service.invoke('monitoring.rules.save', { ...rule, threshold: 5 });
    expect(raised.state).toMatchObject({ firing: false, value: 2.5 });
    expect((await service.invoke('monitoring.alerts', { model: 'prices' }))[0]?.resolvedAt).not.toBeNull();
    await service.invoke('monitoring.rules.save', { ...rule, threshold: 2 });
    expect(await service.invoke('monitoring.alerts', { model: 'prices', status: 'firing' })).toHaveLength(1);
    expect(await service.invoke('monitoring.rules.delete', { id: rule.id })).toEqual({ deleted: true });
    expect(await service.invoke('monitoring.alerts', { model: 'prices', status: 'firing' })).toEqual([]);
    expect(await service.invoke('monitoring.rules.list', { model: 'prices' })).toEqual([]);
  });
});

describe('retrain policies and triggers', () => {
  it('default by task until saved, and refuse a metric of the other task', async () => {
    expect(await service.invoke('monitoring.retrainPolicy.get', { model: 'prices' })).toMatchObject({
      model: 'prices',
      metric: 'mae',
      margin: 0,
      alias: 'production',
      // The model has labelled requests (the two accepted by the CSV feedback above), so they join by default.
      includeLabelledRequests: true,
      saved: false,
    });
    await expect(
      service.invoke('monitoring.retrainPolicy.set', { model: 'prices', metric: 'accuracy' }),
    ).rejects.toThrow(/accuracy is not a regression metric; use one of mae, rmse, r2/);
    const saved = await service.invoke('monitoring.retrainPolicy.set', {
      model: 'prices',
      metric: 'rmse',
      margin: 0.5,
      triggers: { onAlert: false, scheduleHours: 24, onNewDatasetVersion: true },
    });
    expect(saved).toMatchObject({
      metric: 'rmse',
      margin: 0.5,
      saved: true,
      triggers: { onAlert: false, scheduleHours: 24, onNewDatasetVersion: true },
    });
    expect(await service.invoke('monitoring.retrainPolicy.get', { model: 'prices' })).toEqual(saved);
  });

  it('retrain on a new version of the dataset, once, and on schedule when it is due', async () => {
    const decisions: string[] = [];
    const off = service.events.subscribe((event, payload) => {
      if (event === 'retrain.decided') decisions.push((payload as { trigger: string }).trigger);
    });
    try {
      // Nothing due yet: the schedule counts from the policy's save, the dataset has no new version.
      await service.monitor.tick();
      expect(await service.invoke('monitoring.decisions', { model: 'prices' })).toEqual([]);
      await writeFile(path.join(dir, 'prices.csv'), regressionCsv(220, 5));
      await service.invoke('datasets.importNow', { path: path.join(dir, 'prices.csv') });
      const decided = new Promise<void>((r) => {
        const stop = service.events.subscribe((event) => event === 'retrain.decided' && (stop(), r()));
      });
      await service.monitor.tick();
      await decided;
      const [d] = await service.invoke('monitoring.decisions', { model: 'prices' });
      expect(d).toMatchObject({
        trigger: 'dataset',
        triggerDetail: 'new version 2 of dataset "prices"',
        // Version 2 plus the labelled requests, which the saved policy includes by default.
        dataset: { name: 'prices', version: 3 },
        labelledRowsAdded: 2,
        metric: 'rmse',
        margin: 0.5,
      });
      expect(['promoted', 'kept']).toContain(d?.outcome);
      // The same version does not trigger again.
      await service.monitor.tick();
      expect(await service.invoke('monitoring.decisions', { model: 'prices' })).toHaveLength(1);
      // A day later the schedule is due.
      const scheduled = new Promise<void>((r) => {
        const stop = service.events.subscribe((event) => event === 'retrain.decided' && (stop(), r()));
      });
      await service.monitor.tick(Date.now() + 25 * 3_600_000);
      await scheduled;
      expect((await service.invoke('monitoring.decisions', { model: 'prices' }))[0]).toMatchObject({
        trigger: 'schedule',
        triggerDetail: 'every 24 h',
      });
      expect(decisions).toEqual(['dataset', 'schedule']);
    } finally {
      off();
    }
  }, 120_000);

  it('refuses a second retrain of a model while one is under way', async () => {
    const first = service.invoke('monitoring.retrain', { model: 'flowers' });
    await expect(service.invoke('monitoring.retrain', { model: 'flowers' })).rejects.toThrow(
      /a retrain of "flowers" is under way/,
    );
    const started = await first;
    expect(started).toMatchObject({ model: 'flowers', trigger: 'manual', championVersion: 1 });
    await new Promise<void>((r) => {
      const stop = service.events.subscribe((event) => event === 'retrain.decided' && (stop(), r()));
    });
  }, 120_000);
});

describe('retraining with labelled requests', () => {
  it('adds them to the newest data as a dataset version of their own, which never becomes the next base', async () => {
    await service.invoke('monitoring.retrainPolicy.set', { model: 'flowers', includeLabelledRequests: true });
    const first = await service.invoke('monitoring.retrainNow', { model: 'flowers' });
    // f0 and f1 were labelled from the CSV above.
    expect(first).toMatchObject({ labelledRowsAdded: 2, dataset: { name: 'flowers', version: 2 } });
    expect(['promoted', 'kept']).toContain(first.outcome);
    const detail = await service.invoke('datasets.get', { ref: 'flowers' });
    expect(detail.versions.map((v) => [v.version, v.rows])).toEqual([
      [2, 202],
      [1, 200],
    ]);
    expect(detail.versions[0]?.sourcePath).toBe('flowers v1 + 2 labelled requests');
    // The next retrain starts again from version 1 (the user's newest), so rows are not added twice.
    const second = await service.invoke('monitoring.retrainNow', { model: 'flowers' });
    expect(second).toMatchObject({ labelledRowsAdded: 2, dataset: { version: 2 } });
    expect((await service.invoke('datasets.get', { ref: 'flowers' })).versions).toHaveLength(2);
  }, 120_000);
});

describe('monitoring.models', () => {
  it('lists models with traffic, rules or decisions and their last day', async () => {
    const models = await service.invoke('monitoring.models', {});
    expect(models.map((m) => [m.name, m.task, m.requests24h])).toEqual([
      ['flowers', 'classification', 10],
      ['prices', 'regression', 5],
    ]);
    expect(models[0]?.lastRequestAt).toBeGreaterThanOrEqual(loggedAt - 60_000);
    expect(models[0]?.lastRequestAt).toBeLessThan(loggedAt + 60_000);
  });

  it("counts each model's rules and firing alerts", async () => {
    const rule = await service.invoke('monitoring.rules.save', {
      model: 'prices',
      metric: 'error_rate',
      comparator: '>=',
      threshold: 0,
      window: '1h',
      minSamples: 1,
    });
    await service.invoke('monitoring.rules.save', {
      model: 'prices',
      metric: 'latency_p95',
      comparator: '>',
      threshold: 10_000,
      window: '1h',
      minSamples: 1,
    });
    expect(
      (await service.invoke('monitoring.alerts', { model: 'prices', status: 'firing' })).map((a) => a.ruleId),
    ).toEqual([rule.id]);
    const models = await service.invoke('monitoring.models', {});
    for (const m of models) {
      expect(m.rules).toBe((await service.invoke('monitoring.rules.list', { model: m.name })).length);
      expect(m.firingAlerts).toBe(
        (await service.invoke('monitoring.alerts', { model: m.name, status: 'firing' })).length,
      );
    }
    expect(models.find((m) => m.name === 'prices')).toMatchObject({ firingAlerts: 1 });
    expect(models.find((m) => m.name === 'prices')!.rules).toBeGreaterThanOrEqual(2);
  });
});
