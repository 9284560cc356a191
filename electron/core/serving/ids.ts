// Prediction ids: unique across processes and restarts, and sortable by time as text, so a later
// feedback call can name one prediction and the log can be range-scanned by id.
import { randomBytes } from 'node:crypto';

const PROCESS_PART = randomBytes(5).toString('hex');
let lastMs = 0;
let counter = 0;
// The id's text up to the sequence, rebuilt only when the millisecond changes.
let prefix = '';

/** `<ms since epoch, 12 hex>-<process, 10 hex><sequence, 6 hex>`; increases within a process. */
export function newPredictionId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xffffff) {
    // More than 16M ids in one millisecond: borrow the next millisecond to stay ordered.
    lastMs++;
    counter = 0;
    prefix = '';
  }
  if (!prefix || counter === 0) prefix = `${lastMs.toString(16).padStart(12, '0')}-${PROCESS_PART}`;
  return `${prefix}${counter.toString(16).padStart(6, '0')}`;
}
