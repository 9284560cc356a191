import { describe, expect, it } from 'vitest';
import {
  defaultForm,
  dropHint,
  effectiveTask,
  inferTask,
  modelForTask,
  parseLayers,
  toRequest,
  validateForm,
} from '../../../../../renderer/src/pages/train/train-form.js';
import { settingsAutoChooses } from '../../../../../shared/api.js';
import { col } from '../column-profile.js';

const iris = [col('sepal', 'numeric'), col('petal', 'numeric'), col('species', 'categorical', { distinct: 3 })];

describe('train form rules', () => {
  it('infers the task as the engine does: classes for categories, booleans and small integer sets', () => {
    expect(inferTask(col('c', 'categorical'))).toBe('classification');
    expect(inferTask(col('b', 'boolean'))).toBe('classification');
    expect(inferTask(col('i', 'integer', { distinct: 20 }))).toBe('classification');
    expect(inferTask(col('i', 'integer', { distinct: 21 }))).toBe('regression');
    expect(inferTask(col('n', 'numeric', { distinct: 3 }))).toBe('regression');
  });

  it('says which features the engine will drop', () => {
    expect(dropHint(col('t', 'text'), 100)).toMatch(/free text/);
    expect(dropHint(col('k', 'numeric', { distinct: 1 }), 100)).toBe('constant');
    expect(dropHint(col('id', 'integer', { distinct: 100 }), 100)).toMatch(/id-like/);
    expect(dropHint(col('gone', 'numeric', { missing: 100 }), 100)).toMatch(/missing/);
    expect(dropHint(col('x', 'numeric', { distinct: 100 }), 100)).toBeUndefined();
  });

  it('parses hidden layers and refuses anything but unit counts', () => {
    expect(parseLayers('64, 32')).toEqual([64, 32]);
    expect(parseLayers('')).toEqual([]);
    expect(parseLayers('64, x')).toBeUndefined();
    expect(parseLayers('0')).toBeUndefined();
    expect(parseLayers('5000')).toBeUndefined();
  });

  it('starts from the suggested target', () => {
    expect(defaultForm(iris, 'iris').target).toBe('species');
  });

  it('starts on automatic model choice, sending none of the settings it chooses per candidate', () => {
    const form = defaultForm(iris, 'iris');
    expect(form.model).toBe('auto');
    expect(validateForm({ ...form, epochs: 0, learningRate: 0 }, iris)).toEqual({});
    const req = toRequest({ ...form, learningRate: 0.5, l2: 0.1, earlyStopping: true }, iris, 'd1', 2);
    expect(req).toMatchObject({ model: 'auto', classWeight: 'none', seed: 42 });
    expect(settingsAutoChooses(req)).toEqual([]);
    expect(req).not.toHaveProperty('batchSize');
    expect(validateForm({ ...form, split: { train: 85, validation: 0, test: 15 } }, iris).split).toMatch(
      /compares the models on the validation split/,
    );
    // The task follows the target; automatic stays automatic.
    expect(modelForTask('auto', 'regression')).toBe('auto');
  });

  it('with an MLP picked and the rest untouched, sends no task and no feature list (the engine infers them)', () => {
    const form = { ...defaultForm(iris, 'iris'), model: 'mlp' as const };
    expect(validateForm(form, iris)).toEqual({});
    const req = toRequest(form, iris, 'd1', 2);
    expect(req).toMatchObject({
      dataset: 'd1',
      version: 2,
      target: 'species',
      model: 'mlp',
      modelName: 'iris',
      classWeight: 'none',
    });
    expect(req).not.toHaveProperty('task');
    expect(req).not.toHaveProperty('features');
    // The engine picks the learning rate and L2 per task and model, and trains without early stopping, as the CLI does.
    expect(req).not.toHaveProperty('learningRate');
    expect(req).not.toHaveProperty('l2');
    expect(req).not.toHaveProperty('earlyStopping');
    expect(req.split).toEqual({ train: 0.7, validation: 0.15, test: 0.15 });
    expect(req.hiddenLayers).toEqual([
      { units: 64, activation: 'relu', dropout: 0 },
      { units: 32, activation: 'relu', dropout: 0 },
    ]);
  });

  it('sends a tree model its own settings (none of the network ones) and checks them against the shared bounds', () => {
    const form = { ...defaultForm(iris, 'iris'), model: 'gbdt' as const, trees: 40, maxDepth: 6 };
    expect(validateForm(form, iris)).toEqual({});
    const req = toRequest(form, iris, 'd1', 1);
    expect(req).toMatchObject({
      model: 'gbdt',
      trees: 40,
      maxLeaves: 31,
      maxDepth: 6,
      minSamplesLeaf: 20,
      subsample: 1,
      colsample: 1,
      earlyStopping: { monitor: 'val_loss', patience: 10 },
    });
    for (const key of ['epochs', 'batchSize', 'optimizer', 'hiddenLayers', 'loss']) expect(req).not.toHaveProperty(key);
    // The loss is a numeric target's only.
    expect(toRequest({ ...form, task: 'regression', loss: 'huber' }, iris, 'd1', 1)).toMatchObject({ loss: 'huber' });
    const bad = validateForm({ ...form, trees: 0, subsample: 0, maxLeaves: 1 }, iris);
    expect(Object.keys(bad).sort()).toEqual(['maxLeaves', 'subsample', 'trees']);
    // Network settings out of bounds do not block a tree model, which does not use them.
    expect(validateForm({ ...form, epochs: 0 }, iris)).toEqual({});
  });

  it('lists features when some are unticked or a time column orders the split', () => {
    const cols = [...iris, col('when', 'datetime')];
    const form = { ...defaultForm(cols, 'iris'), excluded: ['petal'], timeColumn: 'when' };
    expect(toRequest(form, cols, 'd', 1)).toMatchObject({ features: ['sepal'], timeColumn: 'when' });
  });

  it('names each bad field', () => {
    const base = { ...defaultForm(iris, 'iris'), model: 'mlp' as const };
    expect(
      Object.keys(
        validateForm({ ...base, epochs: 0, learningRate: 0, split: { train: 50, validation: 10, test: 10 } }, iris),
      ),
    ).toEqual(expect.arrayContaining(['epochs', 'learningRate', 'split']));
    expect(validateForm({ ...base, task: 'regression' }, iris).task).toMatch(/numeric target/);
    expect(validateForm({ ...base, model: 'linear_regression' }, iris).model).toMatch(/numbers/);
    expect(validateForm({ ...base, excluded: ['sepal', 'petal'] }, iris).features).toBeDefined();
    expect(
      validateForm({ ...base, earlyStopping: true, split: { train: 85, validation: 0, test: 15 } }, iris).monitor,
    ).toMatch(/validation split/);
    expect(toRequest({ ...base, learningRate: 0.01, l2: 0 }, iris, 'd', 1)).toMatchObject({
      learningRate: 0.01,
      l2: 0,
    });
    expect(validateForm({ ...base, hiddenLayers: 'big' }, iris).hiddenLayers).toBeDefined();
  });

  it('follows a task override', () => {
    const cols = [col('x', 'numeric'), col('n', 'integer', { distinct: 5 })];
    const form = defaultForm(cols, 'd');
    expect(effectiveTask(form, cols)).toBe('classification');
    expect(effectiveTask({ ...form, task: 'regression' }, cols)).toBe('regression');
    expect(toRequest({ ...form, task: 'regression' }, cols, 'd', 1)).toMatchObject({ task: 'regression' });
  });
});
