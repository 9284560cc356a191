import type { ApiErrorShape, ErrorCode } from '../../shared/api.js';

/** An error meant for the user: it crosses every boundary as {code, message, details}. */
export class CairnError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CairnError';
  }
}

/** Turns anything thrown into the boundary's error shape; unexpected errors keep only their message. */
export function toApiError(err: unknown): ApiErrorShape {
  if (err instanceof CairnError) {
    return err.details
      ? { code: err.code, message: err.message, details: err.details }
      : { code: err.code, message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

/** Rebuilds a CairnError on the receiving side of a process boundary. */
export function fromApiError(shape: ApiErrorShape): CairnError {
  return new CairnError(shape.code, shape.message, shape.details);
}
