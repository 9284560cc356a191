// Every run in one virtualized grid: status (live epoch and progress for running runs), data,
// parameters, headline test metrics, duration, backend and saved model. Sorting and filtering
// happen here, over memoised copies: the list is sorted once per change of data or order and
// filtered once per change of filter, never per render, and a run.progress event re-renders
// only its own row. A sweep's trials sit under one collapsible row per sweep (sweep-rows.ts).
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { RunProgress, RunStatus, RunSummary, SweepSummary, TaskName } from '../../../../shared/api.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { formatCount } from '../../lib/format.js';
import { useVirtualRows } from '../../lib/use-virtual-rows.js';
import { runColumns } from './run-columns.js';
import { HeaderCell, RunRow } from './run-row.js';
import { SweepRow } from './sweep-row.js';
import { withSweepRows } from './sweep-rows.js';
import { useRunCancel } from './use-run-cancel.js';
import {
  filterRuns,
  isEmptyFilter,
  presentMetrics,
  rangeIds,
  RUN_STATUSES,
  sortRuns,
  statusCounts,
  type RunFilter,
  type RunSort,
  type RunSortKey,
} from './runs-query.js';

const ROW_HEIGHT = 30;
/** The compare view overlays one colour per run; SERIES_COLORS has eight. */
export const MAX_COMPARE = 8;

interface RunsTableProps {
  runs: readonly RunSummary[];
  /** The sweeps some runs are trials of: their rows show each one's best score. */
  sweeps: ReadonlyMap<string, SweepSummary>;
  progress: ReadonlyMap<string, RunProgress>;
  onOpen: (runId: string) => void;
  onCompare: (runIds: string[]) => void;
  /** After a cancel was asked for: the list is worth reloading. */
  onChanged: () => void;
}

