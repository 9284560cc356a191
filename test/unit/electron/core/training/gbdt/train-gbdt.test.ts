// trainGbdt: early stopping, per-round reports, determinism by seed, the shape of what it returns,
// and its parameters.
import { describe, expect, it } from 'vitest';
import { checkTrees } from '../../../../../../electron/core/training/gbdt/check-trees.js';
import { importance } from '../../../../../../electron/core/training/gbdt/importance.js';
import { compileTrees, predictRaw } from '../../../../../../electron/core/training/gbdt/predict-trees.js';
import { GbdtParams, trainGbdt, type GbdtData } from '../../../../../../electron/core/training/gbdt/train-gbdt.js';
import { seededRandom } from '../../../../../../electron/core/training/seeded-random.js';
import { makeTable } from './data.js';

const table = makeTable(400, 3);
const binary: GbdtData = {
  featureKinds: table.featureKinds,
  task: 'classification',
  classes: 2,
  train: { x: table.x, y: table.binary },
};

describe('early stopping', () => {
  it('stops after earlyStoppingRounds rounds without improvement and keeps the trees up to the best round', async () => {
    // Labels that are pure noise: the validation loss is best after a few rounds, then worsens.
    const random = seededRandom(5);
    const noise = (n: number) => Int32Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0));
    const val = makeTable(200, 4);
    const data: GbdtData = {
      ...binary,
      train: { x: table.x, y: noise(table.n) },
      validation: { x: val.x, y: noise(val.n) },
    };
    const rounds: number[] = [];
    const out = await trainGbdt(data, { trees: 200, earlyStoppingRounds: 5, minSamplesLeaf: 5 }, (round, l) => {
      rounds.push(round);
      expect(l.valLoss).toBeTypeOf('number');
    });
    const losses = out.history.map((h) => h.valLoss!);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(out.rounds).toBeLessThan(200);
    expect(out.bestIteration).toBe(best);
    expect(out.rounds).toBe(best + 5);
    expect(rounds).toEqual(Array.from({ length: out.rounds }, (_v, i) => i + 1));
    expect(out.ensemble.trees).toHaveLength(best);
    // The kept ensemble scores the validation rows with the best round's loss.
    const raw = predictRaw(compileTrees(out.ensemble), val.x, val.n);
    let ll = 0;
    for (let i = 0; i < val.n; i++) ll += Math.log1p(Math.exp(raw[i]!)) - data.validation!.y[i]! * raw[i]!;
    expect(ll / val.n).toBeCloseTo(losses[best - 1]!, 9);
  });

  it('trains every round without a validation set, with an empty one, or with earlyStoppingRounds 0', async () => {
    const val = makeTable(100, 9);
    const plain = await trainGbdt(binary, { trees: 7 });
    expect([plain.rounds, plain.bestIteration, plain.ensemble.trees.length]).toEqual([7, 7, 7]);
    expect(plain.history.every((h) => h.valLoss === undefined)).toBe(true);
    const empty = await trainGbdt(
      { ...binary, validation: { x: new Float32Array(0), y: new Int32Array(0) } },
      { trees: 7 },
    );
    expect([empty.rounds, empty.bestIteration]).toEqual([7, 7]);
    expect(empty.history.every((h) => h.valLoss === undefined)).toBe(true);
    const off = await trainGbdt(
      { ...binary, validation: { x: val.x, y: val.binary } },
      { trees: 7, earlyStoppingRounds: 0 },
    );
    expect([off.rounds, off.bestIteration]).toEqual([7, 7]);
  });

  it('awaits onRound, and a throw from it cancels training', async () => {
    let seen = 0;
    await expect(
      trainGbdt(binary, { trees: 50 }, async (round) => {
        await Promise.resolve();
        seen = round;
        if (round === 3) throw new Error('cancelled');
      }),
    ).rejects.toThrow('cancelled');
    expect(seen).toBe(3);
  });

  it('gives the event loop a turn between rounds, so a cancel sent meanwhile is seen', async () => {
    let cancelled = false;
    setImmediate(() => (cancelled = true));
    const seen: number[] = [];
    await expect(
      trainGbdt(binary, { trees: 50 }, (round) => {
        seen.push(round);
        if (cancelled) throw new Error('cancelled');
      }),
    ).rejects.toThrow('cancelled');
    expect(seen).toEqual([1, 2]);
  });
});

describe('determinism', () => {
  const params = { trees: 8, subsample: 0.6, colsample: 0.5, seed: 11 };
  it('grows the same trees from the same seed', async () => {
    const a = await trainGbdt(binary, params);
    const b = await trainGbdt(binary, params);
    expect(JSON.stringify(b.ensemble)).toBe(JSON.stringify(a.ensemble));
  });

  it('grows different trees from another seed when subsampling', async () => {
    const a = await trainGbdt(binary, params);
    const c = await trainGbdt(binary, { ...params, seed: 12 });
    expect(JSON.stringify(c.ensemble)).not.toBe(JSON.stringify(a.ensemble));
  });
});

