// One sweep's page: what it searches and how far its budget went, its controls (pause, resume,
// cancel, promote best), the trials in parallel coordinates, the best value so far, which
// parameters mattered, and the live table of trials with a link to each run.
import { useEffect, useMemo, useState } from 'react';
import {
  MIN_IMPORTANCE_TRIALS,
  type RunSummary,
  type SweepDetail,
  type SweepPromotion,
  type SweepTrial,
} from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { Chart } from '../../components/chart.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { DialogShell } from '../../components/dialog-shell.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { Field } from '../../components/field.js';
import { TableHead } from '../../components/table-head.js';
import { formatDate, formatDuration, formatStat } from '../../lib/format.js';
import { navigate } from '../../lib/hash-route.js';
import { useAction } from '../../lib/use-action.js';
import { formatMetric, MODEL_KIND_LABELS, runDurationMs, shortId } from '../runs/runs-query.js';
import { useNow } from '../runs/runs-table.js';
import { bestSoFarOption, importanceOption, parallelOption, scoredTrials, searchedParams } from './sweep-charts.js';
import { useLiveSweep } from './use-live-sweep.js';

export function SweepView({ sweepId }: { sweepId: string }) {
  const { client } = useApp();
  const { sweep, runs, error, reload } = useLiveSweep(sweepId);
  const [pausing, setPausing] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [promoting, setPromoting] = useState(false);
  const [promoted, setPromoted] = useState<SweepPromotion | undefined>(undefined);
  const [actionError, setActionError] = useState<ApiError | undefined>(undefined);
  const running = sweep?.status === 'running';
  // A running trial's duration and the time used grow between the sweep's events.
  const now = useNow(running);
  useEffect(() => {
    if (!running) setPausing(false);
  }, [running]);

  if (error && !sweep) return <ErrorPanel title="Could not open the sweep" error={error} />;
  if (!sweep) return <p className="muted loading-pane">Loading sweep…</p>;

  const act = (call: () => Promise<unknown>) => {
    setActionError(undefined);
    call().then(reload, (err: unknown) => setActionError(toApiError(err)));
  };
  const pause = () =>
    act(async () => {
      const { pausing: accepted } = await client.call('sweeps.pause', { sweepId });
      setPausing(accepted);
    });
  const resume = () => act(() => client.call('sweeps.resume', { sweepId }));
  const bestRun = sweep.bestRunId ? runs.get(sweep.bestRunId) : undefined;
  const resumable = sweep.status === 'paused' || sweep.status === 'interrupted' || sweep.status === 'cancelled';

  return (
    <div className="sweep-view" data-testid="sweep-view" data-status={sweep.status} data-sweep-id={sweep.id}>
      <header className="sweep-head">
        <div className="sweep-title">
          <h1>
            Sweep <span className="mono">{shortId(sweep.id)}</span>{' '}
            <span className={`run-status run-status-${sweep.status}`} data-testid="sweep-status">
              {pausing && running ? 'pausing' : sweep.status}
            </span>
          </h1>
          <p className="muted small">
            {MODEL_KIND_LABELS[sweep.model]} predicting <strong>{sweep.target}</strong> on {sweep.datasetName}@v
            {sweep.datasetVersion} · {sweep.strategy.toUpperCase()} · early stopping {sweep.stopping} · seed{' '}
            {sweep.seed} · started {formatDate(sweep.createdAt)}
          </p>
        </div>
        <div className="sweep-actions">
          {running && (
            <button type="button" className="btn" onClick={pause} disabled={pausing} data-testid="sweep-pause">
              {pausing ? 'Pausing…' : 'Pause'}
            </button>
          )}
          {resumable && (
            <button type="button" className="btn" onClick={resume} data-testid="sweep-resume">
              Resume
            </button>
          )}
          {(running || sweep.status === 'paused') && (
            <button type="button" className="btn" onClick={() => setConfirmCancel(true)} data-testid="sweep-cancel">
              Cancel…
            </button>
          )}
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setPromoting(true)}
            disabled={!bestRun?.model}
            title={bestRun?.model ? undefined : 'No trial has completed yet'}
            data-testid="sweep-promote"
          >
            Promote best…
          </button>
        </div>
      </header>
      {pausing && running && (
        <p className="runs-note small" role="status">
          No new trial will start; the one training finishes first. Resume goes on with the budget left.
        </p>
      )}
      {actionError && <ErrorPanel title="The sweep did not take that" error={actionError} />}
      {sweep.error && sweep.status !== 'running' && (
        <ErrorPanel title="The sweep stopped" error={toApiError(sweep.error)} />
      )}
      {promoted && <PromotedNote promoted={promoted} onDismiss={() => setPromoted(undefined)} />}
      <BudgetBar sweep={sweep} runs={runs} now={now} />
      <SweepCharts sweep={sweep} />
      <TrialsTable sweep={sweep} runs={runs} now={now} />
      {confirmCancel && (
        <ConfirmDialog
          title="Cancel this sweep?"
          testId="sweep-cancel-confirm"
          confirmLabel="Cancel sweep"
          action={() => client.call('sweeps.cancel', { sweepId }).then(reload)}
          onClose={() => setConfirmCancel(false)}
        >
          <p>
            The trial training now is stopped and no other starts. Finished trials, their runs and their models stay;
            Resume can go on later with the budget left.
          </p>
        </ConfirmDialog>
      )}
      {promoting && bestRun?.model && (
        <PromoteDialog
          sweep={sweep}
          bestRun={bestRun}
          onClose={() => setPromoting(false)}
          onPromoted={(p) => {
            setPromoted(p);
            setPromoting(false);
          }}
        />
      )}
    </div>
  );
}

