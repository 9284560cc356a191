import { describe, expect, it } from 'vitest';
import { fittingWindow, windowBounds } from '../../../../../electron/core/monitoring/windows.js';

const MIN = 60_000;
const NOW = 28_000_000 * MIN + 17_000;

describe('the window that fits the traffic', () => {
  it('is the shortest window holding the first request', () => {
    expect(fittingWindow(NOW - 5 * MIN, NOW)).toBe('1h');
    expect(fittingWindow(NOW - 3 * 60 * MIN, NOW)).toBe('24h');
    expect(fittingWindow(NOW - 3 * 24 * 60 * MIN, NOW)).toBe('7d');
  });

  it('holds a request at the very start of a window, and takes the longest for older traffic', () => {
    expect(fittingWindow(windowBounds('1h', NOW).from, NOW)).toBe('1h');
    expect(fittingWindow(windowBounds('1h', NOW).from - 1, NOW)).toBe('24h');
    expect(fittingWindow(NOW - 30 * 24 * 60 * MIN, NOW)).toBe('7d');
  });

  it('is the shortest window when there is no traffic', () => {
    expect(fittingWindow(null, NOW)).toBe('1h');
  });
});
