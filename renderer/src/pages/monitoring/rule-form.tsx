// The alert rule editor: metric, comparator, threshold (in the metric's unit: ms, % or PSI),
// window, the fewest samples to judge on, and what firing does (notify, or also retrain, and
// optionally a webhook: webhook-fields.tsx).
import { useState } from 'react';
import type {
  AlertAction,
  AlertMetric,
  AlertRule,
  Comparator,
  MonitoringWindow,
  TaskName,
} from '../../../../shared/api.js';
import { monitoringWindows } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { CheckField } from '../../components/check-field.js';
import { ChoiceSelect } from '../../components/choice-select.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { Field } from '../../components/field.js';
import { useAction } from '../../lib/use-action.js';
import {
  ALERT_METRICS,
  WINDOW_LABELS,
  alertMetricsFor,
  comparatorWords,
  describeRule,
  ruleDefaults,
  thresholdFromInput,
  thresholdToInput,
} from './monitoring-format.js';
import { WebhookFields, webhookDraft, webhookDraftProblem, webhookToSave } from './webhook-fields.js';

const COMPARATORS: Comparator[] = ['>', '>=', '<', '<='];

interface RuleFormProps {
  model: string;
  task: TaskName | null;
  /** The live metric's test-split figure, for a sensible default threshold. */
  testSplit: number | null;
  /** The rule to edit; a new one when absent. */
  rule?: AlertRule;
  onSaved: (rule: AlertRule) => void;
  onCancel: () => void;
}

export function RuleForm({ model, task, testSplit, rule, onSaved, onCancel }: RuleFormProps) {
  const { client } = useApp();
  const metrics = alertMetricsFor(task);
  const first = rule?.metric ?? (metrics.includes('drift_score') ? 'drift_score' : metrics[0]!);
  const [metric, setMetric] = useState<AlertMetric>(first);
  const [comparator, setComparator] = useState<Comparator>(
    rule?.comparator ?? ruleDefaults(first, testSplit).comparator,
  );
  const [threshold, setThreshold] = useState(
    String(thresholdToInput(first, rule?.threshold ?? ruleDefaults(first, testSplit).threshold)),
  );
  const [window, setWindow] = useState<MonitoringWindow>(rule?.window ?? '1h');
  const [minSamples, setMinSamples] = useState(String(rule?.minSamples ?? 20));
  const [action, setAction] = useState<AlertAction>(rule?.action ?? 'notify');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [webhook, setWebhook] = useState(() => webhookDraft(rule));
  const { busy, error, run } = useAction();

  const typed = Number(threshold);
  const thresholdOk =
    threshold.trim() !== '' &&
    Number.isFinite(typed) &&
    (ALERT_METRICS[metric].unit === '%' ? typed >= 0 && typed <= 100 : typed >= 0);
  const samples = Number(minSamples);
  const samplesOk = Number.isInteger(samples) && samples >= 1 && samples <= 1_000_000;
  const unit = ALERT_METRICS[metric].unit;
  const webhookOk = webhookDraftProblem(webhook, rule) === undefined;
  const ready = thresholdOk && samplesOk && webhookOk;

  const chooseMetric = (m: AlertMetric) => {
    setMetric(m);
    // A threshold in ms makes no sense as a PSI: a new metric starts from its own default.
    const d = ruleDefaults(m, testSplit);
    setComparator(d.comparator);
    setThreshold(String(thresholdToInput(m, d.threshold)));
  };

  const save = () =>
    run(
      () =>
        client.call('monitoring.rules.save', {
          ...(rule ? { id: rule.id } : {}),
          model,
          metric,
          comparator,
          threshold: thresholdFromInput(metric, typed),
          window,
          minSamples: samples,
          action,
          enabled,
          webhook: webhookToSave(webhook, rule),
        }),
      onSaved,
    );

  return (
    <form
      className="panel rule-form"
      data-testid="rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && !busy) save();
      }}
    >
      <div className="panel-head">
        <h2 className="panel-title">{rule ? 'Edit alert rule' : 'New alert rule'}</h2>
      </div>
      <div className="rule-fields">
        <Field label="Metric">
          <ChoiceSelect
            value={metric}
            choices={metrics}
            label={(m) => ALERT_METRICS[m].label}
            onChange={chooseMetric}
            testId="rule-metric"
          />
        </Field>
        <Field label="Fires when" className="rule-comparator">
          <ChoiceSelect
            value={comparator}
            choices={COMPARATORS}
            label={(c) => `${c} (${comparatorWords(c)})`}
            onChange={setComparator}
            testId="rule-comparator"
            title={comparatorWords(comparator)}
          />
        </Field>
        <Field label={`Threshold${unit ? ` (${unit})` : ''}`}>
          <input
            type="number"
            step="any"
            min={0}
            max={unit === '%' ? 100 : undefined}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            aria-invalid={!thresholdOk}
            data-testid="rule-threshold"
          />
        </Field>
        <Field label="Over">
          <ChoiceSelect
            value={window}
            choices={monitoringWindows}
            label={(w) => `the last ${WINDOW_LABELS[w]}`}
            onChange={setWindow}
            testId="rule-window"
          />
        </Field>
        <Field label="Judge from (samples)">
          <input
            type="number"
            min={1}
            step={1}
            value={minSamples}
            onChange={(e) => setMinSamples(e.target.value)}
            aria-invalid={!samplesOk}
            data-testid="rule-min-samples"
          />
        </Field>
        <Field label="When it fires">
          <select value={action} onChange={(e) => setAction(e.target.value as AlertAction)} data-testid="rule-action">
            <option value="notify">show an alert</option>
            <option value="retrain">show an alert and retrain</option>
          </select>
        </Field>
      </div>
      <WebhookFields
        model={model}
        rule={rule}
        condition={
          thresholdOk ? { metric, comparator, threshold: thresholdFromInput(metric, typed), window } : undefined
        }
        draft={webhook}
        onChange={setWebhook}
      />
      <div className="rule-foot">
        <CheckField checked={enabled} onChange={setEnabled} testId="rule-enabled">
          Enabled
        </CheckField>
        <span className="small muted" data-testid="rule-preview">
          {thresholdOk && samplesOk
            ? `Fires when ${describeRule({ metric, comparator, threshold: thresholdFromInput(metric, typed), window })}, judged once there are ${samples} samples.`
            : !thresholdOk
              ? unit === '%'
                ? 'The threshold is a percentage from 0 to 100.'
                : 'The threshold is a number, 0 or more.'
              : 'Samples is a whole number from 1.'}
        </span>
        <span className="status-spacer" />
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || !ready} data-testid="rule-save">
          {busy ? 'Saving…' : rule ? 'Save rule' : 'Add rule'}
        </button>
      </div>
      {error && <ErrorPanel title="Could not save the rule" error={error} />}
    </form>
  );
}
