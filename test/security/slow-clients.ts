// Slow-header clients (slowloris) for the endpoint's security tests, run as a child process so the
// attack has its own event loop as a real one would: `sockets` connections spread over the
// loopback source addresses given, each sending a request line and then one header line every
// `dripMs`, never the blank line that ends the headers, and reconnecting at once when the server
// closes it. The parent gets {type: 'ready'} once every socket has connected once, and stops the
// attack with {type: 'stop'}; the child then closes its sockets and exits.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface SlowClientsOptions {
  port: number;
  sockets: number;
  /** Loopback source addresses (127.0.0.x) the sockets are spread over. */
  addresses: string[];
  dripMs: number;
}

type ToChild = { type: 'start'; options: SlowClientsOptions } | { type: 'stop' };
type FromChild = { type: 'ready' };

function attack(o: SlowClientsOptions, ready: () => void): () => void {
  let stopped = false;
  let connected = 0;
  const live = new Set<net.Socket>();
  const open = (localAddress: string) => {
    if (stopped) return;
    const socket = net.connect({ host: '127.0.0.1', port: o.port, localAddress });
    live.add(socket);
    let drip: NodeJS.Timeout | undefined;
    socket.once('connect', () => {
      if (++connected === o.sockets) ready();
      socket.write('POST /v1/models/m/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      drip = setInterval(() => socket.write('X-Slow: 1\r\n'), o.dripMs);
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearInterval(drip);
      live.delete(socket);
      if (!stopped) setImmediate(open, localAddress);
    });
  };
  for (let i = 0; i < o.sockets; i++) open(o.addresses[i % o.addresses.length] as string);
  return () => {
    stopped = true;
    for (const s of live) s.destroy();
  };
}

/** Starts the attack in a child process; resolves once every socket has connected once. */
export async function startSlowClients(
  options: SlowClientsOptions,
): Promise<{ stop(): Promise<void>; child: ChildProcess }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', (m: FromChild) =>
      m.type === 'ready' ? resolve() : reject(new Error(`unexpected ${JSON.stringify(m)}`)),
    );
    child.once('exit', (code) => reject(new Error(`the slow clients exited (${code}) before connecting`)));
    child.send({ type: 'start', options } satisfies ToChild);
  });
  return {
    child,
    stop: async () => {
      if (child.connected) child.send({ type: 'stop' } satisfies ToChild);
      await exited;
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  let stop: (() => void) | undefined;
  process.on('message', (m: ToChild) => {
    if (m.type === 'start') stop = attack(m.options, () => process.send?.({ type: 'ready' } satisfies FromChild));
    else {
      stop?.();
      process.disconnect();
    }
  });
  // The parent died: nothing is left to stop the attack but this.
  process.on('disconnect', () => {
    stop?.();
    process.exit(0);
  });
}
