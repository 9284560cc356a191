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

  it('wraps a chain longer than the row width into rows, read left to right then down', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const boxes = ids.map((id) => ({ id, width: 190, height: 100 }));
    const chain = ids.slice(1).map((id, i) => ({ source: ids[i] ?? '', target: id }));
    const at = layoutLeftToRight(boxes, chain, 700);
    const pos = (id: string) => at.get(id) ?? { x: NaN, y: NaN };
    // Three to a row (3 x 190 + 2 gaps of 45 = 660), the second row under the first, from the left again.
    expect(['a', 'b', 'c'].map((id) => pos(id).y)).toEqual([0, 0, 0]);
    expect(pos('d').x).toBe(0);
    expect(pos('d').y).toBeGreaterThanOrEqual(100);
    expect(['d', 'e', 'f'].every((id) => pos(id).y === pos('d').y)).toBe(true);
    for (const id of ids) expect(pos(id).x + 190).toBeLessThanOrEqual(700);
    // Without a limit the chain stays one row.
    expect(new Set([...layoutLeftToRight(boxes, chain).values()].map((p) => p.y)).size).toBe(1);
  });
});
