// Issue 17, item 6: a pipeline whose params nest 100,000 deep overflowed the stack while being
// validated (structuredClone), a 500 in the browser host. It is an invalid pipeline: a 400 naming
// the node and field (validate answers 200 with that issue; save refuses with 400).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PARAMS_DEPTH, nestsAtMost, validatePipeline } from '../../shared/pipeline.js';
import type { RunningHost } from '../../electron/server/http-host.js';
import { hostRequest, startBrowserHost, type BrowserHost } from '../unit/electron/server/browser-host.js';

const TOKEN = 'test-token-deep';
const DEPTH = 100_000;
/** Built as text: JSON.stringify itself overflows on such a value. */
const deepSpec = (depth: number) =>
  `{"cairn":1,"name":"deep","nodes":[{"id":"n1","kind":"dataset","params":{"v":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}},"position":{"x":0,"y":0}}],"edges":[]}`;

let host: RunningHost;

let started: BrowserHost;
beforeAll(async () => {
  started = await startBrowserHost('cairn-sec-deep-', TOKEN);
  ({ host } = started);
});
afterAll(async () => started.close());

async function call(method: string, body: string): Promise<{ status: number; body: string }> {
  const r = await hostRequest(host.port, {
    method: 'POST',
    path: `/api/call/${method}`,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body,
  });
  return { status: r.status, body: r.body.toString() };
}

describe('params nested 100,000 deep', () => {
  it('are a validation issue on the node, not a stack overflow', () => {
    const r = validatePipeline(JSON.parse(deepSpec(DEPTH)) as unknown);
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([
      { nodeId: 'n1', field: 'params', message: `params nest more than ${MAX_PARAMS_DEPTH} levels deep` },
    ]);
  });

  it('counts depth exactly', () => {
    const nested = (d: number): unknown => (d === 0 ? 1 : { a: nested(d - 1) });
    expect(nestsAtMost(nested(MAX_PARAMS_DEPTH), MAX_PARAMS_DEPTH)).toBe(true);
    expect(nestsAtMost(nested(MAX_PARAMS_DEPTH + 1), MAX_PARAMS_DEPTH)).toBe(false);
    expect(nestsAtMost([[[1]]], 3)).toBe(true);
    expect(nestsAtMost([[[[1]]]], 3)).toBe(false);
  });

  it('get 400 invalid_argument from the browser host, and validate lists the issue', async () => {
    const save = await call('pipelines.save', `{"spec":${deepSpec(DEPTH)}}`);
    expect(save.status, save.body).toBe(400);
    expect(JSON.parse(save.body)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const validate = await call('pipelines.validate', `{"spec":${deepSpec(DEPTH)}}`);
    expect(validate.status, validate.body).toBe(200);
    expect(JSON.parse(validate.body)).toMatchObject({
      ok: true,
      result: { issues: [{ nodeId: 'n1', field: 'params' }] },
    });
  });
});
