// "Train a model" on an image dataset: a convolutional network on the pictures' labels. Its size,
// input size and augmentation are up front; epochs, batch size, learning rate, split and seed sit
// in an advanced panel. Starting queues a run and shows it (its curves come as for tables).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DatasetDetail, ImageProfile } from '../../../../shared/api.js';
import {
  AUGMENT,
  BATCH_SIZE,
  CNN_PRESET,
  defaultImageSize,
  EPOCHS,
  IMAGE_SIZE,
  LEARNING_RATE,
  SEED,
} from '../../../../shared/training-settings.js';
import { useApp } from '../../app-context.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { formatCount } from '../../lib/format.js';
import { Field, NumberField } from './form-fields.js';
import { defaultImageForm, toImageRequest, validateImageForm, type ImageTrainForm } from './image-train-form.js';

interface ImageTrainDialogProps {
  detail: DatasetDetail;
  profile: ImageProfile;
  onClose: () => void;
  /** Called with the queued run's id once the engine has accepted it. */
  onStarted: (runId: string) => void;
}

/** What augmentation does at each level, as image-augment.ts does it. */
const AUGMENT_HINT: Record<ImageTrainForm['augment'], string> = {
  none: 'pictures as they are',
  light: 'shifts, crops, ±10% light',
  strong: 'also turns, mirroring, ±25% light',
};

export function ImageTrainDialog({ detail, profile, onClose, onStarted }: ImageTrainDialogProps) {
  const { client } = useApp();
  const { version, dataset } = detail;
  const ref = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState<ImageTrainForm>(() => defaultImageForm(dataset.name));
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [tried, setTried] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
  }, []);

  const errors = useMemo(() => validateImageForm(form), [form]);
  const valid = Object.keys(errors).length === 0;
  const set = <K extends keyof ImageTrainForm>(key: K, value: ImageTrainForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const automaticSize = defaultImageSize({ width: profile.width.max, height: profile.height.max });
  const classes = profile.classes.length;

  const start = () => {
    setTried(true);
    if (!valid || starting) return;
    setStarting(true);
    setError(undefined);
    client.call('runs.start', toImageRequest(form, dataset.id, version.version)).then(
      ({ runId }) => {
        ref.current?.close();
        onStarted(runId);
      },
      (err: unknown) => {
        setError(toApiError(err));
        setStarting(false);
      },
    );
  };

  const fieldError = (key: string) =>
    tried && errors[key] ? (
      <span className="field-error" role="alert" data-testid={`error-${key}`}>
        {errors[key]}
      </span>
    ) : null;

  return (
    <dialog
      ref={ref}
      className="train-dialog"
      aria-labelledby="train-title"
      data-testid="image-train-dialog"
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
          <h1 id="train-title">Train a model</h1>
          <span className="muted">
            on <strong>{dataset.name}</strong> version {version.version} · {formatCount(profile.images)} pictures in{' '}
            {formatCount(classes)} classes
          </span>
        </header>

        <div className="train-body">
          <div className="train-basics image-train-basics">
            <Field label="Model" hint="from scratch">
              <select aria-label="Model" data-testid="train-model" value="cnn" disabled>
                <option value="cnn">CNN</option>
              </select>
            </Field>
            <Field label={CNN_PRESET.label}>
              <select
                aria-label={CNN_PRESET.label}
                data-testid="train-preset"
                value={form.preset}
                onChange={(e) => set('preset', e.target.value as ImageTrainForm['preset'])}
              >
                {CNN_PRESET.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
            <NumberField
              label={`${IMAGE_SIZE.label} · auto ${automaticSize}`}
              value={form.imageSize}
              step={1}
              optional
              testId="train-image-size"
              onChange={(v) => set('imageSize', v)}
              error={fieldError('imageSize')}
            />
            <Field label={AUGMENT.label} hint={AUGMENT_HINT[form.augment]}>
              <select
                aria-label={AUGMENT.label}
                data-testid="train-augment"
                value={form.augment}
                onChange={(e) => set('augment', e.target.value as ImageTrainForm['augment'])}
              >
                {AUGMENT.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Save as model">
              <input
                aria-label="Model name"
                data-testid="train-model-name"
                value={form.modelName}
                maxLength={200}
                onChange={(e) => set('modelName', e.target.value)}
              />
            </Field>
          </div>

          <details className="train-advanced" data-testid="train-advanced">
            <summary>Advanced: training, split</summary>
            <div className="advanced-fields image-advanced">
              <fieldset>
                <legend>Training</legend>
                <NumberField
                  label={EPOCHS.label}
                  value={form.epochs}
                  step={1}
                  testId="train-epochs"
                  onChange={(v) => set('epochs', v)}
                  error={fieldError('epochs')}
                />
                <NumberField
                  label={BATCH_SIZE.label}
                  value={form.batchSize}
                  step={1}
                  onChange={(v) => set('batchSize', v)}
                  error={fieldError('batchSize')}
                />
                <NumberField
                  label={LEARNING_RATE.label}
                  value={form.learningRate}
                  step={LEARNING_RATE.step}
                  optional
                  onChange={(v) => set('learningRate', v)}
                  error={fieldError('learningRate')}
                />
              </fieldset>
              <fieldset>
                <legend>Split</legend>
                <div className="split-row">
                  {(['train', 'validation', 'test'] as const).map((k) => (
                    <NumberField
                      key={k}
                      label={`${k} %`}
                      value={form.split[k]}
                      step={1}
                      onChange={(v) => set('split', { ...form.split, [k]: v })}
                    />
                  ))}
                </div>
                {fieldError('split')}
                <NumberField
                  label={SEED.label}
                  value={form.seed}
                  step={1}
                  onChange={(v) => set('seed', v)}
                  error={fieldError('seed')}
                />
              </fieldset>
            </div>
          </details>
          {error && <ErrorPanel title="Could not start training" error={error} />}
          {tried && !valid && (
            <p className="field-error" role="alert">
              Fix the marked fields
              {Object.keys(errors).some((k) => k !== 'imageSize') ? ' (some are under Advanced)' : ''}.
            </p>
          )}
        </div>

        <footer className="train-foot">
          <span className="muted small">
            Classification of <strong>{formatCount(classes)} labels</strong> from {form.imageSize ?? automaticSize}×
            {form.imageSize ?? automaticSize} px pictures, split by label
          </span>
          <button type="button" className="btn" onClick={() => ref.current?.close()} disabled={starting}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="train-start" disabled={starting}>
            {starting ? 'Starting…' : 'Train'}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
