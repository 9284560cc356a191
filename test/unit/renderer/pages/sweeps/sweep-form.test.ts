// The Sweep dialog's form: pre-filled from the kind's default space, checked by the shared space
// parser with each problem under its parameter, and turned into the sweeps.start request.
import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../../../shared/api.js';
import { DEFAULT_SPACES } from '../../../../../shared/sweep/default-spaces.js';
import {
  checkSweepForm,
  defaultSweepForm,
  rowsOf,
  withTarget,
  type SweepForm,
} from '../../../../../renderer/src/pages/sweeps/sweep-form.js';
import { col } from '../column-profile.js';

const COLUMNS: ColumnProfile[] = [
  col('x', 'numeric', { distinct: 150 }),
  col('price', 'numeric', { distinct: 150 }),
  col('species', 'categorical', { distinct: 3 }),
];

const withRow = (form: SweepForm, param: string, patch: Partial<SweepForm['space'][string]>): SweepForm => ({
  ...form,
  space: { ...form.space, [param]: { ...form.space[param]!, ...patch } },
});

describe('the sweep form', () => {
  it('starts from the kind’s default space, and its request carries that very space', () => {
    const form = defaultSweepForm(COLUMNS, 'species', 'logistic_regression');
    expect(form.space.learningRate).toMatchObject({ mode: 'log', min: '0.001', max: '0.3' });
    expect(form.space.optimizer).toMatchObject({ mode: 'off' });
    const { errors, request } = checkSweepForm(form, COLUMNS, 'd1', 2);
    expect(errors).toEqual({});
    expect(request).toEqual({
      dataset: 'd1',
      version: 2,
      target: 'species',
      model: 'logistic_regression',
      space: DEFAULT_SPACES.logistic_regression,
      strategy: 'tpe',
      stopping: 'none',
      metric: 'accuracy',
      trials: 20,
      seed: 42,
    });
  });

  it('names each bad parameter under its own name, as the engine would, and sends nothing', () => {
    let form = defaultSweepForm(COLUMNS, 'species', 'mlp');
    form = withRow(form, 'learningRate', { min: '0' });
    form = withRow(form, 'layers', { min: '3', max: '1' });
    form = withRow(form, 'dropout', { max: 'lots' });
    const { errors, request } = checkSweepForm(form, COLUMNS, 'd1', 1);
    expect(request).toBeUndefined();
    // The typing problem first; the parser speaks once every value reads as a number.
    expect(errors).toEqual({ dropout: 'max: "lots" is not a number.' });
    const parsed = checkSweepForm(withRow(form, 'dropout', { max: '0.5' }), COLUMNS, 'd1', 1).errors;
    expect(parsed.learningRate).toMatch(/^learningRate: the range 0 to 0\.1 leaves its bounds/);
    expect(parsed.layers).toBe("layers: the range's min (3) is above its max (1).");
  });

  it('refuses a space with nothing to vary, a missing budget and a bad seed', () => {
    const rows = rowsOf('logistic_regression', { epochs: { type: 'fixed', value: 5 } });
    const form = {
      ...defaultSweepForm(COLUMNS, 'species', 'logistic_regression'),
      space: rows,
      trials: '',
      seed: '-1',
    };
    expect(checkSweepForm(form, COLUMNS, 'd1', 1).errors).toEqual({
      space: 'The search space has nothing to vary: every parameter is fixed or has a single value.',
      trials: 'Give a budget: a number of trials, minutes, or both.',
      seed: 'Seed: a whole number from 0 to 2,147,483,647.',
    });
  });

  it('follows the target: a numeric one makes the linear model and rmse', () => {
    const form = withTarget(defaultSweepForm(COLUMNS, 'species', 'logistic_regression'), COLUMNS, 'price');
    expect(form).toMatchObject({ model: 'linear_regression', metric: 'rmse' });
    const { request } = checkSweepForm({ ...form, minutes: '2', trials: '' }, COLUMNS, 'd1', 1);
    expect(request).toMatchObject({ model: 'linear_regression', metric: 'rmse', seconds: 120 });
    expect(request).not.toHaveProperty('trials');
  });
});
