// A sweep small enough to run many times: gradient-boosted trees on iris (no TensorFlow), random
// search, which draws each trial from the seed and its number alone, whatever order trials end in.
import type { MethodInput } from '../../shared/api.js';

export const SMALL_GBDT_SWEEP = {
  dataset: 'iris',
  target: 'species',
  model: 'gbdt',
  space: {
    trees: { type: 'fixed', value: 15 },
    learningRate: { type: 'log', min: 0.02, max: 0.5 },
    maxLeaves: { type: 'int', min: 2, max: 12 },
  },
  strategy: 'random',
  wait: true,
} satisfies MethodInput<'sweeps.start'>;
