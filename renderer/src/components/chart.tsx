// A small ECharts host: one instance per mounted chart, resized with its box and disposed on
// unmount. ECharts is more than half of the UI's code, so it loads with the first chart shown
// rather than with the page.
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef } from 'react';
import { keepZoom } from './chart-zoom.js';

export type ChartOption = EChartsCoreOption;

const loadECharts = () => import('./echarts-setup.js');

interface ChartProps {
  option: ChartOption;
  height: number;
  label: string;
  testId?: string;
  /** Called with the value of the data item clicked (a heatmap cell's [x, y, value]). */
  onItemClick?: (value: unknown) => void;
}

export function Chart({ option, height, label, testId, onItemClick }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  // The option to show once ECharts has loaded, if it changed while loading.
  const latest = useRef(option);
  latest.current = option;
  // The latest handler, read at click time: the chart is made once and never re-subscribed.
  const clicked = useRef(onItemClick);
  clicked.current = onItemClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let unmounted = false;
    let observer: ResizeObserver | undefined;
    void loadECharts().then(({ echarts }) => {
      if (unmounted) return;
      const instance = echarts.init(el, undefined, { renderer: 'canvas' });
      chart.current = instance;
      instance.setOption(latest.current, { notMerge: true });
      instance.on('click', (p: { value?: unknown }) => clicked.current?.(p.value));
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(el);
    });
    return () => {
      unmounted = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a different column's chart must not keep series or axes of the previous one; the
    // range a user zoomed to stays while the axis spans the same stretch (chart-zoom.ts).
    const instance = chart.current;
    instance?.setOption(keepZoom(option, instance.getOption()), { notMerge: true });
  }, [option]);

  return <div ref={box} className="chart" style={{ height }} role="img" aria-label={label} data-testid={testId} />;
}
