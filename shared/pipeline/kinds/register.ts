// The register kind: points an alias at the trained version (electron/core/pipelines/kinds/register.ts runs it).
import { modelIn, modelOut, type NodeKindSpec } from './common.js';

export const registerKind: NodeKindSpec = {
  label: 'Register',
  category: 'deliver',
  description: 'Points an alias (e.g. production) of the model at the trained version, with a reason in its history.',
  inputs: [modelIn],
  outputs: [modelOut],
  params: [
    {
      name: 'alias',
      label: 'Alias',
      type: 'string',
      required: true,
      default: 'production',
      maxLength: 64,
      description: 'A letter, then letters, digits, ".", "_" or "-".',
    },
    {
      name: 'reason',
      label: 'Reason',
      type: 'string',
      default: '',
      maxLength: 2000,
      description: 'Recorded with the alias move.',
    },
  ],
};

export interface RegisterParams {
  alias: string;
  reason: string;
}
