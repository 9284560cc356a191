// The schedule editor's readable presets over cron: hourly at a minute, daily at HH:MM, weekly on a
// day at HH:MM, or any cron expression typed as it is. A saved schedule is read back into the
// preset it matches, so editing `0 6 * * 1` shows "weekly on Monday at 06:00", not the raw cron.

export type ScheduleMode = 'none' | 'hourly' | 'daily' | 'weekly' | 'custom';

export interface SchedulePreset {
  mode: ScheduleMode;
  /** hourly: the minute past each hour. */
  minute: number;
  /** daily and weekly: the time of day, `HH:MM`. */
  time: string;
  /** weekly: 0 (Sunday) to 6, as cron counts. */
  day: number;
  /** custom: the expression as typed. */
  cron: string;
}

export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export const MODE_LABELS: Record<ScheduleMode, string> = {
  none: 'None: by hand',
  hourly: 'Hourly',
  daily: 'Daily',
  weekly: 'Weekly',
  custom: 'Custom (cron)',
};

const DEFAULTS: SchedulePreset = { mode: 'none', minute: 0, time: '06:00', day: 1, cron: '' };

const NUMBER = '(\\d{1,2})';

/** The preset a cron expression is (custom when it is none of the readable ones). */
export function presetOf(schedule: string): SchedulePreset {
  const cron = schedule.trim().replace(/\s+/g, ' ');
  if (cron === '') return DEFAULTS;
  const hourly = new RegExp(`^${NUMBER} \\* \\* \\* \\*$`).exec(cron);
  if (hourly && Number(hourly[1]) < 60) return { ...DEFAULTS, mode: 'hourly', minute: Number(hourly[1]) };
  const daily = new RegExp(`^${NUMBER} ${NUMBER} \\* \\* (\\*|[0-7])$`).exec(cron);
  if (daily && Number(daily[1]) < 60 && Number(daily[2]) < 24) {
    const time = `${pad(Number(daily[2]))}:${pad(Number(daily[1]))}`;
    if (daily[3] === '*') return { ...DEFAULTS, mode: 'daily', time };
    return { ...DEFAULTS, mode: 'weekly', time, day: Number(daily[3]) % 7 };
  }
  return { ...DEFAULTS, mode: 'custom', cron: schedule.trim() };
}

/** The cron expression a preset means ('' for none). */
export function cronOf(p: SchedulePreset): string {
  const [h, m] = timeParts(p.time);
  switch (p.mode) {
    case 'none':
      return '';
    case 'hourly':
      return `${p.minute} * * * *`;
    case 'daily':
      return `${m} ${h} * * *`;
    case 'weekly':
      return `${m} ${h} * * ${p.day}`;
    case 'custom':
      return p.cron.trim();
  }
}

/** A preset in words, e.g. "weekly on Monday at 06:00". */
export function describePreset(p: SchedulePreset): string {
  switch (p.mode) {
    case 'none':
      return 'no schedule';
    case 'hourly':
      return `every hour at ${pad(p.minute)} minutes past`;
    case 'daily':
      return `every day at ${p.time}`;
    case 'weekly':
      return `every ${DAYS[p.day] ?? 'week'} at ${p.time}`;
    case 'custom':
      return `cron ${p.cron.trim()}`;
  }
}

/** A preset moved to another mode, keeping the times it has (custom starts from the cron it was). */
export function withMode(p: SchedulePreset, mode: ScheduleMode): SchedulePreset {
  if (mode === 'custom' && p.mode !== 'custom') return { ...p, mode, cron: cronOf(p) || '0 6 * * *' };
  return { ...p, mode };
}

function timeParts(time: string): [number, number] {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!m) return [6, 0];
  return [Math.min(23, Number(m[1])), Math.min(59, Number(m[2]))];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
