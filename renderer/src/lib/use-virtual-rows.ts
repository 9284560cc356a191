// A long list of fixed-height rows drawn a screenful at a time (the schema's columns, the runs):
// the scroll box's ref and the virtualizer that says which rows to draw.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';

/** `scroller` goes on the scroll box; `virtualizer` gives the rows in view and the total height. */
export function useVirtualRows(count: number, rowHeight: number, overscan: number) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan,
  });
  return { scroller, virtualizer };
}
