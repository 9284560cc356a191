// "Train a model" on an image dataset: a convolutional network on the pictures' labels. Its size,
// input size and augmentation are up front; epochs, batch size, learning rate, split and seed sit
// in an advanced panel. Starting queues a run and shows it (its curves come as for tables).
import { useMemo, useState } from 'react';
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
import { formatCount } from '../../lib/format.js';
import { TrainDialogFrame, useTrainStart } from './dialog-frame.js';
import { ChoiceField, Field, ModelNameField, NumberField, SplitFields } from './form-fields.js';
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
  const { version, dataset } = detail;
  const [form, setForm] = useState<ImageTrainForm>(() => defaultImageForm(dataset.name));
  const errors = useMemo(() => validateImageForm(form), [form]);
  const train = useTrainStart(errors, onStarted);
  const { fieldError } = train;
  const set = <K extends keyof ImageTrainForm>(key: K, value: ImageTrainForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const automaticSize = defaultImageSize({ width: profile.width.max, height: profile.height.max });
  const side = form.imageSize ?? automaticSize;
  const classes = profile.classes.length;

  return (
    <TrainDialogFrame
      train={train}
      testId="image-train-dialog"
      subtitle={
        <>
          on <strong>{dataset.name}</strong> version {version.version} · {formatCount(profile.images)} pictures in{' '}
          {formatCount(classes)} classes
        </>
      }
      summary={
        <>
          Classification of <strong>{formatCount(classes)} labels</strong> from {side}×{side} px pictures, split by
          label
        </>
      }
      basicFields={['imageSize']}
      onSubmit={() => train.start(() => toImageRequest(form, dataset.id, version.version))}
      onClose={onClose}
    >
      <div className="train-basics image-train-basics">
        <Field label="Model" hint="from scratch">
          <select aria-label="Model" data-testid="train-model" value="cnn" disabled>
            <option value="cnn">CNN</option>
          </select>
        </Field>
        <ChoiceField
          setting={CNN_PRESET}
          value={form.preset}
          onChange={(v) => set('preset', v)}
          testId="train-preset"
        />
        <NumberField
          label={`${IMAGE_SIZE.label} · auto ${automaticSize}`}
          value={form.imageSize}
          step={1}
          optional
          testId="train-image-size"
          onChange={(v) => set('imageSize', v)}
          error={fieldError('imageSize')}
        />
        <ChoiceField
          setting={AUGMENT}
          value={form.augment}
          onChange={(v) => set('augment', v)}
          hint={AUGMENT_HINT[form.augment]}
          testId="train-augment"
        />
        <ModelNameField value={form.modelName} onChange={(v) => set('modelName', v)} />
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
            <SplitFields split={form.split} onChange={(v) => set('split', v)} />
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
    </TrainDialogFrame>
  );
}
