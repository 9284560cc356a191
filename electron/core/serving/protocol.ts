// Messages between a host and an endpoint process, and the plain-data description of what an
// endpoint serves. The host resolves model references against app.db and sends resolved
// versions; the endpoint process reads model files and writes its own request log, never app.db.
import type { ApiErrorShape } from '../../../shared/api.js';
import type { TrafficWindow } from './live-traffic.js';

/** One model version an endpoint serves, as the host resolved it. */
export interface ServedModel {
  name: string;
  version: number;
  /** Absolute folder of the saved artifacts. */
  dir: string;
  /** sha256 of artifact.json recorded in app.db; the endpoint refuses files that differ. */
  sha256: string;
  /** Aliases this version answers for at /v1/models/{name}/aliases/{alias}/predict. */
  aliases: string[];
  /** Whether /v1/models/{name}/predict means this version (the production alias, else the latest). */
  isDefault: boolean;
}

/** Bounds that keep one endpoint responsive under load and slow clients. */
export interface EndpointLimits {
  /** Requests admitted at once (being validated, batched or scored); past it, 503 + Retry-After. */
  maxInFlight: number;
  /** A request not answered by then gets 504. */
  requestDeadlineMs: number;
  /** Rows per model call. */
  maxBatch: number;
  /**
   * What one model call may cost, in operations and in values held at once: a call holds the whole
   * process, so a model's rows per call are bounded by its cost per row (batcher.ts, rowsPerCall).
   */
  maxCallFlops: number;
  maxCallActivations: number;
  /**
   * A cap under load (batcher.ts): when a model call ended less than this ago, how long the first
   * request of the next batch may wait for others. 0: never wait; an idle model scores what has
   * arrived once the current I/O has been read, and what arrives during a call goes next.
   */
  maxBatchDelayMs: number;
  /** Request body limit in bytes; larger gets 413, without reading it. */
  bodyLimit: number;
  /** Instances per request. */
  maxInstances: number;
  /**
   * A picture's pixels (width × height, read from its header before decoding): past it, 413. The
   * import's and training's cap, so the endpoint takes the pictures a model was trained on.
   */
  maxImagePixels: number;
  /** Pictures decoded at once across the endpoint's requests (each holds its full-size pixels meanwhile). */
  maxConcurrentDecodes: number;
  /**
   * Instances per request asked with ?explain=true: exact explanations (trees, linear models) cost
   * about a prediction's worth each, a network's KernelSHAP some 20,000 model rows each.
   */
  maxExplainedInstances: number;
  maxNetworkExplainedInstances: number;
  /** Open connections at once that have sent a complete request head; past it, 503 and close. */
  maxConnections: number;
  /**
   * Connections at once still sending their first request's headers, a budget of their own so
   * slow senders cannot fill maxConnections; past it the oldest of them is closed.
   */
  maxPendingConnections: number;
  /** Open connections from one client address (behind a proxy, everyone shares one: raise it). */
  maxConnectionsPerAddress: number;
  /**
   * Time to receive a request's headers, and the whole request. Headers arrive in one round trip
   * from a real client; a slow-header socket holds its place at most headersTimeoutMs.
   */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export const DEFAULT_LIMITS: EndpointLimits = {
  maxInFlight: 512,
  requestDeadlineMs: 5_000,
  maxBatch: 64,
  // About 5 ms on the wasm backend (some 20 GFLOP/s here), 0.1-0.2 s on the plain CPU one.
  maxCallFlops: 100_000_000,
  // 16 MB of float32.
  maxCallActivations: 1 << 22,
  // Batches form while the model is busy; a fixed wait cost every request its length (issue 16).
  maxBatchDelayMs: 0,
  bodyLimit: 1024 * 1024,
  maxInstances: 1_000,
  // decode-image.ts's MAX_PIXELS (a test holds them equal): imported, it would load sharp into every host.
  maxImagePixels: 50_000_000,
  maxConcurrentDecodes: 2,
  maxExplainedInstances: 100,
  maxNetworkExplainedInstances: 10,
  maxConnections: 1_024,
  maxPendingConnections: 1_024,
  maxConnectionsPerAddress: 256,
  headersTimeoutMs: 2_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
};

/** What an endpoint process is told to start with. */
export interface EndpointConfig {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Required as `Authorization: Bearer <key>` when set (always set off loopback). */
  apiKey?: string;
  /** The request log's SQLite file. */
  logFile: string;
  models: ServedModel[];
  limits?: Partial<EndpointLimits>;
  /** The request log's retention. */
  logRetention?: { maxRows?: number; maxAgeDays?: number };
  /** How long a stop may drain before the process exits anyway (DEFAULT_DRAIN_MS when absent). */
  drainMs?: number;
}

/** How long a stop waits for in-flight requests; the host kills a process still there a margin later. */
export const DEFAULT_DRAIN_MS = 10_000;

/** The state of one served version inside an endpoint. */
export interface ModelState {
  name: string;
  version: number;
  aliases: string[];
  isDefault: boolean;
  /** Why the version could not be loaded (e.g. its files failed their check); absent when serving. */
  error?: string;
}

export type HostToEndpoint =
  | { type: 'start'; config: EndpointConfig }
  /** The full new list: versions not yet loaded are loaded fully, then the routes switch at once. */
  | { type: 'swap'; models: ServedModel[] }
  /** Stop accepting, answer what is in flight, then exit. */
  | { type: 'stop' }
  /** The live chart's traffic over [from, to) (epoch ms), answered with a 'traffic' of the same id. */
  | { type: 'traffic'; id: number; from: number; to: number; bucketMs: number };

export type EndpointToHost =
  | { type: 'listening'; url: string; port: number; models: ModelState[] }
  | { type: 'swapped'; models: ModelState[] }
  | { type: 'traffic'; id: number; traffic: TrafficWindow }
  | { type: 'error'; error: ApiErrorShape };

/** The host's handle on one endpoint process, whatever launched it (fork or Electron utilityProcess). */
export interface EndpointProcess {
  pid: number | undefined;
  send(message: HostToEndpoint): void;
  onMessage(listener: (message: EndpointToHost) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** SIGTERM: drain then exit. */
  terminate(): void;
  kill(): void;
}

export type SpawnEndpointProcess = () => EndpointProcess;