/** Trials done against the trial budget, and the time the trials took against the minutes. */
function BudgetBar({ sweep, runs, now }: { sweep: SweepDetail; runs: ReadonlyMap<string, RunSummary>; now: number }) {
  const ms = sweep.trials.reduce((s, t) => {
    const run = t.runId ? runs.get(t.runId) : undefined;
    return s + (run ? (runDurationMs(run, now) ?? 0) : 0);
  }, 0);
  const { trials, seconds } = sweep.budget;
  const fraction = Math.min(1, Math.max(trials ? sweep.trialsDone / trials : 0, seconds ? ms / 1000 / seconds : 0));
  const best = scoredTrials(sweep).find((t) => t.runId === sweep.bestRunId);
  return (
    <section className="sweep-budget" aria-label="Budget" data-testid="sweep-budget" data-done={sweep.trialsDone}>
      <div className="sweep-budget-figures">
        <span>
          <strong>{sweep.trialsDone}</strong>
          {trials ? ` of ${trials}` : ''} trials done
        </span>
        <span>
          {formatDuration(ms)}
          {seconds ? ` of ${formatDuration(seconds * 1000)}` : ''} training
        </span>
        <span data-testid="sweep-best">
          best validation {sweep.metric}:{' '}
          <strong>{sweep.bestValue === null ? '—' : formatMetric(sweep.bestValue)}</strong>
          {best ? ` (trial ${best.number + 1})` : ''}
        </span>
      </div>
      {(trials || seconds) && (
        <div
          className="sweep-budget-bar"
          role="progressbar"
          aria-label="Budget used"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}
        >
          <span style={{ width: `${fraction * 100}%` }} />
        </div>
      )}
    </section>
  );
}

function SweepCharts({ sweep }: { sweep: SweepDetail }) {
  const parallel = useMemo(() => parallelOption(sweep), [sweep]);
  const bestSoFar = useMemo(() => bestSoFarOption(sweep), [sweep]);
  const importance = useMemo(() => importanceOption(sweep.importance), [sweep.importance]);
  const plotted = scoredTrials(sweep).length;
  return (
    <div className="sweep-charts">
      <section className="sweep-chart sweep-chart-wide" aria-label="Trials in parallel coordinates">
        <h2>Parallel coordinates</h2>
        <p className="muted small">
          One line per completed trial across the {searchedParams(sweep.space).length} searched parameters and its
          validation {sweep.metric}; the best in orange.
        </p>
        <div data-testid="sweep-parallel" data-plotted={plotted}>
          {plotted === 0 ? (
            <p className="muted sweep-chart-empty">The lines appear as trials complete.</p>
          ) : (
            <Chart option={parallel} height={300} label="Trials in parallel coordinates" />
          )}
        </div>
      </section>
      <section className="sweep-chart" aria-label="Best so far">
        <h2>Best so far</h2>
        {plotted === 0 ? (
          <p className="muted sweep-chart-empty">No trial has completed yet.</p>
        ) : (
          <Chart option={bestSoFar} height={220} label="Best validation score over trials" testId="sweep-best-chart" />
        )}
      </section>
      <section className="sweep-chart" aria-label="Parameter importance">
        <h2>What mattered</h2>
        {sweep.importance.length === 0 ? (
          <p className="muted sweep-chart-empty" data-testid="sweep-importance-none">
            Importance needs {MIN_IMPORTANCE_TRIALS} completed trials ({plotted} so far).
          </p>
        ) : (
          <Chart
            option={importance}
            height={Math.max(120, 34 * sweep.importance.length + 32)}
            label="Parameter importance"
            testId="sweep-importance"
          />
        )}
      </section>
    </div>
  );
}

