// Register: points an alias (e.g. production) of the model at the version upstream made, recorded
// in the alias history with a reason; consumers of the alias (endpoints) follow it.
import type { KindRunner } from '../executor.js';
import { expectPort, type ModelValue } from '../ports.js';
import { modelsStillThere } from './model-check.js';
import { kindRunner, type RunEnv } from './common.js';

export function registerKind(env: RunEnv): KindRunner {
  return kindRunner('register', {
    version: 1,
    async run(ctx, p) {
      const model = expectPort(ctx.inputs.model, 'model', 'model');
      if (env.host.aliasVersion(model.name, p.alias) !== model.version) {
        const reason = p.reason.trim() || `pipeline "${env.pipelineName}", step "${ctx.node.id}"`;
        env.host.setAlias(model.name, p.alias, model.version, reason);
      }
      const out: ModelValue = { ...model, alias: p.alias };
      return { output: { model: { name: model.name, version: model.version, alias: p.alias } }, ports: { model: out } };
    },
    async stillValid(result) {
      const m = result.ports.model;
      return (
        modelsStillThere(env.host, result) &&
        m?.type === 'model' &&
        env.host.aliasVersion(m.name, m.alias ?? '') === m.version
      );
    },
  });
}
