// The evaluate kind: scores the model on the test part and holds it to its gates
// (electron/core/pipelines/kinds/evaluate.ts runs it; shared/pipeline/gates.ts parses the gates).
import { modelIn, modelOut, splitOrPicturesIn, type NodeKindSpec } from './common.js';

export const evaluateKind: NodeKindSpec = {
  label: 'Evaluate',
  category: 'model',
  description:
    'Scores the model on the test part (a picture model: on the test pictures of its run); each gate that is not met fails the pipeline. The model passes on only when every gate is met.',
  inputs: [modelIn, splitOrPicturesIn],
  outputs: [modelOut, { name: 'metrics', label: 'Metrics', type: 'metrics' }],
  params: [
    {
      name: 'gates',
      label: 'Gates',
      type: 'string-list',
      default: [],
      placeholder: 'accuracy >= 0.9',
      description: 'Conditions such as accuracy >= 0.9 or rmse < 3.',
    },
  ],
};

export interface EvaluateParams {
  gates: string[];
}
