// `npm run bench -- serve [--duration S] [--rounds R] [--warmup S] [--connections C] [--rows N]`:
// Cairn's prediction endpoint against the ceiling of this machine, in the same run. A trained MLP
// (8 numeric features, two hidden layers of 32, 3 classes) is served by Cairn's endpoint process;
// a bare Node `http` server in its own process answers a fixed JSON body. autocannon and wrk
// (wrk.ts) each load both at concurrency C with single-instance POSTs, in R alternating rounds;
// then both are sent requests evenly paced at half of Cairn's most, measured after a warm-up.
// Prints requests per second of each, the ratios per client, and p50/p99 latency at half load (the
// endpoint's own share too, from its /metrics, and the CPU each used per request).
// Target (issue 16): at least 0.5x of the bare server's throughput, p99 under 5 ms at half load.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CairnService } from '../electron/core/service.js';
import { wrkPoster } from './wrk.js';

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
const ROUNDS = arg('rounds', 3);
const WARMUP = arg('warmup', 1);
const CONNECTIONS = arg('connections', 32);
const ROWS = arg('rows', 3000);
const FEATURES = 8;
/** The one instance every request sends. */
const INSTANCE = Object.fromEntries(
  [...Array(FEATURES).keys()].map((i) => [`f${i}`, Number((i / 10 - 0.3).toFixed(2))]),
);

function dataset(rows: number): string {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = [
    [...Array(FEATURES).keys()]
      .map((i) => `f${i}`)
      .concat('label')
      .join(','),
  ];
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
      if (req.method === 'GET') return res.end(JSON.stringify(process.cpuUsage()));
      req.on('data', () => {});
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
    });
    server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve((m as { port: number }).port)),
  );
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

/** CPU seconds (user + system, all threads) the bare server has used so far. */
async function bareCpu(url: string): Promise<number> {
  const { user, system } = (await (await fetch(`${url}/cpu`)).json()) as { user: number; system: number };
  return (user + system) / 1e6;
}

/** CPU seconds the endpoint process has used so far, from its /metrics. */
function endpointCpu(metrics: string): number {
  return Number(/^process_cpu_seconds_total ([\d.e+-]+)$/m.exec(metrics)?.[1] ?? Number.NaN);
}

/** Buckets of cairn_request_duration_ms: upper bound -> cumulative count. */
function buckets(metrics: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of metrics.matchAll(/^cairn_request_duration_ms_bucket\{[^}]*le="([^"]+)"\} (\d+)$/gm))
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + Number(m[2]));
  return out;
}

/** The smallest histogram bound under which a fraction q of the requests between two scrapes fell. */
function quantileBound(before: string, after: string, q: number): string {
  const b = buckets(before);
  const a = buckets(after);
  const total = (a.get('+Inf') ?? 0) - (b.get('+Inf') ?? 0);
  for (const [le, n] of a) if (n - (b.get(le) ?? 0) >= q * total) return le;
  return '+Inf';
}

interface OpenLoop {
  rate: number;
  /** Requests sent, warm-up included. */
  sent: number;
  /** Requests measured: those scheduled after the warm-up. */
  measured: number;
  /** p99 of the warm-up's requests, which the figures below leave out. */
  warmupP99: number;
  p50: number;
  p99: number;
  p999: number;
  /** The quarter-second (by scheduled time) with the highest p99, to tell one stall from a spread tail. */
  worst: { at: number; p99: number };
  non2xx: number;
  errors: number;
}

/**
 * Sends requests at a fixed rate, each at its scheduled time whether or not earlier ones have
 * been answered (an open loop), over `connections` keep-alive sockets, and measures each latency
 * from its scheduled time, so a stall counts against every request it delayed.
 * autocannon's overallRate is not that: each connection sends as fast as it can until it has
 * made its quota for the current second, then waits for the next one, so "half load" is full
 * load for half of every second; and it corrects for coordinated omission with an expected
 * interval of 1 ms, which multiplies every slow answer into many.
 * The client writes prebuilt request bytes to raw sockets and reads only the status line and
 * content-length of each answer: Node's http client cost about a core at this rate, and on a
 * 2-core machine that core is taken from the server being measured.
 */
