import { describe, expect, it } from 'vitest';
import {
  FIT_MARGIN,
  MAX_FIT_ZOOM,
  READABLE_ZOOM,
  readableRowWidth,
  readableViewport,
} from '../../../../../renderer/src/pages/pipelines/readable-fit.js';

describe('readable fit', () => {
  it('centres a pipeline that fits, never zooming a small one past the maximum', () => {
    const v = readableViewport({ x: 0, y: 0, width: 400, height: 200 }, 1000, 800);
    expect(v.zoom).toBe(MAX_FIT_ZOOM);
    expect(v.x + 200 * v.zoom).toBeCloseTo(500);
    expect(v.y + 100 * v.zoom).toBeCloseTo(400);
  });

  it('zooms out to fit while the steps stay readable', () => {
    const v = readableViewport({ x: 0, y: 0, width: 1000, height: 300 }, 932, 800);
    expect(v.zoom).toBeCloseTo(0.9);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
  });

  it('shows a long chain at the readable zoom from its first step, not shrunk to fit', () => {
    const v = readableViewport({ x: 100, y: 0, width: 1750, height: 250 }, 600, 700);
    expect(v.zoom).toBe(READABLE_ZOOM);
    // The left edge of the steps sits at the margin; vertically it still fits, so it is centred.
    expect(v.x + 100 * v.zoom).toBeCloseTo(FIT_MARGIN);
    expect(v.y + 125 * v.zoom).toBeCloseTo(350);
  });

  it('says how wide a row may be to fit the canvas at the readable zoom', () => {
    expect(readableRowWidth(600) * READABLE_ZOOM + 2 * FIT_MARGIN).toBeCloseTo(600);
  });
});
