// Errors as they cross the boundary: a code, a message, details; never a stack.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid_argument',
  'not_found',
  'unauthorized',
  'import_failed',
  'bad_rows',
  'cancelled',
  /** The action conflicts with the current state, e.g. deleting a version an alias points at. */
  'conflict',
  /** A pipeline's evaluate step found a gate (e.g. accuracy >= 0.9) not met. */
  'gate_failed',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Errors cross the boundary as data, never as stacks. */
export const ApiErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;
