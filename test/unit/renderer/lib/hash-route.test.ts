import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from '../../../../renderer/src/lib/hash-route.js';

describe('hash routes', () => {
  const routes: [Route, string][] = [
    [{ page: 'datasets' }, '#/datasets'],
    [{ page: 'datasets', datasetId: 'ds_1' }, '#/datasets/ds_1'],
    [{ page: 'datasets', datasetId: 'ds_1', version: 3 }, '#/datasets/ds_1/v3'],
    [{ page: 'datasets', sourceId: 'src 1' }, '#/sources/src%201'],
    [{ page: 'pipelines', pipelineId: 'pl_9' }, '#/pipelines/pl_9'],
    [{ page: 'runs' }, '#/runs'],
    [{ page: 'runs', runId: 'r1' }, '#/runs/r1'],
    [{ page: 'runs', compare: ['r1', 'r2'] }, '#/runs?compare=r1,r2'],
    [{ page: 'runs', runId: 'r2', compare: ['r1', 'r2'] }, '#/runs/r2?compare=r1,r2'],
    [{ page: 'sweeps' }, '#/sweeps'],
    [{ page: 'sweeps', sweepId: 's1' }, '#/sweeps/s1'],
    [{ page: 'models', model: 'churn', version: 2 }, '#/models/churn/v2'],
    [{ page: 'endpoints', endpointId: 'ep_1' }, '#/endpoints/ep_1'],
    [{ page: 'monitoring', model: 'churn' }, '#/monitoring/churn'],
    [{ page: 'settings' }, '#/settings'],
    [{ page: 'about' }, '#/about'],
  ];

  it.each(routes)('writes and reads %o as %s', (route, hash) => {
    expect(routeHash(route)).toBe(hash);
    expect(parseRoute(hash)).toEqual(route);
  });

  it('keeps names with slashes, spaces, commas and non-ASCII letters whole', () => {
    const route: Route = { page: 'models', model: 'prix/été, v2 #1', version: 7 };
    const hash = routeHash(route);
    expect(hash).not.toMatch(/été|\s/);
    expect(parseRoute(hash)).toEqual(route);
    const compare: Route = { page: 'runs', compare: ['a,b', 'c/d'] };
    expect(parseRoute(routeHash(compare))).toEqual(compare);
  });

  it('reads an empty, unknown or malformed fragment as the Datasets page', () => {
    for (const hash of ['', '#', '#/', '#/nowhere/x', '#/models/%E0%A4%A', 'garbage']) {
      expect(parseRoute(hash)).toEqual({ page: 'datasets' });
    }
  });

  it('ignores a version segment that is not v<number>', () => {
    expect(parseRoute('#/models/churn/latest')).toEqual({ page: 'models', model: 'churn' });
  });
});
