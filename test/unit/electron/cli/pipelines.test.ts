// `cairn pipelines new|list` and `cairn run` as CI runs them, through the real command: the
// template file, per-step progress on stderr, the --json shape, and the exit codes: 0 when the
// pipeline succeeds, 2 when a gate is not met, 1 on any other error.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../../shared/pipeline.js';
import { runCairn } from './run-cairn.js';
import { classificationCsv } from '../core/training/data.js';

let dir: string;
let home: string;
const cairn = (...args: string[]) => runCairn(home, args);

interface RunJson {
  status: string;
  pipeline: string;
  version: number;
  error: string | null;
  steps: {
    id: string;
    kind: string;
    status: string;
    cached: boolean;
    metrics: Record<string, number | null> | null;
    error: string | null;
  }[];
}

/** Reads a pipeline file, shortens its training, and writes it (as another file when `to` is given). */
function quick(file: string, change: (spec: PipelineSpec) => void = () => undefined, to = file): string {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as PipelineSpec;
  Object.assign(spec.nodes.find((n) => n.id === 'train')?.params ?? {}, {
    epochs: 6,
    learningRate: 0.02,
    hiddenLayers: [{ units: 8 }],
  });
  change(spec);
  writeFileSync(to, JSON.stringify(spec, null, 2));
  return to;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-pipes-'));
  home = path.join(dir, 'home');
  mkdirSync(path.join(dir, 'data'));
  mkdirSync(path.join(dir, 'pipelines'));
  writeFileSync(path.join(dir, 'data', 'flowers.csv'), classificationCsv(160));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cairn pipelines new', () => {
  it('prints a valid pipeline file from a template to stdout', () => {
    const r = cairn(
      'pipelines',
      'new',
      '--template',
      'tabular-regression',
      '--dataset',
      'prices',
      '--target',
      'y',
      '--gate',
      'rmse < 3',
      '--gate',
      'r2 >= 0.8',
    );
    expect(r.code, r.stderr).toBe(0);
    const spec = JSON.parse(r.stdout) as PipelineSpec;
    expect(spec).toMatchObject({ cairn: 1, name: 'prices-regression' });
    expect(spec.nodes.map((n) => n.kind)).toEqual(['dataset', 'split', 'impute', 'train', 'evaluate', 'register']);
    expect(spec.nodes.find((n) => n.kind === 'evaluate')?.params).toEqual({ gates: ['rmse < 3', 'r2 >= 0.8'] });
  });

  it('writes --out with the dataset path relative to the pipeline file', () => {
    const out = path.join(dir, 'pipelines', 'flowers.json');
    const r = cairn(
      'pipelines',
      'new',
      '--template',
      'tabular-classification',
      '--dataset',
      path.join(dir, 'data', 'flowers.csv'),
      '--target',
      'label',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const spec = JSON.parse(readFileSync(out, 'utf8')) as PipelineSpec;
    expect(spec.name).toBe('flowers-classification');
    expect(spec.nodes[0]?.params).toEqual({ dataset: '../data/flowers.csv' });
    expect(spec.nodes.find((n) => n.kind === 'evaluate')?.params).toEqual({ gates: ['accuracy >= 0.8'] });
  });

  it('exits 1 naming the problem: an unknown template, a gate of the wrong task', () => {
    const bad = cairn('pipelines', 'new', '--template', 'images', '--dataset', 'x', '--target', 'y');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--template must be tabular-classification or tabular-regression, not "images"/);
    const gate = cairn(
      'pipelines',
      'new',
      '--template',
      'tabular-classification',
      '--dataset',
      'x',
      '--target',
      'y',
      '--gate',
      'rmse < 3',
    );
    expect(gate.code).toBe(1);
    expect(gate.stderr).toMatch(/node "evaluate", field "gates.0": "rmse" is not a classification metric/);
  });
});

