import { describe, expect, it } from 'vitest';
import { consoleExplanation } from '../../../../../renderer/src/pages/endpoints/console-explanation.js';

const explained = {
  base: -0.25,
  contributions: { x1: 1.5, colour: -0.25 },
  explained: { method: 'tree_shap', output: 'log_odds', class: 'yes', errorBound: null },
};

describe('the test console explanation', () => {
  it('reads an explained answer as a waterfall row: base, contributions, their sum, the values sent', () => {
    const body = { model: { name: 'm', version: 1 }, predictions: [{ id: 'a', label: 'yes', ...explained }] };
    const e = consoleExplanation(body, { x1: 2, colour: null, ignored: 'z' });
    expect(e?.row).toMatchObject({
      prediction: 'yes',
      explainedClass: 'yes',
      base: -0.25,
      output: 1,
      contributions: { x1: 1.5, colour: -0.25 },
      values: { x1: 2, colour: null },
    });
    expect(e?.outputLabel).toBe('log-odds of yes');
    expect(e?.method).toBe('exact TreeSHAP');
  });

  it('states a value and KernelSHAP bound, and reads nothing from an answer without contributions', () => {
    const network = {
      predictions: [
        {
          value: 3,
          ...explained,
          explained: { method: 'kernel_shap', output: 'value', class: null, errorBound: 0.01 },
        },
      ],
    };
    const e = consoleExplanation(network, { x1: 1, colour: 'red' });
    expect(e?.outputLabel).toBe('prediction');
    expect(e?.method).toMatch(/^KernelSHAP, each within ±0\.01/);
    expect(consoleExplanation({ predictions: [{ id: 'a', label: 'yes' }] }, {})).toBeUndefined();
    expect(consoleExplanation({ error: { code: 'x' } }, {})).toBeUndefined();
  });
});
