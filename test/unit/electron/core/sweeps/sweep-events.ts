// Waiting on a sweep's progress in the engine's tests: the next sweep.progress event a test is after.
import type { SweepProgress } from '../../../../../shared/api.js';
import type { EventBus } from '../../../../../electron/core/events.js';

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