describe('cairn run', () => {
  let file: string;
  beforeAll(() => {
    file = quick(
      path.join(dir, 'pipelines', 'flowers.json'),
      (s) =>
        ((s.nodes.find((n) => n.id === 'evaluate') as { params: Record<string, unknown> }).params.gates = [
          'accuracy >= 0.6',
        ]),
    );
  });

  it('exits 0 when the pipeline succeeds, with progress on stderr and each step in --json', () => {
    const r = cairn('run', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as RunJson;
    expect(out).toMatchObject({ status: 'succeeded', pipeline: 'flowers-classification', version: 1, error: null });
    expect(out.steps.map((s) => [s.id, s.status, s.cached])).toEqual([
      ['source', 'succeeded', false],
      ['split', 'succeeded', false],
      ['impute', 'succeeded', false],
      ['train', 'succeeded', false],
      ['evaluate', 'succeeded', false],
      ['register', 'succeeded', false],
    ]);
    const evaluate = out.steps.find((s) => s.id === 'evaluate');
    expect(Object.keys(evaluate?.metrics ?? {})).toEqual(
      expect.arrayContaining(['accuracy', 'f1_macro', 'roc_auc', 'log_loss']),
    );
    expect(evaluate?.metrics?.accuracy).toBeGreaterThanOrEqual(0.6);
    expect(out.steps.find((s) => s.id === 'source')?.metrics).toBeNull();
    expect(r.stderr).toMatch(/^\[1\/6\] source: running$/m);
    expect(r.stderr).toMatch(/^\[4\/6\] train: epoch 6 of 6$/m);
    expect(r.stderr).toMatch(/^\[6\/6\] register: succeeded \(flowers-classification:1 @production\)$/m);
  });

  it('reports every step cached on an unchanged rerun', () => {
    const r = cairn('run', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as RunJson;
    expect(out.steps.map((s) => [s.status, s.cached])).toEqual(Array.from({ length: 6 }, () => ['cached', true]));
  });

  it('exits 2 when a gate is not met, printing the table and why', () => {
    const strict = quick(
      file,
      (s) =>
        ((s.nodes.find((n) => n.id === 'evaluate') as { params: Record<string, unknown> }).params.gates = [
          'accuracy >= 1.01',
        ]),
      path.join(dir, 'pipelines', 'strict.json'),
    );
    const r = cairn('run', strict);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^evaluate\s+evaluate\s+failed\s+gate not met: accuracy >= 1\.01/m);
    expect(r.stdout).toMatch(/^register\s+register\s+skipped\s+upstream step "evaluate" failed$/m);
    expect(r.stdout).toMatch(/Pipeline flowers-classification version 2: failed: a gate was not met/);
    expect(r.stderr).toMatch(/cairn: step "evaluate" failed: gate not met: accuracy >= 1\.01 \(accuracy = [\d.]+\)$/m);
  });

  it('exits 1 on any other failure: a step error, an invalid file, a file that is not JSON or not there', () => {
    const missing = quick(
      file,
      (s) => (s.nodes[0]!.params.dataset = 'nowhere.csv'),
      path.join(dir, 'pipelines', 'missing.json'),
    );
    const failed = cairn('run', missing, '--json');
    expect(failed.code).toBe(1);
    expect((JSON.parse(failed.stdout) as RunJson).status).toBe('failed');
    expect(failed.stderr).toMatch(
      /cairn: step "source" failed: no file at .*nowhere\.csv and no dataset named "nowhere\.csv"/,
    );

    const invalid = quick(
      file,
      (s) => ((s.nodes.find((n) => n.id === 'split') as { params: Record<string, unknown> }).params.seed = 'forty-two'),
      path.join(dir, 'pipelines', 'invalid.json'),
    );
    const bad = cairn('run', invalid);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cairn: invalid\.json is not valid: node "split", field "seed": /);

    writeFileSync(path.join(dir, 'pipelines', 'text.json'), 'not json');
    expect(cairn('run', path.join(dir, 'pipelines', 'text.json')).stderr).toMatch(/text\.json is not JSON/);
    expect(cairn('run', path.join(dir, 'pipelines', 'absent.json')).code).toBe(1);
  });
});

describe('cairn pipelines list', () => {
  it('lists the pipelines run from files, with their last run', () => {
    const r = cairn('pipelines', 'list', '--json');
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; versionCount: number; lastRun: { status: string } | null }[];
    expect(list).toEqual([
      expect.objectContaining({
        name: 'flowers-classification',
        versionCount: 3,
        lastRun: expect.objectContaining({ status: 'failed' }) as unknown,
      }),
    ]);
    const text = cairn('pipelines', 'list');
    expect(text.stdout).toMatch(/^flowers-classification\s+3\s+\S+ \S+\s+failed \(v3\)$/m);
  });
});
