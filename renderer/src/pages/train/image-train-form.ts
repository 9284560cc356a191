// The Train dialog of an image dataset: its state and the pure rules behind it (defaults, checks
// against the shared settings' bounds, the runs.start request). A picture dataset trains one kind
// of model, the CNN, on its labels; kept apart from the component so each rule is unit-tested.
import { IMAGE_LABEL_COLUMN, type RunRequest } from '../../../../shared/api.js';
import { checkNumber } from '../../../../shared/setting-schemas.js';
import {
  AUGMENT,
  BATCH_SIZE,
  CNN_PRESET,
  EPOCHS,
  IMAGE_SIZE,
  LEARNING_RATE,
  SEED,
  type ChoiceValue,
} from '../../../../shared/training-settings.js';
import { splitFractions, splitProblem, type TrainForm } from './train-form.js';

export interface ImageTrainForm {
  preset: ChoiceValue<typeof CNN_PRESET>;
  /** Undefined: chosen from the pictures (defaultImageSize). */
  imageSize: number | undefined;
  augment: ChoiceValue<typeof AUGMENT>;
  epochs: number;
  batchSize: number;
  /** Undefined: the engine's default for a CNN. */
  learningRate: number | undefined;
  seed: number;
  /** Percentages, as the table dialog's. */
  split: TrainForm['split'];
  modelName: string;
}

export function defaultImageForm(datasetName: string): ImageTrainForm {
  return {
    preset: CNN_PRESET.default,
    imageSize: undefined,
    augment: AUGMENT.default,
    epochs: EPOCHS.default,
    batchSize: BATCH_SIZE.default,
    learningRate: undefined,
    seed: SEED.default,
    split: { train: 70, validation: 15, test: 15 },
    modelName: datasetName,
  };
}

/** Problems that keep the form from being sent, by field; empty when it can be. */
export function validateImageForm(form: ImageTrainForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const check = (field: keyof ImageTrainForm, problem: string | undefined, automatic = false) => {
    if (problem) errors[field] = automatic ? problem.replace(/\.$/, ', or empty for automatic.') : problem;
  };
  if (form.imageSize !== undefined) check('imageSize', checkNumber(IMAGE_SIZE, form.imageSize), true);
  check('epochs', checkNumber(EPOCHS, form.epochs));
  check('batchSize', checkNumber(BATCH_SIZE, form.batchSize));
  if (form.learningRate !== undefined) check('learningRate', checkNumber(LEARNING_RATE, form.learningRate), true);
  check('seed', checkNumber(SEED, form.seed));
  check('split', splitProblem(form.split));
  return errors;
}

/** The runs.start request a valid form stands for: the CNN, predicting each picture's label. */
export function toImageRequest(form: ImageTrainForm, dataset: string, version: number): RunRequest {
  return {
    dataset,
    version,
    target: IMAGE_LABEL_COLUMN,
    model: 'cnn',
    preset: form.preset,
    ...(form.imageSize === undefined ? {} : { imageSize: form.imageSize }),
    augment: form.augment,
    epochs: form.epochs,
    batchSize: form.batchSize,
    ...(form.learningRate === undefined ? {} : { learningRate: form.learningRate }),
    seed: form.seed,
    split: splitFractions(form.split),
    ...(form.modelName.trim() ? { modelName: form.modelName.trim() } : {}),
  };
}
