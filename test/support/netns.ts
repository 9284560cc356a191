// Separate hosts on one machine: a network namespace per worker, linked to the test's own
// namespace by a veth pair on a /30 of its own, so a process in it reaches the test's servers only
// over that link (as another machine would over a LAN). Needs root and iproute2; `make` says why
// it could not, and the caller falls back to plain processes.
import { execFileSync } from 'node:child_process';

export interface Namespace {
  name: string;
  /** The test's end of the link: the address a process inside reaches the test's servers at. */
  hostAddress: string;
  /** Runs `argv` inside the namespace. */
  wrap: (argv: string[]) => string[];
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes `count` namespaces, or returns why it could not (then nothing is left behind). */
export function makeNamespaces(count: number): { made: Namespace[]; remove: () => void } | { error: string } {
  const tag = `cf${process.pid % 100000}`;
  // A second octet per test process: two test files may run at once.
  const octet = 200 + (process.pid % 50);
  const made: Namespace[] = [];
  const remove = () => {
    for (const ns of made) {
      try {
        ip('netns', 'del', ns.name);
      } catch {
        // Already gone.
      }
    }
  };
  try {
    for (let k = 1; k <= count; k++) {
      const name = `${tag}-${k}`;
      const outside = `${tag}h${k}`;
      const inside = `${tag}n${k}`;
      const hostAddress = `10.${octet}.${k}.1`;
      ip('netns', 'add', name);
      made.push({ name, hostAddress, wrap: (argv) => ['ip', 'netns', 'exec', name, ...argv] });
      ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
      ip('link', 'set', inside, 'netns', name);
      ip('addr', 'add', `${hostAddress}/30`, 'dev', outside);
      ip('link', 'set', outside, 'up');
      ip('netns', 'exec', name, 'ip', 'addr', 'add', `10.${octet}.${k}.2/30`, 'dev', inside);
      ip('netns', 'exec', name, 'ip', 'link', 'set', inside, 'up');
      ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    }
    return { made, remove };
  } catch (err) {
    remove();
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return { error: stderr || (err as Error).message };
  }
}