function TrialsTable({ sweep, runs, now }: { sweep: SweepDetail; runs: ReadonlyMap<string, RunSummary>; now: number }) {
  const params = Object.keys(sweep.space);
  return (
    <section className="sweep-trials" aria-label="Trials">
      <h2>Trials</h2>
      {sweep.trials.length === 0 ? (
        <p className="muted">The first trial is starting.</p>
      ) : (
        <div className="sweep-trials-scroll">
          <table
            className="versions-table sweep-trials-table"
            data-testid="sweep-trials"
            data-count={sweep.trials.length}
          >
            <TableHead
              columns={[
                { label: '#', num: true },
                'status',
                ...params,
                { label: `validation ${sweep.metric}`, num: true },
                { label: 'duration', num: true },
                'run',
              ]}
            />
            <tbody>
              {sweep.trials.map((t) => (
                <TrialRow
                  key={t.number}
                  trial={t}
                  sweep={sweep}
                  params={params}
                  run={t.runId ? runs.get(t.runId) : undefined}
                  now={now}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TrialRow({
  trial: t,
  sweep,
  params,
  run,
  now,
}: {
  trial: SweepTrial;
  sweep: SweepDetail;
  params: string[];
  run: RunSummary | undefined;
  now: number;
}) {
  const ms = run ? runDurationMs(run, now) : null;
  const best = t.runId !== null && t.runId === sweep.bestRunId;
  return (
    <tr
      data-testid="sweep-trial"
      data-number={t.number}
      data-status={t.status}
      className={best ? 'selected' : undefined}
      title={t.error?.message}
      onClick={() => t.runId && navigate({ page: 'runs', runId: t.runId })}
    >
      <td className="num">{t.number + 1}</td>
      <td>
        <span className={`run-status run-status-${t.status}`}>{t.status}</span>
        {best && <span className="alias-badge alias-other sweep-best-badge">best</span>}
      </td>
      {params.map((p) => (
        <td key={p} className="mono">
          {p in t.params ? formatStat(t.params[p]) : ''}
        </td>
      ))}
      <td className="num mono">{t.value === null ? '—' : formatMetric(t.value)}</td>
      <td className="num">{ms === null ? '—' : formatDuration(ms)}</td>
      <td>
        {t.runId ? (
          <button
            type="button"
            className="btn-link mono"
            onClick={(e) => {
              e.stopPropagation();
              navigate({ page: 'runs', runId: t.runId! });
            }}
          >
            {shortId(t.runId)}
          </button>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}

/** The alias to move (champion unless changed), and what it will point at. */
function PromoteDialog({
  sweep,
  bestRun,
  onClose,
  onPromoted,
}: {
  sweep: SweepDetail;
  bestRun: RunSummary;
  onClose: () => void;
  onPromoted: (p: SweepPromotion) => void;
}) {
  const { client } = useApp();
  const { busy, error, run } = useAction();
  const [alias, setAlias] = useState('champion');
  const model = bestRun.model!;
  return (
    <DialogShell
      title="Promote the best trial"
      testId="sweep-promote-dialog"
      busy={busy}
      error={error}
      submitLabel="Promote"
      disabled={alias.trim() === ''}
      onSubmit={() => run(() => client.call('sweeps.promote', { sweepId: sweep.id, alias: alias.trim() }), onPromoted)}
      onClose={onClose}
    >
      <p>
        Points an alias at <strong className="mono">{`${model.name}:${model.version}`}</strong>, the model the best
        trial saved (validation {sweep.metric} {sweep.bestValue === null ? '—' : formatMetric(sweep.bestValue)}). The
        move is recorded in the model&apos;s alias history and can be rolled back there.
      </p>
      <Field label="Alias">
        <input value={alias} onChange={(e) => setAlias(e.target.value)} data-testid="sweep-promote-alias" />
      </Field>
    </DialogShell>
  );
}

function PromotedNote({ promoted: p, onDismiss }: { promoted: SweepPromotion; onDismiss: () => void }) {
  return (
    <p className="ok-note sweep-promoted" role="status" data-testid="sweep-promoted" data-alias={p.alias}>
      Promoted trial {p.trial + 1}: <strong>{p.alias}</strong> now points at{' '}
      <button
        type="button"
        className="btn-link mono"
        onClick={() => navigate({ page: 'models', model: p.model.name, version: p.model.version })}
      >
        {p.model.name}:{p.model.version}
      </button>
      {p.fromVersion === null ? ' (newly set)' : ` (was version ${p.fromVersion})`}.{' '}
      <button type="button" className="btn-link small" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}
