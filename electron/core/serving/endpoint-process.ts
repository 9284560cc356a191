// Entry point of an endpoint process: serves until told to stop or sent SIGTERM, then drains
// (answers what is in flight) and exits, within the drain timeout whether or not the drain has
// finished. A crash here takes down this endpoint only; the host's supervisor starts it again, and
// kills a process whose event loop is too blocked to run even that timer.
import { toApiError } from '../errors.js';
import { exitWithParent } from '../exit-with-parent.js';
import { startEndpoint, type EndpointHooks, type RunningEndpoint } from './endpoint.js';
import { DEFAULT_DRAIN_MS, type EndpointToHost, type HostToEndpoint } from './protocol.js';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (ev: { data: unknown }) => void): void;
}

const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
const post = (m: EndpointToHost) => {
  if (electronPort) electronPort.postMessage(m);
  else process.send?.(m);
};
const listen = (l: (m: HostToEndpoint) => void) => {
  if (electronPort) electronPort.on('message', (ev) => l(ev.data as HostToEndpoint));
  else process.on('message', (m) => l(m as HostToEndpoint));
};

/** CAIRN_SERVE_TEST_DELAY_MS slows every model call: the supervisor's tests use it to hold requests in flight. */
function hooks(): EndpointHooks {
  const ms = Number(process.env.CAIRN_SERVE_TEST_DELAY_MS);
  return ms > 0 ? { beforeModelCall: () => new Promise<void>((r) => setTimeout(r, ms)) } : {};
}

let running: RunningEndpoint | undefined;
let stopping = false;
let drainMs = DEFAULT_DRAIN_MS;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // A drain that cannot finish (a swap still loading, a model call that does not return) must
  // not keep the process, and whatever memory it holds, alive.
  setTimeout(() => {
    process.stderr.write(`endpoint: in-flight work did not finish within ${drainMs} ms of the stop; exiting\n`);
    process.exit(1);
  }, drainMs);
  try {
    await running?.close();
  } finally {
    process.exit(code);
  }
}

listen((message) => {
  switch (message.type) {
    case 'start':
      drainMs = message.config.drainMs ?? DEFAULT_DRAIN_MS;
      startEndpoint(message.config, hooks()).then(
        (r) => {
          running = r;
          post({ type: 'listening', url: r.url, port: r.port, models: r.models() });
        },
        (err: unknown) => {
          post({ type: 'error', error: toApiError(err) });
          // Let the message leave before exiting.
          setTimeout(() => process.exit(1), 50);
        },
      );
      break;
    case 'swap':
      if (!running) break;
      running.swap(message.models).then(
        (models) => post({ type: 'swapped', models }),
        (err: unknown) => post({ type: 'error', error: toApiError(err) }),
      );
      break;
    case 'stop':
      void stop(0);
      break;
    case 'traffic':
      // Before it listens there is no traffic: the host shows empty buckets.
      if (running)
        post({
          type: 'traffic',
          id: message.id,
          traffic: running.metrics.live.window(message.from, message.to, message.bucketMs),
        });
      break;
  }
});

process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
// The host went away (its IPC channel closed): nobody supervises this endpoint any more. It
// drains, and is ended 5 s after its parent's death if a busy loop keeps it from doing so.
exitWithParent({ onDisconnect: () => void stop(0), graceMs: 5000 });