async function openLoop(
  url: string,
  body: string,
  rate: number,
  seconds: number,
  warmup: { seconds: number; done?: () => void },
): Promise<OpenLoop> {
  const target = new URL(url);
  const payload = Buffer.from(body);
  const request = Buffer.concat([
    Buffer.from(
      `POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\ncontent-type: application/json\r\ncontent-length: ${payload.length}\r\n\r\n`,
    ),
    payload,
  ]);
  const total = Math.round(rate * (warmup.seconds + seconds));
  const latencies = new Float64Array(total);
  const scheduledAt = new Float64Array(total);
  let done = 0;
  let start = 0;
  let non2xx = 0;
  let errors = 0;
  const sockets = await Promise.all(
    Array.from({ length: CONNECTIONS }, () =>
      connectRaw(target, (status, scheduled) => {
        if (status !== 200) non2xx++;
        scheduledAt[done] = scheduled;
        latencies[done++] = performance.now() - scheduled;
      }),
    ),
  );
  start = performance.now();
  const measuredFrom = start + warmup.seconds * 1000;
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let next = 0;
    let warm = false;
    const tick = () => {
      const now = performance.now();
      if (!warm && now >= measuredFrom) {
        warm = true;
        warmup.done?.();
      }
      const due = Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
      for (; sent < due; sent++) {
        // The least busy of the next few sockets, so one slow answer does not queue others behind it.
        let pick = sockets[next]!;
        for (let k = 1; k < 4 && pick.inFlight.length; k++) {
          const s = sockets[(next + k) % sockets.length]!;
          if (s.inFlight.length < pick.inFlight.length) pick = s;
        }
        next = (next + 1) % sockets.length;
        pick.send(request, start + (sent * 1000) / rate);
      }
      if (done + errors >= total) resolve();
      else setTimeout(tick, sent < total ? 1 : 5);
    };
    for (const s of sockets)
      s.socket.on('error', (e) => {
        errors += s.inFlight.length;
        s.inFlight.length = 0;
        reject(e);
      });
    tick();
  });
  for (const s of sockets) s.socket.destroy();
  const warm: number[] = [];
  const measured: number[] = [];
  const quarters = new Map<number, number[]>();
  for (let i = 0; i < done; i++) {
    if (scheduledAt[i]! < measuredFrom) {
      warm.push(latencies[i]!);
      continue;
    }
    measured.push(latencies[i]!);
    const q = Math.floor((scheduledAt[i]! - measuredFrom) / 250);
    let list = quarters.get(q);
    if (!list) quarters.set(q, (list = []));
    list.push(latencies[i]!);
  }
  let worst = { at: 0, p99: 0 };
  for (const [q, list] of quarters) {
    list.sort((a, b) => a - b);
    const p99 = list[Math.min(list.length - 1, Math.floor(0.99 * list.length))]!;
    if (p99 > worst.p99) worst = { at: q / 4, p99 };
  }
  const quantile = (list: number[], q: number) =>
    list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? Number.NaN;
  measured.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  const at = (q: number) => quantile(measured, q);
  return {
    rate,
    sent: total,
    measured: measured.length,
    warmupP99: quantile(warm, 0.99),
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    worst,
    non2xx,
    errors,
  };
}

interface RawConnection {
  socket: net.Socket;
  /** Scheduled times of the requests written and not yet answered, in order (HTTP/1.1 answers in order). */
  inFlight: number[];
  send(request: Buffer, scheduled: number): void;
}

