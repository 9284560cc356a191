// The search space parser names each bad input before anything runs (issue 14, "Bad input"), and
// the default spaces pass their own checks.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPACES,
  parseSearchSpace,
  SearchSpaceError,
  spaceProblems,
  sweepParametersOf,
  trialRunFields,
  type SearchSpace,
} from '../../../../shared/sweep.js';
import type { ModelKind } from '../../../../shared/sweep/parameters.js';

/** The problems parseSearchSpace throws for `input`, or [] when it parses. */
function problemsOf(model: ModelKind, input: unknown): { param?: string; message: string }[] {
  try {
    parseSearchSpace(model, input);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(SearchSpaceError);
    return (e as SearchSpaceError).problems;
  }
}

const LR: SearchSpace = { learningRate: { type: 'log', min: 1e-4, max: 0.1 } };

describe('parseSearchSpace', () => {
  it('accepts a space of every kind of parameter', () => {
    const space = {
      learningRate: { type: 'log', min: 1e-4, max: 0.1 },
      units: { type: 'int', min: 16, max: 256, step: 16 },
      dropout: { type: 'float', min: 0, max: 0.5, step: 0.1 },
      activation: { type: 'choice', values: ['relu', 'tanh'] },
      epochs: { type: 'fixed', value: 20 },
    };
    expect(parseSearchSpace('mlp', space)).toEqual(space);
  });

  it('names an empty space', () => {
    expect(problemsOf('mlp', {})).toEqual([{ message: expect.stringMatching(/search space is empty/) as string }]);
  });

  it('names a space where nothing varies', () => {
    const problems = problemsOf('mlp', {
      epochs: { type: 'fixed', value: 5 },
      optimizer: { type: 'choice', values: ['adam'] },
    });
    expect(problems).toEqual([{ message: expect.stringMatching(/nothing to vary/) as string }]);
  });

  it('names a parameter the model kind does not train on, and lists the ones it does', () => {
    const problems = problemsOf('gbdt', { ...LR, epochs: { type: 'int', min: 1, max: 10 } });
    expect(problems).toEqual([
      { param: 'epochs', message: expect.stringMatching(/^epochs: not a parameter of gbdt/) as string },
    ]);
    expect(problems[0]!.message).toContain('maxLeaves');
    expect(problemsOf('mlp', { ...LR, colour: { type: 'fixed', value: 1 } })[0]!.param).toBe('colour');
  });

  it('names a range with min above max', () => {
    expect(problemsOf('mlp', { units: { type: 'int', min: 64, max: 8 } })).toEqual([
      { param: 'units', message: "units: the range's min (64) is above its max (8)." },
    ]);
  });

  it("names a range outside the setting's bounds, with the bounds", () => {
    const [problem] = problemsOf('gbdt', { subsample: { type: 'float', min: 0.5, max: 1.5 } });
    expect(problem).toEqual({ param: 'subsample', message: expect.stringContaining('above 0, at most 1') as string });
    expect(problemsOf('mlp', { dropout: { type: 'choice', values: [0.1, 0.95] } })[0]!.message).toMatch(
      /^dropout: 0.95 outside/,
    );
    expect(problemsOf('mlp', { epochs: { type: 'fixed', value: 0 } })[0]!.param).toBe('epochs');
  });

  it('names a log range that touches zero', () => {
    // l2's bounds start at 0, so only the log rule stops this one.
    expect(problemsOf('mlp', { l2: { type: 'log', min: 0, max: 1 } })).toEqual([
      { param: 'l2', message: 'l2: a log range must stay above 0 (it starts at 0).' },
    ]);
  });

  it('names an empty choice and a choice that repeats itself', () => {
    expect(problemsOf('mlp', { optimizer: { type: 'choice', values: [] } })[0]!.message).toMatch(
      /optimizer: an empty choice/,
    );
    expect(problemsOf('mlp', { batchSize: { type: 'choice', values: [32, 32] } })[0]!.message).toMatch(
      /same value twice/,
    );
  });

  it('names a choice value a choice setting does not offer, and a range over a choice setting', () => {
    expect(problemsOf('mlp', { optimizer: { type: 'choice', values: ['adam', 'lbfgs'] } })[0]!.message).toMatch(
      /lbfgs not among adam, sgd, rmsprop/,
    );
    expect(problemsOf('mlp', { optimizer: { type: 'int', min: 1, max: 2 } })[0]!.message).toMatch(/not a int range/);
  });

  it('names a float range on a whole-number setting and an int range on a real one', () => {
    expect(problemsOf('mlp', { units: { type: 'float', min: 8, max: 64 } })[0]!.message).toMatch(
      /units: takes whole numbers/,
    );
    expect(problemsOf('mlp', { dropout: { type: 'int', min: 0, max: 0 } })[0]!.message).toMatch(
      /dropout: takes any number/,
    );
  });

  it('names steps and counts that cannot be', () => {
    expect(
      problemsOf('mlp', { dropout: { type: 'float', min: 0, max: 0.5, step: 0.1, count: 3 } })[0]!.message,
    ).toMatch(/step or a count, not both/);
    expect(problemsOf('mlp', { dropout: { type: 'float', min: 0, max: 0.5, step: 1 } })[0]!.message).toMatch(
      /fit in the range/,
    );
    expect(problemsOf('mlp', { units: { type: 'int', min: 8, max: 16, step: 0 } })[0]!.message).toMatch(/at least 1/);
    expect(problemsOf('mlp', { learningRate: { type: 'log', min: 0.001, max: 0.1, count: 1 } })[0]!.message).toMatch(
      /count must be at least 2/,
    );
  });

  it('names a contradictory space: more leaves than the depth allows', () => {
    const problems = problemsOf('gbdt', {
      maxLeaves: { type: 'int', min: 64, max: 128 },
      maxDepth: { type: 'int', min: 2, max: 5 },
    });
    expect(problems).toEqual([
      { param: 'maxLeaves', message: expect.stringMatching(/at least 64.*at most 5 deep.*32 leaves/) as string },
    ]);
    expect(
      problemsOf('gbdt', { maxLeaves: { type: 'int', min: 16, max: 128 }, maxDepth: { type: 'int', min: 2, max: 5 } }),
    ).toEqual([]);
  });

  it('names a malformed entry by its path', () => {
    const problems = problemsOf('mlp', { units: { type: 'int', min: 8 } });
    expect(problems[0]).toEqual({ param: 'units', message: expect.stringMatching(/^units\.max: /) as string });
    expect(problemsOf('mlp', { units: { type: 'range', min: 8, max: 9 } })[0]!.param).toBe('units');
  });

  it('lists every problem at once', () => {
    const problems = spaceProblems('mlp', {
      units: { type: 'int', min: 64, max: 8 },
      trees: { type: 'fixed', value: 3 },
    });
    expect(problems.map((p) => p.param)).toEqual(['units', 'trees']);
  });
});

describe('default spaces', () => {
  it.each(['gbdt', 'mlp', 'logistic_regression', 'linear_regression'] as const)(
    '%s: passes its own checks',
    (model) => {
      expect(spaceProblems(model, DEFAULT_SPACES[model])).toEqual([]);
      for (const name of Object.keys(DEFAULT_SPACES[model])) expect(sweepParametersOf(model)).toContain(name);
    },
  );
});

describe('trialRunFields', () => {
  it("folds the MLP's shape into identical hidden layers and passes the rest by name", () => {
    expect(trialRunFields({ layers: 3, units: 32, dropout: 0.1, learningRate: 0.01 })).toEqual({
      learningRate: 0.01,
      hiddenLayers: [
        { units: 32, dropout: 0.1 },
        { units: 32, dropout: 0.1 },
        { units: 32, dropout: 0.1 },
      ],
    });
    expect(trialRunFields({ units: 8 }).hiddenLayers).toHaveLength(2);
    expect(trialRunFields({ maxLeaves: 15 })).toEqual({ maxLeaves: 15 });
  });
});
