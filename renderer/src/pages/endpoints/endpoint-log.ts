// What the endpoints page knows of each endpoint: its latest state from endpoints.list and
// endpoint.status events, and a short log of what happened to it (started, died, restarted,
// swapped models, stopped). Stopped endpoints stay listed until dismissed, so their story stays.
import type { Endpoint, EndpointStatus } from '../../../../shared/api.js';

export interface EndpointEvent {
  /** Epoch ms when the page saw it. */
  at: number;
  status: EndpointStatus;
  restarts: number;
  message: string | null;
}

export interface TrackedEndpoint {
  endpoint: Endpoint;
  /** Newest first, at most MAX_EVENTS. */
  events: EndpointEvent[];
}

export const MAX_EVENTS = 50;

/** Endpoints by id, in the order they were first seen. */
export type EndpointMap = ReadonlyMap<string, TrackedEndpoint>;

/**
 * The state after one endpoint.status event: a new log line when its status, restarts or message
 * changed. A line carries the message only when it is new: the engine keeps the last message on
 * later events (e.g. "restarted" while stopping), which would read as news again.
 */
export function applyStatus(map: EndpointMap, e: Endpoint, at = Date.now()): EndpointMap {
  const next = new Map(map);
  const known = map.get(e.id);
  const was = known?.endpoint;
  const newMessage = !was || e.message !== was.message;
  const changed = !was || e.status !== was.status || e.restarts !== was.restarts || newMessage;
  const ev: EndpointEvent = { at, status: e.status, restarts: e.restarts, message: newMessage ? e.message : null };
  const events = known ? (changed ? [ev, ...known.events].slice(0, MAX_EVENTS) : known.events) : [ev];
  next.set(e.id, { endpoint: e, events });
  return next;
}

/**
 * Merges a fresh endpoints.list: listed endpoints are updated (and added with one log line);
 * ones the page still shows as live but the engine no longer lists have stopped.
 */
export function applyList(map: EndpointMap, list: readonly Endpoint[], at = Date.now()): EndpointMap {
  let next: EndpointMap = map;
  const listed = new Set(list.map((e) => e.id));
  for (const e of list) next = applyStatus(next, e, at);
  for (const [id, t] of map) {
    if (!listed.has(id) && isLive(t.endpoint.status))
      next = applyStatus(next, { ...t.endpoint, status: 'stopped', pid: null, message: 'no longer running' }, at);
  }
  return next;
}

/** Whether an endpoint is still there to be used or stopped. */
export function isLive(status: EndpointStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'restarting' || status === 'stopping';
}

/** How an event reads in the log. */
export function describeEvent(ev: EndpointEvent): string {
  const base: Record<EndpointStatus, string> = {
    starting: 'Starting',
    running: ev.restarts ? `Running again (restart ${ev.restarts})` : 'Running',
    restarting: 'Process died',
    stopping: 'Stopping: answering requests in flight',
    stopped: 'Stopped',
    failed: 'Failed to start',
  };
  return base[ev.status];
}
