// The monitor node kind through CairnService, on a small generated table with short training:
// dataset -> split -> train -> evaluate -> register -> deploy -> monitor sets the deployed model's
// alert rules and retrain policy (seen through monitoring.rules.list and retrainPolicy.get); a
// rerun is all cached with no duplicate rules; a changed threshold reruns only the monitor step
// and updates its rule in place; rules made in the app survive; a rule edited in the app is put
// back; a bad rule is refused naming the node and field, in the file and at run time.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRule, PipelineRun } from '../../../../../shared/api.js';
import type { NodeParams, PipelineSpec } from '../../../../../shared/pipeline.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { tempDir } from '../helpers.js';
import { classificationCsv } from '../training/data.js';
import { states, step, waitForRun } from './run-helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let cleanup: () => Promise<void>;
let service: CairnService;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-monitor-kind-'));
  service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  await writeFile(path.join(dir, 'flowers.csv'), classificationCsv(160));
});
afterAll(async () => {
  await service.close();
  await cleanup();
});

type MonitorParams = Partial<Omit<NodeParams['monitor'], 'rules'>> & { rules?: Record<string, unknown>[] };

/** The chain from the flowers file to a monitored endpoint, with a few epochs of a small MLP. */
function spec(monitor: MonitorParams, train: Record<string, unknown> = {}): PipelineSpec {
  const at = (i: number) => ({ x: i * 260, y: 0 });
  const edge = (source: string, sourcePort: string, target: string, targetPort: string) => ({
    id: `${source}->${target}.${targetPort}`,
    source,
    sourcePort,
    target,
    targetPort,
  });
  return {
    cairn: 1,
    name: 'watched',
    nodes: [
      { id: 'source', kind: 'dataset', params: { dataset: path.join(dir, 'flowers.csv') }, position: at(0) },
      { id: 'split', kind: 'split', params: { method: 'stratified', stratify: 'label' }, position: at(1) },
      {
        id: 'train',
        kind: 'train',
        params: {
          target: 'label',
          task: 'classification',
          epochs: 6,
          learningRate: 0.02,
          hiddenLayers: [{ units: 8 }],
          ...train,
        },
        position: at(2),
      },
      { id: 'evaluate', kind: 'evaluate', params: { gates: ['accuracy >= 0.5'] }, position: at(3) },
      { id: 'register', kind: 'register', params: { alias: 'production' }, position: at(4) },
      { id: 'deploy', kind: 'deploy', params: {}, position: at(5) },
      { id: 'monitor', kind: 'monitor', params: monitor, position: at(6) },
    ],
    edges: [
      edge('source', 'data', 'split', 'data'),
      edge('split', 'data', 'train', 'data'),
      edge('train', 'model', 'evaluate', 'model'),
      edge('split', 'data', 'evaluate', 'data'),
      edge('evaluate', 'model', 'register', 'model'),
      edge('register', 'model', 'deploy', 'model'),
      edge('deploy', 'endpoint', 'monitor', 'endpoint'),
    ],
  };
}

const drift = { metric: 'drift_score', comparator: '>', threshold: 0.2, window: '24h', action: 'notify' };
const latency = (threshold: number) => ({
  metric: 'latency_p95',
  comparator: '>=',
  threshold,
  window: '1h',
  action: 'retrain',
});
const policyParams = {
  scheduleHours: 24,
  compareMetric: 'f1_macro',
  margin: 0.01,
  retrainMode: 'sweep',
  sweepTrials: 4,
} as const;

let pipelineId: string;

/** Saves the spec as a new version of the pipeline and runs it to its end. */
async function saveAndRun(s: PipelineSpec): Promise<PipelineRun> {
  const saved = await service.invoke('pipelines.save', { ...(pipelineId ? { id: pipelineId } : {}), spec: s });
  expect(saved.issues).toEqual([]);
  pipelineId = saved.pipeline.id;
  const { runId } = await service.invoke('pipelines.run', { id: pipelineId, version: saved.version });
  return waitForRun(service, runId);
}

const rules = () => service.invoke('monitoring.rules.list', { model: 'watched' });
const byId = (list: AlertRule[], id: string) => list.find((r) => r.id === id);
const settings = (r: AlertRule | undefined) =>
  r && { metric: r.metric, comparator: r.comparator, threshold: r.threshold, window: r.window, action: r.action };

