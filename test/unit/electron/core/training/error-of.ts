import { expect } from 'vitest';
import { CairnError } from '../../../../../electron/core/errors.js';

/** The CairnError (code invalid_argument) that `fn` throws; fails the test if it throws none. */
export function errorOf(fn: () => unknown): CairnError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).code).toBe('invalid_argument');
    return err as CairnError;
  }
  throw new Error('expected an error');
}
