// "Sweep…": a modal over a table dataset (or a run, pre-filled from it). The target, model kind,
// strategy, budget, early stopping, metric and seed up front; the search space below as one row
// per parameter of the kind, pre-filled from its default space and checked by the shared parser as
// it is edited, so each problem shows beside its parameter before anything runs. Starting opens
// the sweep's page.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import type { ComputeTarget, DatasetDetail, ModelKindName } from '../../../../shared/api.js';
import { SWEEP_PARAMETERS, type SweepParameterName } from '../../../../shared/sweep/parameters.js';
import { SweepStrategy, TrialStopping } from '../../../../shared/sweep/strategy.js';
import { MODEL_KIND } from '../../../../shared/training-settings.js';
import { useApp } from '../../app-context.js';
import { ChoiceSelect } from '../../components/choice-select.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FormDialog } from '../../components/form-dialog.js';
import { useAction } from '../../lib/use-action.js';
import { Field } from '../train/form-fields.js';
import { canBeTarget, suggestTarget } from '../train/target-suggestion.js';
import { WhereField } from '../train/where-field.js';
import {
  checkSweepForm,
  defaultSweepForm,
  kindsFor,
  metricsFor,
  modesOf,
  rowsOf,
  taskOf,
  withTarget,
  type ParamRow,
  type SearchMode,
  type SweepForm,
} from './sweep-form.js';
import '../../styles/sweeps.css';

interface SweepDialogProps {
  detail: DatasetDetail;
  /** From a run: its target and model kind. */
  initial?: { target: string; model: ModelKindName };
  onClose: () => void;
  onStarted: (sweepId: string) => void;
}

const MODE_LABEL: Record<SearchMode, string> = {
  off: 'default',
  fixed: 'fixed',
  choice: 'choice',
  int: 'int range',
  float: 'float range',
  log: 'log range',
};

const STRATEGY_LABEL: Record<SweepStrategy, string> = {
  tpe: 'TPE (learns from trials)',
  random: 'Random',
  grid: 'Grid',
};

const STOPPING_LABEL: Record<TrialStopping, string> = { none: 'Never', median: 'Median rule', asha: 'ASHA' };

const KIND_LABEL = Object.fromEntries(MODEL_KIND.options.map((o) => [o.value, o.label])) as Record<
  ModelKindName,
  string
>;

