// Which model kinds read which data: the CNN reads pictures and only it does; a picture dataset's
// target is its label, split by label, with no columns. One rule for the run queue (runs.start)
// and pipeline validation (a train step on a dataset), so both refuse with the same words.
import { IMAGE_LABEL_COLUMN } from './api/images.js';
import type { MethodArg } from './api.js';
import { MODEL_KIND } from './training-settings.js';

/** What of a run request the rule reads. */
export type DataKindRequest = Pick<MethodArg<'runs.start'>, 'model' | 'target'> & Partial<MethodArg<'runs.start'>>;

/** Why a request does not fit its data, and the request field to blame. */
export interface DataKindProblem {
  message: string;
  field: string;
  details?: Record<string, unknown>;
}

const PICTURE_SETTINGS = ['preset', 'imageSize', 'augment'] as const;
const TABLE_SETTINGS = [
  'features',
  'timeColumn',
  'splitColumn',
  'hiddenLayers',
  'l2',
  'trees',
  'maxLeaves',
  'maxDepth',
] as const;

/** Why the model kind and settings of `req` cannot train on `dataset` (pictures or a table); undefined when they can. */
export function dataKindProblem(req: DataKindRequest, dataset: string, pictures: boolean): DataKindProblem | undefined {
  const label = MODEL_KIND.options.find((o) => o.value === req.model)?.label ?? req.model;
  if (!pictures) {
    if (req.model === 'cnn')
      return {
        field: 'model',
        message: `A convolutional network trains on pictures, and ${dataset} is a table: pick another model for it.`,
      };
    const pictureSettings = PICTURE_SETTINGS.filter((k) => req[k] !== undefined);
    if (pictureSettings.length > 0)
      return {
        field: pictureSettings[0] as string,
        message: `${pictureSettings.join(', ')} apply to pictures only, and ${dataset} is a table.`,
        details: { settings: pictureSettings },
      };
    return undefined;
  }
  if (req.model !== 'cnn')
    return {
      field: 'model',
      message: `${dataset} holds pictures: train a convolutional network on it (model cnn); ${label} reads tables.`,
      details: { model: req.model },
    };
  if (req.target !== IMAGE_LABEL_COLUMN)
    return {
      field: 'target',
      message: `A picture dataset's target is each picture's ${IMAGE_LABEL_COLUMN}, not "${req.target}".`,
      details: { target: req.target },
    };
  const tableSettings = TABLE_SETTINGS.filter((k) => req[k] !== undefined);
  if (tableSettings.length > 0)
    return {
      field: tableSettings[0] as string,
      message: `${tableSettings.join(', ')} apply to tables only, and ${dataset} holds pictures.`,
      details: { settings: tableSettings },
    };
  if (req.task === 'regression')
    return { field: 'task', message: `A picture model predicts its label: a regression task does not apply.` };
  return undefined;
}