describe('a monitor step after deploy', () => {
  let first: PipelineRun;
  let ids: string[];
  let userRule: AlertRule;

  beforeAll(async () => {
    first = await saveAndRun(spec({ rules: [drift, latency(500)], ...policyParams }));
    ids = [0, 1].map((i) => `pipeline:${pipelineId}:monitor:${i}`);
  });

  it('runs the chain to success and applies the rules and the policy to the deployed model', async () => {
    expect(first.error).toBeNull();
    expect(Object.values(states(first))).toEqual(Array.from({ length: 7 }, () => 'succeeded'));
    const out = step(first, 'monitor').output;
    expect(out?.model).toEqual({ name: 'watched', version: 1, alias: 'production' });
    expect(out?.monitoring?.rules.map((r) => [r.id, r.line])).toEqual([
      [ids[0], 'drift_score > 0.2 over 24h, notify'],
      [ids[1], 'latency_p95 >= 500 over 1h, retrain'],
    ]);
    // No traffic yet: nothing to judge drift on.
    expect(out?.monitoring?.headline).toEqual({
      window: '24h',
      requests: 0,
      errorRate: null,
      driftScore: null,
      firingAlerts: 0,
    });

    const listed = await rules();
    expect(listed.map((r) => r.id)).toEqual(ids);
    expect(listed.map(settings)).toEqual([drift, latency(500)]);
    expect(listed.every((r) => r.model === 'watched' && r.enabled && r.minSamples === 20)).toBe(true);
    expect(await service.invoke('monitoring.retrainPolicy.get', { model: 'watched' })).toMatchObject({
      saved: true,
      triggers: { onAlert: true, scheduleHours: 24, onNewDatasetVersion: false },
      metric: 'f1_macro',
      margin: 0.01,
      includeLabelledRequests: false,
      alias: 'production',
      mode: 'sweep',
      sweepTrials: 4,
    });
    expect(out?.monitoring?.policy).toEqual({
      onAlert: true,
      scheduleHours: 24,
      onNewDatasetVersion: false,
      metric: 'f1_macro',
      margin: 0.01,
      includeLabelledRequests: false,
      alias: 'production',
      mode: 'sweep',
      sweepTrials: 4,
    });
  });

  it('finds every step cached on an unchanged rerun and makes no second set of rules', async () => {
    userRule = await service.invoke('monitoring.rules.save', {
      model: 'watched',
      metric: 'error_rate',
      comparator: '>',
      threshold: 0.5,
    });
    const again = await waitForRun(service, (await service.invoke('pipelines.run', { id: pipelineId })).runId);
    expect(again.status).toBe('succeeded');
    expect(Object.values(states(again))).toEqual(Array.from({ length: 7 }, () => 'cached'));
    expect((await rules()).map((r) => r.id)).toEqual([...ids, userRule.id]);
  });

  it('reruns only the monitor step for a changed threshold, updating its rule in place', async () => {
    const before = byId(await rules(), ids[1] as string);
    const again = await saveAndRun(spec({ rules: [drift, latency(800)], ...policyParams }));
    expect(states(again)).toEqual({
      source: 'cached',
      split: 'cached',
      train: 'cached',
      evaluate: 'cached',
      register: 'cached',
      deploy: 'cached',
      monitor: 'succeeded',
    });
    const after = await rules();
    expect(after.map((r) => r.id)).toEqual([...ids, userRule.id]);
    expect(settings(byId(after, ids[1] as string))).toEqual(latency(800));
    expect(byId(after, ids[1] as string)?.createdAt).toBe(before?.createdAt);
    expect(settings(byId(after, userRule.id))).toEqual(settings(userRule));
  });

  it('puts back a rule edited in the app, and removes the rules the file no longer has, leaving the user rule', async () => {
    await service.invoke('monitoring.rules.save', {
      ...(byId(await rules(), ids[0] as string) as AlertRule),
      threshold: 0.9,
    });
    const restored = await waitForRun(service, (await service.invoke('pipelines.run', { id: pipelineId })).runId);
    expect(states(restored)).toMatchObject({ deploy: 'cached', monitor: 'succeeded' });
    expect(settings(byId(await rules(), ids[0] as string))).toEqual(drift);

    const fewer = await saveAndRun(spec({ rules: [drift], ...policyParams, margin: 0 }));
    expect(states(fewer).monitor).toBe('succeeded');
    expect((await rules()).map((r) => r.id)).toEqual([ids[0], userRule.id]);
    expect((await service.invoke('monitoring.retrainPolicy.get', { model: 'watched' })).margin).toBe(0);
  });

  it('refuses an unknown metric when the file is saved, naming the node and field', async () => {
    const bad = spec({ rules: [drift, { ...drift, metric: 'drift' }] });
    const { issues } = await service.invoke('pipelines.validate', { spec: bad });
    expect(issues).toEqual([expect.objectContaining({ nodeId: 'monitor', field: 'rules.1.metric' })]);
    const mismatched = spec({ rules: [{ ...drift, metric: 'live_mae' }] });
    expect((await service.invoke('pipelines.validate', { spec: mismatched })).issues).toEqual([
      expect.objectContaining({
        nodeId: 'monitor',
        field: 'rules.0.metric',
        message: expect.stringMatching(/^live_mae needs a regression model/) as string,
      }),
    ]);
  });

  it('refuses a metric of the other task at run time when the task comes from the target, changing no rule', async () => {
    const before = await rules();
    const run = await saveAndRun(spec({ rules: [drift, { ...drift, metric: 'live_mae' }] }, { task: 'auto' }));
    expect(run.status).toBe('failed');
    expect(step(run, 'monitor').error).toMatchObject({
      code: 'invalid_argument',
      message: 'live_mae needs a regression model; "watched" is a classification model',
      details: { field: 'rules.1.metric' },
    });
    expect(run.error?.message).toMatch(/^step "monitor" failed: live_mae needs a regression model/);
    expect((await rules()).map(settings)).toEqual(before.map(settings));
  });

  it('removes the rules its monitor steps made when the pipeline is deleted, leaving the user rule', async () => {
    expect((await rules()).some((r) => r.id.startsWith(`pipeline:${pipelineId}:`))).toBe(true);
    expect(await service.invoke('pipelines.delete', { id: pipelineId })).toEqual({ deleted: true });
    expect((await rules()).map((r) => r.id)).toEqual([userRule.id]);
  });
});
