// What the engine's sweep tests share: a quick sweep on iris, and waiting for the next
// sweep.progress event a test is after.
import type { MethodInput, SweepProgress } from '../../../../../shared/api.js';
import type { EventBus } from '../../../../../electron/core/events.js';

/** A quick logistic regression sweep on iris over the learning rate. */
export const IRIS: MethodInput<'sweeps.start'> = {
  dataset: 'iris',
  target: 'species',
  model: 'logistic_regression',
  space: { learningRate: { type: 'log', min: 0.001, max: 0.3 }, epochs: { type: 'fixed', value: 15 } },
  strategy: 'random',
  seed: 7,
  // One at a time whatever the machine's cores: these tests follow trials in order.
  parallel: 1,
};

/** The next sweep.progress event `matches` accepts (subscribe before causing it). */
export function nextProgress(events: EventBus, matches: (p: SweepProgress) => boolean): Promise<SweepProgress> {
  return new Promise((resolve) => {
    const off = events.subscribe((event, payload) => {
      if (event === 'sweep.progress' && matches(payload as SweepProgress)) {
        off();
        resolve(payload as SweepProgress);
      }
    });
  });
}
