// The micro-batcher batches while busy: an idle model scores at once, requests arriving during a
// call form the next batch, and the delay applies only under load, as a cap a full batch skips.
import { describe, expect, it } from 'vitest';
import { MicroBatcher, type BatcherOptions, type Scored } from '../../../../../electron/core/serving/batcher.js';

/** A one-feature model doubling its input; records the rows of each call. */
function doubler(options: Partial<BatcherOptions> = {}) {
  const calls: number[] = [];
  const batcher = new MicroBatcher(
    {
      width: 1,
      units: 1,
      predict: (x, n) => {
        calls.push(n);
        return x.slice(0, n).map((v) => v * 2);
      },
    },
    { maxBatch: 64, maxDelayMs: 0, maxRowsPerCall: 64, ...options },
  );
  const submit = (v: number) => batcher.submit(Float32Array.of(v), 1, Date.now() + 60_000);
  return { batcher, calls, submit };
}

const value = (s: Scored) => s.y[s.row];
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('MicroBatcher', () => {
  it('scores a request to an idle model at once, whatever the cap under load', async () => {
    // A fixed wait here would outlast the test's timeout.
    const { calls, submit } = doubler({ maxDelayMs: 60_000 });
    expect(value(await submit(3))).toBe(6);
    expect(calls).toEqual([1]);
  });

  it('scores requests that arrived together in one call', async () => {
    const { calls, submit } = doubler();
    const answers = await Promise.all([submit(1), submit(2), submit(3)]);
    expect(answers.map(value)).toEqual([2, 4, 6]);
    expect(calls).toEqual([3]);
  });

  it('batches the requests that arrive during a call into the next one', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let entered!: () => void;
    const inCall = new Promise<void>((resolve) => (entered = resolve));
    const { calls, submit, batcher } = doubler({
      beforeCall: async () => {
        entered();
        await gate;
      },
    });
    const first = submit(1);
    await inCall;
    const during = [submit(2), submit(3), submit(4)];
    expect(batcher.waiting).toBe(3);
    open();
    expect(value(await first)).toBe(2);
    expect((await Promise.all(during)).map(value)).toEqual([4, 6, 8]);
    expect(calls).toEqual([1, 3]);
  });

  it('under load waits up to the cap for company, and a full batch goes at once', async () => {
    const { calls, submit } = doubler({ maxBatch: 2, maxDelayMs: 60_000 });
    expect(value(await submit(1))).toBe(2);
    // A call just ended: the next request waits for company rather than going alone...
    const second = submit(2);
    await nextTurn();
    await nextTurn();
    expect(calls).toEqual([1]);
    // ...and goes as soon as its batch is full, not at the cap.
    const third = submit(3);
    expect([await second, await third].map(value)).toEqual([4, 6]);
    expect(calls).toEqual([1, 2]);
  });
});
