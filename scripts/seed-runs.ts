// Dev tool: fills a data folder's app.db with synthetic training runs, to look at (and test)
// the runs page with thousands of them.
//
//   npx tsx scripts/seed-runs.ts <home> [--runs 10000] [--live 3] [--seed 1]
//
// <home> is a Cairn data folder that already holds at least one imported dataset
// (`node bin/cairn.js import resources/samples/iris.csv --home <home>`). Each run trains on one
// of its dataset versions, with a target picked from the profile (a categorical or boolean
// column with few values for classification, a numeric one for regression) and realistic
// resolved params, per-epoch history (loss/acc or loss/mae, training and validation), full test
// metrics (confusion matrix, ROC curves, regression points) and test scores, spread over the
// last 90 days. Statuses: mostly succeeded, some failed, cancelled and interrupted, and `--live`
// runs left queued or running (default 3).
//
// What is not real: no model artifacts are written and no model_versions rows are made; the
// saved-model column reads "<dataset>-seeded:<n>", a name real training never uses, so later
// real runs keep their own numbering. Queued and running runs name pid 1 as their host, a
// process that is always alive, so the next host to open app.db does not mark them interrupted;
// no host owns them, so Cancel answers that they are not running here. Run the script again to
// add more; delete app.db's runs with SQL to start over.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openDb } from '../electron/core/db/open.js';
import { layout } from '../electron/core/paths.js';

interface Args {
  home: string;
  runs: number;
  live: number;
  seed: number;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) opts[a.slice(2)] = argv[++i] ?? '';
    else positional.push(a);
  }
  const home = positional[0];
  if (!home) {
    console.error('usage: npx tsx scripts/seed-runs.ts <home> [--runs 10000] [--live 3] [--seed 1]');
    process.exit(2);
  }
  const int = (name: string, dflt: number) => {
    const v = opts[name] === undefined ? dflt : Number.parseInt(opts[name], 10);
    if (!Number.isInteger(v) || v < 0) {
      console.error(`--${name} takes a whole number, not "${opts[name]}"`);
      process.exit(2);
    }
    return v;
  };
  return { home: path.resolve(home), runs: int('runs', 10_000), live: int('live', 3), seed: int('seed', 1) };
}

/** mulberry32: the same --seed makes the same runs. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    between: (lo: number, hi: number) => lo + next() * (hi - lo),
    int: (lo: number, hi: number) => Math.floor(lo + next() * (hi - lo + 1)),
    normal: () => {
      const u = Math.max(1e-12, next());
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}
type Rng = ReturnType<typeof rng>;

interface ProfileColumn {
  name: string;
  type: string;
  distinct: number;
  mean?: number | null;
  std?: number | null;
  min?: unknown;
  max?: unknown;
  topValues?: { value: string; count: number }[];
}

interface VersionRow {
  id: string;
  name: string;
  content_hash: string;
  row_count: number;
  profile_json: string;
}

interface Target {
  column: ProfileColumn;
  task: 'classification' | 'regression';
  classes: string[];
}

interface Plan {
  version: VersionRow;
  profile: ProfileColumn[];
  targets: Target[];
}

function plans(versions: VersionRow[]): Plan[] {
  return versions.flatMap((version) => {
    const profile = JSON.parse(version.profile_json) as ProfileColumn[];
    const targets: Target[] = [];
    for (const c of profile) {
      if ((c.type === 'categorical' || c.type === 'boolean') && c.distinct >= 2 && c.distinct <= 20) {
        const classes =
          c.type === 'boolean' ? ['false', 'true'] : (c.topValues ?? []).map((t) => t.value).slice(0, c.distinct);
        if (classes.length >= 2) targets.push({ column: c, task: 'classification', classes: classes.sort() });
      } else if ((c.type === 'numeric' || c.type === 'integer') && c.distinct > 20) {
        targets.push({ column: c, task: 'regression', classes: [] });
      }
    }
    // Datasets usually have one obvious target: the last suitable column (as in the samples).
    targets.reverse();
    return targets.length > 0 ? [{ version, profile, targets }] : [];
  });
}

const LAYERS = [[64, 32], [128, 64], [32], [256, 128, 64], [16], [64, 64], [128]];
const LEARNING_RATES = [1e-4, 3e-4, 1e-3, 1e-3, 1e-3, 3e-3, 1e-2, 0.03, 0.1];
const BATCHES = [16, 32, 32, 32, 64, 128, 256];
const EPOCHS = [5, 10, 20, 20, 30, 50, 50, 100, 150];
const FAILURES = [
  { code: 'internal', message: 'The loss stopped being finite at epoch 4 (NaN): try a lower learning rate.' },
  { code: 'invalid_argument', message: 'The test split has no rows to evaluate on: use a larger test fraction.' },
  { code: 'internal', message: 'The training process exited unexpectedly (signal SIGKILL).' },
];

const round = (x: number, digits = 6) => Number(x.toFixed(digits));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Curves that fall like a real fit: fast then slow, noisy, validation drifting up late with overfitting. */
function history(r: Rng, task: Target['task'], epochs: number, quality: number, scale: number) {
  const tau = r.between(0.12, 0.4) * epochs + 1;
  const overfit = r.next() < 0.3 ? r.between(0.002, 0.01) : 0;
  const out: { epoch: number; logs: Record<string, number> }[] = [];
  for (let e = 1; e <= epochs; e++) {
    const decay = Math.exp(-e / tau);
    const noise = () => 1 + 0.03 * r.normal();
    if (task === 'classification') {
      const floor = 0.05 + (1 - quality) * 0.8;
      const loss = (floor + (1.1 - floor) * decay) * noise();
      const valLoss = (floor * 1.1 + (1.15 - floor) * decay + overfit * e) * noise();
      const acc = clamp(quality - (quality - 0.35) * decay + 0.01 * r.normal(), 0, 1);
      const valAcc = clamp(quality - 0.02 - (quality - 0.33) * decay - overfit * e * 0.5 + 0.015 * r.normal(), 0, 1);
      out.push({
        epoch: e,
        logs: { val_loss: round(valLoss), val_acc: round(valAcc), loss: round(loss), acc: round(acc) },
      });
    } else {
      const floorMae = scale * (0.15 + (1 - quality) * 0.7);
      const mae = (floorMae + (scale * 1.2 - floorMae) * decay) * noise();
      const valMae = (floorMae * 1.08 + (scale * 1.25 - floorMae) * decay + overfit * e * scale) * noise();
      out.push({
        epoch: e,
        logs: {
          val_loss: round(valMae * valMae * 1.6),
          val_mae: round(valMae),
          loss: round(mae * mae * 1.6),
          mae: round(mae),
        },
      });
    }
  }
  return out;
}

