// `npm run bench -- monitor [--rows N]`: the monitoring page's query over a request log of N
// (1,000,000) requests spread over the last 7 days. A small model is trained, the log is filled
// through the log writer (rows and their per-minute rollups, in batches as endpoints write them),
// then monitoring.overview (traffic, latency percentiles, answers, drift, live accuracy) is
// timed for each window: the first call (which also loads the model's training data for drift)
// and the median of 5 more. As the peer, the same window's traffic with exact percentiles is
// computed straight from the rows by SQL window functions, and the
// ratio printed. Target (issue): the page answers in under a second over 1,000,000 requests.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MonitoringWindow } from '../shared/api.js';
import { RequestLogDb, requestStats, type LogRow } from '../electron/core/db/request-log-db.js';
import { CairnService } from '../electron/core/service.js';
import { seededRandom } from '../electron/core/training/seeded-random.js';
import { WINDOWS } from '../electron/core/monitoring/windows.js';

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
if (!Number.isInteger(ROWS) || ROWS <= 0) throw new Error('--rows wants a positive whole number');
const WEEK = 7 * 86_400_000;
const BATCH = 5_000;
const SITES = ['north', 'south', 'east'];

function csv(rows: number): string {
  const random = seededRandom(1);
  const lines = ['x1,x2,site,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${SITES[i % 3]},${x1 + x2 > 0 ? 'high' : 'low'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** N requests over the week before `now`: one instance each, lognormal latency, 1 % refused, inputs like the training data. */
function fill(file: string, now: number): { ms: number } {
  const random = seededRandom(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const db = new RequestLogDb(file);
  const t0 = performance.now();
  let batch: LogRow[] = [];
  for (let i = 0; i < ROWS; i++) {
    const at = now - WEEK + Math.floor((i / ROWS) * WEEK);
    const latencyMs = Math.exp(0.5 + 0.6 * normal());
    if (random() < 0.01) {
      batch.push({
        at,
        model: 'sensors',
        version: 1,
        status: 503,
        latencyMs,
        predictionId: null,
        inputJson: null,
        outputJson: null,
        answer: null,
        error: 'overloaded',
      });
    } else {
      const x1 = random() * 4 - 2;
      const x2 = random() * 4 - 2 + (i > ROWS * 0.9 ? 1 : 0);
      const p = 1 / (1 + Math.exp(-3 * (x1 + x2)));
      batch.push({
        at,
        model: 'sensors',
        version: 1,
        status: 200,
        latencyMs,
        predictionId: `${at.toString(16).padStart(12, '0')}-bench${i.toString(16).padStart(10, '0')}`,
        inputJson: JSON.stringify({ x1: Number(x1.toFixed(3)), x2: Number(x2.toFixed(3)), site: SITES[i % 3] }),
        outputJson: JSON.stringify({ label: p > 0.5 ? 'high' : 'low', probabilities: { high: p, low: 1 - p } }),
        answer: p > 0.5 ? 'high' : 'low',
        error: null,
      });
    }
    if (batch.length === BATCH) {
      db.append(batch);
      batch = [];
    }
  }
  db.append(batch);
  db.close();
  return { ms: performance.now() - t0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-monitor-'));
  process.env.CAIRN_BACKEND ??= 'cpu';
  try {
    const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
    try {
      await writeFile(path.join(dir, 'sensors.csv'), csv(2_000));
      await service.invoke('datasets.importNow', { path: path.join(dir, 'sensors.csv'), name: 'sensors' });
      await service.invoke('runs.startNow', {
        dataset: 'sensors',
        target: 'label',
        model: 'logistic_regression',
        epochs: 5,
      });
      const file = path.join(service.home, 'logs', 'requests.db');
      const now = Date.now();
      console.log(`filling the request log with ${ROWS.toLocaleString('en')} requests over 7 days ...`);
      const filled = fill(file, now);
      const bytes = (await stat(file)).size + (await stat(`${file}-wal`).catch(() => ({ size: 0 }))).size;
      console.log(
        `log: ${ROWS.toLocaleString('en')} requests, ${(bytes / 1024 / 1024).toFixed(1)} MiB (rows, rollups, indexes); written in ${(filled.ms / 1000).toFixed(1)} s (${Math.round(ROWS / (filled.ms / 1000)).toLocaleString('en')} rows/s with rollups)`,
      );
      console.log('');
      console.log('window  requests     first call  median of 5  exact from rows (peer)  ratio  target < 1 s');
      for (const window of ['1h', '24h', '7d'] as MonitoringWindow[]) {
        let t = performance.now();
        const first = await service.invoke('monitoring.overview', { model: 'sensors', window });
        const firstMs = performance.now() - t;
        const times: number[] = [];
        for (let k = 0; k < 5; k++) {
          t = performance.now();
          await service.invoke('monitoring.overview', { model: 'sensors', window });
          times.push(performance.now() - t);
        }
        const { bucketMs } = WINDOWS[window];
        t = performance.now();
        requestStats(file, { models: ['sensors'], from: first.from, to: first.to, bucketMs });
        requestStats(file, { models: ['sensors'], from: first.from, to: first.to, bucketMs: first.to - first.from });
        const peerMs = performance.now() - t;
        const warm = median(times);
        console.log(
          `${window.padEnd(6)}  ${String(first.totals.requests).padStart(9)}  ${firstMs.toFixed(0).padStart(8)} ms  ${warm.toFixed(0).padStart(8)} ms  ${peerMs.toFixed(0).padStart(18)} ms  ${(peerMs / warm).toFixed(1).padStart(4)}x  ${Math.max(firstMs, warm) < 1000 ? 'met' : 'NOT met'}`,
        );
        if (window === '7d') {
          const d = first.drift;
          console.log('');
          console.log(
            `7d: p50/p95/p99 ${[first.totals.p50, first.totals.p95, first.totals.p99].map((p) => p?.toFixed(2)).join('/')} ms, error rate ${((first.totals.errorRate ?? 0) * 100).toFixed(2)} %, drift score ${d.score?.toFixed(3)} over ${d.liveRows.toLocaleString('en')} inputs (drifting: ${d.drifted.join(', ') || 'none'})`,
          );
        }
      }
    } finally {
      await service.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
