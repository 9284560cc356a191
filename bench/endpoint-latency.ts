// Single-row predict latency of the real endpoint (its own process, over loopback HTTP) for a GBDT
// against an MLP trained on the same rows, plain and with ?explain=true: many sequential
// one-instance requests per case, after a warm-up, timed as round trips by the client. Used by
// `npm run bench -- trees`; the table is the trees bench's own (numbers, categories, missing).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CairnService } from '../electron/core/service.js';

export interface LatencyTable {
  /** Row-major features: `numeric` numbers (NaN missing), then category ids (NaN missing). */
  x: Float32Array;
  y: Int32Array;
  numeric: number;
  categorical: number;
}

export interface LatencyOptions {
  /** Rows the two models train on (the first ones); the next ones are sent. */
  trainRows: number;
  /** Boosting rounds of the GBDT. */
  trees: number;
  /** Timed requests per case, plain and explained (a network's explanation costs far more). */
  requests: number;
  explainRequests: number;
}

interface Quantiles {
  median: number;
  p99: number;
}

function quantiles(ms: number[]): Quantiles {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { median: at(0.5), p99: at(0.99) };
}

function csvOf(t: LatencyTable, rows: number): string {
  const d = t.numeric + t.categorical;
  const names = [
    ...Array.from({ length: t.numeric }, (_, f) => `f${f}`),
    ...Array.from({ length: t.categorical }, (_, c) => `c${c}`),
  ];
  const lines = [[...names, 'label'].join(',')];
  for (let i = 0; i < rows; i++) {
    const cells = Array.from({ length: d }, (_, f) => {
      const v = t.x[i * d + f] as number;
      if (Number.isNaN(v)) return '';
      return f < t.numeric ? v.toFixed(4) : `k${v}`;
    });
    lines.push([...cells, t.y[i] ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function instanceOf(t: LatencyTable, i: number): Record<string, number | string | null> {
  const d = t.numeric + t.categorical;
  const out: Record<string, number | string | null> = {};
  for (let f = 0; f < d; f++) {
    const v = t.x[i * d + f] as number;
    const name = f < t.numeric ? `f${f}` : `c${f - t.numeric}`;
    out[name] = Number.isNaN(v) ? null : f < t.numeric ? Number(v.toFixed(4)) : `k${v}`;
  }
  return out;
}

/** Round trips of `count` sequential single-instance requests to `url`, rows taken in turn from `first`. */
async function timed(url: string, t: LatencyTable, first: number, count: number): Promise<number[]> {
  const n = t.y.length;
  const ms: number[] = [];
  for (let r = 0; r < count; r++) {
    const body = JSON.stringify({ instances: [instanceOf(t, first + (r % (n - first)))] });
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    ms.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text}`);
  }
  return ms;
}

/** Trains both models through the service, serves them from one endpoint, and prints the figures. */
export async function endpointLatency(t: LatencyTable, o: LatencyOptions): Promise<void> {
  process.env.CAIRN_BACKEND ??= 'cpu';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-trees-serve-'));
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  try {
    await writeFile(path.join(dir, 'bench.csv'), csvOf(t, o.trainRows));
    await service.invoke('datasets.importNow', { path: path.join(dir, 'bench.csv') });
    const accuracyOf = (run: { metrics: unknown }) =>
      ((run.metrics as { test: { accuracy: number } }).test.accuracy * 100).toFixed(1);
    const gbdt = await service.invoke('runs.startNow', {
      dataset: 'bench',
      target: 'label',
      model: 'gbdt',
      trees: o.trees,
    });
    const mlp = await service.invoke('runs.startNow', { dataset: 'bench', target: 'label', model: 'mlp', epochs: 5 });
    const ep = await service.invoke('endpoints.start', { models: ['bench:1', 'bench:2'] });
    const url = (version: number, explain: boolean) =>
      `${ep.url}/v1/models/bench/versions/${version}/predict${explain ? '?explain=true' : ''}`;
    console.log(
      `endpoint single-row latency: models trained on ${o.trainRows} rows (GBDT ${o.trees} rounds, test accuracy ${accuracyOf(gbdt)}%; MLP ${accuracyOf(mlp)}%, backend ${mlp.backend}); sequential requests over loopback`,
    );
    const first = o.trainRows;
    const cases = [
      { name: 'GBDT', version: 1, explain: false, count: o.requests },
      { name: 'MLP', version: 2, explain: false, count: o.requests },
      { name: 'GBDT ?explain=true', version: 1, explain: true, count: o.requests },
      { name: 'MLP ?explain=true', version: 2, explain: true, count: o.explainRequests },
    ];
    const got = new Map<string, Quantiles>();
    for (const c of cases) {
      // A warm-up, not counted: connections, the explainer built on first use.
      await timed(url(c.version, c.explain), t, first, Math.min(20, c.count));
      const q = quantiles(await timed(url(c.version, c.explain), t, first, c.count));
      got.set(c.name, q);
      console.log(
        `  ${c.name.padEnd(20)} median ${q.median.toFixed(2).padStart(8)} ms  p99 ${q.p99.toFixed(2).padStart(8)} ms  (${c.count} requests)`,
      );
    }
    const ratio = (a: string, b: string) => {
      const x = got.get(a) as Quantiles;
      const y = got.get(b) as Quantiles;
      return `median ${(x.median / y.median).toFixed(2)}x, p99 ${(x.p99 / y.p99).toFixed(2)}x`;
    };
    console.log(`  MLP / GBDT: ${ratio('MLP', 'GBDT')}`);
    console.log(`  MLP / GBDT, explained: ${ratio('MLP ?explain=true', 'GBDT ?explain=true')}`);
    console.log(
      `  explained / plain: GBDT ${ratio('GBDT ?explain=true', 'GBDT')}; MLP ${ratio('MLP ?explain=true', 'MLP')}`,
    );
  } finally {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
}
