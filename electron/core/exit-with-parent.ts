// A child process (job or endpoint) must not outlive the host that started it: nobody reads its
// result any more, and once its IPC channel is gone its next message fails with EPIPE or
// ERR_IPC_CHANNEL_CLOSED. Two signals tell it the host went:
// - child_process.fork: the IPC channel's 'disconnect' event, seen on the main event loop;
// - any host (also Electron's utilityProcess, whose parentPort has no close event): the parent
//   pid changing, as the orphan is adopted by init or a subreaper.
// The main loop cannot be trusted to notice either in time (a training epoch in tfjs holds it
// for seconds), so a worker thread polls the parent pid on its own loop and ends the process
// with SIGKILL, which writes nothing to the terminal.
import { Worker } from 'node:worker_threads';

/** How often the watcher thread looks at the parent pid: the bound on how late an orphan exits. */
export const PARENT_POLL_MS = 100;

export interface ExitWithParentOptions {
  /**
   * Runs on the main loop when the IPC channel closes (fork hosts), e.g. to drain; the default
   * exits at once. The watcher thread still ends the process graceMs after the parent is gone.
   */
  onDisconnect?: () => void;
  /** How long after the parent's death the watcher lets the process end by itself (default 0). */
  graceMs?: number;
}

// Evaluated as a CommonJS script in its own thread, so it works the same from TypeScript sources
// (tsx), the CLI and electron-vite's bundle without a separate entry file.
const WATCHER = `
const { workerData } = require('node:worker_threads');
const { parentPid, pollMs, graceMs } = workerData;
const timer = setInterval(() => {
  if (process.ppid === parentPid) return;
  clearInterval(timer);
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), graceMs);
}, pollMs);
`;

/** Ends this process promptly, and silently, once the process that started it has gone. */
export function exitWithParent(options: ExitWithParentOptions = {}): void {
  const parentPid = process.ppid;
  const onDisconnect = options.onDisconnect ?? (() => process.exit(0));
  if (process.send) process.once('disconnect', onDisconnect);
  const watcher = new Worker(WATCHER, {
    eval: true,
    workerData: { parentPid, pollMs: PARENT_POLL_MS, graceMs: options.graceMs ?? 0 },
    // The watcher has nothing to print; a thread whose output is piped through the main thread
    // would not be heard anyway while that thread is busy.
    stdout: true,
    stderr: true,
  });
  // The watcher must never be the reason this process stays alive.
  watcher.unref();
}

/**
 * An uncaught error ends a child process with one line on stderr. Node's default report quotes
 * the source line that threw, and in a minified bundle (tfjs's wasm glue) that line is 20 KB of
 * code. After the host has gone there is nobody to tell, and nothing is printed.
 */
export function crashInOneLine(who: string): void {
  const crash = (err: unknown) => {
    // The fork host's channel is closed (process.connected is false): the host is gone.
    const hostGone = process.send !== undefined && !process.connected;
    if (!hostGone) process.stderr.write(`${who}: ${oneLine(err)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/** At most 300 characters on one line: an error's name and message, never its source or stack. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}
