// Automatic model choice through the service: on a table where trees clearly win it keeps gbdt, on
// a linear one the linear model; the leaderboard is recorded, the run becomes an ordinary run of the
// chosen kind, and only the winner is scored on the test rows. The tie rule on its own, and the
// requests auto refuses.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutoCandidate, AutoChoice, Run, RunProgress } from '../../../../../shared/api.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { chooseCandidate, TIE_MARGIN } from '../../../../../electron/core/training/auto-model.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { tempDirFor } from '../helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

const temp = tempDirFor('file', 'cairn-auto-');
let service: CairnService;
let treesRun: Run;
let linearRun: Run;
/** The checkerboard run's progress events. */
const progress: RunProgress[] = [];

/** A 3×3 checkerboard over x1 and x2 (axis-aligned thresholds: what trees are for), plus a noise column. */
function checkerboardCsv(rows: number, seed: number): string {
  const random = seededRandom(seed);
  const lines = ['x1,x2,noise,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 3;
    const x2 = random() * 3;
    const cell = Math.floor(x1) + Math.floor(x2);
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${random().toFixed(3)},${cell % 2 === 0 ? 'even' : 'odd'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** y = 2·x1 − 3·x2 + 0.5·x3 + noise of standard deviation about 0.3: nothing to find beyond a line. */
function linearCsv(rows: number, seed: number): string {
  const random = seededRandom(seed);
  const lines = ['x1,x2,x3,y'];
  for (let i = 0; i < rows; i++) {
    const [x1, x2, x3] = [random() * 4 - 2, random() * 4 - 2, random() * 4 - 2];
    const noise = (random() + random() + random() - 1.5) * 0.6;
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${x3.toFixed(3)},${(2 * x1 - 3 * x2 + 0.5 * x3 + noise).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}

function autoOf(run: Run): AutoChoice {
  return (run.metrics as { auto: AutoChoice }).auto;
}

beforeAll(async () => {
  service = await CairnService.open({ home: path.join(temp.dir, 'home'), host: 'cli' });
  await writeFile(path.join(temp.dir, 'board.csv'), checkerboardCsv(1000, 7));
  await writeFile(path.join(temp.dir, 'line.csv'), linearCsv(600, 8));
  await service.invoke('datasets.importNow', { path: path.join(temp.dir, 'board.csv') });
  await service.invoke('datasets.importNow', { path: path.join(temp.dir, 'line.csv') });
  const unsubscribe = service.events.subscribe((event, payload) => {
    if (event === 'run.progress') progress.push(payload as RunProgress);
  });
  treesRun = await service.invoke('runs.startNow', { dataset: 'board', target: 'label', model: 'auto', seed: 3 });
  unsubscribe();
  linearRun = await service.invoke('runs.startNow', { dataset: 'line', target: 'y', model: 'auto', seed: 3 });
}, 120_000);
afterAll(async () => {
  await service.close();
});

describe('automatic model choice', () => {
  it('keeps gradient-boosted trees on a checkerboard, where they clearly win', () => {
    expect(treesRun.status).toBe('succeeded');
    const auto = autoOf(treesRun);
    expect(auto.candidates.map((c) => c.model)).toEqual(['logistic_regression', 'gbdt', 'mlp']);
    expect(auto.metric).toBe('accuracy');
    expect(auto.chosen).toBe('gbdt');
    const score = (kind: string) => auto.candidates.find((c) => c.model === kind)?.validation.accuracy as number;
    // Clearly: beyond the tie margin over both others, so the tie rule is not what chose.
    expect(score('gbdt')).toBeGreaterThan(score('mlp') + TIE_MARGIN.accuracy);
    expect(score('gbdt')).toBeGreaterThan(score('logistic_regression') + 0.2);
    expect(auto.reason).toMatch(
      /^Gradient-boosted trees: validation accuracy 0\.\d{4} vs Logistic regression 0\.\d{4} and Neural network \(MLP\) 0\.\d{4}\.$/,
    );
  });

  it('records the run as an ordinary run of the chosen kind, asked for as auto', () => {
    expect(treesRun.modelKind).toBe('gbdt');
    expect(treesRun.params).toMatchObject({ modelChoice: 'auto', model: { kind: 'gbdt' } });
    expect(treesRun.backend).toBe('javascript');
    expect(treesRun.model).toEqual({ name: 'board', version: 1 });
    // The run's curves are the winner's: one point per boosting round.
    const boosting = (treesRun.metrics as { boosting: { rounds: number } }).boosting;
    expect(treesRun.history).toHaveLength(boosting.rounds);
    for (const c of autoOf(treesRun).candidates) {
      expect(c.seconds).toBeGreaterThan(0);
      expect(Object.keys(c.validation).sort()).toEqual(['accuracy', 'balanced_accuracy', 'log_loss']);
    }
    expect(autoOf(treesRun).candidates[1]?.settings).toMatchObject({ trees: 300, learningRate: 0.1 });
  });

  it('reports progress per candidate, in turn, the fraction counting the whole run', () => {
    const order = progress.map((p) => p.candidate?.model).filter((m, i, all) => m !== all[i - 1]);
    expect(order).toEqual(['logistic_regression', 'gbdt', 'mlp']);
    expect(progress.every((p) => p.candidate?.of === 3)).toBe(true);
    const fractions = progress.map((p) => p.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] as number))).toBe(true);
    expect(fractions.at(-1)).toBeLessThanOrEqual(1);
  });

  it('scores only the winner on the test rows', () => {
    const metrics = treesRun.metrics as Record<string, unknown>;
    expect(Object.keys(metrics).sort()).toEqual(['auto', 'boosting', 'explanation', 'test', 'validation']);
    expect((metrics.test as { accuracy: number }).accuracy).toBeGreaterThan(0.9);
    for (const c of autoOf(treesRun).candidates) expect(Object.keys(c)).not.toContain('test');
  });

  it('keeps the linear model on a linear table', () => {
    expect(linearRun.status).toBe('succeeded');
    const auto = autoOf(linearRun);
    expect(auto.candidates.map((c) => c.model)).toEqual(['linear_regression', 'gbdt', 'mlp']);
    expect(auto.metric).toBe('rmse');
    expect(auto.chosen).toBe('linear_regression');
    expect(linearRun.modelKind).toBe('linear_regression');
    const rmse = (kind: string) => auto.candidates.find((c) => c.model === kind)?.validation.rmse as number;
    // Trees approximate a plane by steps and lose outright; the MLP may come close (the tie rule's case).
    expect(rmse('gbdt')).toBeGreaterThan(rmse('linear_regression') * (1 + TIE_MARGIN.rmse));
    expect(rmse('linear_regression')).toBeLessThanOrEqual(rmse('mlp') * (1 + TIE_MARGIN.rmse));
    expect((linearRun.metrics as { test: { r2: number } }).test.r2).toBeGreaterThan(0.95);
  });
});

describe('the tie rule', () => {
  /** Candidates simplest first, as the engine trains them, each with one validation score. */
  const choose = (task: 'classification' | 'regression', scores: [AutoCandidate['model'], number][]) =>
    chooseCandidate(
      task,
      scores.map(([model, v]) => ({
        model,
        validation: { [task === 'classification' ? 'accuracy' : 'rmse']: v },
        seconds: 1,
        settings: {},
      })),
    );

  it('keeps the simpler model within the margin and says so', () => {
    const r = choose('classification', [
      ['logistic_regression', 0.9],
      ['gbdt', 0.905],
      ['mlp', 0.8],
    ]);
    expect(r.chosen).toBe('logistic_regression');
    expect(r.reason).toBe(
      'Logistic regression: validation accuracy 0.9000 is within 1 point of the best (Gradient-boosted trees 0.9050), and of models that close the simpler one is kept (Gradient-boosted trees 0.9050 and Neural network (MLP) 0.8000).',
    );
  });

  it('passes over a simpler model beyond the margin, then breaks the tie by simplicity', () => {
    const r = choose('classification', [
      ['logistic_regression', 0.88],
      ['gbdt', 0.905],
      ['mlp', 0.91],
    ]);
    expect(r.chosen).toBe('gbdt');
    expect(r.reason).toContain('within 1 point of the best (Neural network (MLP) 0.9100)');
    expect(
      choose('classification', [
        ['logistic_regression', 0.88],
        ['gbdt', 0.89],
        ['mlp', 0.91],
      ]).chosen,
    ).toBe('mlp');
  });

  it('compares RMSE lower-is-better, the margin a share of the best', () => {
    const rmse = (scores: [AutoCandidate['model'], number][]) => choose('regression', scores).chosen;
    expect(
      rmse([
        ['linear_regression', 1.03],
        ['gbdt', 0.8],
        ['mlp', 1],
      ]),
    ).toBe('gbdt');
    expect(
      rmse([
        ['linear_regression', 1.019],
        ['gbdt', 1.5],
        ['mlp', 1],
      ]),
    ).toBe('linear_regression');
  });
});

describe('what auto refuses', () => {
  it('settings it chooses per candidate, named, before the run is queued', async () => {
    const before = (await service.invoke('runs.list', {})).length;
    await expect(
      service.invoke('runs.startNow', { dataset: 'line', target: 'y', model: 'auto', epochs: 5, learningRate: 0.1 }),
    ).rejects.toThrow(/sets each candidate's epochs, learning rate itself/);
    expect(await service.invoke('runs.list', {})).toHaveLength(before);
  });

  it('a split without validation rows', async () => {
    await expect(
      service.invoke('runs.startNow', {
        dataset: 'line',
        target: 'y',
        model: 'auto',
        split: { train: 0.8, validation: 0, test: 0.2 },
      }),
    ).rejects.toThrow(/validation split, which has no rows/);
  });
});
