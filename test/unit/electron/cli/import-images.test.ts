// `cairn import <folder> --json` imports pictures and prints the documented image shape; `cairn
// train <folder>` imports and trains a CNN on them, printing the tabular JSON; `cairn sweep` sweeps it.
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePictureFolder, makeShapeFolder } from '../core/datasets/images/picture-folders.js';
import { cliWorkspace } from './run-cairn.js';

const ws = cliWorkspace('cairn-cli-images-');
beforeAll(async () => {
  await makePictureFolder(ws.file('digits'));
  await makeShapeFolder(ws.file('shapes'), 10);
});

describe('cairn import <folder>', () => {
  it('imports a folder of class folders with --json in the documented shape', () => {
    const r = ws.cairn('import', ws.file('digits'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['classes', 'id', 'kind', 'name', 'rows', 'skipped', 'version']);
    expect(out).toMatchObject({
      name: 'digits',
      version: 1,
      kind: 'images',
      rows: 12,
      classes: { red: 4, green: 5, blue: 3 },
    });
    expect((out.skipped as { file: string }[]).map((f) => f.file)).toEqual(['blue/broken.png']);
  });

  it('shows an image dataset as pictures in classes', () => {
    const r = ws.cairn('datasets', 'show', 'digits');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('digits version 1 of 1: 12 pictures in 3 classes');
  });
});

describe('cairn train <folder>', () => {
  it('imports the pictures and trains a CNN without --target, printing the tabular JSON', () => {
    const r = ws.cairn(
      'train',
      ws.file('shapes'),
      '--epochs',
      '2',
      '--batch-size',
      '4',
      '--image-size',
      '16',
      '--augment',
      'none',
      '--seed',
      '5',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { metrics: { test: Record<string, number> } };
    expect(Object.keys(out).sort()).toEqual(['backend', 'metrics', 'model', 'run', 'status', 'task']);
    expect(out).toMatchObject({ status: 'succeeded', task: 'classification', model: { name: 'shapes', version: 1 } });
    expect(out.metrics.test.accuracy).toBeGreaterThanOrEqual(0);
    const shown = ws.cairn('runs', 'show', (out as unknown as { run: string }).run);
    expect(shown.stdout).toMatch(/model: +cnn, saved as shapes version 1/);
  });

  it('refuses a bad --augment by its choices, and a table model on pictures', () => {
    const bad = ws.cairn('train', 'shapes', '--augment', 'wild');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--augment must be none, light or strong, not "wild"');
    const refused = ws.cairn('train', 'shapes', '--model', 'mlp');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('shapes holds pictures: train a convolutional network on it (model cnn)');
  });
});

describe('cairn sweep <picture dataset>', () => {
  // Its CLI calls block this process (spawnSync), so the time limit is checked when they return.
  it('sweeps the CNN without --target (a picture dataset predicts its label) and keeps the best', () => {
    const space = ws.file('cnn-space.json');
    writeFileSync(
      space,
      JSON.stringify({
        learningRate: { type: 'log', min: 1e-3, max: 1e-2 },
        batchSize: { type: 'fixed', value: 4 },
        epochs: { type: 'fixed', value: 2 },
      }),
    );
    const r = ws.cairn('sweep', ws.file('shapes'), '--space', space, '--strategy', 'random', '--trials', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      status: string;
      trials: { status: string; params: Record<string, number> }[];
      best: { model: { name: string } };
    };
    expect(out.status).toBe('succeeded');
    expect(out.trials.map((t) => t.status)).toEqual(['complete']);
    expect(Object.keys(out.trials[0]!.params).sort()).toEqual(['batchSize', 'epochs', 'learningRate']);
    const shown = ws.cairn('sweeps', 'list');
    expect(shown.stdout).toMatch(/cnn/);
    // A table's kind is refused on pictures, and --model cnn is a choice.
    const refused = ws.cairn('sweep', ws.file('shapes'), '--model', 'gbdt', '--trials', '1');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('shapes holds pictures');
  }, 180_000);
});
