// The schema as a virtualized list: one dense row per column with its type (correctable), missing
// and distinct counts, range and shape. Only rows on screen exist in the DOM, so a dataset with
// 10,000 columns scrolls like one with ten; a name filter finds a column quickly.
import { useMemo, useState } from 'react';
import type { ColumnProfile, ColumnType } from '../../../../shared/api.js';
import { formatCount, formatPercent, formatStat } from '../../lib/format.js';
import { useVirtualRows } from '../../lib/use-virtual-rows.js';
import { MiniDistribution } from './mini-distribution.js';
import { describeInvalid, invalidCount } from './type-change.js';
import { TypeSelect } from './type-select.js';

const ROW_HEIGHT = 30;

interface SchemaListProps {
  columns: ColumnProfile[];
  rows: number;
  focused: string | undefined;
  pending: string | undefined;
  onFocus: (name: string) => void;
  onType: (name: string, type: ColumnType) => void;
}

/** The figures each column's row shows between its type and its shape, right-aligned. */
const STAT_HEADS = ['Missing', 'Distinct', 'Min', 'Max', 'Mean'] as const;

export function SchemaList({ columns, rows, focused, pending, onFocus, onType }: SchemaListProps) {
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return columns.map((c, index) => ({ c, index })).filter(({ c }) => !q || c.name.toLowerCase().includes(q));
  }, [columns, query]);
  const { scroller, virtualizer } = useVirtualRows(shown.length, ROW_HEIGHT, 8);

  return (
    <div className="schema" data-testid="schema-list">
      <div className="schema-toolbar">
        <h2>Schema</h2>
        <span className="muted small">
          {query ? `${formatCount(shown.length)} of ${formatCount(columns.length)}` : formatCount(columns.length)}{' '}
          columns
        </span>
        <input
          type="search"
          className="schema-search"
          placeholder="Find column"
          aria-label="Find column"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <div className="schema-table" role="grid" aria-label="Columns" aria-rowcount={shown.length + 1}>
        <div className="schema-grid schema-head" role="row" aria-rowindex={1}>
          <span role="columnheader">#</span>
          <span role="columnheader">Column</span>
          <span role="columnheader">Type</span>
          {STAT_HEADS.map((h) => (
            <span key={h} role="columnheader" className="num">
              {h}
            </span>
          ))}
          <span role="columnheader">Shape</span>
        </div>
        <div ref={scroller} className="schema-body" role="rowgroup">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const entry = shown[item.index];
              if (!entry) return null;
              const { c, index } = entry;
              return (
                <div
                  key={c.name}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={c.name === focused}
                  data-testid="schema-row"
                  data-column={c.name}
                  className={`schema-grid schema-row${c.name === focused ? ' focused' : ''}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  tabIndex={0}
                  onClick={() => onFocus(c.name)}
                  onKeyDown={(e) => {
                    if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
                      e.preventDefault();
                      onFocus(c.name);
                    }
                  }}
                >
                  <span role="rowheader" className="muted num-left">
                    {index + 1}
                  </span>
                  <span role="gridcell" className="col-name-cell">
                    <span className="col-name" title={c.name}>
                      {c.name}
                    </span>
                    {c.invalid > 0 && (
                      <span
                        className="invalid-badge"
                        data-testid="invalid-badge"
                        title={`${describeInvalid(invalidCount(c, rows))} cannot be read as ${c.type}`}
                      >
                        {formatCount(c.invalid)} invalid
                      </span>
                    )}
                  </span>
                  <span role="gridcell">
                    <TypeSelect
                      column={c.name}
                      value={c.type}
                      inferred={c.inferredType}
                      disabled={pending === c.name}
                      onChange={(t) => onType(c.name, t)}
                    />
                  </span>
                  <span
                    role="gridcell"
                    className={`num${c.missing > 0 ? ' warn' : ''}`}
                    title={`${formatCount(c.missing)} missing`}
                  >
                    {c.missing > 0 ? formatPercent(c.missing, rows) : '0'}
                  </span>
                  <span role="gridcell" className="num">
                    {c.distinctApprox ? '≈' : ''}
                    {formatCount(c.distinct)}
                  </span>
                  <span role="gridcell" className="num ellipsis">
                    {formatStat(c.min)}
                  </span>
                  <span role="gridcell" className="num ellipsis">
                    {formatStat(c.max)}
                  </span>
                  <span role="gridcell" className="num ellipsis">
                    {c.mean === undefined ? '—' : formatStat(c.mean)}
                  </span>
                  <span role="gridcell">
                    <MiniDistribution column={c} />
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
