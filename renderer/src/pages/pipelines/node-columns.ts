// Which columns a node's input table has, for the column pickers: the upstream step's output from
// the last run where there is one (exact), else the source dataset's columns carried through the
// steps whose effect on columns is known without running them (select / drop / rename). Other
// steps pass the list on unchanged: it is a suggestion list, and a column field stays free text.
import { SPLIT_COLUMN, type PipelineSpec, type StepOutput } from '../../../../shared/pipeline.js';

export type DatasetColumns = (dataset: string, version: number | undefined) => readonly string[] | undefined;

/** The columns of the table flowing into a node's data input, if they can be known. */
export function inputColumns(
  spec: Pick<PipelineSpec, 'nodes' | 'edges'>,
  nodeId: string,
  outputs: ReadonlyMap<string, StepOutput | null | undefined>,
  datasetColumns: DatasetColumns,
): string[] | undefined {
  const seen = new Set<string>();
  const into = (id: string): string[] | undefined => {
    if (seen.has(id)) return undefined;
    seen.add(id);
    const edge = spec.edges.find((e) => e.target === id && e.targetPort === 'data');
    return edge ? outputColumns(edge.source) : undefined;
  };
  const outputColumns = (id: string): string[] | undefined => {
    const table = outputs.get(id)?.table;
    if (table) return table.columns.map((c) => c.name).filter((c) => c !== SPLIT_COLUMN);
    const node = spec.nodes.find((n) => n.id === id);
    if (!node) return undefined;
    if (node.kind === 'dataset') {
      const name = typeof node.params.dataset === 'string' ? node.params.dataset.trim() : '';
      const version = typeof node.params.version === 'number' ? node.params.version : undefined;
      const cols = name ? datasetColumns(name, version) : undefined;
      return cols ? [...cols] : undefined;
    }
    const upstream = into(id);
    return upstream && node.kind === 'columns' ? applyColumnsStep(upstream, node.params) : upstream;
  };
  return into(nodeId);
}

/** What a select / drop / rename step does to a column list. */
export function applyColumnsStep(columns: readonly string[], params: Record<string, unknown>): string[] {
  const listed = Array.isArray(params.columns) ? params.columns.filter((c): c is string => typeof c === 'string') : [];
  const mode = params.mode === 'select' ? 'select' : 'drop';
  const kept =
    mode === 'select' ? listed.filter((c) => columns.includes(c)) : columns.filter((c) => !listed.includes(c));
  const renames = new Map<string, string>();
  if (Array.isArray(params.rename)) {
    for (const r of params.rename as { from?: unknown; to?: unknown }[]) {
      if (typeof r.from === 'string' && typeof r.to === 'string' && r.to) renames.set(r.from, r.to);
    }
  }
  return kept.map((c) => renames.get(c) ?? c);
}
