// One row of the runs grid and its cells (status with live progress, data, parameters, metrics,
// duration, backend, model), and the grid's sortable column headers.
import { memo, type MouseEvent } from 'react';
import type { RunProgress, RunStatus, RunSummary } from '../../../../shared/api.js';
import { formatDate, formatDuration, formatStat } from '../../lib/format.js';
import type { RunColumn } from './run-columns.js';
import {
  formatMetric,
  hiddenSummary,
  keyParams,
  modelKindLabel,
  modelRef,
  runDurationMs,
  shortId,
  type RunSort,
  type RunSortKey,
} from './runs-query.js';

/** A column's header: a sort button where the column sorts. */
export function HeaderCell({
  column: c,
  sort,
  onSort,
}: {
  column: RunColumn;
  sort: RunSort | undefined;
  onSort: (key: RunSortKey) => void;
}) {
  const dir = c.sort && sort?.key === c.sort ? sort.direction : undefined;
  return (
    <div
      className={`grid-cell${c.numeric ? ' num' : ''}`}
      role="columnheader"
      aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : c.sort ? 'none' : undefined}
      style={{ width: c.width }}
      data-column={c.id}
    >
      {c.sort ? (
        <button
          type="button"
          className={`sort-button${c.numeric ? ' sort-num' : ''}`}
          onClick={() => c.sort && onSort(c.sort)}
          title={c.title ?? `Sort by ${c.label}`}
        >
          <span className="ellipsis">{c.label}</span>
          <span className="sort-mark" aria-hidden="true">
            {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}
          </span>
        </button>
      ) : (
        <span className="sr-only">{c.id === 'actions' ? 'Actions' : c.label}</span>
      )}
    </div>
  );
}

export interface RunRowProps {
  index: number;
  top: number;
  run: RunSummary;
  columns: RunColumn[];
  progress: RunProgress | undefined;
  /** The clock for a running run's duration; 0 for others, so their rows stay memoised. */
  now: number;
  /** A trial shown under its open sweep's row: indented. */
  trial?: boolean;
  selected: boolean;
  active: boolean;
  cancelling: boolean;
  onClick: (index: number, id: string, e: MouseEvent) => void;
  onToggle: (id: string, range: boolean) => void;
  onCancel: (ids: readonly string[]) => void;
}

