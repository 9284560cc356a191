// Prediction endpoints: start, status, live traffic stats, the test console.
import { z } from 'zod';

/** Where a prediction endpoint is in its life; `restarting` after its process died. */
export const EndpointStatus = z.enum(['starting', 'running', 'restarting', 'stopping', 'stopped', 'failed']);
export type EndpointStatus = z.infer<typeof EndpointStatus>;

/** One model version an endpoint serves (error: it could not be loaded, e.g. its files failed their check). */
export const EndpointModel = z.object({
  name: z.string(),
  version: z.number(),
  aliases: z.array(z.string()),
  /** Answers /v1/models/{name}/predict. */
  isDefault: z.boolean(),
  error: z.string().optional(),
});
export type EndpointModel = z.infer<typeof EndpointModel>;

export const Endpoint = z.object({
  id: z.string(),
  /** Base URL, e.g. http://127.0.0.1:8080; null until it first listens. */
  url: z.string().nullable(),
  host: z.string(),
  port: z.number().nullable(),
  status: EndpointStatus,
  /** The references it was started with (name, name@alias, name:version). */
  refs: z.array(z.string()),
  models: z.array(EndpointModel),
  pid: z.number().nullable(),
  /** Times its process died and was started again. */
  restarts: z.number(),
  startedAt: z.string(),
  /** Required as Authorization: Bearer when it binds a non-loopback address; null on loopback. */
  apiKey: z.string().nullable(),
  /** The last thing that happened to it, for the UI (e.g. why it restarted). */
  message: z.string().nullable(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const EndpointStartRequest = z.object({
  /** Model references: name (production, else latest), name@alias, name:version. */
  models: z.array(z.string().trim().min(1)).min(1).max(100),
  /** A free one when absent. */
  port: z.number().int().min(0).max(65535).optional(),
  /** 127.0.0.1 when absent; any other address gets an API key. */
  host: z.string().trim().min(1).max(255).optional(),
});
export type EndpointStartRequest = z.input<typeof EndpointStartRequest>;

/** Traffic of one endpoint over the last minutes, for its live chart. */
export const EndpointStatsRequest = z.object({
  endpointId: z.string().min(1),
  /** How far back from now; 300 s when absent. Endpoints keep their last 15 minutes per second. */
  windowSeconds: z.number().int().min(10).max(900).default(300),
  /** Bucket width; about 150 buckets over the window when absent. */
  bucketSeconds: z.number().int().min(1).max(900).optional(),
});
export type EndpointStatsRequest = z.input<typeof EndpointStatsRequest>;

/** Latency percentiles in ms over answered (status < 400) requests; null when there were none. */
/** The latency percentiles (ms) every traffic figure carries; null where nothing was answered. */
export const LatencyPercentiles = {
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
};

export const EndpointStatsBucket = z.object({
  /** Bucket start, epoch ms. */
  t: z.number(),
  /** HTTP requests the endpoint answered, predictions or refusals. */
  requests: z.number(),
  /** Requests answered with status 400 or more. */
  errors: z.number(),
  /** Instances predicted (one request may carry several). */
  predictions: z.number(),
  ...LatencyPercentiles,
});
export type EndpointStatsBucket = z.infer<typeof EndpointStatsBucket>;

/** What the endpoint's process has answered since it last started (a restart begins anew), per bucket. */
export const EndpointStats = z.object({
  endpointId: z.string(),
  /** Window start and end, epoch ms. */
  from: z.number(),
  to: z.number(),
  bucketSeconds: z.number(),
  /** Oldest first, every bucket of the window (empty ones with zero requests). */
  buckets: z.array(EndpointStatsBucket),
  total: z.object({ requests: z.number(), errors: z.number(), predictions: z.number(), ...LatencyPercentiles }),
});
export type EndpointStats = z.infer<typeof EndpointStats>;

/** A prediction sent to a running endpoint by the host on the UI's behalf (the UI may not reach other ports). */
export const EndpointTestRequest = z.object({
  endpointId: z.string().min(1),
  model: z.string().min(1),
  /** A version number, or an alias; the model's default (production, else latest) when neither. */
  version: z.number().int().positive().optional(),
  alias: z.string().min(1).max(64).optional(),
  instances: z.array(z.record(z.string(), z.unknown())).min(1).max(1_000),
  /** Ask with ?explain=true: each prediction's contributions per column, and their base. */
  explain: z.boolean().optional(),
});
export type EndpointTestRequest = z.input<typeof EndpointTestRequest>;

/** The endpoint's answer as it came: refusals (4xx, 5xx) are results here, not errors. */
export const EndpointTestResult = z.object({
  /** The URL posted to. */
  url: z.string(),
  status: z.number(),
  /** Round trip as the host measured it. */
  latencyMs: z.number(),
  /** The parsed JSON body (or the text when it was not JSON). */
  body: z.unknown(),
});
export type EndpointTestResult = z.infer<typeof EndpointTestResult>;
