// The rows of a version in a virtualized grid. Sorting and filtering run in the engine: the
// table only ever holds the pages around what is on screen (see RowPageCache). Very wide tables
// show their columns a page at a time and ask the engine only for those columns.
//
// Browsers cap an element's height at a few tens of millions of pixels, less than millions of
// rows need. Past SCROLL_CAP the scrollbar covers a shorter spacer and the scroll offset is
// scaled up into row coordinates before react-virtual sees it.
import { observeElementOffset, useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Cell, ColumnProfile, RowFilter } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { compactDateTime, formatCell, formatCount } from '../../lib/format.js';
import { RowPageCache } from '../../lib/row-cache.js';
import { FILTER_OPS, filtersFromDrafts, takesValue, type FilterDraft } from './rows-filter.js';

const ROW_HEIGHT = 26;
const HEAD_HEIGHT = 60; // two header rows: names and filters
const NUMBER_WIDTH = 84;
const COLUMN_WIDTH = 156;
const COLUMN_PAGE = 50;
const PAGE_ROWS = 200;
const SCROLL_CAP = 8_000_000;
const FILTER_DELAY_MS = 300;

type Sort = { column: string; direction: 'asc' | 'desc' } | undefined;

interface RowsTableProps {
  versionId: string;
  columns: ColumnProfile[];
  /** Changes when a column's type is corrected: filters compare by type, so pages are refetched. */
  revision: number;
}

