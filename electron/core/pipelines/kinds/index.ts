// Every node kind's runner, for one pipeline run.
import type { NodeKindName } from '../../../../shared/pipeline.js';
import type { KindRunner } from '../executor.js';
import { columnsKind } from './columns.js';
import type { RunEnv } from './common.js';
import { datasetKind } from './dataset.js';
import { deployKind } from './deploy.js';
import { encodeKind } from './encode.js';
import { evaluateKind } from './evaluate.js';
import { filterKind } from './filter.js';
import { imputeKind } from './impute.js';
import { monitorKind } from './monitor.js';
import { registerKind } from './register.js';
import { scaleKind } from './scale.js';
import { splitKind } from './split.js';
import { sqlKind } from './sql.js';
import { sweepKind } from './sweep.js';
import { trainKind } from './train.js';

export type { RunEnv } from './common.js';

/** The runners of the catalogue's kinds, bound to one run's host, name and base folder. */
export function kindRunners(env: RunEnv): Record<NodeKindName, KindRunner> {
  return {
    dataset: datasetKind(env),
    sql: sqlKind(env),
    filter: filterKind(env),
    columns: columnsKind(env),
    impute: imputeKind(env),
    scale: scaleKind(env),
    encode: encodeKind(env),
    split: splitKind(env),
    train: trainKind(env),
    sweep: sweepKind(env),
    evaluate: evaluateKind(env),
    register: registerKind(env),
    deploy: deployKind(env),
    monitor: monitorKind(env),
  };
}
