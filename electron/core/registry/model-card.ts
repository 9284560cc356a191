// A version's card as people read it: the saved card.json plus the input schema its
// preprocessing expects, the output it gives and a short profile of the data it was trained on.
import type { ColumnProfile, InputField, OutputSignature, TrainingDataSummary } from '../../../shared/api.js';
import type { ModelCard } from '../training/artifact-format.js';
import type { PreprocessManifest } from '../training/manifest.js';

/** Each input column with its kind (and categories), in the order preprocessing reads them. */
export function inputSchema(preprocess: PreprocessManifest): InputField[] {
  return preprocess.features.map((step): InputField => {
    switch (step.kind) {
      case 'numeric':
        return { name: step.column, kind: step.type };
      case 'boolean':
        return { name: step.column, kind: 'boolean' };
      case 'one-hot':
      case 'index':
        return { name: step.column, kind: 'categorical', categories: step.categories };
    }
  });
}

/** What the model gives back per row. */
export function outputSignature(card: ModelCard): OutputSignature {
  return card.task === 'classification'
    ? { task: 'classification', target: card.target, classes: card.classes ?? [] }
    : { task: 'regression', target: card.target };
}

/** How many of a column's most common values the summary keeps. */
const TOP_VALUES = 5;

/**
 * A dataset version's profile cut to what a card shows: no histograms or quantiles. `dataset` names
 * where the rows came from (see TrainingDataSummary for a pipeline's table).
 */
export function trainingDataSummary(
  dataset: { name: string; version: number; hash: string },
  table: { rows: number; pipeline?: string },
  profile: ColumnProfile[],
): TrainingDataSummary {
  return {
    dataset: { name: dataset.name, version: dataset.version, hash: dataset.hash },
    ...(table.pipeline !== undefined ? { pipeline: table.pipeline } : {}),
    rows: table.rows,
    columns: profile.map((c) => ({
      name: c.name,
      type: c.type,
      missing: c.missing,
      distinct: c.distinct,
      ...(c.min !== undefined ? { min: c.min } : {}),
      ...(c.max !== undefined ? { max: c.max } : {}),
      ...(c.mean !== undefined ? { mean: c.mean } : {}),
      ...(c.std !== undefined ? { std: c.std } : {}),
      ...(c.topValues ? { topValues: c.topValues.slice(0, TOP_VALUES) } : {}),
    })),
  };
}
