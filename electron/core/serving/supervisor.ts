// The host's side of prediction endpoints: each runs in its own process, started with the
// versions the host resolved, restarted with backoff when it dies (on the same port, so clients
// come back), told to hot-swap when aliases move, and drained on stop and when the host closes.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Endpoint, EndpointStartRequest } from '../../../shared/api.js';
import { CairnError, fromApiError } from '../errors.js';
import {
  DEFAULT_DRAIN_MS,
  type EndpointConfig,
  type EndpointLimits,
  type EndpointProcess,
  type EndpointToHost,
  type ModelState,
  type ServedModel,
  type SpawnEndpointProcess,
} from './protocol.js';
import type { TrafficWindow } from './live-traffic.js';

export interface SupervisorOptions {
  spawn: SpawnEndpointProcess;
  /** Model references to resolved versions (the registry's resolver, or resolve.ts's). */
  resolve: (refs: readonly string[]) => ServedModel[];
  logFile: string;
  emit: (endpoint: Endpoint) => void;
  limits?: Partial<EndpointLimits>;
  /** First restart delay, doubled per consecutive crash up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A process that lived this long resets the backoff. */
  stableMs?: number;
  /**
   * How long a stop lets the process drain in-flight requests (it exits by itself then); one still
   * there KILL_MARGIN_MS later, its event loop blocked, is killed.
   */
  drainMs?: number;
}

/** A process's own exit timer needs its event loop; past drainMs by this much, the loop is not turning. */
const KILL_MARGIN_MS = 2_000;

interface Managed {
  info: Endpoint;
  served: ServedModel[];
  config: EndpointConfig;
  proc?: EndpointProcess;
  stopping: boolean;
  crashes: number;
  launchedAt: number;
  restartTimer?: NodeJS.Timeout;
  exited?: Promise<void>;
  /** Swaps sent and not yet answered: the process answers each with 'swapped', in order. */
  swapsInFlight: number;
  /** Called once no swap is in flight (answered, or the process gone). */
  swapIdle: (() => void)[];
  /** Traffic asked of the process and not yet answered, by request id. */
  trafficAsked: Map<number, (traffic: TrafficWindow | undefined) => void>;
}

/** How long a chart's poll waits for a busy endpoint's traffic before it shows none. */
const TRAFFIC_TIMEOUT_MS = 2_000;

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
}

function toModels(states: ModelState[]): Endpoint['models'] {
  return states.map((s) => ({
    name: s.name,
    version: s.version,
    aliases: s.aliases,
    isDefault: s.isDefault,
    ...(s.error ? { error: s.error } : {}),
  }));
}

export class EndpointSupervisor {
  private readonly endpoints = new Map<string, Managed>();
  private closed = false;
  private trafficIds = 0;

  constructor(private readonly options: SupervisorOptions) {}

  private get drainMs(): number {
    return this.options.drainMs ?? DEFAULT_DRAIN_MS;
  }

  list(): Endpoint[] {
    return [...this.endpoints.values()].map((m) => ({ ...m.info }));
  }

  /** Starts an endpoint; resolves once it listens, or fails with why it could not. */
  async start(req: EndpointStartRequest): Promise<Endpoint> {
    if (this.closed) throw new CairnError('cancelled', 'Cairn is closing');
    const host = req.host ?? '127.0.0.1';
    const served = this.options.resolve(req.models);
    const apiKey = isLoopback(host) ? null : randomBytes(24).toString('base64url');
    const m: Managed = {
      info: {
        id: randomUUID(),
        url: null,
        host,
        port: req.port ?? null,
        status: 'starting',
        refs: [...req.models],
        models: served.map((s) => ({ name: s.name, version: s.version, aliases: s.aliases, isDefault: s.isDefault })),
        pid: null,
        restarts: 0,
        startedAt: new Date().toISOString(),
        apiKey,
        message: null,
      },
      served,
      config: {
        host,
        port: req.port ?? 0,
        ...(apiKey ? { apiKey } : {}),
        logFile: this.options.logFile,
        models: served,
        limits: this.options.limits,
        drainMs: this.drainMs,
      },
      stopping: false,
      crashes: 0,
      launchedAt: 0,
      swapsInFlight: 0,
      swapIdle: [],
      trafficAsked: new Map(),
    };
    this.endpoints.set(m.info.id, m);
    this.emit(m);
    try {
      await this.launch(m);
    } catch (err) {
      this.endpoints.delete(m.info.id);
      m.info.status = 'failed';
      m.info.message = err instanceof Error ? err.message : String(err);
      this.emit(m);
      throw err instanceof CairnError ? err : new CairnError('internal', m.info.message);
    }
    return { ...m.info };
  }