/** A ROC curve y = x^p, whose area is 1 / (p + 1), thinned to a few points. */
function roc(auc: number) {
  const p = 1 / clamp(auc, 0.51, 0.999) - 1;
  const fpr = [0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  const tpr = fpr.map((x) => round(x === 0 ? 0 : Math.pow(x, p), 4));
  const thresholds = fpr.map((_, i) => (i === 0 ? null : round(1 - i / fpr.length, 4)));
  return { fpr, tpr, thresholds, auc: round(auc, 6) };
}

function classificationMetrics(r: Rng, classes: string[], accuracy: number, testRows: number) {
  const k = classes.length;
  const perClassRows = Array.from({ length: k }, (_, i) => Math.floor(testRows / k) + (i < testRows % k ? 1 : 0));
  const confusion = perClassRows.map((n, t) => {
    const row = new Array<number>(k).fill(0);
    const right = Math.round(n * clamp(accuracy + 0.05 * r.normal(), 0, 1));
    row[t] = right;
    for (let i = 0; i < n - right; i++) {
      const p = (t + 1 + Math.floor(r.next() * (k - 1))) % k;
      row[p] = (row[p] ?? 0) + 1;
    }
    return row;
  });
  const perClass = confusion.map((row, c) => {
    const tp = row[c] ?? 0;
    const support = row.reduce((s, v) => s + v, 0);
    const predicted = confusion.reduce((s, rr) => s + (rr[c] ?? 0), 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    return {
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      support,
    };
  });
  const hits = confusion.reduce((s, row, t) => s + (row[t] ?? 0), 0);
  const acc = testRows === 0 ? 0 : hits / testRows;
  const mean = (key: 'precision' | 'recall' | 'f1') => perClass.reduce((s, c) => s + c[key], 0) / k;
  const aucs = classes.map(() => clamp(acc + r.between(0.02, 0.08), 0.5, 0.999));
  const curves = k === 2 ? [roc(aucs[0] as number)] : aucs.map(roc);
  return {
    accuracy: acc,
    precision_macro: mean('precision'),
    recall_macro: mean('recall'),
    f1_macro: mean('f1'),
    roc_auc: curves.reduce((s, c) => s + c.auc, 0) / curves.length,
    log_loss: clamp(-Math.log(clamp(acc, 0.05, 0.999)) * r.between(1.1, 1.8), 0.01, 5),
    perClass,
    confusion,
    roc: curves,
    classes,
    rows: testRows,
  };
}

function regressionMetrics(r: Rng, column: ProfileColumn, quality: number, testRows: number) {
  const mean = column.mean ?? 0;
  const std = column.std && column.std > 0 ? column.std : 1;
  const n = Math.min(testRows, 2000);
  const actual: number[] = [];
  const predicted: number[] = [];
  const noise = std * Math.sqrt(1 - quality * quality);
  let se = 0;
  let ae = 0;
  for (let i = 0; i < n; i++) {
    const a = mean + std * r.normal();
    const p = mean + quality * (a - mean) + noise * r.normal();
    actual.push(round(a, 4));
    predicted.push(round(p, 4));
    se += (a - p) ** 2;
    ae += Math.abs(a - p);
  }
  const rmse = Math.sqrt(se / Math.max(1, n));
  return {
    mae: ae / Math.max(1, n),
    rmse,
    r2: 1 - (rmse * rmse) / (std * std),
    points: { actual, predicted },
    rows: testRows,
  };
}

function preprocess(profile: ProfileColumn[], target: Target, features: string[], fittedRows: number) {
  const steps = profile
    .filter((c) => features.includes(c.name))
    .map((c) =>
      c.type === 'numeric' || c.type === 'integer'
        ? {
            kind: 'numeric',
            column: c.name,
            type: c.type,
            median: c.mean ?? 0,
            mean: c.mean ?? 0,
            std: c.std && c.std > 0 ? c.std : 1,
          }
        : c.type === 'boolean'
          ? { kind: 'boolean', column: c.name, fill: 0 }
          : { kind: 'one-hot', column: c.name, categories: (c.topValues ?? []).map((t) => t.value) },
    );
  return {
    format: 'cairn-preprocess/1',
    features: steps,
    featureNames: steps.flatMap((s) => (s.categories ? s.categories.map((v) => `${s.column}=${v}`) : [s.column])),
    dropped: [],
    target:
      target.task === 'classification'
        ? { task: 'classification', column: target.column.name, classes: target.classes }
        : { task: 'regression', column: target.column.name },
    fittedRows,
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const db = openDb(layout(args.home).db);
  try {
    const versions = db
      .prepare(
        `SELECT v.id, d.name, v.content_hash, v.row_count, v.profile_json
         FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id ORDER BY d.name, v.version`,
      )
      .all() as VersionRow[];
    const usable = plans(versions);
    if (usable.length === 0) {
      console.error(
        versions.length === 0
          ? `${args.home} has no datasets: import one first (node bin/cairn.js import resources/samples/iris.csv --home ${args.home})`
          : 'No dataset version has a column to predict (a categorical column with 2-20 values, or a numeric one).',
      );
      process.exit(1);
    }
    const r = rng(args.seed);
    const insert = db.prepare(
      `INSERT INTO runs (id, dataset_version_id, status, task, target, model_kind, params_json, preprocess_json, history_json,
         metrics_json, test_scores_json, backend, tfjs_version, dataset_hash, error_json, model_name, model_version, host_pid,
         created_at, started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const modelVersions = new Map<string, number>();
    const now = Date.now();
    const span = 90 * 24 * 3600 * 1000;
    const total = args.runs + args.live;
    const t0 = performance.now();

    db.transaction(() => {
      for (let i = 0; i < total; i++) {
        const plan = r.pick(usable);
        const target = r.next() < 0.8 ? (plan.targets[0] as Target) : r.pick(plan.targets);
        const task = target.task;
        const mlp = r.next() < 0.65;
        const modelKind = mlp ? 'mlp' : task === 'classification' ? 'logistic_regression' : 'linear_regression';
        const layers = r.pick(LAYERS);
        const activation = r.next() < 0.8 ? 'relu' : r.pick(['tanh', 'elu', 'selu']);
        const dropout = r.next() < 0.25 ? r.pick([0.1, 0.2, 0.3]) : 0;
        const epochs = r.pick(EPOCHS);
        const seed = r.int(0, 1000);
        const features = plan.profile
          .filter((c) => c.name !== target.column.name && c.type !== 'text')
          .map((c) => c.name);
        const rows = plan.version.row_count;
        const split = { train: Math.round(rows * 0.7), validation: Math.round(rows * 0.15), test: 0 };
        split.test = Math.max(1, rows - split.train - split.validation);
        const params = {
          model: {
            kind: modelKind,
            // As ModelParams resolves them: the default layers are kept even where the kind has none.
            hiddenLayers: (mlp ? layers : [64, 32]).map((units) => ({
              units,
              activation: mlp ? activation : 'relu',
              dropout: mlp ? dropout : 0,
            })),
            l2: r.next() < 0.2 ? 0.001 : 0,
          },
          train: {
            epochs,
            batchSize: r.pick(BATCHES),
            learningRate: r.pick(LEARNING_RATES),
            optimizer: r.next() < 0.75 ? 'adam' : r.pick(['sgd', 'rmsprop']),
            classWeight: task === 'classification' && r.next() < 0.15 ? 'balanced' : 'none',
            seed,
          },
          split: {
            seed,
            fractions: { train: 0.7, validation: 0.15, test: 0.15 },
            method: task === 'classification' ? 'stratified' : 'random',
            rows: split,
          },
          features,
        };

        // The last --live runs are the newest: queued ones, then one or more running.
        const liveIndex = i - args.runs;
        const roll = r.next();
        const status =
          liveIndex >= 0
            ? liveIndex < Math.ceil(args.live / 2)
              ? 'queued'
              : 'running'
            : roll < 0.82
              ? 'succeeded'
              : roll < 0.9
                ? 'failed'
                : roll < 0.96
                  ? 'cancelled'
                  : 'interrupted';

        const created =
          liveIndex >= 0
            ? now - (args.live - liveIndex) * 20_000
            : now - span + (span * i) / Math.max(1, args.runs) + r.between(0, 60_000);
        const started = status === 'queued' ? null : created + r.between(200, 30_000);
        const perEpochMs = Math.max(20, (rows / 50) * r.between(0.5, 2) * (mlp ? layers.length : 0.5));
        const quality = task === 'classification' ? r.between(0.55, 0.99) : r.between(0.2, 0.95);
        const scale = target.column.std && target.column.std > 0 ? target.column.std : 1;
        const full = history(r, task, epochs, quality, scale);
        let hist: typeof full = [];
        let finished: number | null = null;
        let metrics: Record<string, unknown> | null = null;
        let error: { code: string; message: string } | null = null;
        let model: { name: string; version: number } | null = null;
        if (status === 'succeeded') {
          hist = full;
          finished = (started as number) + epochs * perEpochMs + 300;
          const test =
            task === 'classification'
              ? classificationMetrics(r, target.classes, quality, split.test)
              : regressionMetrics(r, target.column, quality, split.test);
          metrics = { test };
          const name = `${plan.version.name}-seeded`;
          const version = (modelVersions.get(name) ?? 0) + 1;
          modelVersions.set(name, version);
          model = { name, version };
        } else if (status === 'running') {
          hist = full.slice(0, r.int(1, Math.max(1, epochs - 1)));
        } else if (status !== 'queued') {
          hist = status === 'failed' && r.next() < 0.3 ? [] : full.slice(0, r.int(1, epochs));
          finished = (started as number) + Math.max(1, hist.length) * perEpochMs;
          error =
            status === 'failed'
              ? r.pick(FAILURES)
              : status === 'cancelled'
                ? { code: 'cancelled', message: 'The run was cancelled.' }
                : { code: 'internal', message: 'The app stopped before this run finished.' };
        }
        // Only a success rewrites params with every default resolved; other runs keep the request.
        const stored =
          status === 'succeeded'
            ? params
            : {
                target: target.column.name,
                task,
                model: modelKind,
                ...(mlp ? { hiddenLayers: params.model.hiddenLayers } : {}),
                epochs,
                batchSize: params.train.batchSize,
                learningRate: params.train.learningRate,
                optimizer: params.train.optimizer,
                seed,
                split: params.split.fractions,
              };
        const testScores = metrics
          ? Object.fromEntries(
              Object.entries(metrics.test as Record<string, unknown>).filter(
                ([, v]) => typeof v === 'number' || v === null,
              ),
            )
          : null;
        const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
        insert.run(
          randomUUID(),
          plan.version.id,
          status,
          status === 'queued' ? null : task,
          target.column.name,
          modelKind,
          JSON.stringify(stored),
          status === 'succeeded' ? JSON.stringify(preprocess(plan.profile, target, features, split.train)) : null,
          JSON.stringify(hist),
          metrics ? JSON.stringify(metrics) : null,
          testScores ? JSON.stringify(testScores) : null,
          status === 'queued' ? null : r.next() < 0.85 ? 'wasm' : r.pick(['tensorflow', 'cpu']),
          status === 'queued' ? null : '4.22.0',
          plan.version.content_hash,
          error ? JSON.stringify(error) : null,
          model?.name ?? null,
          model?.version ?? null,
          status === 'queued' || status === 'running' ? 1 : null,
          iso(created),
          iso(started),
          iso(finished),
        );
      }
    })();
    console.log(`Added ${total} runs to ${layout(args.home).db} in ${Math.round(performance.now() - t0)} ms.`);
  } finally {
    db.close();
  }
}

main();
