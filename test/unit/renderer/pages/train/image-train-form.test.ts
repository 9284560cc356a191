import { describe, expect, it } from 'vitest';
import { RunRequest } from '../../../../../shared/api.js';
import {
  defaultImageForm,
  toImageRequest,
  validateImageForm,
} from '../../../../../renderer/src/pages/train/image-train-form.js';

describe('the image Train form', () => {
  it('starts valid, and asks for the CNN on the labels with the input size left to the engine', () => {
    const form = defaultImageForm('pets');
    expect(validateImageForm(form)).toEqual({});
    const req = toImageRequest(form, 'ds-1', 2);
    expect(req).toEqual({
      dataset: 'ds-1',
      version: 2,
      target: 'label',
      model: 'cnn',
      preset: 'small',
      augment: 'light',
      epochs: 50,
      batchSize: 32,
      seed: 42,
      split: { train: 0.7, validation: 0.15, test: 0.15 },
      modelName: 'pets',
    });
    // What the contract accepts.
    expect(RunRequest.safeParse(req).success).toBe(true);
  });

  it('sends the size, rate and settings chosen, and refuses what the shared bounds refuse', () => {
    const form = { ...defaultImageForm('pets'), imageSize: 48, learningRate: 0.01, preset: 'medium' as const };
    expect(toImageRequest(form, 'ds', 1)).toMatchObject({ imageSize: 48, learningRate: 0.01, preset: 'medium' });
    const bad = validateImageForm({
      ...form,
      imageSize: 4,
      epochs: 0,
      split: { train: 50, validation: 10, test: 10 },
    });
    expect(bad.imageSize).toBe('Input size (px): a whole number from 8 to 128, or empty for automatic.');
    expect(bad.epochs).toMatch(/^Epochs: /);
    expect(bad.split).toMatch(/adding up to 100/);
  });
});
