// What a step produced in the run on show: its state and timing, then its output by kind: the
// table (columns, first rows, row count, split parts) and the rows a fitted step learned from, the metrics with each gate passed or not,
// the training run (a link to its page), the model version, the endpoint's URL, the alert rules
// and retrain policy a monitor step applied.
import type { PipelineStep } from '../../../../shared/api.js';
import type { MonitorOutput, StepFit, StepOutput, TablePreview } from '../../../../shared/pipeline.js';
import { ApiError } from '../../api/api-error.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatCell, formatCount, formatDuration, formatPercent, formatStat, shortHash } from '../../lib/format.js';
import { StateBadge } from './step-node.js';

interface StepOutputProps {
  step: PipelineStep | undefined;
  /** The run shown is of another version than the canvas, or the canvas has unsaved changes. */
  stale: boolean;
  onOpenRun: (runId: string) => void;
}

export function StepOutputView({ step, stale, onOpenRun }: StepOutputProps) {
  if (!step)
    return <p className="muted small pl-pad">This step has not run yet. Run the pipeline to see what it produces.</p>;
  const took = step.startedAt && step.finishedAt ? Date.parse(step.finishedAt) - Date.parse(step.startedAt) : undefined;
  return (
    <div className="step-output" data-testid="step-output" data-state={step.state}>
      <div className="output-state">
        <StateBadge step={step} />
        {took !== undefined && <span className="small muted">{formatDuration(took)}</span>}
        {step.state === 'cached' && (
          <span className="small muted">reused from an earlier run with the same inputs and parameters</span>
        )}
      </div>
      {stale && <p className="small warn">From the run shown, which ran another version of this pipeline.</p>}
      {step.state === 'running' && step.progress && (
        <div className="output-progress">
          <ProgressBar fraction={step.progress.fraction} label="Step progress" />
          <span className="small muted">{step.progress.label}</span>
        </div>
      )}
      {step.state === 'failed' && step.error && (
        <ErrorPanel
          title={step.error.code === 'gate_failed' ? 'A gate was not met' : 'The step failed'}
          error={new ApiError(step.error)}
        />
      )}
      {step.state === 'skipped' && step.reason && <p className="small muted">Skipped: {step.reason}</p>}
      {step.output && <OutputBody output={step.output} onOpenRun={onOpenRun} />}
    </div>
  );
}

function OutputBody({ output, onOpenRun }: { output: StepOutput; onOpenRun: (runId: string) => void }) {
  return (
    <>
      {output.dataset && (
        <section className="output-block">
          <h3>Dataset</h3>
          <p>
            <strong>{output.dataset.name}</strong> v{output.dataset.version}{' '}
            <span className="mono small muted">{shortHash(output.dataset.contentHash)}</span>
          </p>
        </section>
      )}
      {output.model && (
        <section className="output-block" data-testid="output-model">
          <h3>Model</h3>
          <p>
            <strong>{output.model.name}</strong> v{output.model.version}
            {output.model.alias && <span className="tag">{output.model.alias}</span>}
          </p>
        </section>
      )}
      {output.sweep && (
        <section className="output-block" data-testid="output-sweep">
          <h3>Sweep</h3>
          <p>
            {output.sweep.trials} trial{output.sweep.trials === 1 ? '' : 's'}
            {output.sweep.bestValue !== null &&
              `; the best reached validation ${output.sweep.metric} ${Number(output.sweep.bestValue.toPrecision(4))}`}
          </p>
        </section>
      )}
      {output.runId && (
        <section className="output-block">
          <h3>{output.sweep ? 'Best trial' : 'Training run'}</h3>
          <button
            type="button"
            className="btn-link mono"
            onClick={() => onOpenRun(output.runId as string)}
            data-testid="output-run-link"
          >
            {output.runId.slice(0, 8)} → open in Runs
          </button>
        </section>
      )}
      {output.endpoint && (
        <section className="output-block" data-testid="output-endpoint">
          <h3>Endpoint</h3>
          <a className="mono" href={output.endpoint.url} target="_blank" rel="noreferrer">
            {output.endpoint.url}
          </a>
        </section>
      )}
      {output.monitoring && <Monitoring monitoring={output.monitoring} />}
      {output.metrics && <Metrics output={output} />}
      {output.fit && <FitNote fit={output.fit} />}
      {output.table && <TableView table={output.table} />}
    </>
  );
}

/** Which rows a fitted step learned from; before a split that includes the test rows, which is worth a warning. */
function FitNote({ fit }: { fit: StepFit }) {
  return fit.part === 'train' ? (
    <p className="small muted" data-testid="fit-note" data-part="train">
      Learned from the {formatCount(fit.rows)} train rows; validation and test rows were transformed without informing
      it.
    </p>
  ) : (
    <p className="small warn" data-testid="fit-note" data-part="all">
      Learned from all {formatCount(fit.rows)} rows. Place this step after a split so the test rows that score the model
      do not inform it.
    </p>
  );
}

