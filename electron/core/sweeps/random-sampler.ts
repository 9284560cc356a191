// Random search: each parameter drawn uniformly (in log for log ranges). A trial's draws come from
// its own stream, seeded by the sweep's seed and the trial's number, so a resumed sweep asks the
// same parameters for trial 12 as the run that was interrupted would have.
import { seededRandom } from '../training/seeded-random.js';
import { sampleAllUniform } from './distributions.js';
import type { SampleContext, Sampler } from './trials.js';

/** The random stream of trial `number` of a sweep seeded with `seed`. */
export function trialRandom(seed: number, number: number): () => number {
  // Mix the trial number in with a golden-ratio multiply so neighbouring trials get unrelated streams.
  return seededRandom((Math.imul(seed | 0, 0x85ebca6b) ^ Math.imul(number + 1, 0x9e3779b9)) | 0);
}

export class RandomSampler implements Sampler {
  constructor(private readonly seed: number) {}

  sample({ distributions, number }: SampleContext) {
    return sampleAllUniform(distributions, trialRandom(this.seed, number));
  }
}
