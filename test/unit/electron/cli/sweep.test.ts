// `cairn sweep` and `cairn sweeps` as scripts run them: the documented --json shape, progress on
// stderr, the sweep listed and shown afterwards, and bad input refused with a non-zero exit.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { samplePath } from '../../../../electron/core/samples.js';
import { cliWorkspace } from './run-cairn.js';

const ws = cliWorkspace('cairn-cli-sweep-');

interface SweepJson {
  sweep: string;
  status: string;
  metric: string;
  trials: { run: string; status: string; params: Record<string, number>; validation: Record<string, number> }[];
  best: {
    run: string;
    params: Record<string, number>;
    validation: Record<string, number>;
    test: Record<string, number>;
    model: { name: string; version: number };
  };
}

describe('cairn sweep', () => {
  let printed: SweepJson;

  it('sweeps a file and prints the documented JSON, with progress on stderr', () => {
    const space = ws.file('space.json');
    writeFileSync(
      space,
      JSON.stringify({ learningRate: { type: 'log', min: 0.005, max: 0.3 }, epochs: { type: 'fixed', value: 10 } }),
    );
    const r = ws.cairn(
      'sweep',
      samplePath('iris'),
      '--target',
      'species',
      '--model',
      'logistic',
      '--space',
      space,
      '--strategy',
      'random',
      '--trials',
      '2',
      '--seed',
      '3',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    printed = JSON.parse(r.stdout) as SweepJson;
    expect(Object.keys(printed)).toEqual(['sweep', 'status', 'metric', 'trials', 'best']);
    expect(printed).toMatchObject({ status: 'succeeded', metric: 'accuracy' });
    expect(printed.trials).toHaveLength(2);
    for (const t of printed.trials) {
      expect(Object.keys(t)).toEqual(['run', 'status', 'params', 'validation']);
      expect(t.status).toBe('complete');
      expect(Object.keys(t.params).sort()).toEqual(['epochs', 'learningRate']);
      expect(t.validation.accuracy).toBeTypeOf('number');
    }
    expect(Object.keys(printed.best)).toEqual(['run', 'params', 'validation', 'test', 'model']);
    expect(printed.best.validation.accuracy).toBe(Math.max(...printed.trials.map((t) => t.validation.accuracy!)));
    expect(printed.best.test.accuracy).toBeTypeOf('number');
    expect(printed.best.model).toMatchObject({ name: 'iris' });
    expect(r.stderr).toMatch(/trial 1 complete \(\d\.\d{4}\); 2\/2 done, best accuracy \d\.\d{4}/);
  });

  it('lists and shows the sweep', () => {
    const list = ws.json<{ id: string; status: string; trialsDone: number }[]>('sweeps', 'list');
    expect(list).toEqual([expect.objectContaining({ id: printed.sweep, status: 'succeeded', trialsDone: 2 })]);
    expect(ws.json<SweepJson>('sweeps', 'show', printed.sweep)).toEqual(printed);
    const text = ws.cairn('sweeps', 'show', printed.sweep);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Best: trial \d, run /);
  });

  it("says a sweep's notes on stderr as it runs, and in sweeps show", () => {
    // A note as the engine writes one (the parallel check's are tested in sweep-parallel.test.ts).
    const db = new Database(path.join(ws.home, 'app.db'));
    db.prepare(`UPDATE sweeps SET notes_json = json_array(?) WHERE id = ?`).run(
      'Parallel trials lowered from 4 to 2: each trial needs about 300 MB.',
      printed.sweep,
    );
    db.close();
    // Its budget is spent: the resume trains nothing and ends at once.
    const resumed = ws.cairn('sweeps', 'resume', printed.sweep);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('note: Parallel trials lowered from 4 to 2: each trial needs about 300 MB.\n');
    expect(ws.cairn('sweeps', 'show', printed.sweep).stdout).toContain(
      'note: Parallel trials lowered from 4 to 2: each trial needs about 300 MB.',
    );
  });

  it('refuses a metric the task lacks and an unknown model kind', () => {
    const metric = ws.cairn('sweep', 'iris', '--target', 'species', '--metric', 'rmse');
    expect(metric.code).not.toBe(0);
    expect(metric.stderr).toMatch(/A classification sweep cannot choose by rmse/);
    const model = ws.cairn('sweep', 'iris', '--target', 'species', '--model', 'forest');
    expect(model.code).not.toBe(0);
    expect(model.stderr).toMatch(/--model must be logistic, linear, mlp, gbdt or cnn, not "forest"/);
  });
});
