import { describe, expect, it } from 'vitest';
import { layoutLeftToRight } from '../../../../../renderer/src/pages/pipelines/auto-layout.js';

describe('auto-layout', () => {
  it('places each step right of the steps feeding it, without overlaps', () => {
    const boxes = ['source', 'split', 'train', 'evaluate', 'register'].map((id) => ({ id, width: 220, height: 110 }));
    const edges = [
      { source: 'source', target: 'split' },
      { source: 'split', target: 'train' },
      { source: 'train', target: 'evaluate' },
      { source: 'split', target: 'evaluate' },
      { source: 'evaluate', target: 'register' },
    ];
    const at = layoutLeftToRight(boxes, edges);
    const x = (id: string) => at.get(id)?.x ?? NaN;
    for (const e of edges) expect(x(e.target)).toBeGreaterThanOrEqual(x(e.source) + 220);
    const placed = boxes.map((b) => ({ ...b, ...(at.get(b.id) ?? { x: 0, y: 0 }) }));
    for (const a of placed)
      for (const b of placed) {
        if (a.id >= b.id) continue;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
  });

  it('stacks unconnected steps in one column and ignores edges to unknown steps', () => {
    const at = layoutLeftToRight(
      [
        { id: 'a', width: 100, height: 50 },
        { id: 'b', width: 100, height: 50 },
      ],
      [{ source: 'a', target: 'ghost' }],
    );
    expect(at.get('a')?.x).toBe(at.get('b')?.x);
    expect(Math.abs((at.get('a')?.y ?? 0) - (at.get('b')?.y ?? 0))).toBeGreaterThanOrEqual(50);
  });
});
