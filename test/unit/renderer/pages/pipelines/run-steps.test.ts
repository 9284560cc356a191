import { describe, expect, it } from 'vitest';
import type { PipelineRun, PipelineStep } from '../../../../../shared/api.js';
import {
  countSteps,
  countsText,
  laterRun,
  mergeSteps,
  stepOf,
} from '../../../../../renderer/src/pages/pipelines/run-steps.js';

const step = (nodeId: string, state: PipelineStep['state'], extra: Partial<PipelineStep> = {}): PipelineStep => ({
  nodeId,
  kind: 'filter',
  state,
  cached: state === 'cached',
  output: null,
  error: null,
  reason: null,
  progress: null,
  startedAt: null,
  finishedAt: null,
  ...extra,
});

const run = (status: PipelineRun['status'], steps: PipelineStep[]): PipelineRun => ({
  id: 'r1',
  pipelineId: 'p1',
  pipelineName: 'p',
  version: 1,
  status,
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
  counts: {},
  steps,
  trainingRuns: [],
  modelVersions: [],
});

describe('live run steps', () => {
  it('lets whichever report is further along win, the live one on a tie', () => {
    const stored = run('running', [
      step('a', 'succeeded'),
      step('b', 'running', { progress: { fraction: 0.2, label: 'epoch 2' } }),
      step('c', 'queued'),
    ]);
    const live = new Map([
      // An event older than the snapshot: a is already done.
      ['a', step('a', 'running')],
      ['b', step('b', 'running', { progress: { fraction: 0.5, label: 'epoch 5' } })],
      ['c', step('c', 'cached')],
    ]);
    const merged = mergeSteps(stored, live);
    expect(merged.get('a')?.state).toBe('succeeded');
    expect(merged.get('b')?.progress?.label).toBe('epoch 5');
    expect(merged.get('c')?.state).toBe('cached');
  });

  it('shows live steps before the stored run has loaded', () => {
    expect(mergeSteps(undefined, new Map([['a', step('a', 'queued')]])).get('a')?.state).toBe('queued');
  });

  it('keeps a run ended when a late "running" report arrives, and takes newer status fields otherwise', () => {
    const ended = { ...run('succeeded', []), finishedAt: '2026-01-01T00:01:00Z' };
    expect(laterRun(ended, run('running', []))).toBe(ended);
    const moved = laterRun(run('queued', [step('a', 'queued')]), {
      ...run('running', []),
      startedAt: '2026-01-01T00:00:01Z',
    });
    expect(moved.status).toBe('running');
    expect(moved.startedAt).toBe('2026-01-01T00:00:01Z');
    // Only status fields move over: the steps stay those of the first.
    expect(moved.steps).toHaveLength(1);
  });

  it('strips the run and pipeline ids from a step event', () => {
    expect(stepOf({ ...step('a', 'queued'), runId: 'r', pipelineId: 'p' })).toEqual(step('a', 'queued'));
  });

  it('counts steps per state in a fixed order', () => {
    const counts = countSteps([step('a', 'cached'), step('b', 'succeeded'), step('c', 'cached'), step('d', 'failed')]);
    expect(counts).toEqual({ cached: 2, succeeded: 1, failed: 1 });
    expect(countsText(counts)).toBe('1 succeeded · 2 cached · 1 failed');
    expect(countsText({})).toBe('');
  });
});
