// A label judged against the prediction it names: a class the model knows (matched as the endpoint
// matches categories, so 2 names the class "2.0" of a number column), or a number for a regressor.
import { describe, expect, it } from 'vitest';
import type { LoggedPrediction } from '../../../../../electron/core/db/request-log-db.js';
import { judgeLabel } from '../../../../../electron/core/monitoring/feedback.js';

const logged = (output: unknown): LoggedPrediction => ({
  predictionId: 'p1',
  model: 'ratings',
  version: 1,
  at: 1000,
  outputJson: JSON.stringify(output),
});

describe('judgeLabel', () => {
  const rated = logged({ label: '2.0', probabilities: { '1.0': 0.2, '2.0': 0.7, '3.0': 0.1 } });

  it('takes a number for a class of a number column, and stores the class name', () => {
    expect(judgeLabel(rated, 2, 'json', 5)).toEqual({
      row: {
        predictionId: 'p1',
        model: 'ratings',
        version: 1,
        at: 1000,
        receivedAt: 5,
        labelJson: '"2.0"',
        correct: 1,
        absError: null,
      },
    });
    expect(judgeLabel(rated, '3', 'text', 5)).toMatchObject({ row: { labelJson: '"3.0"', correct: 0 } });
    expect(judgeLabel(rated, '2.0', 'text', 5)).toMatchObject({ row: { labelJson: '"2.0"', correct: 1 } });
  });

  it('refuses a class the model does not know', () => {
    expect(judgeLabel(rated, 4, 'json', 5)).toEqual({
      error: 'label "4" is not one of the model\'s classes (1.0, 2.0, 3.0)',
    });
  });

  it("reads a regressor's label as a number, spelled as text only from CSV", () => {
    const valued = logged({ value: 10 });
    expect(judgeLabel(valued, 12, 'json', 5)).toMatchObject({ row: { absError: 2, correct: null } });
    expect(judgeLabel(valued, ' 7.5 ', 'text', 5)).toMatchObject({ row: { absError: 2.5 } });
    expect(judgeLabel(valued, '7.5', 'json', 5)).toEqual({
      error: 'the label must be a finite number for a regression model',
    });
    expect(judgeLabel(valued, '0x10', 'text', 5)).toEqual({
      error: 'the label must be a finite number for a regression model',
    });
  });
});
