// The four places a training setting reaches (the contract, the engine, the pipeline train node
// and the Train dialog) agree with its one definition in shared/training-settings.ts: each accepts
// exactly the same values at and around the bounds, and starts from the same default.
import { describe, expect, it } from 'vitest';
import { methods, type RunRequest } from '../../../shared/api.js';
import { fieldSchema, nodeKinds, type ParamField } from '../../../shared/pipeline.js';
import {
  BATCH_SIZE,
  DROPOUT,
  EPOCHS,
  L2,
  LEARNING_RATE,
  PATIENCE,
  SEED,
  UNITS,
  type NumberSetting,
} from '../../../shared/training-settings.js';
import { EarlyStopping, TrainParams } from '../../../electron/core/training/train-params.js';
import { defaultForm, validateForm, type TrainForm } from '../../../renderer/src/pages/train/train-form.js';
import type { ColumnProfile, ColumnType } from '../../../shared/api.js';

/** A clean column of the given type: nothing missing or invalid. */
const column = (name: string, type: ColumnType, storageType: string, distinct: number): ColumnProfile => ({
  name,
  type,
  inferredType: type,
  storageType,
  missing: 0,
  invalid: 0,
  nonFinite: 0,
  distinct,
  distinctApprox: false,
});
const columns = [column('x', 'numeric', 'DOUBLE', 10), column('y', 'categorical', 'VARCHAR', 3)];
const base: RunRequest = { dataset: 'd', target: 'y' };

/** Values at, just past and between a setting's bounds. */
function probes(s: NumberSetting): number[] {
  return [s.min, s.min - 1, s.min + 1e-6, s.min + 0.5, s.max, s.max + 1, s.max - 0.5, Number.NaN];
}

interface Case {
  setting: NumberSetting;
  /** The request with the value in place. */
  request: (v: number) => RunRequest;
  /** The engine's check, where the engine takes the setting. */
  engine?: (v: number) => boolean;
  /** The pipeline train node's field, by path. */
  field?: ParamField;
  /** The form with the value in place, and the field an error names. */
  form?: (f: TrainForm, v: number) => TrainForm;
  formKey?: keyof TrainForm;
}

const train = nodeKinds.train.params;
const field = (name: string) => train.find((f) => f.name === name);
const hidden = field('hiddenLayers');
const subfield = (name: string) =>
  hidden?.type === 'object-list' ? hidden.fields.find((f) => f.name === name) : undefined;

/** A setting with one name in the request, the engine's params, the train node and the form. */
function sameName(
  key: 'epochs' | 'batchSize' | 'learningRate' | 'l2' | 'seed',
  setting: NumberSetting,
  engineChecks = true,
): Case {
  return {
    setting,
    request: (v) => ({ ...base, [key]: v }),
    ...(engineChecks ? { engine: (v: number) => TrainParams.safeParse({ [key]: v }).success } : {}),
    field: field(key),
    form: (f, v) => ({ ...f, [key]: v }),
    formKey: key,
  };
}

const cases: Record<string, Case> = {
  epochs: sameName('epochs', EPOCHS),
  batchSize: sameName('batchSize', BATCH_SIZE),
  learningRate: sameName('learningRate', LEARNING_RATE),
  // TrainParams does not take l2, so the engine has no check of its own to compare.
  l2: sameName('l2', L2, false),
  seed: sameName('seed', SEED),
  patience: {
    setting: PATIENCE,
    request: (v) => ({ ...base, earlyStopping: { patience: v } }),
    engine: (v) => EarlyStopping.safeParse({ patience: v }).success,
    form: (f, v) => ({ ...f, earlyStopping: true, patience: v }),
    formKey: 'patience',
  },
  units: { setting: UNITS, request: (v) => ({ ...base, hiddenLayers: [{ units: v }] }), field: subfield('units') },
  dropout: {
    setting: DROPOUT,
    request: (v) => ({ ...base, hiddenLayers: [{ units: 8, dropout: v }] }),
    field: subfield('dropout'),
    form: (f, v) => ({ ...f, dropout: v }),
    formKey: 'dropout',
  },
};

describe('training settings: one definition, four readers', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: the contract, engine, pipeline field and form accept the same values`, () => {
      if (c.field) expect(c.field, 'the pipeline field exists').toBeDefined();
      for (const v of probes(c.setting)) {
        const contract = methods['runs.start'].input.safeParse(c.request(v)).success;
        if (c.engine) expect(c.engine(v), `engine on ${v}`).toBe(contract);
        if (c.field) expect(fieldSchema(c.field).safeParse(v).success, `pipeline on ${v}`).toBe(contract);
        if (c.form && c.formKey) {
          // The settings of a chosen network (with the default, Automatic, the choice sets them itself).
          const errors = validateForm(c.form({ ...defaultForm(columns, 'd'), model: 'mlp' }, v), columns);
          expect(errors[c.formKey] === undefined, `form on ${v}: ${errors[c.formKey] ?? ''}`).toBe(contract);
        }
      }
    });
  }

  it('a pipeline learning rate of 0 is refused where the pipeline is checked, not late in the run', () => {
    const lr = field('learningRate');
    expect(lr && fieldSchema(lr).safeParse(0).success).toBe(false);
  });

  it('starts from the same defaults everywhere', () => {
    const engine = TrainParams.parse({});
    const form = defaultForm(columns, 'd');
    expect(engine.epochs).toBe(EPOCHS.default);
    expect(form.epochs).toBe(EPOCHS.default);
    expect(field('epochs')).toMatchObject({ default: EPOCHS.default });
    expect(engine.batchSize).toBe(BATCH_SIZE.default);
    expect(form.batchSize).toBe(BATCH_SIZE.default);
    expect(field('batchSize')).toMatchObject({ default: BATCH_SIZE.default });
    expect(engine.seed).toBe(SEED.default);
    expect(form.seed).toBe(SEED.default);
    expect(field('seed')).toMatchObject({ default: SEED.default });
    expect(engine.optimizer).toBe(form.optimizer);
    expect(field('optimizer')).toMatchObject({ default: form.optimizer });
    // Patience: the form's default is the one the contract and the engine fill in.
    const stopping = methods['runs.start'].input.parse({ ...base, earlyStopping: {} }).earlyStopping;
    expect(stopping?.patience).toBe(PATIENCE.default);
    expect(EarlyStopping.parse({}).patience).toBe(PATIENCE.default);
    expect(form.patience).toBe(PATIENCE.default);
    // The learning rate and L2 have no default anywhere but the engine's per-model choice.
    expect(form.learningRate).toBeUndefined();
    expect(field('learningRate')).not.toHaveProperty('default');
  });
});