/** Ticks once a second while `active`, for the live duration of running runs. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function RunsTable({ runs, sweeps, progress, onOpen, onCompare, onChanged }: RunsTableProps) {
  const [sort, setSort] = useState<RunSort | undefined>(undefined);
  const [text, setText] = useState('');
  const [statuses, setStatuses] = useState<ReadonlySet<RunStatus>>(() => new Set());
  const [task, setTask] = useState<TaskName | 'all'>('all');
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [anchor, setAnchor] = useState<string | undefined>(undefined);
  const [active, setActive] = useState(0);
  // Sweeps start collapsed: one row each, however many trials.
  const [openSweeps, setOpenSweeps] = useState<ReadonlySet<string>>(() => new Set());
  const { cancelling, cancelError, cancelNote, dismissNote, cancel } = useRunCancel(onChanged);

  // Typing stays responsive: the filter over 10,000 runs follows at React's lower priority.
  const deferredText = useDeferredValue(text);
  const filter = useMemo<RunFilter>(() => ({ text: deferredText, statuses, task }), [deferredText, statuses, task]);
  const sorted = useMemo(() => sortRuns(runs, sort), [runs, sort]);
  const shown = useMemo(() => filterRuns(sorted, filter), [sorted, filter]);
  const rows = useMemo(() => withSweepRows(shown, openSweeps), [shown, openSweeps]);
  const visibleRuns = useMemo(() => rows.flatMap((r) => (r.kind === 'run' ? [r.run] : [])), [rows]);
  const metricKeys = useMemo(() => presentMetrics(runs), [runs]);
  const columns = useMemo(() => runColumns(metricKeys), [metricKeys]);
  const width = useMemo(() => columns.reduce((s, c) => s + c.width, 0), [columns]);
  const counts = useMemo(() => statusCounts(runs), [runs]);
  const now = useNow(counts.running > 0);

  const { scroller, virtualizer } = useVirtualRows(rows.length, ROW_HEIGHT, 12);

  // A new order or filter starts at the top, as the rows grid does.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setActive(0);
  }, [sort, filter]);

  // Handlers read the latest state through a ref, so rows get stable callbacks and stay memoised.
  const latest = useRef({ visibleRuns, selected, anchor, onOpen });
  latest.current = { visibleRuns, selected, anchor, onOpen };

  const toggle = useCallback((id: string, range: boolean) => {
    const { visibleRuns: inView, selected: cur, anchor: from } = latest.current;
    const next = new Set(cur);
    if (range && from !== undefined) {
      // A shift-click makes the range take the anchor's state, as file managers do.
      const on = cur.has(from);
      for (const rid of rangeIds(inView, from, id)) {
        if (on) next.add(rid);
        else next.delete(rid);
      }
    } else if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
    if (!range || from === undefined) setAnchor(id);
  }, []);

  const rowClick = useCallback(
    (index: number, id: string, e: MouseEvent) => {
      setActive(index);
      if (e.shiftKey) {
        e.preventDefault();
        toggle(id, true);
      } else if (e.metaKey || e.ctrlKey) toggle(id, false);
      else latest.current.onOpen(id);
    },
    [toggle],
  );

  const toggleSweep = (sweepId: string) =>
    setOpenSweeps((cur) => {
      const next = new Set(cur);
      if (next.has(sweepId)) next.delete(sweepId);
      else next.add(sweepId);
      return next;
    });

  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
    // The row may only exist after the virtualizer renders it.
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)?.focus());
  };

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (!target.classList.contains('grid-data')) return;
    const row = rows[active];
    const run = row?.kind === 'run' ? row.run : undefined;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        focusRow(active + 1);
        break;
      case 'ArrowUp':
        focusRow(active - 1);
        break;
      case 'PageDown':
        focusRow(active + page);
        break;
      case 'PageUp':
        focusRow(active - page);
        break;
      case 'Home':
        focusRow(0);
        break;
      case 'End':
        focusRow(rows.length - 1);
        break;
      case 'Enter':
        if (run) onOpen(run.id);
        else if (row?.kind === 'sweep') toggleSweep(row.sweepId);
        break;
      case ' ':
        if (run) toggle(run.id, e.shiftKey);
        else if (row?.kind === 'sweep') toggleSweep(row.sweepId);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const toggleSort = (key: RunSortKey) =>
    setSort((s) =>
      s?.key !== key ? { key, direction: 'asc' } : s.direction === 'asc' ? { key, direction: 'desc' } : undefined,
    );
  const toggleStatus = (s: RunStatus) =>
    setStatuses((cur) => {
      const next = new Set(cur);
      if (next.has(s)) next.delete(s);
      else next.add(s);
      return next;
    });
  const clearFilters = () => {
    setText('');
    setStatuses(new Set());
    setTask('all');
  };

  const shownSelected = useMemo(() => shown.filter((r) => selected.has(r.id)).length, [shown, selected]);
  const allShownSelected = shown.length > 0 && shownSelected === shown.length;
  const selectShown = () => {
    const next = new Set(selected);
    for (const r of shown) {
      if (allShownSelected) next.delete(r.id);
      else next.add(r.id);
    }
    setSelected(next);
  };
  // In the order the table shows them, so the compare view's columns read as the table did.
  const selectedIds = useMemo(() => sorted.filter((r) => selected.has(r.id)), [sorted, selected]);
  const cancellable = selectedIds.filter(
    (r) => (r.status === 'queued' || r.status === 'running') && !cancelling.has(r.id),
  );
  const filtered = !isEmptyFilter(filter) || text.trim() !== '';
  const items = virtualizer.getVirtualItems();
  const sortColumn = columns.find((c) => c.sort === sort?.key);

  return (
    <section className="runs-table" aria-label="Runs" data-testid="runs-table">
      <div className="runs-toolbar">
        <h2>Runs</h2>
        <span className="muted small" data-testid="runs-count" data-shown={shown.length} data-total={runs.length}>
          {filtered
            ? `${formatCount(shown.length)} of ${formatCount(runs.length)} runs`
            : `${formatCount(runs.length)} run${runs.length === 1 ? '' : 's'}`}
          {sort &&
            sortColumn &&
            ` · sorted by ${sortColumn.label || sortColumn.id} ${sort.direction === 'asc' ? '↑' : '↓'}`}
        </span>
        <input
          type="search"
          className="runs-search"
          placeholder="Filter: dataset, target, status, model, id…"
          aria-label="Filter runs"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="runs-filter"
        />
        <select
          className="runs-select"
          aria-label="Task"
          value={task}
          onChange={(e) => setTask(e.target.value as TaskName | 'all')}
          data-testid="runs-task"
        >
          <option value="all">All tasks</option>
          <option value="classification">Classification</option>
          <option value="regression">Regression</option>
        </select>
        {(filtered || sort) && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => {
              clearFilters();
              setSort(undefined);
            }}
          >
            Clear sort and filters
          </button>
        )}
        <span className="runs-spacer" />
        {selected.size > 0 && (
          <span className="runs-selection" data-testid="runs-selection">
            <span className="small">{formatCount(selected.size)} selected</span>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setSelected(new Set())}>
              Clear
            </button>
            {cancellable.length > 0 && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => cancel(cancellable.map((r) => r.id))}
                data-testid="cancel-selected"
              >
                Cancel {cancellable.length === 1 ? 'run' : `${cancellable.length} runs`}
              </button>
            )}
          </span>
        )}
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={selected.size < 2 || selected.size > MAX_COMPARE}
          title={
            selected.size < 2
              ? 'Select two or more runs to compare them'
              : selected.size > MAX_COMPARE
                ? `Compare up to ${MAX_COMPARE} runs at a time`
                : undefined
          }
          onClick={() => onCompare(selectedIds.map((r) => r.id))}
          data-testid="compare-runs"
        >
          Compare{selected.size >= 2 ? ` ${selected.size}` : ''}
        </button>
      </div>
      <div className="runs-chips" role="group" aria-label="Status filter">
        {RUN_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`status-chip${statuses.has(s) ? ' on' : ''}`}
            aria-pressed={statuses.has(s)}
            onClick={() => toggleStatus(s)}
            disabled={counts[s] === 0 && !statuses.has(s)}
            data-testid={`status-chip-${s}`}
          >
            <span className={`status-dot dot-${s}`} aria-hidden="true" />
            {s}
            <span className="chip-count">{formatCount(counts[s])}</span>
          </button>
        ))}
        {statuses.size > 0 && (
          <button type="button" className="btn-link small" onClick={() => setStatuses(new Set())}>
            all statuses
          </button>
        )}
      </div>
      {cancelError && <ErrorPanel title="Could not cancel" error={cancelError} />}
      {cancelNote && (
        <p className="runs-note small" role="status" data-testid="cancel-note">
          {cancelNote}
          <button type="button" className="btn-link small" onClick={dismissNote}>
            Dismiss
          </button>
        </p>
      )}
      <div
        ref={scroller}
        className="grid-scroll runs-grid"
        role="grid"
        aria-label="Runs"
        aria-rowcount={rows.length + 1}
        aria-colcount={columns.length}
        aria-multiselectable="true"
        onKeyDown={onGridKey}
        data-testid="runs-grid"
      >
        <div className="grid-head" role="rowgroup" style={{ width }}>
          <div className="grid-row runs-head-row" role="row" aria-rowindex={1}>
            {columns.map((c) =>
              c.id === 'select' ? (
                <div key={c.id} className="grid-cell runs-select-cell" role="columnheader" style={{ width: c.width }}>
                  <input
                    type="checkbox"
                    aria-label={allShownSelected ? 'Deselect all shown runs' : 'Select all shown runs'}
                    checked={allShownSelected}
                    ref={(el) => {
                      if (el) el.indeterminate = shownSelected > 0 && !allShownSelected;
                    }}
                    onChange={selectShown}
                    disabled={shown.length === 0}
                  />
                </div>
              ) : (
                <HeaderCell key={c.id} column={c} sort={sort} onSort={toggleSort} />
              ),
            )}
          </div>
        </div>
        <div className="grid-body" role="rowgroup" style={{ height: virtualizer.getTotalSize(), width }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            if (row.kind === 'sweep')
              return (
                <SweepRow
                  key={`sweep:${row.sweepId}`}
                  index={item.index}
                  top={item.start}
                  width={width}
                  sweepId={row.sweepId}
                  sweep={sweeps.get(row.sweepId)}
                  trials={row.runs.length}
                  open={openSweeps.has(row.sweepId)}
                  active={item.index === active}
                  onToggle={toggleSweep}
                />
              );
            const run = row.run;
            const live = run.status === 'running' || run.status === 'queued';
            return (
              <RunRow
                key={run.id}
                index={item.index}
                top={item.start}
                run={run}
                columns={columns}
                progress={live ? progress.get(run.id) : undefined}
                now={run.status === 'running' ? now : 0}
                trial={row.trial}
                selected={selected.has(run.id)}
                active={item.index === active}
                cancelling={cancelling.has(run.id)}
                onClick={rowClick}
                onToggle={toggle}
                onCancel={cancel}
              />
            );
          })}
        </div>
        {shown.length === 0 && (
          <div className="grid-empty muted" data-testid="runs-none-match">
            No runs match these filters.{' '}
            <button type="button" className="btn-link" onClick={clearFilters}>
              Clear filters
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
