import { describe, expect, it } from 'vitest';
import { keepZoom, xZoom, zoomOf } from '../../../../renderer/src/components/chart-zoom.js';

const timeOption = (min: number, max: number) => ({ xAxis: { type: 'time', min, max }, dataZoom: xZoom() });
/** What ECharts' getOption() gives back for a chart the user zoomed to 60-90%. */
const shownAt = (min: number, max: number, start = 60, end = 90) => ({
  xAxis: [{ type: 'time', min, max }],
  dataZoom: [
    { type: 'inside', start, end },
    { type: 'slider', start, end },
  ],
});

describe('chart zoom', () => {
  it('zooms the x axis with the wheel and a slider, keeping every point (no filtering)', () => {
    const zoom = xZoom();
    expect(zoom.map((z) => z.type)).toEqual(['inside', 'slider']);
    expect(zoom.every((z) => z.xAxisIndex === 0 && z.filterMode === 'none')).toBe(true);
  });

  it('keeps the zoomed range when new data arrives over an axis of the same span', () => {
    const next = keepZoom(timeOption(1000, 5000), shownAt(0, 4000));
    expect(zoomOf(next)).toEqual([
      { start: 60, end: 90 },
      { start: 60, end: 90 },
    ]);
    expect((next.dataZoom as { type: string }[]).map((z) => z.type)).toEqual(['inside', 'slider']);
  });

  it('starts unzoomed over a different window, or where the chart has no zoom', () => {
    expect(keepZoom(timeOption(0, 9000), shownAt(0, 4000)).dataZoom).toEqual(xZoom());
    const plain = { xAxis: { type: 'time', min: 0, max: 4000 } };
    expect(keepZoom(plain, shownAt(0, 4000))).toBe(plain);
    expect(keepZoom(timeOption(0, 4000), undefined).dataZoom).toEqual(xZoom());
  });

  it('compares a category axis by its length', () => {
    const cat = (n: number) => ({
      xAxis: { type: 'category', data: Array.from({ length: n }, String) },
      dataZoom: xZoom(),
    });
    const shown = {
      xAxis: [{ type: 'category', data: Array.from({ length: 60 }, String) }],
      dataZoom: shownAt(0, 1).dataZoom,
    };
    expect(zoomOf(keepZoom(cat(60), shown))?.[0]).toEqual({ start: 60, end: 90 });
    expect(keepZoom(cat(144), shown).dataZoom).toEqual(xZoom());
  });
});
