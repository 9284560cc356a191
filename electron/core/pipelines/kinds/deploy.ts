// Deploy: a prediction endpoint for the model. An endpoint already serving the same reference (the
// model's alias, or the exact version) is updated in place: aliases are re-resolved and the moved
// version hot-swapped. One on the asked port serving another reference of the model is replaced.
// Otherwise a new endpoint starts. Its URL is the step's output.
import type { Endpoint } from '../../../../shared/api.js';
import { CairnError } from '../../errors.js';
import type { KindRunner } from '../executor.js';
import { expectPort, type EndpointValue, type ModelValue } from '../ports.js';
import { kindRunner, type RunEnv } from './common.js';

const LIVE = new Set(['starting', 'running', 'restarting']);

const serves = (e: Endpoint, m: Pick<ModelValue, 'name' | 'version'>) =>
  e.models.some((x) => x.name.toLowerCase() === m.name.toLowerCase() && x.version === m.version && !x.error);

/** The reference an endpoint serves the model by: its alias (so it follows it) or the exact version. */
export function deployRef(model: ModelValue, serve: 'alias' | 'version'): string {
  return serve === 'alias' && model.alias ? `${model.name}@${model.alias}` : `${model.name}:${model.version}`;
}

export function deployKind(env: RunEnv): KindRunner {
  return kindRunner('deploy', {
    // 2: the endpoint port carries the model it serves (for monitor steps).
    version: 2,
    async run(ctx, p) {
      const model = expectPort(ctx.inputs.model, 'model', 'model');
      const ref = deployRef(model, p.serve);
      const sameRef = (e: Endpoint) => LIVE.has(e.status) && e.refs.some((r) => r.toLowerCase() === ref.toLowerCase());
      let endpoint = env.host.endpoints().find((e) => sameRef(e) && (p.port === undefined || e.port === p.port));
      if (endpoint) {
        await env.host.refreshEndpoints();
        endpoint = env.host.endpoints().find((e) => e.id === (endpoint as Endpoint).id);
      }
      if (!endpoint) {
        const onPort =
          p.port !== undefined ? env.host.endpoints().find((e) => e.port === p.port && LIVE.has(e.status)) : undefined;
        if (onPort) {
          const same = onPort.models.some((m) => m.name.toLowerCase() === model.name.toLowerCase());
          if (!same)
            throw new CairnError(
              'conflict',
              `port ${p.port} is in use by an endpoint serving ${onPort.refs.join(', ')}`,
              { field: 'port' },
            );
          await env.host.stopEndpoint(onPort.id);
        }
        ctx.signal.throwIfAborted();
        endpoint = await env.host.startEndpoint({
          models: [ref],
          ...(p.port !== undefined ? { port: p.port } : {}),
          host: p.host,
        });
      }
      if (!endpoint.url) throw new CairnError('internal', `endpoint ${endpoint.id} has no URL`);
      if (!serves(endpoint, model)) {
        throw new CairnError(
          'conflict',
          `endpoint ${endpoint.url} serves ${endpoint.models.map((m) => `${m.name}:${m.version}`).join(', ')}, not version ${model.version}`,
        );
      }
      const value: EndpointValue = {
        type: 'endpoint',
        id: endpoint.id,
        url: endpoint.url,
        model: {
          name: model.name,
          version: model.version,
          task: model.task,
          ...(model.alias ? { alias: model.alias } : {}),
        },
      };
      return {
        output: {
          endpoint: { id: endpoint.id, url: endpoint.url },
          model: { name: model.name, version: model.version, ...(model.alias ? { alias: model.alias } : {}) },
        },
        ports: { endpoint: value },
      };
    },
    async stillValid(result) {
      const out = result.ports.endpoint;
      const model = result.output.model;
      if (out?.type !== 'endpoint' || !model) return false;
      const e = env.host.endpoints().find((x) => x.id === out.id);
      return Boolean(e && LIVE.has(e.status) && serves(e, model));
    },
  });
}
