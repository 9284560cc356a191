// The endpoint writes each prediction's JSON by hand (once, for the response and the log): it must
// parse to what JSON.stringify makes of the prediction as an object, for any class name, and stay
// valid JSON when a diverged model answers NaN or Infinity (null, as openapi.ts documents; the
// response serializer used before answered 500 to NaN).
import { describe, expect, it } from 'vitest';
import { outputEncoder } from '../../../../../electron/core/serving/loaded-model.js';

/**
 * The prediction as an object. Unlike the `{}` the endpoint used before writing JSON by hand, a
 * null prototype keeps a class named "__proto__", which that object silently left out.
 */
function reference(classes: string[], y: Float32Array, i: number) {
  const probabilities: Record<string, number> = Object.create(null) as Record<string, number>;
  let best = 0;
  classes.forEach((c, k) => {
    probabilities[c] = y[i * classes.length + k]!;
    if (y[i * classes.length + k]! > y[i * classes.length + best]!) best = k;
  });
  return { label: classes[best]!, probabilities };
}

describe('outputEncoder', () => {
  it('writes a classifier row as the JSON of its label and probabilities, any class name escaped', () => {
    const classes = ['plain', 'with "quotes"', 'back\\slash', 'ünïcödé ✓', 'line\nbreak', '0', '__proto__'];
    const y = Float32Array.from({ length: classes.length * 3 }, (_, j) => ((j * 7919) % 101) / 101);
    const encode = outputEncoder(classes, 0, 1);
    for (let i = 0; i < 3; i++) {
      const { json, answer } = encode(y, i);
      const want = reference(classes, y, i);
      const got = JSON.parse(json) as { label: string; probabilities: Record<string, number> };
      expect(got).toEqual(JSON.parse(JSON.stringify(want)));
      // In class order (an object would put "0" first).
      expect(Object.keys(got.probabilities)).toEqual(['0', ...classes.filter((c) => c !== '0')]);
      const written = json.slice(json.indexOf('"probabilities"'));
      expect(written.indexOf('"plain"')).toBeLessThan(written.indexOf('"0"'));
      expect(answer).toBe(want.label);
    }
  });

  it('writes a regressor row as its unscaled value', () => {
    const encode = outputEncoder(null, 100, 10);
    const y = Float32Array.from([0.5, -1.25]);
    expect(encode(y, 0)).toEqual({ json: '{"value":105}', answer: 105 });
    expect(JSON.parse(encode(y, 1).json)).toEqual({ value: 87.5 });
  });

  it('writes NaN and Infinity as null, so the answer stays valid JSON', () => {
    const classes = ['a', 'b'];
    const { json, answer } = outputEncoder(classes, 0, 1)(Float32Array.from([Number.NaN, Number.POSITIVE_INFINITY]), 0);
    // No probability compares greater than NaN: the first class is the label, as before.
    expect(JSON.parse(json)).toEqual({ label: 'a', probabilities: { a: null, b: null } });
    expect(answer).toBe('a');
    expect(outputEncoder(null, 0, 1)(Float32Array.from([Number.NaN]), 0)).toEqual({
      json: '{"value":null}',
      answer: null,
    });
  });
});
