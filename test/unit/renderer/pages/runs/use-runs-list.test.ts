import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../../../renderer/src/pages/runs/use-runs-list.js';

/** A task whose calls finish when the test says so. */
function controlled() {
  const finishers: (() => void)[] = [];
  let calls = 0;
  const task = () => {
    calls++;
    return new Promise<void>((resolve) => finishers.push(resolve));
  };
  const finish = async () => {
    finishers.shift()?.();
    // Let the finally() that may start the next call run.
    await new Promise((r) => setTimeout(r, 0));
  };
  return { task, finish, calls: () => calls };
}

describe('coalesce', () => {
  it('folds a burst of triggers into one call in flight and one after it', async () => {
    const c = controlled();
    const reload = coalesce(c.task);
    for (let i = 0; i < 50; i++) reload.trigger();
    expect(c.calls()).toBe(1);
    await c.finish();
    expect(c.calls()).toBe(2);
    await c.finish();
    expect(c.calls()).toBe(2);
    reload.trigger();
    expect(c.calls()).toBe(3);
  });

  it('goes on after a failed call and stops after dispose', async () => {
    let calls = 0;
    const reload = coalesce(() => {
      calls++;
      return Promise.reject(new Error('offline'));
    });
    reload.trigger();
    reload.trigger();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
    reload.dispose();
    reload.trigger();
    expect(calls).toBe(2);
  });
});
