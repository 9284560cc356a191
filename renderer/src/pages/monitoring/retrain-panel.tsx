// The retraining tab: the model's retrain policy (triggers, comparison metric and margin, the
// alias a better challenger takes, whether labelled requests join the training data), "Retrain
// now" with the run's progress, and every decision taken, with one-click rollback of a promotion.
import { useEffect, useState } from 'react';
import {
  AliasName,
  RETRAIN_MODE_LABELS,
  RETRAIN_SWEEP_TRIALS,
  RetrainMode,
  RetrainPolicyInput,
  type CompareMetric,
  type ModelDetail,
  type RetrainDecision,
  type RetrainPlan,
  type RetrainPolicy,
  type RetrainStarted,
  type TaskName,
} from '../../../../shared/api.js';
import { compareMetricsFor, lowerIsBetter } from '../../../../shared/metrics.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { CheckField } from '../../components/check-field.js';
import { ChoiceSelect } from '../../components/choice-select.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { Field } from '../../components/field.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatDuration } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { COMPARE_METRIC_LABELS } from './monitoring-format.js';
import { DecisionsTable } from './decisions-table.js';

interface ActiveRetrain {
  started: RetrainStarted;
  fraction: number | undefined;
  epoch?: number;
  epochs?: number;
  etaMs?: number;
  /** The run ended; the challenger is being scored against the champion. */
  scoring: boolean;
  /** A sweep retrain: its trials done and its budget. */
  trials?: { done: number; of: number | null };
}

/** Whether an event or answer is about the retrain under way: the same run, or the same sweep. */
function sameRetrain(a: RetrainStarted, b: { runId: string | null; sweepId: string | null }): boolean {
  return (a.runId !== null && a.runId === b.runId) || (a.sweepId !== null && a.sweepId === b.sweepId);
}

interface RetrainPanelProps {
  model: string;
  task: TaskName | null;
  detail: ModelDetail | undefined;
  /** Opens a run on the Runs page. */
  openRun: (runId: string) => void;
}

