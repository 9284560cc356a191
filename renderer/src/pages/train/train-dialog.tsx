// "Train a model": a modal over the dataset view. The target, task and model are up front with
// defaults that train a good model in one click; features, the network, the optimiser, early
// stopping and the split sit in an advanced panel. Starting queues a run and shows it.
import { useMemo, useState } from 'react';
import type { ComputeTarget, DatasetDetail, TaskName } from '../../../../shared/api.js';
import { formatCount } from '../../lib/format.js';
import {
  BATCH_SIZE,
  DROPOUT,
  EPOCHS,
  LEARNING_RATE,
  MODEL_CHOICE,
  PATIENCE,
  SEED,
} from '../../../../shared/training-settings.js';
import { TrainDialogFrame, useTrainStart } from './dialog-frame.js';
import { Field, ModelNameField, NumberField, SettingField, SplitFields, type FormBinding } from './form-fields.js';
import { TreeFieldset } from './tree-fieldset.js';
import { WhereField } from './where-field.js';
import { canBeTarget, suggestTarget } from './target-suggestion.js';
import {
  defaultForm,
  dropHint,
  effectiveTask,
  featuresOf,
  inferTask,
  isNetwork,
  linearModelFor,
  modelForTask,
  monitorsFor,
  toRequest,
  validateForm,
  type TrainForm,
} from './train-form.js';

interface TrainDialogProps {
  detail: DatasetDetail;
  onClose: () => void;
  /** Called with the queued run's id once the engine has accepted it. */
  onStarted: (runId: string) => void;
}

const TASK_LABEL: Record<TaskName, string> = { classification: 'Classification', regression: 'Regression' };

