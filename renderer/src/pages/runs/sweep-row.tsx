// A sweep's row in the runs grid: a toggle that shows or hides its trials under it, what it
// searched, its trial count and its best validation score, and a link to its page.
import { memo } from 'react';
import type { SweepSummary } from '../../../../shared/api.js';
import { formatCount } from '../../lib/format.js';
import { navigate } from '../../lib/hash-route.js';
import { formatMetric, MODEL_KIND_LABELS, shortId } from './runs-query.js';

interface SweepRowProps {
  index: number;
  top: number;
  width: number;
  sweepId: string;
  /** Undefined until the sweeps are loaded with the runs. */
  sweep: SweepSummary | undefined;
  /** Its trials the table keeps. */
  trials: number;
  open: boolean;
  active: boolean;
  onToggle: (sweepId: string) => void;
}

export const SweepRow = memo(function SweepRow(props: SweepRowProps) {
  const { index, top, width, sweepId, sweep, trials, open, active, onToggle } = props;
  return (
    <div
      className={`grid-row grid-data runs-row runs-sweep-row${index % 2 ? ' odd' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-expanded={open}
      tabIndex={active ? 0 : -1}
      data-index={index}
      data-sweep-id={sweepId}
      data-count={trials}
      data-testid="runs-sweep-row"
      style={{ transform: `translateY(${top}px)`, width }}
      onClick={() => onToggle(sweepId)}
    >
      <div className="grid-cell runs-sweep-cell" role="gridcell" style={{ width }}>
        <span className="runs-group-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <strong>Sweep {shortId(sweepId)}</strong>
        {sweep && (
          <span className="muted">
            {sweep.datasetName}@v{sweep.datasetVersion} · {sweep.target} · {MODEL_KIND_LABELS[sweep.model]} ·{' '}
            {sweep.strategy}
          </span>
        )}
        {sweep && <span className={`run-status run-status-${sweep.status}`}>{sweep.status}</span>}
        <span data-testid="runs-sweep-trials">
          {formatCount(trials)} trial{trials === 1 ? '' : 's'}
        </span>
        {sweep && (
          <span data-testid="runs-sweep-best">
            best validation {sweep.metric}{' '}
            <strong className="mono">{sweep.bestValue === null ? '—' : formatMetric(sweep.bestValue)}</strong>
          </span>
        )}
        <button
          type="button"
          className="btn-link small"
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            navigate({ page: 'sweeps', sweepId });
          }}
        >
          Open sweep
        </button>
      </div>
    </div>
  );
});
