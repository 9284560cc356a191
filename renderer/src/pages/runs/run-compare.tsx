// Several runs side by side: their parameters with the differences marked, their training
// curves overlaid (one chart per metric, one colour per run), and their test metrics in one
// table with the best value of each row marked. Running runs keep drawing as epochs arrive.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { EpochRecord, Run } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { CheckField } from '../../components/check-field.js';
import { Chart } from '../../components/chart.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { useAsync } from '../../lib/use-async.js';
import {
  curveKeyOrder,
  formatParamValue,
  METRIC_LABELS,
  metricRows,
  paramRows,
  scalarTestMetrics,
} from './run-compare-data.js';
import { SERIES_COLORS } from '../../components/chart-theme.js';
import { curvesOption, historyKeys, metricLabel } from './run-charts.js';
import { formatMetric, MODEL_KIND_LABELS, modelRef, runLabel, shortId } from './runs-query.js';

export interface RunCompareProps {
  runIds: string[];
  onBack: () => void;
  /** Opens one run's detail. */
  onOpen?: (runId: string) => void;
}

interface Loaded {
  runs: Run[];
  /** Runs that could not be loaded (deleted, or a failed call), with why. */
  failed: { runId: string; error: ApiError }[];
}

const color = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length] ?? '#3b6fd8';

export function RunCompare({ runIds, onBack, onOpen }: RunCompareProps) {
  const { client } = useApp();
  const key = runIds.join('\n');
  const loaded = useAsync<Loaded>(async () => {
    const results = await Promise.allSettled(runIds.map((runId) => client.call('runs.get', { runId })));
    const out: Loaded = { runs: [], failed: [] };
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') out.runs.push(r.value);
      else out.failed.push({ runId: runIds[i] ?? '', error: toApiError(r.reason) });
    });
    return out;
  }, [client, key]);

  // Live: epochs of running runs extend their curves; a run that ends is loaded again for its metrics.
  const { set, reload } = loaded;
  useEffect(() => {
    const ids = new Set(key.split('\n'));
    // Epochs can come hundreds a second: they are appended in batches, four times a second.
    const pending = new Map<string, EpochRecord[]>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = new Map(pending);
      pending.clear();
      set(
        (cur) =>
          cur && {
            ...cur,
            runs: cur.runs.map((r) => {
              const more = batch.get(r.id)?.filter((e) => e.epoch > (r.history[r.history.length - 1]?.epoch ?? 0));
              return more && more.length > 0
                ? { ...r, status: 'running' as const, history: [...r.history, ...more] }
                : r;
            }),
          },
      );
    };
    const offs = [
      client.on('run.progress', (p) => {
        if (!ids.has(p.runId)) return;
        pending.set(p.runId, [...(pending.get(p.runId) ?? []), { epoch: p.epoch, logs: p.logs }]);
        timer ??= setTimeout(flush, 250);
      }),
      client.on('run.finished', (f) => {
        if (ids.has(f.runId)) reload();
      }),
    ];
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [client, key, set, reload]);

  const runs = loaded.data?.runs;
  const tasks = useMemo(() => new Set((runs ?? []).map((r) => r.task).filter((t) => t !== null)), [runs]);

  return (
    <section className="run-compare" aria-label="Compare runs" data-testid="run-compare">
      <header className="compare-head">
        <button type="button" className="btn btn-small" onClick={onBack} data-testid="compare-back">
          ← Runs
        </button>
        <h1>Comparing {runIds.length} runs</h1>
        {loaded.loading && <span className="muted small">Loading…</span>}
      </header>
      {loaded.error && <ErrorPanel title="Could not load the runs" error={loaded.error} />}
      {loaded.data?.failed.map((f) => (
        <ErrorPanel key={f.runId} title={`Could not load run ${shortId(f.runId)}`} error={f.error} />
      ))}
      {runs && runs.length > 0 && (
        <>
          <ul className="compare-legend" aria-label="Runs compared">
            {runs.map((r, i) => (
              <li key={r.id} className="compare-legend-item">
                <span className="swatch" style={{ background: color(i) }} aria-hidden="true" />
                <span className="mono">{shortId(r.id)}</span>
                <span className="compare-legend-model">{modelRef(r) ?? MODEL_KIND_LABELS[r.modelKind]}</span>
                <span className="muted small">
                  {r.datasetName}@v{r.datasetVersion} → {r.target}
                </span>
                <span className={`run-status run-status-${r.status}`}>{r.status}</span>
                {onOpen && (
                  <button type="button" className="btn-link small" onClick={() => onOpen(r.id)}>
                    open
                  </button>
                )}
              </li>
            ))}
          </ul>
          {tasks.size > 1 && (
            <p className="compare-notice" role="note" data-testid="mixed-tasks">
              These runs mix classification and regression. Only metrics of the same task are comparable: each metric
              below is compared among the runs that have it. Parameters are shown for all.
            </p>
          )}
          <ParamsTable runs={runs} />
          <Curves runs={runs} />
          <MetricsTable runs={runs} />
        </>
      )}
    </section>
  );
}

