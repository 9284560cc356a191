// `npm run bench -- serve [--duration S] [--connections C] [--rows N]`: Cairn's prediction
// endpoint against the ceiling of this machine, in the same run. A trained MLP (8 numeric
// features, two hidden layers of 32, 3 classes) is served by Cairn's endpoint process; a bare
// Node `http` server in its own process answers a fixed JSON body. autocannon loads each at
// concurrency C with single-instance POSTs, and then Cairn again at half its maximum rate.
// Prints requests per second of each, the ratio, and Cairn's p50/p99 latency at half load.
// Target (issue): at least 0.5x of the bare server's throughput, p99 under 10 ms at half load.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CairnService } from '../electron/core/service.js';

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} wants a positive number`);
  return v;
}

const DURATION = arg('duration', 10);
const CONNECTIONS = arg('connections', 32);
const ROWS = arg('rows', 3000);
const FEATURES = 8;

function dataset(rows: number): string {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = [[...Array(FEATURES).keys()].map((i) => `f${i}`).concat('label').join(',')];
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: FEATURES }, () => random() * 4 - 2);
    const s = x[0]! + x[1]! - x[2]!;
    lines.push([...x.map((v) => v.toFixed(4)), s > 1 ? 'high' : s < -1 ? 'low' : 'mid'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A bare Node http server in its own process: the fastest anything can answer here. */
async function bareServer(): Promise<{ url: string; stop: () => void }> {
  const code = `
    const http = require('node:http');
    const body = JSON.stringify({ model: { name: 'bench', version: 1 }, predictions: [{ id: '0190a1b2c3d4-0011223344000000', label: 'mid', probabilities: { high: 0.1, low: 0.1, mid: 0.8 } }] });
    const server = http.createServer((req, res) => {
      req.on('data', () => {});
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
    });
    server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function load(url: string, body: string, extra: Record<string, unknown> = {}): Promise<Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: DURATION,
    ...extra,
  });
}

async function main(): Promise<void> {
  process.env.CAIRN_BACKEND ??= 'cpu';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-serve-'));
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  const bare = await bareServer();
  try {
    await writeFile(path.join(dir, 'bench.csv'), dataset(ROWS));
    await service.invoke('datasets.importNow', { path: path.join(dir, 'bench.csv') });
    const run = await service.invoke('runs.startNow', {
      dataset: 'bench',
      target: 'label',
      model: 'mlp',
      hiddenLayers: [{ units: 32 }, { units: 32 }],
      epochs: 10,
    });
    const accuracy = ((run.metrics as { test: { accuracy: number } }).test.accuracy * 100).toFixed(1);
    const ep = await service.invoke('endpoints.start', { models: ['bench'] });
    const instance = Object.fromEntries([...Array(FEATURES).keys()].map((i) => [`f${i}`, Number((i / 10 - 0.3).toFixed(2))]));
    const body = JSON.stringify({ instances: [instance] });
    const cairnUrl = `${ep.url}/v1/models/bench/predict`;
    const check = await fetch(cairnUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (check.status !== 200) throw new Error(`Cairn answered ${check.status}: ${await check.text()}`);

    console.log(`MLP ${FEATURES}-32-32-3 (test accuracy ${accuracy}%), backend ${run.backend}; autocannon, ${CONNECTIONS} connections, ${DURATION} s each, ${os.cpus().length} cores`);
    // Warm-up of both, not counted.
    await load(bare.url, body, { duration: 2 });
    await load(cairnUrl, body, { duration: 2 });
    const b = await load(bare.url, body);
    const c = await load(cairnUrl, body);
    const half = Math.max(1, Math.round(c.requests.average / 2));
    const h = await load(cairnUrl, body, { overallRate: half });
    const ratio = c.requests.average / b.requests.average;
    const line = (name: string, r: Result) =>
      `${name.padEnd(28)}${r.requests.average.toFixed(0).padStart(8)} req/s   p50 ${r.latency.p50.toFixed(2)} ms  p99 ${r.latency.p99.toFixed(2)} ms   non-2xx ${r.non2xx}  errors ${r.errors + r.timeouts}`;
    console.log(line('bare node http (ceiling)', b));
    console.log(line('cairn endpoint (max)', c));
    console.log(line(`cairn at half load (${half}/s)`, h));
    console.log(`ratio cairn / bare: ${ratio.toFixed(2)}x (target >= 0.5x)`);
    console.log(`cairn p50/p99 at half load: ${h.latency.p50.toFixed(2)} / ${h.latency.p99.toFixed(2)} ms (target p99 < 10 ms)`);
    const metrics = await (await fetch(`${ep.url}/metrics`)).text();
    const calls = Number(/^cairn_model_calls_total (\d+)/m.exec(metrics)?.[1] ?? 0);
    const served = c.requests.total + h.requests.total;
    if (calls) console.log(`micro-batching: ${calls} model calls for ~${served} requests (${(served / calls).toFixed(1)} rows per call)`);
  } finally {
    bare.stop();
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
