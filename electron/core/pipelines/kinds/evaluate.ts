// Evaluate: scores the model on the test part of the split (rows with a target), with the same
// metrics a training run reports, then checks the gates. The model passes on only when every gate
// is met; an unmet gate fails the step with code gate_failed (the CLI exits 2), its metrics shown.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { gatePasses, parseGate, SPLIT_COLUMN, taskMetrics, type GateResult } from '../../../../shared/pipeline.js';
import { asText, ident, literal, toCell } from '../../datasets/duck.js';
import { testScores } from '../../db/runs-repo.js';
import { CairnError } from '../../errors.js';
import { classificationMetrics, regressionMetrics } from '../../training/evaluation-metrics.js';
import { StepFailure, type KindRunner } from '../executor.js';
import { expectPort, type MetricsValue, type ModelValue, type TableValue } from '../ports.js';
import { writeTable } from '../table.js';
import { modelsStillThere } from './model-check.js';
import { kindRunner, paramError, withConnection, type RunEnv } from './common.js';

export function evaluateKind(env: RunEnv): KindRunner {
  return kindRunner('evaluate', {
    version: 1,
    async run(ctx, p) {
      const model = expectPort(ctx.inputs.model, 'model', 'model');
      const table = expectPort(ctx.inputs.data, 'table', 'data');
      const gates = p.gates.map((text, i) => {
        const r = parseGate(text, model.task);
        if (!r.ok) throw paramError(`gates.${i}`, r.message);
        return { text, gate: r.gate };
      });
      const files = env.host.modelFiles(model.name, model.version);
      if (!files) throw new CairnError('not_found', `model ${model.name} version ${model.version} no longer exists`);
      const testFile = path.join(ctx.outDir, 'test.parquet');
      const metrics = table.pictures
        ? pictureScores(env, model, table)
        : await withConnection(env, ctx.signal, async (conn) => {
            const source = `read_parquet(${literal(table.file)})`;
            const names = (await conn.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${source})`))
              .getRowsJS()
              .map((r) => asText(r[0]));
            if (!names.includes(model.target))
              throw new CairnError('invalid_argument', `the data has no column "${model.target}", the model's target`, {
                port: 'data',
              });
            const target = ident(model.target);
            await writeTable(
              conn,
              `SELECT * EXCLUDE (${ident(SPLIT_COLUMN)}) FROM ${source} WHERE ${ident(SPLIT_COLUMN)} = 'test' AND ${target} IS NOT NULL`,
              testFile,
            );
            const actual = (await conn.runAndReadAll(`SELECT ${target} FROM read_parquet(${literal(testFile)})`))
              .getRowsJS()
              .map((r) => toCell(r[0]));
            if (actual.length === 0)
              throw new CairnError('invalid_argument', 'the test part has no rows with a target to score', {
                port: 'data',
              });
            const { selectBackend } = await import('../../training/backend.js');
            await selectBackend();
            const { loadArtifacts } = await import('../../training/artifacts.js');
            const { predictFile } = await import('../../training/predict-file.js');
            const artifacts = await loadArtifacts(files.dir, files.sha256);
            try {
              const scored = await predictFile({ conn, file: testFile, artifacts });
              return score(model.task, actual, scored.predictions ?? [], scored.classes ?? []);
            } finally {
              artifacts.dispose();
              await rm(testFile, { force: true });
            }
          });
      const results: GateResult[] = gates.map(({ text, gate }) => {
        const actual = metrics[gate.metric] ?? null;
        return {
          gate: text,
          metric: gate.metric,
          op: gate.op,
          threshold: gate.threshold,
          actual,
          passed: gatePasses(gate, actual),
        };
      });
      const output = { metrics, task: model.task, gates: results, model: { name: model.name, version: model.version } };
      const unmet = results.filter((r) => !r.passed);
      if (unmet.length) {
        const why = unmet
          .map((r) => `${r.gate} (${r.metric} = ${r.actual === null ? 'none' : Number(r.actual.toPrecision(4))})`)
          .join('; ');
        throw new StepFailure(
          {
            code: 'gate_failed',
            message: `gate${unmet.length > 1 ? 's' : ''} not met: ${why}`,
            details: { gates: unmet },
          },
          output,
        );
      }
      const metricsValue: MetricsValue = { type: 'metrics', task: model.task, metrics };
      return { output, ports: { model, metrics: metricsValue } };
    },
    async stillValid(result) {
      return modelsStillThere(env.host, result);
    },
  });
}

/**
 * A picture model's scores on the test pictures of the run that trained it: a run on pictures
 * splits them by label itself, so its test part is the one part of that dataset it never learned
 * from. The dataset must be the version it trained on, or the scores would not be of this data.
 */
function pictureScores(env: RunEnv, model: ModelValue, table: TableValue): Record<string, number | null> {
  const run = env.host.run(model.runId);
  if (!run) throw new CairnError('not_found', `the run that trained ${model.name} version ${model.version} is gone`);
  if (run.datasetVersionId !== table.source)
    throw new CairnError(
      'invalid_argument',
      `${model.name} version ${model.version} was not trained on this picture dataset version: a picture model is scored on the test pictures of its own run, so connect the dataset it trained on`,
      { port: 'data' },
    );
  const metrics = testScores(run.metrics ?? {});
  const scores: Record<string, number | null> = {};
  for (const k of taskMetrics[model.task]) scores[k] = metrics[k] ?? null;
  return { ...scores, rows: metrics.rows ?? null };
}

type Scored = { label: string; probabilities: Record<string, number> } | { value: number };

/** The task's scalar metrics of predictions against the actual values. */
function score(
  task: 'classification' | 'regression',
  actual: unknown[],
  predictions: Scored[],
  classes: string[],
): Record<string, number | null> {
  const pick = (all: Record<string, unknown>) =>
    Object.fromEntries(taskMetrics[task].map((k) => [k, typeof all[k] === 'number' ? all[k] : null])) as Record<
      string,
      number | null
    >;
  if (task === 'regression') {
    const y = Float64Array.from(actual, Number);
    const yHat = Float64Array.from(predictions, (p) => ('value' in p ? p.value : Number.NaN));
    return { ...pick({ ...regressionMetrics(y, yHat) }), rows: y.length };
  }
  // Rows of a class training never saw cannot be scored: they are left out, and counted.
  const k = classes.length;
  const keep = actual.map((v, i) => ({ code: classes.indexOf(String(v)), i })).filter((r) => r.code >= 0);
  const yTrue = Int32Array.from(keep, (r) => r.code);
  const proba = new Float64Array(keep.length * k);
  keep.forEach((r, row) => {
    const p = predictions[r.i] as Scored;
    if (!('probabilities' in p)) throw new CairnError('internal', 'a classifier gave a number');
    classes.forEach((c, j) => (proba[row * k + j] = p.probabilities[c] ?? 0));
  });
  if (keep.length === 0)
    throw new CairnError('invalid_argument', 'no test row has a class the model knows', { port: 'data' });
  return {
    ...pick({ ...classificationMetrics(yTrue, proba, k) }),
    rows: keep.length,
    unknown_class_rows: actual.length - keep.length,
  };
}
