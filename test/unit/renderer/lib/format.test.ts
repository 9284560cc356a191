import { describe, expect, it } from 'vitest';
import {
  compactDateTime,
  describeProgress,
  formatBytes,
  formatCell,
  formatCount,
  formatFull,
  formatPercent,
  formatStat,
  formatTicks,
  shortHash,
} from '../../../../renderer/src/lib/format.js';

describe('format', () => {
  it('groups counts', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
  });

  it('writes statistics compactly', () => {
    expect(formatStat(3.14159265)).toBe('3.142');
    expect(formatStat(120)).toBe('120');
    expect(formatStat(99999.5)).toBe('100,000');
    expect(formatStat(1234.5678)).toBe('1,235');
    expect(formatStat(1_000_000)).toBe('1,000,000');
    expect(formatStat(2.5e12)).toBe('2.5e+12');
    expect(formatStat(0.00001234)).toBe('1.234e-5');
    expect(formatStat(0)).toBe('0');
    expect(formatStat(null)).toBe('—');
    expect(formatStat(undefined)).toBe('—');
    expect(formatStat(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatStat('2024-01-05T00:00:00.000Z')).toBe('2024-01-05');
    expect(formatStat(true)).toBe('true');
  });

  it('labels evenly spaced ticks with the decimals that tell neighbours apart, and shows values in full on hover', () => {
    // Bin edges 0.7215 apart: one decimal, where 4 significant digits gave 0.9215 and 1.643.
    expect(formatTicks([0.2, 0.9215, 1.643, 2.3645])).toEqual(['0.2', '0.9', '1.6', '2.4']);
    // A price histogram: whole numbers, grouped.
    expect(formatTicks([334, 1258.45, 2182.9, 3107.35])).toEqual(['334', '1,258', '2,183', '3,107']);
    // Narrow bins keep as many decimals as they need, and rounding that makes neighbours equal adds one.
    expect(formatTicks([0.5, 0.5125, 0.525])).toEqual(['0.50', '0.51', '0.53']);
    expect(formatTicks([1.04, 1.06, 1.08])).toEqual(['1.04', '1.06', '1.08']);
    expect(formatTicks([1e-6, 2e-6])).toEqual(['1e-6', '2e-6']);
    expect(formatTicks([-0.1, 0, 0.1])).toEqual(['-0.1', '0.0', '0.1']);
    // A prediction rounds on screen; its title has every digit it has.
    expect(formatStat(2956.7493038051307)).toBe('2,957');
    expect(formatFull(2956.7493038051307)).toBe('2956.74930380513');
    expect(formatFull(0.1 + 0.2)).toBe('0.3');
  });

  it('compacts ISO instants and leaves other strings alone', () => {
    expect(compactDateTime('2024-01-05T00:00:00.000Z')).toBe('2024-01-05');
    expect(compactDateTime('2024-01-05T13:45:10.000Z')).toBe('2024-01-05 13:45:10');
    expect(compactDateTime('2024-01-05T13:45:10.250Z')).toBe('2024-01-05 13:45:10.25');
    expect(compactDateTime('2024-01-05T00:00:00')).toBe('2024-01-05T00:00:00');
    expect(compactDateTime('hello')).toBe('hello');
  });

  it('formats sizes in binary steps', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats cells and hashes', () => {
    expect(formatCell(null)).toBe('');
    expect(formatCell(false)).toBe('false');
    expect(formatCell(1.5)).toBe('1.5');
    expect(formatCell('9007199254740993')).toBe('9007199254740993');
    expect(shortHash('a'.repeat(64))).toHaveLength(12);
  });

  it('writes percentages without claiming zero for a few', () => {
    expect(formatPercent(0, 10)).toBe('0%');
    expect(formatPercent(1, 5)).toBe('20%');
    expect(formatPercent(1, 3000)).toBe('<0.1%');
    expect(formatPercent(1, 300)).toBe('0.3%');
    expect(formatPercent(1, 0)).toBe('0%');
  });

  it('describes import progress by phase, bytes and rows', () => {
    expect(describeProgress({ phase: 'reading', bytesDone: 1024, bytesTotal: 4096, rows: 12000 })).toBe(
      'Reading · 1.0 KB of 4.0 KB · 12,000 rows',
    );
    expect(describeProgress({ phase: 'profiling', bytesDone: 0, bytesTotal: 0 })).toBe('Profiling');
    // A picture import counts pictures.
    expect(describeProgress({ phase: 'reading', bytesDone: 0, bytesTotal: 0, rows: 40, unit: 'pictures' })).toBe(
      'Reading · 40 pictures',
    );
  });
});