  /** Drains and stops one endpoint; false when there is no such endpoint. */
  async stop(id: string): Promise<boolean> {
    const m = this.endpoints.get(id);
    if (!m) return false;
    await this.halt(m);
    return true;
  }

  /**
   * Resolves every endpoint's references again and hot-swaps those whose versions changed.
   * Resolves once every swap in flight (this call's, or an earlier one's, e.g. from an alias move)
   * has been answered, so a caller that then lists the endpoints sees the versions they serve.
   */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.endpoints.values()].map(async (m) => {
        if (m.stopping) return;
        let served: ServedModel[];
        try {
          served = this.options.resolve(m.info.refs);
        } catch (err) {
          m.info.message = `kept serving the previous versions: ${err instanceof Error ? err.message : String(err)}`;
          this.emit(m);
          return;
        }
        if (JSON.stringify(served) !== JSON.stringify(m.served)) {
          m.served = served;
          m.config = { ...m.config, models: served };
          if (m.proc) {
            m.swapsInFlight++;
            m.proc.send({ type: 'swap', models: served });
          }
        }
        if (m.swapsInFlight > 0) await new Promise<void>((resolve) => m.swapIdle.push(resolve));
      }),
    );
  }

  /** Marks `count` swaps answered (all of them when the process is gone) and wakes waiters once none is left. */
  private swapsAnswered(m: Managed, count: number): void {
    m.swapsInFlight = Math.max(0, m.swapsInFlight - count);
    if (m.swapsInFlight > 0) return;
    for (const wake of m.swapIdle.splice(0)) wake();
  }

  /**
   * The traffic its process has answered over [from, to) (epoch ms) in buckets of bucketMs, as
   * its live chart shows it; undefined when there is no such endpoint or it is not running (or
   * stops before it answers). An endpoint too busy to answer within TRAFFIC_TIMEOUT_MS is an
   * error, not an empty chart: it is busy exactly when its traffic matters.
   */
  traffic(id: string, from: number, to: number, bucketMs: number): Promise<TrafficWindow | undefined> {
    const m = this.endpoints.get(id);
    const proc = m?.proc;
    if (!m || !proc || m.info.status !== 'running') return Promise.resolve(undefined);
    const ask = ++this.trafficIds;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        m.trafficAsked.delete(ask);
        reject(
          new CairnError(
            'internal',
            `the endpoint did not report its traffic within ${TRAFFIC_TIMEOUT_MS / 1000} s; it may be saturated`,
          ),
        );
      }, TRAFFIC_TIMEOUT_MS);
      m.trafficAsked.set(ask, (traffic) => {
        clearTimeout(timer);
        m.trafficAsked.delete(ask);
        resolve(traffic);
      });
      proc.send({ type: 'traffic', id: ask, from, to, bucketMs });
    });
  }

  /** Stops every endpoint (the host is closing). */
  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.endpoints.values()].map((m) => this.halt(m)));
  }

  private emit(m: Managed): void {
    this.options.emit({ ...m.info });
  }

  /** Starts the process and waits for it to listen. */
  private launch(m: Managed): Promise<void> {
    const proc = this.options.spawn();
    m.proc = proc;
    m.launchedAt = Date.now();
    m.info.pid = proc.pid ?? null;
    // The versions the process starts with; a refresh during its start changes m.config.models.
    const startedWith = m.config.models;
    return new Promise<void>((resolve, reject) => {
      let listening = false;
      let resolveExit!: () => void;
      m.exited = new Promise<void>((r) => (resolveExit = r));
      proc.onMessage((msg: EndpointToHost) => {
        if (msg.type === 'listening') {
          listening = true;
          // Electron's utilityProcess knows its pid only once it has started.
          m.info.pid = proc.pid ?? null;
          m.info.url = msg.url;
          m.info.port = msg.port;
          // A restart comes back on the same port, so clients reconnect to the same URL.
          m.config = { ...m.config, port: msg.port };
          m.info.status = 'running';
          m.info.models = toModels(msg.models);
          const failed = msg.models.filter((s) => s.error);
          m.info.message = failed.length
            ? failed.map((s) => s.error).join('; ')
            : m.info.restarts
              ? `restarted (restart ${m.info.restarts})`
              : null;
          // A process drops swaps sent before it listens: if versions moved while it started, swap now.
          this.swapsAnswered(m, Number.POSITIVE_INFINITY);
          if (m.config.models !== startedWith) {
            m.swapsInFlight++;
            proc.send({ type: 'swap', models: m.served });
          }
          this.emit(m);
          resolve();
        } else if (msg.type === 'traffic') {
          m.trafficAsked.get(msg.id)?.(msg.traffic);
        } else if (msg.type === 'swapped') {
          m.info.models = toModels(msg.models);
          this.swapsAnswered(m, 1);
          const failed = msg.models.filter((s) => s.error);
          m.info.message = failed.length ? failed.map((s) => s.error).join('; ') : 'models swapped';
          this.emit(m);
        } else if (!listening) {
          reject(fromApiError(msg.error));
        } else {
          // After it listens, a process reports an error only for a swap it could not make.
          this.swapsAnswered(m, 1);
          m.info.message = msg.error.message;
          this.emit(m);
        }
      });
      proc.onExit((code, signal) => {
        resolveExit();
        if (m.proc !== proc) return;
        for (const answer of [...m.trafficAsked.values()]) answer(undefined);
        // A restart loads m.config, which already holds the versions the unanswered swaps asked for.
        this.swapsAnswered(m, Number.POSITIVE_INFINITY);
        m.proc = undefined;
        m.info.pid = null;
        if (!listening) {
          reject(
            new CairnError(
              'internal',
              `the endpoint process stopped before it listened (${signal ?? `exit code ${String(code)}`})`,
            ),
          );
          return;
        }
        if (m.stopping) return;
        this.scheduleRestart(m, `the endpoint process died (${signal ?? `exit code ${String(code)}`})`);
      });
      proc.send({ type: 'start', config: m.config });
    });
  }

  private scheduleRestart(m: Managed, why: string): void {
    if (Date.now() - m.launchedAt > (this.options.stableMs ?? 30_000)) m.crashes = 0;
    const delay = Math.min((this.options.backoffMs ?? 250) * 2 ** m.crashes, this.options.maxBackoffMs ?? 10_000);
    m.crashes++;
    m.info.status = 'restarting';
    m.info.message = `${why}; restarting in ${(delay / 1000).toFixed(1)} s`;
    this.emit(m);
    m.restartTimer = setTimeout(() => {
      m.restartTimer = undefined;
      if (m.stopping) return;
      m.info.restarts++;
      this.launch(m).catch((err: unknown) => {
        if (!m.stopping)
          this.scheduleRestart(m, `the restart failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    }, delay);
  }

  private async halt(m: Managed): Promise<void> {
    if (m.stopping) {
      await m.exited;
      return;
    }
    m.stopping = true;
    if (m.restartTimer) clearTimeout(m.restartTimer);
    const proc = m.proc;
    if (proc) {
      m.info.status = 'stopping';
      this.emit(m);
      proc.send({ type: 'stop' });
      const killer = setTimeout(() => proc.kill(), this.drainMs + KILL_MARGIN_MS);
      await m.exited;
      clearTimeout(killer);
    }
    m.info.status = 'stopped';
    m.info.pid = null;
    m.info.message = null;
    this.endpoints.delete(m.info.id);
    this.emit(m);
  }
}
