// Who is in the fleet: each worker writes its facts under a key that expires unless its heartbeat
// renews it, and into a table of every worker seen. A worker in the table whose key expired is lost
// (killed, or its machine gone); one that stops cleanly takes itself out of both.
import type { Redis } from 'ioredis';
import { FleetWorker, type FleetWorkerJob } from '../../../shared/api.js';

export const QUEUE_NAME = 'cairn-jobs';
/** BullMQ's key prefix for the queue, and the registry's keys beside it. */
export const KEY_PREFIX = 'cairn';
const TABLE = `${KEY_PREFIX}:fleet:workers`;
const aliveKey = (name: string) => `${KEY_PREFIX}:fleet:alive:${name}`;

/** How often a worker says it lives; three missed beats and it reads as lost. */
export const HEARTBEAT_MS = 5000;
const ALIVE_MS = HEARTBEAT_MS * 3;

/** A worker's facts as it registers them (its state is worked out by the reader). */
export type WorkerFacts = Omit<FleetWorker, 'state' | 'lastSeen'>;

/** Writes one worker's heartbeat: its facts, now, renewing its alive key. */
export async function beat(redis: Redis, facts: WorkerFacts, now = new Date()): Promise<void> {
  const record = JSON.stringify({ ...facts, lastSeen: now.toISOString() });
  await redis.multi().hset(TABLE, facts.name, record).set(aliveKey(facts.name), '1', 'PX', ALIVE_MS).exec();
}

/** Takes a worker out of the fleet: it stopped on purpose. */
export async function deregister(redis: Redis, name: string): Promise<void> {
  await redis.multi().hdel(TABLE, name).del(aliveKey(name)).exec();
}

/** Every worker seen, live, busy or lost, by name. */
export async function listWorkers(redis: Redis): Promise<FleetWorker[]> {
  const table = await redis.hgetall(TABLE);
  const names = Object.keys(table).sort();
  if (names.length === 0) return [];
  const alive = await redis.mget(...names.map(aliveKey));
  return names.flatMap((name, i) => {
    const parsed = FleetWorker.omit({ state: true }).safeParse(JSON.parse(table[name] ?? 'null'));
    // A record another build wrote in a shape this one cannot read is not shown rather than guessed at.
    if (!parsed.success) return [];
    const jobs: FleetWorkerJob[] = parsed.data.jobs;
    const state = alive[i] === null ? 'lost' : jobs.length > 0 ? 'busy' : 'live';
    return [{ ...parsed.data, state, jobs: state === 'lost' ? [] : jobs }];
  });
}