describe('training threads', () => {
  it('grow the same trees on 1, 2 and 3 threads', async () => {
    // Big enough that passes are shared out (PARALLEL_MIN_CELLS, PARALLEL_MIN_ROWS), small enough to stay quick.
    const big = makeTable(80_000, 6);
    const data: GbdtData = { ...binary, classes: 3, train: { x: big.x, y: big.multi } };
    const params = { trees: 2, subsample: 0.8, colsample: 0.75 };
    const one = JSON.stringify((await trainGbdt(data, params, undefined, { threads: 1 })).ensemble);
    expect(JSON.stringify((await trainGbdt(data, params, undefined, { threads: 2 })).ensemble)).toBe(one);
    expect(JSON.stringify((await trainGbdt(data, params, undefined, { threads: 3 })).ensemble)).toBe(one);
  });
});

describe('what training returns', () => {
  it('a checked ensemble whose scores are the ones training reached', async () => {
    const out = await trainGbdt(binary, { trees: 10 });
    expect(checkTrees(out.ensemble)).toEqual({ ok: true });
    const raw = predictRaw(compileTrees(out.ensemble), table.x, table.n);
    let ll = 0;
    for (let i = 0; i < table.n; i++) ll += Math.log1p(Math.exp(raw[i]!)) - table.binary[i]! * raw[i]!;
    expect(ll / table.n).toBeCloseTo(out.history.at(-1)!.loss, 9);
  });

  it('one tree per class per round for softmax', async () => {
    const out = await trainGbdt({ ...binary, classes: 3, train: { x: table.x, y: table.multi } }, { trees: 4 });
    expect(out.ensemble.objective).toBe('softmax');
    expect(out.ensemble.nOutputs).toBe(3);
    expect(out.ensemble.treeOutputs).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(checkTrees(out.ensemble)).toEqual({ ok: true });
  });

  it('respects maxLeaves, maxDepth and minSamplesLeaf', async () => {
    const out = await trainGbdt(binary, { trees: 5, maxLeaves: 6, maxDepth: 2, minSamplesLeaf: 30 });
    for (const t of out.ensemble.trees) {
      const leaves = t.feature.filter((f) => f < 0).length;
      expect(leaves).toBeLessThanOrEqual(4);
      t.feature.forEach((f, j) => f < 0 && expect(t.cover[j]).toBeGreaterThanOrEqual(30));
    }
    const wide = await trainGbdt(binary, { trees: 3, maxLeaves: 6, minSamplesLeaf: 5 });
    expect(Math.max(...wide.ensemble.trees.map((t) => t.feature.filter((f) => f < 0).length))).toBe(6);
  });

  it('importance sums split gains and counts per feature', async () => {
    const out = await trainGbdt(binary, { trees: 5 });
    const imp = importance(out.ensemble);
    let gain = 0;
    let splits = 0;
    for (const t of out.ensemble.trees) {
      t.feature.forEach((f, j) => {
        if (f >= 0) {
          gain += t.gain[j]!;
          splits++;
        }
      });
    }
    expect(imp.gain.reduce((a, b) => a + b)).toBeCloseTo(gain, 9);
    expect(imp.splits.reduce((a, b) => a + b)).toBe(splits);
    // b (feature 1) drives the label most.
    expect(imp.gain.indexOf(Math.max(...imp.gain))).toBe(1);
  });
});

describe('parameters', () => {
  it('has the documented defaults and refuses out-of-range or unknown settings', () => {
    expect(GbdtParams.parse({})).toEqual({
      trees: 100,
      learningRate: 0.1,
      maxLeaves: 31,
      minSamplesLeaf: 20,
      l2: 0,
      maxBins: 255,
      subsample: 1,
      colsample: 1,
      earlyStoppingRounds: 10,
      loss: 'squared_error',
      seed: 42,
    });
    expect(GbdtParams.safeParse({ trees: 10_001 }).success).toBe(false);
    expect(GbdtParams.safeParse({ maxBins: 256 }).success).toBe(false);
    expect(GbdtParams.safeParse({ subsample: 0 }).success).toBe(false);
    expect(GbdtParams.safeParse({ leaves: 3 }).success).toBe(false);
  });

  it('refuses data that does not fit together', async () => {
    await expect(trainGbdt({ ...binary, classes: 1 })).rejects.toThrow(/classes/);
    await expect(trainGbdt({ ...binary, train: { x: table.x.subarray(1), y: table.binary } })).rejects.toThrow(
      /values/,
    );
    await expect(trainGbdt({ ...binary, train: { x: table.x, y: table.multi } })).rejects.toThrow(/labels/);
  });
});
