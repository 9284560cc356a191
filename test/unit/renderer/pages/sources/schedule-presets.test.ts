// The schedule editor's presets: each reads back from the cron it writes, anything else is custom.
import { describe, expect, it } from 'vitest';
import {
  cronOf,
  describePreset,
  presetOf,
  withMode,
} from '../../../../../renderer/src/pages/sources/schedule-presets.js';

describe('schedule presets', () => {
  it.each([
    ['15 * * * *', 'hourly', 'every hour at 15 minutes past'],
    ['30 6 * * *', 'daily', 'every day at 06:30'],
    ['0 18 * * 5', 'weekly', 'every Friday at 18:00'],
    ['0 18 * * 7', 'weekly', 'every Sunday at 18:00'],
    ['*/5 * * * *', 'custom', 'cron */5 * * * *'],
    ['0 6 * * 1-5', 'custom', 'cron 0 6 * * 1-5'],
    ['@daily', 'custom', 'cron @daily'],
  ])('reads %s as %s', (cron, mode, words) => {
    const p = presetOf(cron);
    expect(p.mode).toBe(mode);
    expect(describePreset(p)).toBe(words);
    if (cron !== '0 18 * * 7') expect(cronOf(p)).toBe(cron);
  });

  it('reads no schedule as none, and none writes no cron', () => {
    expect(presetOf('  ').mode).toBe('none');
    expect(cronOf(presetOf(''))).toBe('');
  });

  it('keeps the time across modes, and custom starts from the cron it was', () => {
    const daily = presetOf('45 7 * * *');
    expect(cronOf(withMode(daily, 'weekly'))).toBe('45 7 * * 1');
    expect(withMode(daily, 'custom').cron).toBe('45 7 * * *');
  });
});
