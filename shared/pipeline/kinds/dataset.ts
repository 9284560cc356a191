// The dataset kind: a pipeline's source (electron/core/pipelines/kinds/dataset.ts runs it).
import { tableOut, type NodeKindSpec } from './common.js';

export const datasetKind: NodeKindSpec = {
  label: 'Dataset',
  category: 'data',
  description:
    'Reads a dataset of the data folder (a version of it, or the latest), or a CSV / Parquet file, which is imported as a dataset. With a source, the source that feeds the dataset is refreshed first.',
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
    {
      name: 'source',
      label: 'Source',
      type: 'string',
      maxLength: 200,
      description:
        'A saved source (Datasets, Add source; `cairn sources add`) that feeds this dataset: refreshed when the pipeline runs, a new version only when its data changed.',
    },
    {
      name: 'refresh',
      label: 'Refresh the source',
      type: 'enum',
      options: [
        { value: 'run', label: 'When the pipeline runs' },
        { value: 'latest', label: 'No: use the latest version' },
      ],
      description: 'With a source: refresh it when the pipeline runs (the default), or use the version it last made.',
    },
  ],
};

export interface DatasetParams {
  dataset: string;
  version: number | undefined;
  /** A source feeding the dataset. */
  source?: string | undefined;
  /** Absent: 'run' (refresh the source when the pipeline runs). */
  refresh?: 'run' | 'latest' | undefined;
}