export function RetrainPanel({ model, task, detail, openRun }: RetrainPanelProps) {
  const { client } = useApp();
  const [tick, setTick] = useState(0);
  const policy = useAsync<RetrainPolicy>(() => client.call('monitoring.retrainPolicy.get', { model }), [client, model]);
  // Read again after each decision, policy save and alias move (the model's detail is read again
  // then): each can change what a retrain would train on.
  const plan = useAsync<RetrainPlan>(
    () => client.call('monitoring.retrainPlan', { model }),
    [client, model, tick, policy.data, detail],
  );
  const decisions = useAsync<RetrainDecision[]>(
    () => client.call('monitoring.decisions', { model, limit: 100 }),
    [client, model, tick],
  );
  const [active, setActive] = useState<ActiveRetrain | undefined>(undefined);
  const [startError, setStartError] = useState<ApiError | undefined>(undefined);
  const [starting, setStarting] = useState(false);
  const [latest, setLatest] = useState<RetrainDecision | undefined>(undefined);

  useEffect(() => {
    const offs = [
      client.on('retrain.started', (s) => {
        if (s.model === model) setActive({ started: s, fraction: 0, scoring: false });
      }),
      client.on('run.progress', (p) =>
        setActive((a) =>
          a && a.started.runId === p.runId
            ? { ...a, fraction: p.fraction, epoch: p.epoch, epochs: p.epochs, etaMs: p.etaMs }
            : a,
        ),
      ),
      client.on('run.finished', (f) =>
        setActive((a) => (a && a.started.runId === f.runId ? { ...a, fraction: undefined, scoring: true } : a)),
      ),
      client.on('sweep.progress', (p) =>
        setActive((a) =>
          a && a.started.sweepId === p.sweepId
            ? {
                ...a,
                trials: { done: p.trialsDone, of: p.budget.trials },
                fraction: p.budget.trials ? p.trialsDone / p.budget.trials : undefined,
                scoring: p.status !== 'running',
              }
            : a,
        ),
      ),
      client.on('retrain.decided', (d) => {
        if (d.model !== model) return;
        setActive((a) => (a && (sameRetrain(a.started, d) || d.runId === null) ? undefined : a));
        setLatest(d);
        setTick((t) => t + 1);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, model]);

  const retrainNow = () => {
    setStarting(true);
    setStartError(undefined);
    setLatest(undefined);
    // With nothing new the button says so, and pressing it is the user asking anyway.
    client.call('monitoring.retrain', { model, force: plan.data?.nothingNew ?? false }).then(
      (s) => {
        setStarting(false);
        // The started event may have come first; keep its progress if so.
        setActive((a) => (a && sameRetrain(a.started, s) ? a : { started: s, fraction: 0, scoring: false }));
      },
      (err: unknown) => {
        setStarting(false);
        setStartError(toApiError(err));
      },
    );
  };

  return (
    <div className="retrain-panel" data-testid="retrain-panel">
      <div className="retrain-columns">
        <section className="panel" data-testid="retrain-policy">
          <div className="panel-head">
            <h2 className="panel-title">Retrain policy</h2>
            {policy.data && !policy.data.saved && <span className="small muted">defaults, not saved yet</span>}
          </div>
          {policy.error && <ErrorPanel title="Could not read the retrain policy" error={policy.error} />}
          {policy.data && (
            <PolicyForm model={model} task={task} policy={policy.data} onSaved={(p) => policy.set(() => p)} />
          )}
        </section>
        <section className="panel retrain-now" data-testid="retrain-now">
          <div className="panel-head">
            <h2 className="panel-title">Retrain now</h2>
          </div>
          <p className="small">
            Trains a challenger{' '}
            {policy.data?.mode === 'sweep'
              ? `by a ${policy.data.sweepTrials}-trial sweep around the champion's settings`
              : "with the champion's settings"}{' '}
            on{' '}
            {policy.data?.includeLabelledRequests
              ? 'its dataset plus the labelled requests'
              : 'the newest version of its dataset'}
            , scores both on the challenger&apos;s held-out rows, and moves{' '}
            <strong>{policy.data?.alias ?? 'production'}</strong> only if the challenger wins by the margin.
          </p>
          {plan.data && (
            <p
              className={`small retrain-plan${plan.data.nothingNew ? ' nothing-new' : ''}`}
              data-testid="retrain-plan"
              data-nothing-new={plan.data.nothingNew}
            >
              {sentence(plan.data.summary)}
            </p>
          )}
          {plan.error && <ErrorPanel title="Could not tell what a retrain would train on" error={plan.error} />}
          <button
            type="button"
            className={`btn${plan.data?.nothingNew ? '' : ' btn-primary'}`}
            onClick={retrainNow}
            disabled={starting || active !== undefined || !plan.data}
            data-testid="retrain-button"
          >
            {starting ? 'Starting…' : active ? 'Retraining…' : plan.data?.nothingNew ? 'Retrain anyway' : 'Retrain now'}
          </button>
          {startError && <ErrorPanel title="Could not start a retrain" error={startError} />}
          {active && (
            <div
              className="retrain-progress"
              data-testid="retrain-progress"
              data-run={active.started.runId ?? undefined}
              data-sweep={active.started.sweepId ?? undefined}
            >
              <ProgressBar fraction={active.scoring ? undefined : active.fraction} label="Retraining" />
              <span className="small muted">
                {active.scoring
                  ? 'Scoring the challenger against the champion…'
                  : active.started.sweepId !== null
                    ? `Sweeping: ${active.trials?.done ?? 0}${active.trials?.of ? ` of ${active.trials.of}` : ''} trials done`
                    : active.epoch && active.epochs
                      ? `Epoch ${active.epoch} of ${active.epochs}${active.etaMs ? ` · about ${formatDuration(active.etaMs)} left` : ''}`
                      : 'Waiting for the training run to start…'}
                {active.started.runId !== null && (
                  <>
                    {' · '}
                    <button
                      type="button"
                      className="btn-link"
                      onClick={() => active.started.runId !== null && openRun(active.started.runId)}
                    >
                      open run
                    </button>
                  </>
                )}
                {active.started.trigger !== 'manual' ? ` · started by ${active.started.trigger}` : ''}
              </span>
            </div>
          )}
          {latest && !active && (
            <p
              className={`retrain-latest ${latest.outcome}`}
              data-testid="retrain-latest"
              data-outcome={latest.outcome}
            >
              <strong>
                {latest.outcome === 'promoted'
                  ? `Promoted v${latest.challenger?.version ?? '?'} to ${latest.alias}.`
                  : latest.outcome === 'kept'
                    ? 'Kept the champion.'
                    : 'Retrain failed.'}
              </strong>{' '}
              {latest.reason}
            </p>
          )}
        </section>
      </div>
      <section className="panel" data-testid="decisions">
        <div className="panel-head">
          <h2 className="panel-title">Decisions</h2>
          <span className="small muted">every retrain, its comparison and why the alias moved or stayed</span>
        </div>
        {decisions.error && <ErrorPanel title="Could not list the decisions" error={decisions.error} />}
        {decisions.data && decisions.data.length === 0 && (
          <p className="muted small">No retrain yet. Press “Retrain now”, or let a trigger of the policy start one.</p>
        )}
        {decisions.data && decisions.data.length > 0 && (
          <DecisionsTable model={model} decisions={decisions.data} detail={detail} openRun={openRun} />
        )}
      </section>
    </div>
  );
}

function PolicyForm({
  model,
  task,
  policy,
  onSaved,
}: {
  model: string;
  task: TaskName | null;
  policy: RetrainPolicy;
  onSaved: (p: RetrainPolicy) => void;
}) {
  const { client } = useApp();
  const [onAlert, setOnAlert] = useState(policy.triggers.onAlert);
  const [scheduled, setScheduled] = useState(policy.triggers.scheduleHours !== null);
  const [hours, setHours] = useState(String(policy.triggers.scheduleHours ?? 24));
  const [onDataset, setOnDataset] = useState(policy.triggers.onNewDatasetVersion);
  const [labelled, setLabelled] = useState(policy.includeLabelledRequests);
  const [metric, setMetric] = useState<CompareMetric>(policy.metric);
  const [margin, setMargin] = useState(String(policy.margin));
  const [alias, setAlias] = useState(policy.alias);
  const [mode, setMode] = useState<RetrainMode>(policy.mode);
  const [trials, setTrials] = useState(String(policy.sweepTrials));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [savedNote, setSavedNote] = useState(false);

  const hoursOk = !scheduled || (Number(hours) > 0 && Number(hours) <= 24 * 365);
  const marginOk = margin.trim() !== '' && Number(margin) >= 0 && Number.isFinite(Number(margin));
  const aliasOk = AliasName.safeParse(alias).success;
  const trialsOk = RetrainPolicyInput.shape.sweepTrials.safeParse(Number(trials)).success && trials.trim() !== '';
  const lower = lowerIsBetter(metric);

  const save = () => {
    setBusy(true);
    setError(undefined);
    setSavedNote(false);
    client
      .call('monitoring.retrainPolicy.set', {
        model,
        triggers: { onAlert, scheduleHours: scheduled ? Number(hours) : null, onNewDatasetVersion: onDataset },
        includeLabelledRequests: labelled,
        metric,
        margin: Number(margin),
        alias: alias.trim(),
        mode,
        // Kept as saved while the policy does not sweep, so switching back finds it.
        sweepTrials: trialsOk ? Number(trials) : policy.sweepTrials,
      })
      .then(
        (p) => {
          setBusy(false);
          setSavedNote(true);
          onSaved(p);
        },
        (err: unknown) => {
          setBusy(false);
          setError(toApiError(err));
        },
      );
  };

  return (
    <form
      className="policy-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (hoursOk && marginOk && aliasOk && (trialsOk || mode === 'same') && !busy) save();
      }}
      onChange={() => setSavedNote(false)}
    >
      <fieldset>
        <legend className="field-label">Retrain when</legend>
        <CheckField checked={onAlert} onChange={setOnAlert} testId="policy-on-alert">
          an alert rule whose action is “retrain” fires
        </CheckField>
        <CheckField checked={scheduled} onChange={setScheduled} testId="policy-scheduled">
          every
          <input
            type="number"
            className="inline-number"
            min={1}
            step="any"
            value={hours}
            disabled={!scheduled}
            onChange={(e) => setHours(e.target.value)}
            aria-label="Hours between scheduled retrains"
            aria-invalid={!hoursOk}
            data-testid="policy-hours"
          />
          hours
        </CheckField>
        <CheckField checked={onDataset} onChange={setOnDataset} testId="policy-on-dataset">
          a new version of the training dataset is imported
        </CheckField>
      </fieldset>
      <CheckField checked={labelled} onChange={setLabelled} testId="policy-labelled">
        Add logged requests that have ground truth to the training data
      </CheckField>
      <div className="policy-grid">
        <Field label="Compare on (test split)">
          <ChoiceSelect
            value={metric}
            choices={compareMetricsFor(task)}
            label={(m) => `${COMPARE_METRIC_LABELS[m]}${lowerIsBetter(m) ? ' (lower is better)' : ''}`}
            onChange={setMetric}
            testId="policy-metric"
          />
        </Field>
        <Field label="Must beat the champion by">
          <input
            type="number"
            min={0}
            step="any"
            value={margin}
            onChange={(e) => setMargin(e.target.value)}
            aria-invalid={!marginOk}
            data-testid="policy-margin"
          />
        </Field>
        <Field label="Alias the winner takes">
          <input
            value={alias}
            onChange={(e) => setAlias(e.target.value)}
            aria-invalid={!aliasOk}
            data-testid="policy-alias"
          />
        </Field>
      </div>
      <div className="policy-grid">
        <Field label="Train the challenger" className="policy-wide">
          <ChoiceSelect
            value={mode}
            choices={RetrainMode.options}
            label={(m) => RETRAIN_MODE_LABELS[m]}
            onChange={setMode}
            testId="policy-mode"
          />
        </Field>
        <Field label="Sweep trials">
          <input
            type="number"
            min={RETRAIN_SWEEP_TRIALS.min}
            max={RETRAIN_SWEEP_TRIALS.max}
            step={1}
            value={trials}
            disabled={mode !== 'sweep'}
            onChange={(e) => setTrials(e.target.value)}
            aria-invalid={mode === 'sweep' && !trialsOk}
            data-testid="policy-sweep-trials"
          />
        </Field>
      </div>
      <p className="small muted">
        {mode === 'sweep' &&
          `Each trial varies the tuned settings in a range around the champion's (a third to three times a rate or penalty), chosen on the validation split; the best trial is the challenger. `}
        A challenger is promoted when its {COMPARE_METRIC_LABELS[metric]} is {lower ? 'lower' : 'higher'} than the
        champion&apos;s by more than {marginOk ? Number(margin) : '…'} on the same held-out rows; otherwise it is kept
        as a version, unpromoted, with the reason recorded.
      </p>
      {error && <ErrorPanel title="Could not save the policy" error={error} />}
      <div className="policy-actions">
        {savedNote && (
          <span className="ok-note small" data-testid="policy-saved">
            Saved.
          </span>
        )}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || !hoursOk || !marginOk || !aliasOk || (!trialsOk && mode === 'sweep')}
          data-testid="policy-save"
        >
          {busy ? 'Saving…' : 'Save policy'}
        </button>
      </div>
    </form>
  );
}

/** The engine's lower-case clause as a sentence. */
function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
