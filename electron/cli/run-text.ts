// A training run as `cairn train` and `cairn runs show` print it. Loaded by those commands when
// they print, as reading an automatic run's leaderboard takes the contract's schemas (zod), which
// the rest of the CLI does not load before it calls the service.
import { autoChoiceOf, type Run } from '../../shared/api.js';
import { HEADLINE_TEST_METRICS } from '../../shared/metrics.js';

function testMetrics(run: Run): Record<string, unknown> {
  const test = ((run.metrics ?? {}) as { test?: Record<string, unknown> }).test ?? {};
  const keys: readonly string[] = run.task ? HEADLINE_TEST_METRICS[run.task] : [];
  return Object.fromEntries(keys.map((k) => [k, test[k] ?? null]));
}

export function runJson(run: Run) {
  const auto = autoChoiceOf(run);
  return {
    run: run.id,
    status: run.status,
    task: run.task,
    backend: run.backend,
    model: run.model,
    metrics: { test: testMetrics(run) },
    ...(auto
      ? {
          candidates: auto.candidates.map((c) => ({ model: c.model, validation: c.validation, seconds: c.seconds })),
          chosen: auto.chosen,
        }
      : {}),
  };
}

function fmtMetric(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v);
}

export function runText(run: Run): string {
  const lines = [
    `run ${run.id}: ${run.status}`,
    `dataset:  ${run.datasetName} version ${run.datasetVersion}, target ${run.target}${run.task ? ` (${run.task})` : ''}`,
    `model:    ${run.params.modelChoice === 'auto' && run.modelKind !== 'auto' ? 'auto → ' : ''}${run.modelKind}${run.model ? `, saved as ${run.model.name} version ${run.model.version}` : ''}`,
  ];
  const made = run.pipelineTable;
  // The dataset above is then a pipeline's table (not in `datasets list`): say what it was made from.
  if (made)
    lines.splice(
      2,
      0,
      `made by:  pipeline ${made.pipeline ?? '(deleted)'} from ${made.source ? `${made.source.name} version ${made.source.version}` : 'several datasets'}`,
    );
  if (run.backend)
    lines.push(`backend:  ${run.backend}${run.modelKind === 'gbdt' ? '' : ` (tfjs ${run.tfjsVersion ?? '?'})`}`);
  const boosting = (run.metrics as { boosting?: { rounds: number; bestIteration: number } } | null)?.boosting;
  if (boosting) lines.push(`rounds:   ${boosting.rounds} (trees kept from the best, round ${boosting.bestIteration})`);
  else if (run.history.length) lines.push(`epochs:   ${run.history.length}`);
  const metrics = Object.entries(testMetrics(run));
  if (metrics.length) lines.push('test metrics:', ...metrics.map(([k, v]) => `  ${k.padEnd(16)}${fmtMetric(v)}`));
  const auto = autoChoiceOf(run);
  if (auto)
    lines.push(
      `chosen:   ${auto.reason}`,
      `candidates (validation ${auto.metric}, seconds):`,
      ...auto.candidates.map(
        (c) => `  ${c.model.padEnd(20)}${fmtMetric(c.validation[auto.metric])}  ${c.seconds.toFixed(1)}s`,
      ),
    );
  if (run.error) lines.push(`error:    ${run.error.message}`);
  return lines.join('\n');
}
