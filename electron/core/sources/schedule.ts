// Cron schedules (croner's syntax: 5 fields, or 6 with seconds first, or 7 with a year; nicknames
// such as @daily). A schedule that does not parse is refused naming its field and value, which
// croner's own messages do not always do.
import { Cron } from 'croner';
import { CairnError } from '../errors.js';

const FIELDS: Record<number, string[]> = {
  5: ['minute', 'hour', 'day of month', 'month', 'day of week'],
  6: ['second', 'minute', 'hour', 'day of month', 'month', 'day of week'],
  7: ['second', 'minute', 'hour', 'day of month', 'month', 'day of week', 'year'],
};

function tryCron(pattern: string): Cron | Error {
  try {
    return new Cron(pattern, { paused: true });
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** The schedule checked; invalid_argument naming the field that does not parse. */
export function parseSchedule(schedule: string): Cron {
  const pattern = schedule.trim();
  const cron = tryCron(pattern);
  if (!(cron instanceof Error)) return cron;
  const parts = pattern.split(/\s+/);
  const names = FIELDS[parts.length];
  if (!names)
    throw new CairnError(
      'invalid_argument',
      `schedule "${pattern}" does not parse: a cron schedule has 5 fields (minute hour day-of-month month day-of-week), e.g. "0 6 * * *" for 06:00 every day`,
      { field: 'schedule' },
    );
  // Each field alone, the others '*': the first that fails is the one to name.
  for (const [i, value] of parts.entries()) {
    const alone = parts.map((p, j) => (j === i ? p : '*')).join(' ');
    const err = tryCron(alone);
    if (err instanceof Error) {
      throw new CairnError(
        'invalid_argument',
        `schedule "${pattern}": the ${names[i] as string} field "${value}" does not parse`,
        { field: 'schedule', cronField: names[i] },
      );
    }
    if (!(err instanceof Error)) err.stop();
  }
  throw new CairnError('invalid_argument', `schedule "${pattern}" does not parse (${cron.message})`, {
    field: 'schedule',
  });
}

/** The next `count` run times after `from`. */
export function nextRuns(schedule: string, count: number, from = new Date()): Date[] {
  const cron = parseSchedule(schedule);
  try {
    return cron.nextRuns(count, from);
  } finally {
    cron.stop();
  }
}

/** Whether a run was due between `since` and `now` (a catch-up on start). */
export function missedSince(schedule: string, since: Date, now: Date): boolean {
  const next = nextRuns(schedule, 1, since)[0];
  return next !== undefined && next.getTime() <= now.getTime();
}
