// The space a sweeping retrain searches: ranges about the champion's values, in the setting's
// bounds, with what the default space does not tune held at the champion's value.
import { describe, expect, it } from 'vitest';
import { championParams, narrowedSpace, spaceProblems } from '../../../../shared/sweep.js';

describe('narrowedSpace', () => {
  it('puts log settings from a third to three times the champion, a quarter-width float range about it, and holds the rest', () => {
    // Settings a run request names as a sweep does pass as they are; the MLP's shape is folded back.
    const named = { learningRate: 0.01, l2: 1e-4, batchSize: 64, epochs: 30, optimizer: 'adam', seed: 7 } as const;
    const layer = { units: 48, dropout: 0.2, activation: 'tanh' } as const;
    const champion = championParams({
      dataset: 'd',
      target: 'y',
      model: 'mlp',
      ...named,
      hiddenLayers: [layer, layer],
    });
    expect(champion).toEqual({ ...named, layers: 2, ...layer });
    const space = narrowedSpace('mlp', champion);
    expect(space.learningRate).toEqual({ type: 'log', min: 0.01 / 3, max: 0.01 * 3 });
    expect(space.l2).toEqual({ type: 'log', min: 1e-4 / 3, max: 1e-4 * 3 });
    // Whole numbers on an integer setting: 48 / 3 = 16, 48 x 3 = 144.
    expect(space.units).toEqual({ type: 'log', min: 16, max: 144 });
    // The default dropout range is 0 to 0.5: a quarter of it, 0.125 wide, about 0.2.
    expect(space.dropout).toEqual({ type: 'float', min: 0.2 - 0.0625, max: 0.2 + 0.0625 });
    expect(space.layers).toEqual({ type: 'int', min: 1, max: 3 });
    // Choices and what the default space does not tune stay the champion's.
    expect(space.activation).toEqual({ type: 'fixed', value: 'tanh' });
    expect(space.batchSize).toEqual({ type: 'fixed', value: 64 });
    expect(space.epochs).toEqual({ type: 'fixed', value: 30 });
    expect(space.optimizer).toEqual({ type: 'fixed', value: 'adam' });
    expect(space.seed).toEqual({ type: 'fixed', value: 7 });
    expect(spaceProblems('mlp', space)).toEqual([]);
  });

  it("clips ranges to the setting's bounds, holds a log setting at 0, and keeps the default range where the champion recorded nothing", () => {
    const space = narrowedSpace('gbdt', {
      subsample: 1,
      minSamplesLeaf: 1,
      l2: 0,
      maxLeaves: 40,
      maxDepth: 6,
      trees: 100,
    });
    // Subsample is at most 1: the range reaches below it only.
    expect(space.subsample).toEqual({ type: 'float', min: 1 - 0.0625, max: 1 });
    expect(space.minSamplesLeaf).toEqual({ type: 'log', min: 1, max: 3 });
    expect(space.l2).toEqual({ type: 'fixed', value: 0 });
    // A tree at most 6 deep has at most 64 leaves: 40 x 3 is cut to that.
    expect(space.maxLeaves).toEqual({ type: 'log', min: 14, max: 64 });
    expect(narrowedSpace('gbdt', { maxLeaves: 200, maxDepth: 6 }).maxLeaves).toEqual({ type: 'fixed', value: 64 });
    expect(spaceProblems('gbdt', space)).toEqual([]);
    expect(space.learningRate).toEqual({ type: 'log', min: 0.01, max: 0.3 });
    expect(space.trees).toEqual({ type: 'fixed', value: 100 });
  });
});