export function TrainDialog({ detail, onClose, onStarted }: TrainDialogProps) {
  const { columns, version, dataset } = detail;
  const suggestion = useMemo(() => suggestTarget(columns, version.rows), [columns, version.rows]);
  const [form, setForm] = useState<TrainForm>(() => defaultForm(columns, dataset.name, version.rows));
  /** Where this run trains when it should not follow the setting. */
  const [where, setWhere] = useState<ComputeTarget | undefined>(undefined);
  const errors = useMemo(() => validateForm(form, columns), [form, columns]);
  const train = useTrainStart(errors, onStarted);
  const { fieldError } = train;

  const task = effectiveTask(form, columns);
  const target = columns.find((c) => c.name === form.target);
  const datetimes = columns.filter((c) => c.type === 'datetime' && c.name !== form.target);
  const features = featuresOf(form, columns);
  const set = <K extends keyof TrainForm>(key: K, value: TrainForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const onTarget = (name: string) =>
    setForm((f) => {
      const next = { ...f, target: name, excluded: f.excluded.filter((n) => n !== name), task: 'auto' as const };
      const t = effectiveTask(next, columns);
      const model = modelForTask(f.model, t);
      const monitor = monitorsFor(t).includes(f.monitor) ? f.monitor : 'val_loss';
      return { ...next, model, monitor };
    });

  const onTask = (value: TaskName | 'auto') =>
    setForm((f) => {
      const next = { ...f, task: value };
      const t = effectiveTask(next, columns);
      return {
        ...next,
        model: modelForTask(f.model, t),
        monitor: monitorsFor(t).includes(f.monitor) ? f.monitor : 'val_loss',
      };
    });

  const binding: FormBinding = { form, set, fieldError };

  return (
    <TrainDialogFrame
      train={train}
      testId="train-dialog"
      subtitle={
        <>
          on <strong>{dataset.name}</strong> version {version.version} · {formatCount(version.rows)} rows
        </>
      }
      summary={
        <>
          {task ? TASK_LABEL[task] : ''} of <strong>{form.target || '…'}</strong> from {features.length} feature
          {features.length === 1 ? '' : 's'}
          {target && inferTask(target) !== task && form.task !== 'auto' ? ' (task overridden)' : ''}
        </>
      }
      basicFields={['target', 'task', 'model']}
      onSubmit={() =>
        train.start(() => ({ ...toRequest(form, columns, dataset.id, version.version), ...(where ? { where } : {}) }))
      }
      onClose={onClose}
    >
      <div className="train-basics">
        <Field
          label="Predict"
          hint={target ? `${target.type}, ${formatCount(target.distinct)} distinct values` : undefined}
        >
          <select
            aria-label="Target column"
            data-testid="train-target"
            value={form.target}
            onChange={(e) => onTarget(e.target.value)}
          >
            {columns.map((c) => (
              <option key={c.name} value={c.name} disabled={!canBeTarget(c)}>
                {c.name} ({c.type})
              </option>
            ))}
          </select>
          {suggestion?.column === form.target && (
            <span className="field-note" data-testid="target-reason">
              Suggested: {suggestion.reason}
            </span>
          )}
          {fieldError('target')}
        </Field>
        <Field label="Task" hint={form.task === 'auto' && target ? `inferred from ${target.type}` : undefined}>
          <select
            aria-label="Task"
            data-testid="train-task"
            value={form.task}
            onChange={(e) => onTask(e.target.value as TaskName | 'auto')}
          >
            <option value="auto">{task ? `${TASK_LABEL[task]} (inferred)` : 'Inferred'}</option>
            <option value="classification">Classification</option>
            <option value="regression">Regression</option>
          </select>
          {fieldError('task')}
        </Field>
        <Field label="Model">
          <select
            aria-label="Model"
            data-testid="train-model"
            value={form.model}
            onChange={(e) => set('model', e.target.value as TrainForm['model'])}
          >
            {MODEL_CHOICE.options
              .filter((o) => o.value === modelForTask(o.value, task))
              .map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
          </select>
          {fieldError('model')}
        </Field>
        <ModelNameField value={form.modelName} onChange={(v) => set('modelName', v)} />
        <WhereField value={where} onChange={setWhere} testId="train-where" />
      </div>

      <details className="train-advanced" data-testid="train-advanced">
        <summary>
          {form.model === 'auto'
            ? 'Advanced: features, split'
            : form.model === 'gbdt'
              ? 'Advanced: features, trees, split'
              : 'Advanced: features, network, optimiser, early stopping, split'}
        </summary>
        <div className="advanced-grid">
          <fieldset className="feature-list">
            <legend>
              Features{' '}
              <span className="muted">
                ({features.length} of {columns.length - 1})
              </span>
            </legend>
            <div className="feature-actions">
              <button type="button" className="btn-link" onClick={() => set('excluded', [])}>
                All
              </button>
              <button
                type="button"
                className="btn-link"
                onClick={() =>
                  set(
                    'excluded',
                    columns.map((c) => c.name).filter((n) => n !== form.target),
                  )
                }
              >
                None
              </button>
            </div>
            <ul>
              {columns
                .filter((c) => c.name !== form.target)
                .map((c) => {
                  const hint = c.name === form.timeColumn ? 'orders the split' : dropHint(c, version.rows);
                  return (
                    <li key={c.name}>
                      <label>
                        <input
                          type="checkbox"
                          checked={!form.excluded.includes(c.name) && c.name !== form.timeColumn}
                          disabled={c.name === form.timeColumn}
                          onChange={(e) =>
                            set(
                              'excluded',
                              e.target.checked ? form.excluded.filter((n) => n !== c.name) : [...form.excluded, c.name],
                            )
                          }
                        />
                        <span className="feature-name">{c.name}</span>
                        <span className="tag">{c.type}</span>
                      </label>
                      {hint && (
                        <span className="feature-hint" title="Cairn leaves this column out and says why in the run">
                          will be dropped: {hint}
                        </span>
                      )}
                    </li>
                  );
                })}
            </ul>
            {fieldError('features')}
          </fieldset>

          <div className="advanced-fields">
            {form.model === 'mlp' && (
              <fieldset>
                <legend>Network</legend>
                <Field label="Hidden layers (units)">
                  <input
                    aria-label="Hidden layers"
                    value={form.hiddenLayers}
                    onChange={(e) => set('hiddenLayers', e.target.value)}
                    placeholder="64, 32"
                  />
                  {fieldError('hiddenLayers')}
                </Field>
                <Field label="Activation">
                  <select
                    value={form.activation}
                    onChange={(e) => set('activation', e.target.value as TrainForm['activation'])}
                  >
                    {(['relu', 'tanh', 'elu', 'selu', 'sigmoid'] as const).map((a) => (
                      <option key={a}>{a}</option>
                    ))}
                  </select>
                </Field>
                <SettingField binding={binding} name="dropout" setting={DROPOUT} />
              </fieldset>
            )}
            {form.model === 'gbdt' && <TreeFieldset {...binding} task={task} />}
            <fieldset>
              <legend>Training</legend>
              {form.model === 'auto' && (
                <p className="muted" data-testid="train-auto-note">
                  Automatic trains {linearModelFor(task) === 'linear_regression' ? 'linear' : 'logistic'} regression,
                  gradient-boosted trees and a neural network with short budgets, compares them on the validation split
                  and keeps the best (a simpler one within a small margin). Pick a model to set its own settings.
                </p>
              )}
              {isNetwork(form.model) && (
                <>
                  <SettingField binding={binding} name="epochs" setting={EPOCHS} testId="train-epochs" />
                  <SettingField binding={binding} name="batchSize" setting={BATCH_SIZE} />
                </>
              )}
              {form.model !== 'auto' && (
                <SettingField binding={binding} name="learningRate" setting={LEARNING_RATE} optional />
              )}
              {isNetwork(form.model) && (
                <Field label="Optimiser">
                  <select
                    value={form.optimizer}
                    onChange={(e) => set('optimizer', e.target.value as TrainForm['optimizer'])}
                  >
                    <option value="adam">Adam</option>
                    <option value="sgd">SGD</option>
                    <option value="rmsprop">RMSprop</option>
                  </select>
                </Field>
              )}
              {form.model !== 'auto' && (
                <NumberField
                  label="L2 penalty"
                  value={form.l2}
                  step={0.0001}
                  optional
                  onChange={(v) => set('l2', v)}
                  error={fieldError('l2')}
                />
              )}
              {task === 'classification' && (
                <Field label="Class weights" hint="balanced weighs rare classes up">
                  <select
                    value={form.classWeight}
                    onChange={(e) => set('classWeight', e.target.value as TrainForm['classWeight'])}
                  >
                    <option value="none">none</option>
                    <option value="balanced">balanced</option>
                  </select>
                </Field>
              )}
            </fieldset>
            {isNetwork(form.model) && (
              <fieldset>
                <legend>
                  <label>
                    <input
                      type="checkbox"
                      checked={form.earlyStopping}
                      onChange={(e) => set('earlyStopping', e.target.checked)}
                    />{' '}
                    Early stopping
                  </label>
                </legend>
                {form.earlyStopping && (
                  <>
                    <Field label="Watch">
                      <select
                        value={form.monitor}
                        onChange={(e) => set('monitor', e.target.value as TrainForm['monitor'])}
                      >
                        {monitorsFor(task).map((m) => (
                          <option key={m} value={m}>
                            {m}
                          </option>
                        ))}
                      </select>
                      {fieldError('monitor')}
                    </Field>
                    <SettingField binding={binding} name="patience" setting={PATIENCE} />
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={form.restoreBestWeights}
                        onChange={(e) => set('restoreBestWeights', e.target.checked)}
                      />{' '}
                      Restore the best epoch&apos;s weights
                    </label>
                  </>
                )}
              </fieldset>
            )}
            <fieldset>
              <legend>Split</legend>
              <SplitFields split={form.split} onChange={(v) => set('split', v)} />
              {fieldError('split')}
              <Field
                label="Order"
                hint={
                  form.timeColumn
                    ? 'oldest rows train, newest test'
                    : task === 'classification'
                      ? 'stratified by class'
                      : undefined
                }
              >
                <select
                  value={form.timeColumn}
                  onChange={(e) => set('timeColumn', e.target.value)}
                  disabled={datetimes.length === 0}
                >
                  <option value="">Random</option>
                  {datetimes.map((c) => (
                    <option key={c.name} value={c.name}>
                      In time, by {c.name}
                    </option>
                  ))}
                </select>
              </Field>
              <SettingField binding={binding} name="seed" setting={SEED} />
            </fieldset>
          </div>
        </div>
      </details>
    </TrainDialogFrame>
  );
}
