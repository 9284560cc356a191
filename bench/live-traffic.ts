// `npm run bench -- live-traffic [--rate R]`: the endpoints page's chart poll. An endpoint that
// answered R (1,000) requests a second for the last 15 minutes; each window of the page (1, 5 and
// 15 minutes) is read from the endpoint's per-second counts (LiveTraffic.window, what the page
// polls every 2 s) and, as the peer, computed exactly from the same requests in a request log by
// SQL (requestStats, what the page polled before). Prints both times and their ratio.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RequestLogDb, requestStats, type LogRow } from '../electron/core/db/request-log-db.js';
import { LIVE_SECONDS, LiveTraffic } from '../electron/core/serving/live-traffic.js';
import { seededRandom } from '../electron/core/training/seeded-random.js';

const rateArg = process.argv.indexOf('--rate');
const RATE = rateArg > 0 ? Number(process.argv[rateArg + 1]) : 1_000;
if (!Number.isInteger(RATE) || RATE <= 0) throw new Error('--rate wants a positive whole number');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
function timed(fn: () => void, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-live-'));
  try {
    const file = path.join(dir, 'requests.db');
    const log = new RequestLogDb(file);
    const live = new LiveTraffic();
    const random = seededRandom(3);
    const now = Math.floor(Date.now() / 1000) * 1000;
    const start = now - LIVE_SECONDS * 1000;
    const total = RATE * LIVE_SECONDS;
    let batch: LogRow[] = [];
    for (let i = 0; i < total; i++) {
      const at = start + Math.floor((i / total) * LIVE_SECONDS * 1000);
      const ms = 0.5 + random() * random() * 20;
      const status = random() < 0.01 ? 400 : 200;
      live.record(at, status, ms, status === 200 ? 1 : 0);
      batch.push({
        at,
        model: 'bench',
        version: 1,
        status,
        latencyMs: ms,
        predictionId: status === 200 ? `p${i}` : null,
        inputJson: '{"x":1}',
        outputJson: '{"label":"a"}',
        answer: 'a',
        error: status === 200 ? null : 'refused',
      });
      if (batch.length === 10_000) {
        log.append(batch);
        batch = [];
      }
    }
    log.append(batch);
    log.close();
    console.log(
      `an endpoint answering ${RATE.toLocaleString('en')} requests/s for ${LIVE_SECONDS / 60} minutes (${total.toLocaleString('en')} requests)`,
    );
    console.log('window   buckets  live counts (page)  request log SQL (peer)  ratio');
    for (const seconds of [60, 300, 900]) {
      const bucketMs = Math.max(1, Math.round(seconds / 150)) * 1000;
      const from = now - seconds * 1000;
      const mine = timed(() => live.window(from, now, bucketMs));
      const peer = timed(() => {
        requestStats(file, { models: ['bench'], from, to: now, bucketMs });
        requestStats(file, { models: ['bench'], from, to: now, bucketMs: now - from });
      }, 3);
      // The same traffic both ways: the counts agree exactly.
      const a = live.window(from, now, bucketMs).total;
      const [b] = requestStats(file, { models: ['bench'], from, to: now, bucketMs: now - from });
      if (a.requests !== b?.requests || a.errors !== b.errors)
        throw new Error(`counts differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      console.log(
        `${`${seconds / 60} min`.padEnd(8)} ${String(seconds / (bucketMs / 1000)).padStart(7)}  ${mine.toFixed(2).padStart(15)} ms  ${peer.toFixed(0).padStart(19)} ms  ${(peer / mine).toFixed(0).padStart(5)}x faster`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
