// Runs a command and samples the resident memory of its whole process tree (/proc, Linux), so a
// host plus its job process are measured the same way as a single Python process.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface Measured {
  wallMs: number;
  peakRssBytes: number;
  /**
   * Processor time of every process of the tree (user + system, all threads), as last sampled: on a
   * busy shared machine it says what a run costs where wall time says how long it waited too.
   */
  cpuMs: number;
  stdout: string;
  code: number | null;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function treeRss(root: number): number {
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop() as number;
    total += rssOf(pid);
    stack.push(...childrenOf(pid));
  }
  return total;
}

/** Clock ticks per second of /proc/<pid>/stat's times: 100 on every Linux Cairn is built on. */
const TICKS_PER_SECOND = 100;

/** User + system ticks a process has used so far (fields 14 and 15 of /proc/<pid>/stat). */
function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function treePids(root: number): number[] {
  const pids: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop() as number;
    pids.push(pid);
    stack.push(...childrenOf(pid));
  }
  return pids;
}

/** Runs `cmd args`, returning wall time and the peak summed RSS of its process tree (sampled every 20 ms). */
export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  if (!readdirSync('/proc').length) throw new Error('memory sampling needs /proc (Linux)');
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let peak = 0;
    const ticks = new Map<number, number>();
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setInterval(() => {
      if (!child.pid) return;
      peak = Math.max(peak, treeRss(child.pid));
      for (const pid of treePids(child.pid)) ticks.set(pid, Math.max(ticks.get(pid) ?? 0, ticksOf(pid)));
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      let total = 0;
      for (const t of ticks.values()) total += t;
      resolve({
        wallMs: performance.now() - start,
        peakRssBytes: peak,
        cpuMs: (total * 1000) / TICKS_PER_SECOND,
        stdout,
        code,
      });
    });
  });
}