export function RowsTable({ versionId, columns, revision }: RowsTableProps) {
  const { client } = useApp();
  const [sort, setSort] = useState<Sort>(undefined);
  const [drafts, setDrafts] = useState<Record<string, FilterDraft>>({});
  const [filters, setFilters] = useState<RowFilter[]>([]);
  const [colStart, setColStart] = useState(0);
  const names = useMemo(() => columns.map((c) => c.name), [columns]);
  const wide = columns.length > COLUMN_PAGE;
  const shown = useMemo(
    () => (wide ? columns.slice(colStart, colStart + COLUMN_PAGE) : columns),
    [columns, colStart, wide],
  );
  const shownNames = useMemo(() => shown.map((c) => c.name), [shown]);

  // Typing settles before the engine is asked; the same filters twice never refetch.
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = filtersFromDrafts(drafts, names);
      setFilters((cur) => (JSON.stringify(cur) === JSON.stringify(next) ? cur : next));
    }, FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [drafts, names]);

  // One cache per query, made in an effect so its disposal pairs with its creation (StrictMode
  // runs effects twice; a memoised cache would be disposed and then reused).
  const [cache, setCache] = useState<RowPageCache | undefined>(undefined);
  // The sort of the rows the cache holds (not of the header's state, which changes a render
  // earlier): what a reader of the rows, a test among them, waits on before reading values.
  const [cacheSort, setCacheSort] = useState('');
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const next = new RowPageCache(
      (offset, limit) =>
        client.call('datasets.rows', {
          versionId,
          offset,
          limit,
          sort,
          filters,
          ...(wide ? { columns: shownNames } : {}),
        }),
      { pageSize: PAGE_ROWS },
    );
    const unsubscribe = next.subscribe(rerender);
    setCache(next);
    setCacheSort(sort ? `${sort.column}:${sort.direction}` : '');
    next.want(0, 60);
    return () => {
      unsubscribe();
      next.dispose();
    };
    // revision: a type correction changes how the engine compares filter values.
  }, [client, versionId, sort, filters, wide, shownNames, revision]);

  const scroller = useRef<HTMLDivElement>(null);
  const known = cache?.total;
  const total = known ?? 0;
  const virtualHeight = total * ROW_HEIGHT;
  const spacerHeight = Math.min(virtualHeight, SCROLL_CAP);
  const viewport = Math.max(ROW_HEIGHT, (scroller.current?.clientHeight ?? 600) - HEAD_HEIGHT);
  const ratio = virtualHeight > SCROLL_CAP ? (virtualHeight - viewport) / Math.max(1, spacerHeight - viewport) : 1;
  const ratioRef = useRef(ratio);
  ratioRef.current = ratio;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    observeElementOffset: (instance, cb) =>
      observeElementOffset(instance, (offset, scrolling) => cb(offset * ratioRef.current, scrolling)),
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    cache?.want(first, last);
  }, [cache, first, last]);

  // A new query starts at the top: row 40,000 of the old order means nothing in the new one.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [sort, filters]);

  const shift = (virtualizer.scrollOffset ?? 0) * (1 - 1 / ratio);
  const width = NUMBER_WIDTH + shown.length * COLUMN_WIDTH;
  const filtered = filters.length > 0;

  const toggleSort = (column: string) =>
    setSort((s) =>
      s?.column !== column
        ? { column, direction: 'asc' }
        : s.direction === 'asc'
          ? { column, direction: 'desc' }
          : undefined,
    );
  const setDraft = (column: string, patch: Partial<FilterDraft>) =>
    setDrafts((d) => ({
      ...d,
      [column]: { op: d[column]?.op ?? 'contains', value: d[column]?.value ?? '', ...patch },
    }));

  return (
    <section className="rows" aria-label="Rows" data-testid="rows">
      <div className="rows-toolbar">
        <h2>Rows</h2>
        <span className="muted small" data-testid="rows-status" data-total={known ?? ''} data-sort={cacheSort}>
          {known === undefined
            ? 'Loading…'
            : filtered
              ? `${formatCount(known)} matching rows`
              : `${formatCount(known)} rows`}
          {sort && ` · sorted by ${sort.column} ${sort.direction === 'asc' ? '↑' : '↓'}`}
        </span>
        {(filtered || Object.keys(drafts).length > 0 || sort) && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => {
              setDrafts({});
              setSort(undefined);
            }}
          >
            Clear sort and filters
          </button>
        )}
        <span className="import-spacer" />
        {wide && (
          <span className="col-pager" data-testid="column-pager">
            <button
              type="button"
              className="btn btn-small"
              aria-label="Previous columns"
              disabled={colStart === 0}
              onClick={() => setColStart((s) => Math.max(0, s - COLUMN_PAGE))}
            >
              ‹
            </button>
            <span className="small">
              Columns {formatCount(colStart + 1)}–{formatCount(Math.min(columns.length, colStart + COLUMN_PAGE))} of{' '}
              {formatCount(columns.length)}
            </span>
            <button
              type="button"
              className="btn btn-small"
              aria-label="Next columns"
              disabled={colStart + COLUMN_PAGE >= columns.length}
              onClick={() => setColStart((s) => s + COLUMN_PAGE)}
            >
              ›
            </button>
          </span>
        )}
      </div>
      {cache?.error && <ErrorPanel title="Could not load rows" error={cache.error} />}
      <div
        ref={scroller}
        className="grid-scroll"
        role="grid"
        aria-label="Rows"
        aria-rowcount={total + 2}
        aria-colcount={shown.length + 1}
        data-testid="rows-grid"
      >
        <div className="grid-head" role="rowgroup" style={{ width }}>
          <div className="grid-row grid-names" role="row" aria-rowindex={1}>
            <div className="grid-cell grid-num" role="columnheader" style={{ width: NUMBER_WIDTH }}>
              #
            </div>
            {shown.map((c) => {
              const dir = sort?.column === c.name ? sort.direction : undefined;
              return (
                <div
                  key={c.name}
                  className="grid-cell"
                  role="columnheader"
                  aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                  style={{ width: COLUMN_WIDTH }}
                  data-column={c.name}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => toggleSort(c.name)}
                    title={`Sort by ${c.name}`}
                  >
                    <span className="ellipsis">{c.name}</span>
                    <span className="sort-mark" aria-hidden="true">
                      {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}
                    </span>
                  </button>
                </div>
              );
            })}
          </div>
          <div className="grid-row grid-filters" role="row" aria-rowindex={2}>
            <div className="grid-cell grid-num" role="columnheader" style={{ width: NUMBER_WIDTH }}>
              <span className="muted small">filter</span>
            </div>
            {shown.map((c) => {
              const d = drafts[c.name];
              const op = d?.op ?? 'contains';
              return (
                <div key={c.name} className="grid-cell filter-cell" role="columnheader" style={{ width: COLUMN_WIDTH }}>
                  {/* The native select stays the control (keyboard, screen readers); it sits
                      transparent over its symbol so a narrow column still reads "≥", not "≥ at l". */}
                  <span className={`filter-op${op !== 'contains' ? ' active' : ''}`}>
                    <span aria-hidden="true">{FILTER_OPS.find((o) => o.op === op)?.label}</span>
                    <select
                      aria-label={`Filter operator for ${c.name}`}
                      title={FILTER_OPS.find((o) => o.op === op)?.title}
                      value={op}
                      onChange={(e) => setDraft(c.name, { op: e.target.value as FilterDraft['op'] })}
                    >
                      {FILTER_OPS.map((o) => (
                        <option key={o.op} value={o.op}>
                          {o.label} {o.title}
                        </option>
                      ))}
                    </select>
                  </span>
                  <input
                    className="filter-value"
                    aria-label={`Filter ${c.name}`}
                    placeholder={takesValue(op) ? '' : '—'}
                    disabled={!takesValue(op)}
                    value={d?.value ?? ''}
                    onChange={(e) => setDraft(c.name, { value: e.target.value })}
                  />
                </div>
              );
            })}
          </div>
        </div>
        <div className="grid-body" role="rowgroup" style={{ height: spacerHeight, width }}>
          {items.map((item) => (
            <RowView
              key={item.index}
              index={item.index}
              top={item.start - shift}
              row={cache?.row(item.index)}
              columns={shown}
            />
          ))}
        </div>
        {known === 0 && (
          <div className="grid-empty muted">
            {filtered ? 'No rows match these filters.' : 'This version has no rows.'}
          </div>
        )}
      </div>
    </section>
  );
}