/** One run's row; memoised, so a progress event re-renders only its own row. */
export const RunRow = memo(function RunRow(props: RunRowProps) {
  const { index, top, run, columns, selected, active, trial } = props;
  return (
    <div
      className={`grid-row grid-data runs-row${index % 2 ? ' odd' : ''}${selected ? ' selected' : ''}${trial ? ' runs-row-trial' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={active ? 0 : -1}
      data-index={index}
      data-run-id={run.id}
      data-status={run.status}
      data-testid="run-row"
      style={{ transform: `translateY(${top}px)` }}
      onClick={(e) => props.onClick(index, run.id, e)}
      title={run.error ? run.error.message : undefined}
    >
      {/* Cells are plain elements, not components: half the fibers for React to mount per row. */}
      {columns.map((c) => runCell(c, props))}
    </div>
  );
});

/** A tooltip only for text that may not fit its cell: fewer attributes to set while scrolling. */
const long = (text: string, fits: number) => (text.length > fits ? text : undefined);

function runCell(c: RunColumn, { run, progress, now, selected, cancelling, onToggle, onCancel }: RunRowProps) {
  const cls = `grid-cell${c.numeric ? ' num' : ''}`;
  const style = { width: c.width };
  switch (c.id) {
    case 'select':
      return (
        <div
          key={c.id}
          className={`${cls} runs-select-cell`}
          role="gridcell"
          style={style}
          onClick={(e) => e.stopPropagation()}
        >
          <input
            type="checkbox"
            aria-label={`Select run ${shortId(run.id)}`}
            checked={selected}
            tabIndex={-1}
            onClick={(e) => e.stopPropagation()}
            // React reads a checkbox's change from its click, so the native event knows about Shift.
            onChange={(e) => onToggle(run.id, (e.nativeEvent as { shiftKey?: boolean }).shiftKey === true)}
          />
        </div>
      );
    case 'status':
      return (
        <div key={c.id} className={`${cls} runs-status-cell`} role="gridcell" style={style}>
          <StatusBadge run={run} progress={progress} />
        </div>
      );
    case 'id':
      return (
        <div key={c.id} className={`${cls} mono`} role="gridcell" style={style} title={run.id}>
          {shortId(run.id)}
        </div>
      );
    case 'dataset':
      return (
        <div key={c.id} className={cls} role="gridcell" style={style} title={long(run.datasetName, 16)}>
          {run.datasetName}
          <span className="muted">@v{run.datasetVersion}</span>
        </div>
      );
    case 'target':
      return (
        <div key={c.id} className={cls} role="gridcell" style={style} title={long(run.target, 12)}>
          {run.target}
        </div>
      );
    case 'task':
      return (
        <div key={c.id} className={cls} role="gridcell" style={style}>
          {run.task ?? <span className="muted">auto</span>}
        </div>
      );
    case 'modelKind':
      return (
        <div key={c.id} className={cls} role="gridcell" style={style}>
          {modelKindLabel(run)}
        </div>
      );
    case 'epochs':
    case 'batchSize':
    case 'learningRate': {
      const v = keyParams(run)[c.id];
      return (
        <div key={c.id} className={cls} role="gridcell" style={style}>
          {/* Only a queued or unfinished run lacks one: the request left it to the default. */}
          {v === null ? <span className="muted">default</span> : formatStat(v)}
        </div>
      );
    }
    case 'hidden': {
      const text = hiddenSummary(keyParams(run).hidden);
      return (
        <div key={c.id} className={cls} role="gridcell" style={style} title={long(text, 14)}>
          {text === '—' ? <span className="muted">—</span> : text}
        </div>
      );
    }
    case 'duration': {
      const ms = runDurationMs(run, now || Date.now());
      return (
        <div key={c.id} className={cls} role="gridcell" style={style}>
          {ms === null ? <span className="muted">—</span> : formatDuration(ms)}
        </div>
      );
    }
    case 'backend':
      return (
        <div key={c.id} className={cls} role="gridcell" style={style}>
          {run.backend ?? <span className="muted">—</span>}
        </div>
      );
    case 'created':
      return (
        <div key={c.id} className={cls} role="gridcell" style={style}>
          {formatDate(run.createdAt)}
        </div>
      );
    case 'model': {
      const ref = modelRef(run);
      return (
        <div key={c.id} className={cls} role="gridcell" style={style} title={ref ? long(ref, 16) : undefined}>
          {ref ?? <span className="muted">—</span>}
        </div>
      );
    }
    case 'actions':
      return (
        <div key={c.id} className={`${cls} runs-actions-cell`} role="gridcell" style={style}>
          {(run.status === 'queued' || run.status === 'running') && (
            <button
              type="button"
              className="btn btn-small"
              disabled={cancelling}
              tabIndex={-1}
              onClick={(e) => {
                e.stopPropagation();
                onCancel([run.id]);
              }}
              aria-label={`Cancel run ${shortId(run.id)}`}
              data-testid="cancel-run"
            >
              {cancelling ? '…' : 'Cancel'}
            </button>
          )}
        </div>
      );
    default: {
      const key = c.id.slice('metric:'.length);
      const v = run.testMetrics?.[key];
      const baseline = key === 'accuracy' ? run.testMetrics?.majority_baseline : undefined;
      // An accuracy no better than always answering the most common class is no skill at all.
      const noSkill = typeof v === 'number' && typeof baseline === 'number' && v <= baseline;
      return (
        <div
          key={c.id}
          className={noSkill ? `${cls} runs-no-skill` : cls}
          role="gridcell"
          style={style}
          title={
            typeof baseline === 'number'
              ? `Majority-class baseline ${formatMetric(baseline)}${noSkill ? ': this accuracy does not beat it' : ''}`
              : undefined
          }
          data-testid={key === 'accuracy' ? 'run-accuracy' : undefined}
        >
          {typeof v === 'number' ? formatMetric(v) : <span className="muted">—</span>}
        </div>
      );
    }
  }
}

function StatusBadge({ run, progress }: { run: RunSummary; progress: RunProgress | undefined }) {
  // A progress event can land before the reload that would show the run as started.
  const status: RunStatus = progress && run.status === 'queued' ? 'running' : run.status;
  if (status !== 'running') {
    return (
      <span className={`run-status run-status-${status}`} data-testid="run-status">
        {status}
      </span>
    );
  }
  const epochs = progress?.epochs ?? keyParams(run).epochs;
  const epoch = progress?.epoch ?? run.epochsRun;
  const fraction = progress ? progress.fraction : epochs ? epoch / epochs : undefined;
  const pct = fraction === undefined ? undefined : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <span className="run-running" data-testid="run-status">
      <span className="run-status run-status-running">
        running
        <span className="run-epoch">
          {epoch}/{epochs ?? '?'}
        </span>
      </span>
      <span
        className="runs-row-progress"
        role="progressbar"
        aria-label={`Run ${shortId(run.id)} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <span className="runs-row-progress-fill" style={{ width: `${pct ?? 0}%` }} />
      </span>
    </span>
  );
}
