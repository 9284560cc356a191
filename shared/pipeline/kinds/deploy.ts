// The deploy kind: starts or updates the model's prediction endpoint (electron/core/pipelines/kinds/deploy.ts runs it).
import { enumField } from '../fields.js';
import { modelIn, type NodeKindSpec } from './common.js';

export const deployKind: NodeKindSpec = {
  label: 'Deploy',
  category: 'deliver',
  description: 'Starts a prediction endpoint for the model, or updates the one already serving it.',
  inputs: [modelIn],
  outputs: [{ name: 'endpoint', label: 'Endpoint', type: 'endpoint' }],
  params: [
    enumField(
      'serve',
      'Serve',
      { alias: "The model's alias (follows it when it moves)", version: 'This exact version' },
      'alias',
      { description: 'Alias: the alias set by the Register step upstream, else production.' },
    ),
    { name: 'port', label: 'Port', type: 'integer', min: 0, max: 65535, description: 'A free port when empty.' },
    {
      name: 'host',
      label: 'Address',
      type: 'string',
      default: '127.0.0.1',
      description: 'Any other than 127.0.0.1 requires the API key.',
    },
  ],
};

export interface DeployParams {
  serve: 'alias' | 'version';
  port: number | undefined;
  host: string;
}
