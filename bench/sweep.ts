// `npm run bench -- sweep [--rows N] [--trials T] [--epochs E] [--parallel P] [--no-optuna]`: MLP
// sweeps through the service (each trial a run in its own job process, as a user's sweep) on a
// generated classification table of N rows (default 50,000) × 12 numeric features, a binary label
// from a non-linear teacher with noise: T trials (default 40) of random search, T of TPE, and the
// same T TPE trials with ASHA stopping poor ones early. Prints the best validation accuracy each
// reached and its wall time. Then the same random search run by Optuna (Debian's python3-optuna
// and scikit-learn at /usr/bin/python3: RandomSampler over an MLPClassifier) on the same rows in
// the same run, and the wall-time ratio of Cairn's random search to it. The space is the same on
// both sides: learning rate (log 1e-4 to 0.1), 1-2 hidden layers of 16-128 units (log), L2 (log
// 1e-6 to 1e-2; sklearn's alpha), batch size 64/128/256, relu or tanh, E epochs (default 20; Adam,
// no early stopping but the pruner's). Each side splits 70/15/15 with its own seeded shuffle, so
// their scores differ by the split as well. --parallel sets Cairn's trials at once and Optuna's
// n_jobs (default: Cairn's automatic choice, one per core less one, for both).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MethodInput, Sweep } from '../shared/api.js';
import type { SearchSpace } from '../shared/sweep/space.js';
import { CairnService } from '../electron/core/service.js';
import { automaticParallel } from '../electron/core/sweeps/trial-memory.js';
import { seededRandom } from '../electron/core/training/seeded-random.js';
import { intArg } from './args.js';
import { ensurePython, PYTHON } from './python.js';

const FEATURES = 12;
const SEED = 11;

