// The one error type the client throws: the boundary's {code, message, details} as an Error, so
// callers can show the engine's message and branch on the code (e.g. offer "skip" for bad_rows).
import { ErrorCode, type ApiErrorShape } from '../../../shared/api.js';

export class ApiError extends Error implements ApiErrorShape {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    if (shape.details) this.details = shape.details;
  }
}

// The contract's own list, so a code added there is not read as 'internal' here.
const CODES: readonly string[] = ErrorCode.options;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an error shape from anything a transport handed back; unknown shapes become 'internal'. */
export function toApiError(value: unknown, fallback = 'unexpected error'): ApiError {
  if (value instanceof ApiError) return value;
  if (isRecord(value) && typeof value.message === 'string') {
    const code = typeof value.code === 'string' && CODES.includes(value.code) ? (value.code as ErrorCode) : 'internal';
    const details = isRecord(value.details) ? value.details : undefined;
    return new ApiError(details ? { code, message: value.message, details } : { code, message: value.message });
  }
  if (value instanceof Error) return new ApiError({ code: 'internal', message: value.message });
  return new ApiError({ code: 'internal', message: fallback });
}

/** Unwraps a reply envelope: the result, or a thrown ApiError. */
export function unwrapReply<T>(reply: unknown): T {
  if (isRecord(reply) && reply.ok === true && 'result' in reply) return reply.result as T;
  if (isRecord(reply) && reply.ok === false) throw toApiError(reply.error);
  throw new ApiError({ code: 'internal', message: 'the engine sent a reply the UI cannot read' });
}
