// A column's shape in a list row, drawn with plain divs: an ECharts instance per row would cost
// far more than the row itself when scrolling through thousands of columns.
import type { ColumnProfile } from '../../../../shared/api.js';

export function MiniDistribution({ column }: { column: ColumnProfile }) {
  const counts = column.histogram?.map((b) => b.count) ?? column.topValues?.slice(0, 12).map((t) => t.count) ?? [];
  if (counts.length === 0) return <span className="mini-dist muted">—</span>;
  const max = Math.max(...counts, 1);
  return (
    <span className={`mini-dist${column.histogram ? '' : ' mini-dist-top'}`} aria-hidden="true">
      {counts.map((c, i) => (
        <span key={i} className="mini-bar" style={{ height: `${Math.max(c > 0 ? 8 : 0, (c / max) * 100)}%` }} />
      ))}
    </span>
  );
}