/** The table as CSV: 12 numeric features, the label a noisy non-linear function of the first 8. */
function generateCsv(n: number): string {
  const random = seededRandom(SEED);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const lines = [[...Array.from({ length: FEATURES }, (_, f) => `x${f}`), 'label'].join(',')];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: FEATURES }, gauss);
    const z =
      x[0]! * x[1]! + Math.sin(2 * x[2]!) - 0.5 * x[3]! ** 2 + 0.8 * x[4]! - 0.6 * x[5]! + x[6]! * (x[7]! > 0 ? 1 : -1);
    lines.push([...x.map((v) => v.toFixed(5)), z + gauss() * 0.7 > 0 ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function space(epochs: number): SearchSpace {
  return {
    learningRate: { type: 'log', min: 1e-4, max: 0.1 },
    layers: { type: 'int', min: 1, max: 2 },
    units: { type: 'log', min: 16, max: 128 },
    l2: { type: 'log', min: 1e-6, max: 1e-2 },
    batchSize: { type: 'choice', values: [64, 128, 256] },
    activation: { type: 'choice', values: ['relu', 'tanh'] },
    dropout: { type: 'fixed', value: 0 },
    epochs: { type: 'fixed', value: epochs },
  };
}

const OPTUNA = String.raw`
import json, sys, time, warnings
import numpy as np
import optuna
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
warnings.filterwarnings("ignore", category=ConvergenceWarning)
optuna.logging.set_verbosity(optuna.logging.WARNING)
csv, trials, epochs, jobs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
raw = np.genfromtxt(csv, delimiter=",", skip_header=1, dtype=str)
X = raw[:, :-1].astype(np.float64)
y = (raw[:, -1] == "yes").astype(np.int64)
order = np.random.default_rng(seed).permutation(len(y))
n_train, n_val = int(0.7 * len(y)), int(0.15 * len(y))
tr, va = order[:n_train], order[n_train:n_train + n_val]
mean, std = X[tr].mean(0), X[tr].std(0) + 1e-12
X = (X - mean) / std
def objective(trial):
    lr = trial.suggest_float("learningRate", 1e-4, 0.1, log=True)
    layers = trial.suggest_int("layers", 1, 2)
    units = trial.suggest_int("units", 16, 128, log=True)
    l2 = trial.suggest_float("l2", 1e-6, 1e-2, log=True)
    batch = trial.suggest_categorical("batchSize", [64, 128, 256])
    act = trial.suggest_categorical("activation", ["relu", "tanh"])
    m = MLPClassifier(hidden_layer_sizes=(units,) * layers, activation=act, alpha=l2, batch_size=batch,
        learning_rate_init=lr, max_iter=epochs, solver="adam", random_state=seed)
    m.fit(X[tr], y[tr])
    return float((m.predict(X[va]) == y[va]).mean())
study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(seed=seed))
t0 = time.perf_counter()
study.optimize(objective, n_trials=trials, n_jobs=jobs)
print(json.dumps({"seconds": time.perf_counter() - t0, "best": study.best_value}))
`;

interface Outcome {
  label: string;
  seconds: number;
  best: number | null;
  complete: number;
  pruned: number;
}

async function sweep(
  service: CairnService,
  label: string,
  req: Partial<MethodInput<'sweeps.start'>>,
  base: MethodInput<'sweeps.start'>,
): Promise<Outcome> {
  const t0 = performance.now();
  const s: Sweep = await service.invoke('sweeps.start', { ...base, ...req, wait: true });
  const seconds = (performance.now() - t0) / 1000;
  const count = (status: string) => s.trials.filter((t) => t.status === status).length;
  for (const note of s.notes) console.log(`  note (${label}): ${note}`);
  return { label, seconds, best: s.bestValue, complete: count('complete'), pruned: count('pruned') };
}

async function main(): Promise<void> {
  const rows = intArg('rows', 50_000, 200);
  const trials = intArg('trials', 40, 1);
  const epochs = intArg('epochs', 20, 1);
  const parallel = process.argv.includes('--parallel') ? intArg('parallel', 1, 1) : undefined;
  const withOptuna = !process.argv.includes('--no-optuna');
  const cores = os.availableParallelism();
  console.log(
    `sweep bench: ${rows} rows × ${FEATURES} features, MLP, ${trials} trials of ${epochs} epochs, ` +
      `parallel ${parallel ?? `automatic (${automaticParallel(cores)})`}, ${cores} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-sweep-'));
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  try {
    const csv = path.join(dir, 'table.csv');
    await writeFile(csv, generateCsv(rows));
    await service.invoke('datasets.importNow', { path: csv, name: 'table' });
    const base: MethodInput<'sweeps.start'> = {
      dataset: 'table',
      target: 'label',
      model: 'mlp',
      space: space(epochs),
      trials,
      seed: SEED,
      ...(parallel ? { parallel } : {}),
    };
    const outcomes = [
      await sweep(service, 'random', { strategy: 'random' }, base),
      await sweep(service, 'tpe', { strategy: 'tpe' }, base),
      await sweep(service, 'tpe + asha', { strategy: 'tpe', stopping: 'asha' }, base),
    ];
    for (const o of outcomes)
      console.log(
        `  cairn ${o.label.padEnd(10)} best validation accuracy ${o.best?.toFixed(4) ?? 'none'}  ` +
          `wall ${o.seconds.toFixed(1)} s  (${o.complete} complete, ${o.pruned} pruned)`,
      );
    if (!withOptuna) return;
    ensurePython('optuna, sklearn', 'python3-optuna python3-sklearn');
    const jobs = parallel ?? automaticParallel(cores);
    const py = spawnSync(PYTHON, ['-c', OPTUNA, csv, String(trials), String(epochs), String(jobs), String(SEED)], {
      encoding: 'utf8',
    });
    if (py.status !== 0) {
      console.log(`  optuna unavailable: ${py.error?.message ?? py.stderr.trim().split('\n').pop()}`);
      return;
    }
    const ref = JSON.parse(py.stdout) as { seconds: number; best: number };
    console.log(
      `  optuna random     best validation accuracy ${ref.best.toFixed(4)}  wall ${ref.seconds.toFixed(1)} s  (n_jobs ${jobs}, sklearn MLPClassifier)`,
    );
    console.log(`  wall-time ratio cairn random / optuna random ${(outcomes[0]!.seconds / ref.seconds).toFixed(2)}x`);
  } finally {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
