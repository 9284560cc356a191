// "Sweep…": a modal over a table dataset (or a run, pre-filled from it). The target, model kind,
// strategy, budget, early stopping, metric and seed up front; the search space below as one row
// per parameter of the kind, pre-filled from its default space and checked by the shared parser as
// it is edited, so each problem shows beside its parameter before anything runs. Starting opens
// the sweep's page.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DatasetDetail, ModelKindName } from '../../../../shared/api.js';
import { SWEEP_PARAMETERS, type SweepParameterName } from '../../../../shared/sweep/parameters.js';
import { MODEL_KIND } from '../../../../shared/training-settings.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { formatCount } from '../../lib/format.js';
import { Field } from '../train/form-fields.js';
import { canBeTarget, suggestTarget } from '../train/target-suggestion.js';
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
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);

  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
  }, []);

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
    setStarting(true);
    setError(undefined);
    client.call('sweeps.start', request).then(
      (sweep) => {
        ref.current?.close();
        onStarted(sweep.id);
      },
      (err: unknown) => {
        setError(toApiError(err));
        setStarting(false);
      },
    );
  };

  const fieldError = (key: string) =>
    errors[key] ? (
      <span className="field-error" role="alert" data-testid={`sweep-error-${key}`}>
        {errors[key]}
      </span>
    ) : null;

  return (
    <dialog
      ref={ref}
      className="train-dialog sweep-dialog"
      aria-labelledby="sweep-title"
      data-testid="sweep-dialog"
      onClose={onClose}
      onCancel={(e) => {
        if (starting) e.preventDefault();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <header className="train-head">
          <h1 id="sweep-title">Sweep hyperparameters</h1>
          <span className="muted">
            on <strong>{dataset.name}</strong> version {version.version} · {formatCount(version.rows)} rows
          </span>
        </header>
        <div className="train-body">
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
              <select
                aria-label="Model"
                data-testid="sweep-model"
                value={form.model}
                onChange={(e) => {
                  const model = e.target.value as ModelKindName;
                  setForm((f) => ({ ...f, model, space: rowsOf(model) }));
                }}
              >
                {kindsFor(task).map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Strategy">
              <select
                aria-label="Strategy"
                data-testid="sweep-strategy"
                value={form.strategy}
                onChange={(e) => set('strategy', e.target.value as SweepForm['strategy'])}
              >
                <option value="tpe">TPE (learns from trials)</option>
                <option value="random">Random</option>
                <option value="grid">Grid</option>
              </select>
            </Field>
            <Field label="Choose by" hint="validation split">
              <select
                aria-label="Metric"
                data-testid="sweep-metric"
                value={form.metric}
                onChange={(e) => set('metric', e.target.value as SweepForm['metric'])}
              >
                {metricsFor(task).map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
              {fieldError('metric')}
            </Field>
            <Field label="Trials" hint={form.strategy === 'grid' ? 'empty: the whole grid' : undefined}>
              <input
                aria-label="Trials"
                data-testid="sweep-trials"
                inputMode="numeric"
                value={form.trials}
                placeholder="no limit"
                onChange={(e) => set('trials', e.target.value)}
              />
              {fieldError('trials')}
            </Field>
            <Field label="Minutes" hint="no trial starts after">
              <input
                aria-label="Minutes"
                data-testid="sweep-minutes"
                inputMode="decimal"
                value={form.minutes}
                placeholder="no limit"
                onChange={(e) => set('minutes', e.target.value)}
              />
              {fieldError('minutes')}
            </Field>
            <Field label="Stop poor trials early">
              <select
                aria-label="Early stopping"
                data-testid="sweep-stopping"
                value={form.stopping}
                onChange={(e) => set('stopping', e.target.value as SweepForm['stopping'])}
              >
                <option value="none">Never</option>
                <option value="median">Median rule</option>
                <option value="asha">ASHA</option>
              </select>
            </Field>
            <Field label="Seed">
              <input
                aria-label="Seed"
                data-testid="sweep-seed"
                inputMode="numeric"
                value={form.seed}
                onChange={(e) => set('seed', e.target.value)}
              />
              {fieldError('seed')}
            </Field>
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
        </div>
        <footer className="train-foot">
          <span className="muted small" data-testid="sweep-summary">
            {checked.request
              ? `${Object.keys(checked.request.space ?? {}).length} parameters · ${form.trials || 'no'} trial limit${form.minutes ? ` · ${form.minutes} min` : ''}`
              : 'Fix the marked fields to start.'}
          </span>
          <button type="button" className="btn" onClick={() => ref.current?.close()} disabled={starting}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="sweep-start"
            disabled={starting || !checked.request}
          >
            {starting ? 'Starting…' : 'Start sweep'}
          </button>
        </footer>
      </form>
    </dialog>
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
