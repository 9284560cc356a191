// Values a step's fields can offer beyond its kind's schema: a dataset step offers its dataset's
// versions, and the saved sources for its source, the ones feeding its dataset first (the source
// named there is refreshed into that dataset when the pipeline runs).
import type { Source } from '../../../../shared/api.js';
import type { StepData } from './flow-graph.js';

export function suggestionsFor(
  step: Pick<StepData, 'kind' | 'params'>,
  versionsOf: (name: string) => number[] | undefined,
  sources: readonly Pick<Source, 'name' | 'dataset'>[] | undefined,
): Record<string, string[]> | undefined {
  if (step.kind !== 'dataset') return undefined;
  const dataset = typeof step.params.dataset === 'string' ? step.params.dataset.trim() : '';
  const versions = dataset ? versionsOf(dataset) : undefined;
  const feeding = (s: Pick<Source, 'dataset'>) => (s.dataset.toLowerCase() === dataset.toLowerCase() ? 0 : 1);
  const names = [...(sources ?? [])].sort((a, b) => feeding(a) - feeding(b) || a.name.localeCompare(b.name));
  return {
    ...(versions ? { version: versions.map(String) } : {}),
    ...(names.length ? { source: names.map((s) => s.name) } : {}),
  };
}