/** A table with a row name column (headed `corner`) and a column per run, headed by its swatch and label. */
function CompareTable({
  runs,
  corner,
  className,
  children,
}: {
  runs: readonly Run[];
  corner: string;
  className: string;
  children: ReactNode;
}) {
  return (
    <div className="compare-table-wrap">
      <table className={className}>
        <thead>
          <tr>
            <th scope="col">{corner}</th>
            {runs.map((r, i) => (
              <th key={r.id} scope="col" title={r.id}>
                <span className="swatch" style={{ background: color(i) }} aria-hidden="true" />
                {runLabel(r)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function ParamsTable({ runs }: { runs: readonly Run[] }) {
  const [onlyDiff, setOnlyDiff] = useState(false);
  const rows = useMemo(() => paramRows(runs), [runs]);
  const differing = rows.filter((r) => r.differs).length;
  const shown = onlyDiff ? rows.filter((r) => r.differs) : rows;
  return (
    <section className="compare-section" aria-label="Parameters" data-testid="compare-params">
      <div className="compare-section-head">
        <h2>Parameters</h2>
        <span className="muted small">
          {differing === 0 ? 'all the same' : `${differing} of ${rows.length} differ`}
        </span>
        <CheckField
          className="compare-toggle small"
          checked={onlyDiff}
          onChange={setOnlyDiff}
          testId="only-differences"
        >
          Only differences
        </CheckField>
      </div>
      <CompareTable runs={runs} corner="parameter" className="compare-table">
        {shown.map((row) => (
          <tr
            key={row.key}
            className={row.differs ? 'differs' : undefined}
            data-testid="param-row"
            data-differs={row.differs}
          >
            <th scope="row" className="mono">
              {row.key}
            </th>
            {row.values.map((v, i) => {
              const text = formatParamValue(v);
              return (
                <td
                  key={runs[i]?.id ?? i}
                  title={text.length > 40 ? text : undefined}
                  className={v === undefined ? 'muted' : undefined}
                >
                  {text}
                </td>
              );
            })}
          </tr>
        ))}
        {shown.length === 0 && (
          <tr>
            <td colSpan={runs.length + 1} className="muted">
              No parameter differs between these runs.
            </td>
          </tr>
        )}
      </CompareTable>
    </section>
  );
}

function Curves({ runs }: { runs: readonly Run[] }) {
  const charts = useMemo(() => {
    const keys = curveKeyOrder(historyKeys(runs.flatMap((r) => r.history)));
    return keys.map((key) => {
      const series = runs.flatMap((r, i) =>
        r.history.some((e) => Number.isFinite(e.logs[key]))
          ? [{ name: runLabel(r), history: r.history, key, color: color(i) }]
          : [],
      );
      return { key, option: curvesOption(series) };
    });
  }, [runs]);
  return (
    <section className="compare-section" aria-label="Training curves" data-testid="compare-curves">
      <div className="compare-section-head">
        <h2>Training curves</h2>
        <span className="muted small">one line per run</span>
      </div>
      {charts.length === 0 ? (
        <p className="muted compare-empty">None of these runs has finished an epoch yet.</p>
      ) : (
        <div className="compare-charts">
          {charts.map((c) => (
            <figure key={c.key} className="compare-chart">
              <figcaption>{metricLabel(c.key)}</figcaption>
              <Chart
                option={c.option}
                height={220}
                label={`${metricLabel(c.key)} by epoch, one line per run`}
                testId={`compare-chart-${c.key}`}
              />
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}

function MetricsTable({ runs }: { runs: readonly Run[] }) {
  const rows = useMemo(() => metricRows(runs.map((r) => scalarTestMetrics(r.metrics))), [runs]);
  return (
    <section className="compare-section" aria-label="Test metrics" data-testid="compare-metrics">
      <div className="compare-section-head">
        <h2>Evaluation on the test split</h2>
        <span className="muted small">★ best of the row</span>
      </div>
      {rows.length === 0 ? (
        <p className="muted compare-empty">No run here has test metrics yet: they come when a run succeeds.</p>
      ) : (
        <CompareTable runs={runs} corner="metric" className="compare-table compare-metrics">
          {rows.map((row) => (
            <tr key={row.key} data-testid="metric-row" data-metric={row.key}>
              <th scope="row">
                {METRIC_LABELS[row.key] ?? row.key}
                <span className="muted small" title={row.lowerIsBetter ? 'lower is better' : 'higher is better'}>
                  {row.lowerIsBetter ? ' ↓' : ' ↑'}
                </span>
              </th>
              {row.values.map((v, i) => {
                const best = row.best.includes(i);
                return (
                  <td key={runs[i]?.id ?? i} className={`num${best ? ' best' : ''}`} data-best={best || undefined}>
                    {v === null ? <span className="muted">—</span> : formatMetric(v)}
                    {best && (
                      <span className="best-mark" aria-label="best">
                        {' '}
                        ★
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </CompareTable>
      )}
    </section>
  );
}
