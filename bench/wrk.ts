// Closed-loop load from wrk (Debian's /usr/bin/wrk), a C client: on a 2-core machine autocannon
// (JavaScript) takes most of a core from the server it measures, wrk far less, so the two together
// tell the server's ceiling from the client's.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const WRK = '/usr/bin/wrk';

export interface WrkResult {
  /** Requests answered in the run. */
  total: number;
  /** Answers that were not 2xx/3xx, plus socket errors and timeouts. */
  failed: number;
  /** Latency percentile in milliseconds. */
  p99: number;
}

/** wrk prints latencies as e.g. `812.00us`, `1.20ms`, `2.01s`. */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return Number.NaN;
  const scale = { us: 1e-3, ms: 1, s: 1e3, m: 6e4 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(m[1]) * scale;
}

/** Reads wrk's summary (run with --latency). */
export function parseWrk(out: string): WrkResult {
  const total = Number(/^\s*(\d+) requests in /m.exec(out)?.[1] ?? Number.NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const p99 = ms(/^\s*99%\s+(\S+)$/m.exec(out)?.[1] ?? '');
  return { total, failed: non2xx + errors, p99 };
}

/**
 * A wrk that POSTs `body` as JSON: the body goes through a Lua script, wrk's only way to send
 * one. `stop` removes the script's folder.
 */
export async function wrkPoster(body: string): Promise<{
  run: (url: string, connections: number, seconds: number) => Promise<WrkResult>;
  stop: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-wrk-'));
  const script = path.join(dir, 'post.lua');
  await writeFile(
    script,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`,
  );
  const exec = promisify(execFile);
  return {
    // One client thread: the second core is the servers' (and the endpoint's log writer's).
    run: async (url, connections, seconds) => {
      const { stdout } = await exec(WRK, ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url]);
      return parseWrk(stdout);
    },
    stop: () => rm(dir, { recursive: true, force: true }),
  };
}
