// The task a target column implies, judged from its profile: what the Train dialog shows before a
// run and what a sweep checks its metric against before any trial starts. The engine decides on
// the training rows themselves (run-training.ts, inferTask) with the same rule.
import type { ColumnProfile, TaskName } from './api.js';

/** An integer target with at most this many distinct values is taken as classes (as the engine does). */
export const MAX_INTEGER_CLASSES = 20;

/** The task the engine infers from a target's profile. */
export function inferTask(c: ColumnProfile): TaskName {
  if (c.type === 'categorical' || c.type === 'boolean' || c.type === 'text') return 'classification';
  if (c.type === 'integer' && c.distinct <= MAX_INTEGER_CLASSES) return 'classification';
  return 'regression';
}
