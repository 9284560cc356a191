// The dataset kind: a pipeline's source (electron/core/pipelines/kinds/dataset.ts runs it).
import { tableOut, type NodeKindSpec } from './common.js';

export const datasetKind: NodeKindSpec = {
  label: 'Dataset',
  category: 'data',
  description:
    'Reads a dataset of the data folder (a version of it, or the latest), or a CSV / Parquet file, which is imported as a dataset.',
  inputs: [],
  outputs: [tableOut],
  params: [
    {
      name: 'dataset',
      label: 'Dataset or file',
      type: 'dataset',
      required: true,
      description: 'A dataset name, or a path to a CSV or Parquet file (relative to the pipeline file).',
    },
    {
      name: 'version',
      label: 'Version',
      type: 'integer',
      min: 1,
      description: 'The dataset version to read; the latest when empty. Not used for files.',
    },
  ],
};

export interface DatasetParams {
  dataset: string;
  version: number | undefined;
}
