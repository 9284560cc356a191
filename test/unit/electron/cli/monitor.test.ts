// `cairn monitor` and `cairn retrain` as scripts run them: the exact JSON shape of monitor (live
// empty until feedback, then accuracy), the readable table, window checks, and a retrain's decision.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RetrainDecision } from '../../../../shared/api.js';
import { RequestLogDb, type LogRow } from '../../../../electron/core/db/request-log-db.js';
import { CairnService } from '../../../../electron/core/service.js';
import { classificationCsv } from '../core/training/data.js';
import { cliWorkspace } from './run-cairn.js';

const ws = cliWorkspace('cairn-cli-monitor-', {
  'flowers.csv': classificationCsv(),
});
const ids: string[] = [];

const { cairn, json } = ws;

beforeAll(() => {
  ws.must('train', ws.file('flowers.csv'), '--target', 'label', '--model', 'logistic', '--epochs', '5');
  // 150 answered requests and 3 refused ones in the last half hour, inputs like the training rows.
  const log = new RequestLogDb(path.join(ws.home, 'logs', 'requests.db'));
  const now = Date.now();
  const lines = classificationCsv(150, 9).trim().split('\n').slice(1);
  const rows: LogRow[] = lines.map((line, i) => {
    const [x1, x2, color] = line.split(',');
    const label = Number(x1) + Number(x2) > 0 ? 'true' : 'false';
    const id = `cli-${i}`;
    ids.push(id);
    return {
      at: now - 1_800_000 + i * 1000,
      model: 'flowers',
      version: 1,
      status: 200,
      latencyMs: 1 + (i % 10),
      predictionId: id,
      inputJson: JSON.stringify({ x1: Number(x1), x2: Number(x2), color }),
      outputJson: JSON.stringify({ label, probabilities: { false: 0.5, true: 0.5 } }),
      answer: label,
      error: null,
    };
  });
  for (let k = 0; k < 3; k++)
    rows.push({
      ...rows[0]!,
      at: now - 1000 * k,
      status: 400,
      predictionId: null,
      inputJson: null,
      outputJson: null,
      answer: null,
      error: 'bad',
    });
  log.append(rows);
  log.close();
}, 120_000);

describe('cairn monitor', () => {
  it('prints {requests, errors, latency_ms, drift, live} with --json; live is empty before feedback', () => {
    const out = json<Record<string, unknown>>('monitor', 'flowers');
    expect(Object.keys(out)).toEqual(['requests', 'errors', 'latency_ms', 'drift', 'live']);
    expect(out).toMatchObject({ requests: 153, errors: 3, live: {} });
    expect(Object.keys(out.latency_ms as object)).toEqual(['p50', 'p95', 'p99']);
    const drift = out.drift as { feature: string; psi: number | null; drifted: boolean }[];
    expect(drift.map((d) => d.feature).sort()).toEqual(['color', 'x1', 'x2']);
    for (const d of drift) {
      expect(Object.keys(d)).toEqual(['feature', 'psi', 'drifted']);
      expect(d.psi).toBeLessThan(0.2);
      expect(d.drifted).toBe(false);
    }
  });

  it('holds live accuracy once feedback exists', async () => {
    const service = await CairnService.open({ home: ws.home, host: 'cli' });
    try {
      // 40 labels: the logged answers right for 30, wrong for 10.
      const items = ids.slice(0, 40).map((id, i) => ({ id, label: i < 30 ? 'true' : 'false' }));
      const logged = await service.invoke('monitoring.overview', { model: 'flowers', window: '1h' });
      expect(logged.totals.predictions).toBe(150);
      await service.invoke('monitoring.feedback', { model: 'flowers', items });
    } finally {
      await service.close();
    }
    const out = json<{ live: { accuracy?: number; labelled?: number } }>('monitor', 'flowers', '--window', '1h');
    expect(out.live.labelled).toBe(40);
    expect(typeof out.live.accuracy).toBe('number');
    expect(Object.keys(out.live)).toEqual(['accuracy', 'labelled']);
  });

  it('prints a readable summary and table without --json, and refuses an unknown window or model', () => {
    const text = cairn('monitor', 'flowers', '--window', '7d').stdout;
    expect(text).toMatch(
      /^flowers, last 7d: 153 requests, 3 errors \(1\.96 %\)\nlatency: p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms\n/,
    );
    expect(text).toMatch(/\nfeature +kind +psi +ks +p-value +drifted\n/);
    expect(text).toMatch(/\nlive accuracy: [\d.]+ on 40 labelled predictions \(test split: [\d.]+\)/);
    const bad = cairn('monitor', 'flowers', '--window', '2d');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--window must be one of 1h, 24h, 7d, not "2d"/);
    expect(cairn('monitor', 'nope').stderr).toMatch(/no model named "nope"/);
  });
});

describe('cairn retrain', () => {
  it("retrains now and prints the decision with both versions' metrics", () => {
    const d = json<RetrainDecision>('retrain', 'flowers');
    expect(d).toMatchObject({
      model: 'flowers',
      trigger: 'manual',
      champion: { version: 1 },
      challenger: { version: 2 },
    });
    expect(typeof d.promoted).toBe('boolean');
    // The model has 40 labelled requests and no saved policy: they join by default, as a new dataset version.
    expect(d).toMatchObject({ labelledRowsAdded: 40, dataset: { name: 'flowers', version: 2 } });
    expect(d.reason).toMatch(
      /held-out rows \(trained on new version 2 of dataset "flowers": version 1 plus 40 labelled requests\)/,
    );
    expect(Object.keys(d.champion!.metrics).sort()).toEqual([
      'accuracy',
      'f1_macro',
      'precision_macro',
      'recall_macro',
    ]);
    expect(Object.keys(d.challenger!.metrics).sort()).toEqual([
      'accuracy',
      'f1_macro',
      'precision_macro',
      'recall_macro',
    ]);
    // Whether or not the challenger won, --force retrains (with nothing new it would be refused).
    const text = cairn('retrain', 'flowers', '--force').stdout;
    expect(text).toMatch(
      /^flowers: version 3 (promoted to production|not promoted; version \d keeps production)\nreason: /,
    );
    expect(text).toMatch(/on the same \d+ held-out rows:\nversion +role +accuracy/);
  }, 120_000);
});