/** A keep-alive socket that writes prebuilt requests and reports each answer's status and scheduled time. */
function connectRaw(target: URL, onAnswer: (status: number, scheduled: number) => void): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    const inFlight: number[] = [];
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const headerEnd = pending.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const header = pending.toString('latin1', 0, headerEnd);
        const length = Number(/content-length: *(\d+)/i.exec(header)?.[1] ?? 0);
        const end = headerEnd + 4 + length;
        if (pending.length < end) return;
        onAnswer(Number(header.slice(9, 12)), inFlight.shift()!);
        pending = pending.subarray(end);
      }
    });
    socket.once('connect', () =>
      resolve({
        socket,
        inFlight,
        send: (request, scheduled) => {
          inFlight.push(scheduled);
          socket.write(request);
        },
      }),
    );
    socket.once('error', reject);
  });
}

async function main(): Promise<void> {
  process.env.CAIRN_BACKEND ??= 'cpu';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-serve-'));
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  const bare = await bareServer();
  const wrk = await wrkPoster(JSON.stringify({ instances: [INSTANCE] }));
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
    const body = JSON.stringify({ instances: [INSTANCE] });
    const cairnUrl = `${ep.url}/v1/models/bench/predict`;
    const check = await fetch(cairnUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (check.status !== 200) throw new Error(`Cairn answered ${check.status}: ${await check.text()}`);

    const roundSeconds = Math.max(1, Math.round(DURATION / ROUNDS));
    console.log(
      `MLP ${FEATURES}-32-32-3 (test accuracy ${accuracy}%), backend ${run.backend}; ${CONNECTIONS} connections; ${os.cpus().length} cores`,
    );
    // Warm-up of both, not counted.
    await load(bare.url, body, { duration: 2 });
    await load(cairnUrl, body, { duration: 2 });
    // Most each can answer, from two clients: autocannon (JavaScript) and wrk (C, wrk.ts), in
    // alternating rounds, so a change in what else runs on this shared machine falls on both
    // servers alike rather than on whichever went second.
    console.log(`most requests per second (${ROUNDS} alternating rounds of ${roundSeconds} s each per client):`);
    const totals = { autocannon: { bare: 0, cairn: 0 }, wrk: { bare: 0, cairn: 0 } };
    let cairnFailed = 0;
    const rate = (n: number) => (n / roundSeconds).toFixed(0).padStart(6);
    for (let r = 1; r <= ROUNDS; r++) {
      const b = await load(bare.url, body, { duration: roundSeconds });
      const c = await load(cairnUrl, body, { duration: roundSeconds });
      const wb = await wrk.run(`${bare.url}/`, CONNECTIONS, roundSeconds);
      const wc = await wrk.run(cairnUrl, CONNECTIONS, roundSeconds);
      totals.autocannon.bare += b.requests.total;
      totals.autocannon.cairn += c.requests.total;
      totals.wrk.bare += wb.total;
      totals.wrk.cairn += wc.total;
      cairnFailed += c.non2xx + c.errors + c.timeouts + wc.failed;
      console.log(
        `  round ${r}: autocannon bare ${rate(b.requests.total)} req/s, cairn ${rate(c.requests.total)} req/s (p99 ${c.latency.p99} ms): ${(c.requests.total / b.requests.total).toFixed(2)}x`,
      );
      console.log(
        `           wrk        bare ${rate(wb.total)} req/s, cairn ${rate(wc.total)} req/s (p99 ${wc.p99.toFixed(2)} ms): ${(wc.total / wb.total).toFixed(2)}x`,
      );
    }
    const seconds = ROUNDS * roundSeconds;
    for (const [client, t] of Object.entries(totals))
      console.log(
        `  all rounds, ${client.padEnd(10)}: bare ${(t.bare / seconds).toFixed(0)} req/s, cairn ${(t.cairn / seconds).toFixed(0)} req/s: ${(t.cairn / t.bare).toFixed(2)}x`,
      );
    console.log(`  cairn not 200: ${cairnFailed}`);
    const cairnTotal = totals.autocannon.cairn + totals.wrk.cairn;
    // Half load is half of the most either client drew from Cairn.
    const cairnMax = Math.max(totals.autocannon.cairn, totals.wrk.cairn) / seconds;

    // Half of Cairn's most, paced. The first WARMUP seconds are sent and reported but not
    // measured: an endpoint idle for a few seconds answers its first burst slower (as does the
    // bare server, less so), and the target is about the steady rate.
    const half = Math.max(1, Math.round(cairnMax / 2));
    const bareCpuBefore = await bareCpu(bare.url);
    const bh = await openLoop(bare.url, body, half, DURATION, { seconds: WARMUP });
    const bareCpuUs = (((await bareCpu(bare.url)) - bareCpuBefore) * 1e6) / bh.sent;
    const cpuBefore = endpointCpu(await (await fetch(`${ep.url}/metrics`)).text());
    const scrape: { atWarm?: Promise<string> } = {};
    const h = await openLoop(cairnUrl, body, half, DURATION, {
      seconds: WARMUP,
      done: () => {
        scrape.atWarm = fetch(`${ep.url}/metrics`).then((r) => r.text());
      },
    });
    const after = await (await fetch(`${ep.url}/metrics`)).text();
    const cairnCpuUs = ((endpointCpu(after) - cpuBefore) * 1e6) / h.sent;
    const paced = (name: string, r: OpenLoop) =>
      `${name.padEnd(18)}p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  p99.9 ${r.p999.toFixed(2)} ms  (worst quarter-second p99 ${r.worst.p99.toFixed(1)} ms at ${r.worst.at} s; warm-up p99 ${r.warmupP99.toFixed(1)} ms)  not 200: ${r.non2xx + r.errors}`;
    console.log(
      `at half of cairn's most, ${half}/s, paced evenly (open loop, latency from each request's scheduled time), ${h.measured} requests measured after ${WARMUP} s of warm-up:`,
    );
    console.log(paced('  bare node http', bh));
    console.log(paced('  cairn endpoint', h));
    // The endpoint's own histogram (request in to reply out, in its process) tells its share of
    // the client's latency from the rest: connections, the client, and this machine's scheduler.
    const before = (await scrape.atWarm) ?? '';
    const own = (q: number) => quantileBound(before, after, q);
    console.log(
      `  cairn's own latency (its /metrics): p50 <= ${own(0.5)} ms, p99 <= ${own(0.99)} ms, p99.9 <= ${own(0.999)} ms`,
    );
    // CPU time per request varies less with what else runs on the machine than rates do.
    console.log(
      `  CPU per request, warm-up included: cairn ${cairnCpuUs.toFixed(1)} µs (endpoint process, all threads), bare ${bareCpuUs.toFixed(1)} µs`,
    );
    for (const [client, t] of Object.entries(totals))
      console.log(`ratio cairn / bare, ${client}: ${(t.cairn / t.bare).toFixed(2)}x (target >= 0.5x)`);
    console.log(`cairn p50/p99 at half load: ${h.p50.toFixed(2)} / ${h.p99.toFixed(2)} ms (target p99 < 5 ms)`);
    const metrics = after;
    const calls = Number(/^cairn_model_calls_total (\d+)/m.exec(metrics)?.[1] ?? 0);
    const served = cairnTotal + h.sent;
    if (calls)
      console.log(
        `micro-batching: ${calls} model calls for ~${served} requests (${(served / calls).toFixed(1)} rows per call)`,
      );
    // Every request is logged; the log drops (and counts) rows only when its writer falls behind.
    const dropped = Number(/^cairn_request_log_dropped_total (\d+)/m.exec(metrics)?.[1] ?? Number.NaN);
    console.log(`request log: ${dropped} rows dropped of ~${served}`);
  } finally {
    bare.stop();
    await wrk.stop();
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