function Monitoring({ monitoring }: { monitoring: MonitorOutput }) {
  const { rules, policy, headline } = monitoring;
  const triggers = [
    policy.onAlert ? 'a "retrain" rule fires' : '',
    policy.scheduleHours !== null ? `every ${policy.scheduleHours}\u00a0h` : '',
    policy.onNewDatasetVersion ? 'on a new version of the training dataset' : '',
  ].filter(Boolean);
  return (
    <section className="output-block" data-testid="output-monitoring">
      <h3>Alert rules</h3>
      {rules.length === 0 ? (
        <p className="small muted">None (rules made in the app are kept).</p>
      ) : (
        <ul className="gate-list">
          {rules.map((r) => (
            <li key={r.id} data-testid="monitor-rule" title={r.id}>
              <code>{r.line}</code>
            </li>
          ))}
        </ul>
      )}
      <h3>Retrain policy</h3>
      <p className="small" data-testid="monitor-policy">
        {triggers.length ? `Retrain when ${triggers.join(', or ')}` : 'No automatic retraining'}; promote to{' '}
        <strong>{policy.alias}</strong> when a retrained version's {policy.metric} is better
        {policy.margin > 0 ? ` by at least ${formatStat(policy.margin)}` : ''}
        {policy.includeLabelledRequests ? ', training on labelled requests too' : ''}
        {policy.mode === 'sweep'
          ? `, each retrain the best of a ${policy.sweepTrials}-trial sweep around the champion's settings`
          : ''}
        .
      </p>
      {headline && (
        <p className="small muted" data-testid="monitor-headline">
          {headlineText(headline)}
        </p>
      )}
    </section>
  );
}

/** The model's traffic as the step saw it, in one sentence. */
function headlineText(h: NonNullable<MonitorOutput['headline']>): string {
  if (h.requests === 0) return `No requests in the last ${h.window} when the step ran.`;
  const errors = h.errorRate !== null ? ` (${formatPercent(h.errorRate, 1)} errors)` : '';
  const drift = h.driftScore !== null ? `drift score ${formatStat(h.driftScore)}` : 'too few to judge drift';
  const firing = `${h.firingAlerts} alert${h.firingAlerts === 1 ? '' : 's'} firing`;
  return `Last ${h.window} when the step ran: ${formatCount(h.requests)} requests${errors}, ${drift}, ${firing}.`;
}

function Metrics({ output }: { output: StepOutput }) {
  const metrics = Object.entries(output.metrics ?? {});
  return (
    <section className="output-block" data-testid="output-metrics">
      <h3>Metrics{output.task ? ` (${output.task}, test part)` : ''}</h3>
      {output.gates && output.gates.length > 0 && (
        <ul className="gate-list">
          {output.gates.map((g) => (
            <li
              key={g.gate}
              className={g.passed ? 'gate-pass' : 'gate-fail'}
              data-testid="gate-result"
              data-passed={g.passed}
            >
              <span className="gate-mark" aria-hidden="true">
                {g.passed ? '✓' : '✗'}
              </span>
              <code>{g.gate}</code>
              <span className="muted">
                {g.passed ? 'met' : 'not met'}: {g.metric} = {formatStat(g.actual)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <table className="card-table">
        <tbody>
          {metrics.map(([k, v]) => (
            <tr key={k}>
              <td>{k}</td>
              <td className="num">{formatStat(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TableView({ table }: { table: TablePreview }) {
  return (
    <section className="output-block" data-testid="output-table">
      <h3>Table</h3>
      <p className="small">
        <strong data-testid="output-rows">{formatCount(table.rowCount)}</strong> rows × {table.columns.length} columns
        {table.parts && (
          <span className="muted">
            {' '}
            · train {formatCount(table.parts.train)} · validation {formatCount(table.parts.validation)} · test{' '}
            {formatCount(table.parts.test)}
          </span>
        )}
      </p>
      <div className="preview-scroll">
        <table className="preview-table">
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.name} title={c.type}>
                  {c.name}
                  <span className="preview-type">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r, i) => (
              <tr key={i}>
                {r.map((cell, j) => (
                  <td key={j} className={cell === null ? 'null' : typeof cell === 'number' ? 'num' : undefined}>
                    {cell === null ? 'null' : formatCell(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {table.rows.length < table.rowCount && <p className="small muted">First {table.rows.length} rows.</p>}
    </section>
  );
}
