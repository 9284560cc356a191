// How a cancel reaches the worker holding a job: BullMQ cannot stop a job a worker holds, so the
// app publishes the job's id on a channel every worker listens to, and leaves a key beside it for
// a worker that takes the job (or reconnects) after the message went by.
import type { Redis } from 'ioredis';
import { KEY_PREFIX } from './worker-registry.js';

export const CANCEL_CHANNEL = `${KEY_PREFIX}:fleet:cancel`;
const cancelKey = (jobId: string) => `${KEY_PREFIX}:fleet:cancelled:${jobId}`;
/** Long enough for any worker holding the job to see it; the job has ended by then. */
const CANCEL_KEY_S = 24 * 3600;

/** Tells the fleet to stop a job: the worker holding it kills its job process. */
export async function requestCancel(redis: Redis, jobId: string): Promise<void> {
  await redis.set(cancelKey(jobId), '1', 'EX', CANCEL_KEY_S);
  await redis.publish(CANCEL_CHANNEL, jobId);
}

export async function cancelRequested(redis: Redis, jobId: string): Promise<boolean> {
  return (await redis.exists(cancelKey(jobId))) === 1;
}
