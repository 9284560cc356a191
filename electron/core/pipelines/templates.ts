// Starting points: a sensible default chain for a table and a target,
// dataset -> split -> impute -> train -> evaluate (gates) -> register. The split comes first so the
// fill values are learned from the train rows alone.
import path from 'node:path';
import type { PipelineTemplateInfo, PipelineTemplateName } from '../../../shared/api.js';
import {
  PIPELINE_FORMAT,
  validatePipeline,
  type PipelineEdge,
  type PipelineNode,
  type PipelineSpec,
} from '../../../shared/pipeline.js';
import { invalidPipeline } from './issues.js';
import { TEMPLATES } from './template-list.js';

/** Steps go in rows of three, read like lines of text: a six-step chain in one row would only fit a canvas at a zoom too small to read. */
const PER_ROW = 3;
const STEP_X = 230;
const STEP_Y = 200;

/** A name for a pipeline of a dataset and template, e.g. iris-classification. */
function defaultName(dataset: string, template: PipelineTemplateName): string {
  const base = path.basename(dataset.trim()).replace(/\.[^.]+$/, '') || 'dataset';
  return `${base}-${template.replace(/^tabular-/, '')}`;
}

/** A new pipeline from a template for a dataset (name or file path) and target column; invalid_argument naming node and field for bad settings (a gate). */
export function fromTemplate(req: {
  template: PipelineTemplateName;
  dataset: string;
  target: string;
  gates?: string[];
  name?: string;
}): PipelineSpec {
  const info = TEMPLATES.find((t) => t.id === req.template) as PipelineTemplateInfo;
  const classification = info.task === 'classification';
  const at = (i: number) => ({ x: (i % PER_ROW) * STEP_X, y: Math.floor(i / PER_ROW) * STEP_Y });
  const nodes: PipelineNode[] = [
    { id: 'source', kind: 'dataset', params: { dataset: req.dataset }, position: at(0) },
    {
      id: 'split',
      kind: 'split',
      params: classification
        ? { method: 'stratified', stratify: req.target, train: 0.7, validation: 0.15, test: 0.15, seed: 42 }
        : { method: 'random', train: 0.7, validation: 0.15, test: 0.15, seed: 42 },
      position: at(1),
    },
    {
      id: 'impute',
      kind: 'impute',
      params: { numeric: 'median', other: 'mode', exclude: [req.target], rules: [] },
      position: at(2),
    },
    {
      id: 'train',
      kind: 'train',
      params: { target: req.target, task: info.task, model: 'mlp', epochs: 50, seed: 42 },
      position: at(3),
    },
    {
      id: 'evaluate',
      kind: 'evaluate',
      params: { gates: req.gates ?? [info.defaultGate] },
      position: at(4),
    },
    { id: 'register', kind: 'register', params: { alias: 'production' }, position: at(5) },
  ];
  const edge = (source: string, sourcePort: string, target: string, targetPort: string): PipelineEdge => ({
    id: `${source}.${sourcePort}->${target}.${targetPort}`,
    source,
    sourcePort,
    target,
    targetPort,
  });
  const spec: PipelineSpec = {
    cairn: PIPELINE_FORMAT,
    name: req.name ?? defaultName(req.dataset, req.template),
    description: info.description,
    nodes,
    edges: [
      edge('source', 'data', 'split', 'data'),
      edge('split', 'data', 'impute', 'data'),
      edge('impute', 'data', 'train', 'data'),
      edge('train', 'model', 'evaluate', 'model'),
      edge('impute', 'data', 'evaluate', 'data'),
      edge('evaluate', 'model', 'register', 'model'),
    ],
  };
  const checked = validatePipeline(spec);
  if (!checked.ok) throw invalidPipeline(checked.issues, 'the template with these settings');
  return spec;
}