function RowView({
  index,
  top,
  row,
  columns,
}: {
  index: number;
  top: number;
  row: Cell[] | undefined;
  columns: ColumnProfile[];
}) {
  return (
    <div
      className={`grid-row grid-data${index % 2 ? ' odd' : ''}`}
      role="row"
      aria-rowindex={index + 3}
      data-testid="data-row"
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
    >
      {row ? (
        row.map((cell, i) => (
          <CellView key={i} cell={cell} first={i === 0} datetime={columns[i - 1]?.type === 'datetime'} />
        ))
      ) : (
        <>
          <div className="grid-cell grid-num" role="gridcell" style={{ width: NUMBER_WIDTH }} />
          <div className="grid-cell loading-cell" role="gridcell" style={{ width: columns.length * COLUMN_WIDTH }}>
            <span className="shimmer" />
          </div>
        </>
      )}
    </div>
  );
}

function CellView({ cell, first, datetime }: { cell: Cell; first: boolean; datetime: boolean }) {
  if (first) {
    // The engine puts the row's 1-based number in the original file first.
    return (
      <div className="grid-cell grid-num" role="rowheader" style={{ width: NUMBER_WIDTH }}>
        {typeof cell === 'number' ? formatCount(cell) : formatCell(cell)}
      </div>
    );
  }
  if (cell === null) {
    return (
      <div className="grid-cell" role="gridcell" style={{ width: COLUMN_WIDTH }}>
        <span className="null">null</span>
      </div>
    );
  }
  const text = datetime && typeof cell === 'string' ? compactDateTime(cell) : formatCell(cell);
  return (
    <div
      className={`grid-cell${typeof cell === 'number' ? ' num' : ''}${typeof cell === 'boolean' ? ' bool' : ''}`}
      role="gridcell"
      style={{ width: COLUMN_WIDTH }}
      title={text.length > 18 ? text : undefined}
    >
      {text}
    </div>
  );
}