export function SweepDialog({ detail, initial, onClose, onStarted }: SweepDialogProps) {
  const { client } = useApp();
  const { columns, version, dataset } = detail;
  const ref = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState<SweepForm>(() =>
    defaultSweepForm(
      columns,
      initial?.target ?? suggestTarget(columns, version.rows)?.column ?? columns.find(canBeTarget)?.name ?? '',
      initial?.model,
    ),
  );
  const { busy: starting, error, run } = useAction();
  /** Where the trials train when they should not follow the setting. */
  const [where, setWhere] = useState<ComputeTarget | undefined>(undefined);

  const task = taskOf(columns, form.target);
  const checked = useMemo(
    () => checkSweepForm(form, columns, dataset.id, version.version),
    [form, columns, dataset.id, version.version],
  );
  const errors = checked.errors;
  const set = <K extends keyof SweepForm>(key: K, value: SweepForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setRow = (param: string, patch: Partial<ParamRow>) =>
    setForm((f) => ({ ...f, space: { ...f.space, [param]: { ...f.space[param]!, ...patch } } }));

  const start = () => {
    const request = checked.request;
    if (!request || starting) return;
    run(
      () => client.call('sweeps.start', { ...request, ...(where ? { where } : {}) }),
      (sweep) => {
        ref.current?.close();
        onStarted(sweep.id);
      },
    );
  };

  const fieldError = (key: string) =>
    errors[key] ? (
      <span className="field-error" role="alert" data-testid={`sweep-error-${key}`}>
        {errors[key]}
      </span>
    ) : null;

  /** A number typed as text: the form keeps it as typed and its check says what is wrong. */
  const textField = (key: 'trials' | 'minutes' | 'seed', label: string, hint?: string) => (
    <Field label={label} hint={hint}>
      <input
        aria-label={label}
        data-testid={`sweep-${key}`}
        inputMode={key === 'minutes' ? 'decimal' : 'numeric'}
        value={form[key]}
        placeholder={key === 'seed' ? undefined : 'no limit'}
        onChange={(e) => set(key, e.target.value)}
      />
      {fieldError(key)}
    </Field>
  );

  return (
    <FormDialog
      dialogRef={ref}
      className="train-dialog sweep-dialog"
      testId="sweep-dialog"
      title="Sweep hyperparameters"
      detail={detail}
      summary={
        <span data-testid="sweep-summary">
          {checked.request
            ? `${Object.keys(checked.request.space ?? {}).length} parameters · ${form.trials || 'no'} trial limit${form.minutes ? ` · ${form.minutes} min` : ''}`
            : 'Fix the marked fields to start.'}
        </span>
      }
      busy={starting}
      submitLabel="Start sweep"
      busyLabel="Starting…"
      submitTestId="sweep-start"
      submitDisabled={!checked.request}
      onSubmit={start}
      onClose={onClose}
    >
      <div className="train-basics">
        <Field label="Predict" hint={task}>
          <select
            aria-label="Target column"
            data-testid="sweep-target"
            value={form.target}
            onChange={(e) => setForm((f) => withTarget(f, columns, e.target.value))}
          >
            {columns.map((c) => (
              <option key={c.name} value={c.name} disabled={!canBeTarget(c)}>
                {c.name} ({c.type})
              </option>
            ))}
          </select>
          {fieldError('target')}
        </Field>
        <Field label="Model">
          <ChoiceSelect
            testId="sweep-model"
            value={form.model}
            choices={kindsFor(task)}
            label={(k) => KIND_LABEL[k]}
            onChange={(model) => setForm((f) => ({ ...f, model, space: rowsOf(model) }))}
          />
        </Field>
        <Field label="Strategy">
          <ChoiceSelect
            testId="sweep-strategy"
            value={form.strategy}
            choices={SweepStrategy.options}
            label={(s) => STRATEGY_LABEL[s]}
            onChange={(v) => set('strategy', v)}
          />
        </Field>
        <Field label="Choose by" hint="validation split">
          <ChoiceSelect
            testId="sweep-metric"
            value={form.metric}
            choices={metricsFor(task)}
            label={(m) => m}
            onChange={(v) => set('metric', v)}
          />
          {fieldError('metric')}
        </Field>
        {textField('trials', 'Trials', form.strategy === 'grid' ? 'empty: the whole grid' : undefined)}
        {textField('minutes', 'Minutes', 'no trial starts after')}
        <Field label="Stop poor trials early">
          <ChoiceSelect
            testId="sweep-stopping"
            value={form.stopping}
            choices={TrialStopping.options}
            label={(v) => STOPPING_LABEL[v]}
            onChange={(v) => set('stopping', v)}
          />
        </Field>
        {textField('seed', 'Seed')}
        <WhereField value={where} onChange={setWhere} testId="sweep-where" />
      </div>

      <fieldset className="sweep-space" data-testid="sweep-space">
        <legend>
          Search space <span className="muted">(pre-filled for {KIND_LABEL[form.model].toLowerCase()})</span>
        </legend>
        <table>
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Search</th>
              <th scope="col">Values</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(form.space).map(([param, row]) => (
              <SpaceRow
                key={param}
                param={param as SweepParameterName}
                row={row}
                onChange={(patch) => setRow(param, patch)}
                error={fieldError(param)}
              />
            ))}
          </tbody>
        </table>
        {fieldError('space')}
      </fieldset>
      {error && <ErrorPanel title="Could not start the sweep" error={error} />}
    </FormDialog>
  );
}

/** One parameter: how it is searched and its values, with the parser's word on it. */
function SpaceRow({
  param,
  row,
  onChange,
  error,
}: {
  param: SweepParameterName;
  row: ParamRow;
  onChange: (patch: Partial<ParamRow>) => void;
  error: ReactNode;
}) {
  const setting = SWEEP_PARAMETERS[param].setting;
  const input = (key: 'value' | 'values' | 'min' | 'max' | 'step', label: string, placeholder?: string) => (
    <input
      aria-label={`${param} ${label}`}
      data-testid={`space-${param}-${key}`}
      value={row[key]}
      placeholder={placeholder ?? label}
      onChange={(e) => onChange({ [key]: e.target.value })}
    />
  );
  return (
    <tr data-testid={`space-${param}`} data-mode={row.mode} className={error ? 'has-error' : undefined}>
      <th scope="row" title={setting.label}>
        {param}
      </th>
      <td>
        <select
          aria-label={`${param} search`}
          data-testid={`space-${param}-mode`}
          value={row.mode}
          onChange={(e) => onChange({ mode: e.target.value as SearchMode })}
        >
          {modesOf(param).map((m) => (
            <option key={m} value={m}>
              {MODE_LABEL[m]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <div className="sweep-space-values">
          {row.mode === 'off' && <span className="muted small">the run&apos;s default</span>}
          {row.mode === 'fixed' && input('value', 'value')}
          {row.mode === 'choice' &&
            input(
              'values',
              'values',
              setting.type === 'enum' ? setting.options.map((o) => o.value).join(', ') : 'comma-separated',
            )}
          {(row.mode === 'int' || row.mode === 'float' || row.mode === 'log') && (
            <>
              {input('min', 'min')}
              <span className="muted">to</span>
              {input('max', 'max')}
              {row.mode === 'log' ? input('step', 'count', 'grid count') : input('step', 'step', 'step (grid)')}
            </>
          )}
        </div>
        {error}
      </td>
    </tr>
  );
}
