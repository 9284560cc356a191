// Gates: `accuracy >= 0.9`, the conditions an evaluate step holds a model to.

/** The metrics each task's evaluation reports, and which of them are better when lower. */
export const taskMetrics = {
  classification: ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'roc_auc', 'log_loss'],
  regression: ['mae', 'rmse', 'r2'],
} as const;
/** Whether a smaller value of a metric is better (shared/metrics.ts, one list for the whole app). */
export { lowerIsBetter } from '../metrics.js';
export type PipelineTask = keyof typeof taskMetrics;

export const gateOps = ['>=', '<=', '>', '<', '==', '!='] as const;
export type GateOp = (typeof gateOps)[number];

export interface Gate {
  metric: string;
  op: GateOp;
  threshold: number;
}

const GATE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/**
 * Parses a gate such as `accuracy >= 0.9` or `rmse < 3`; with a task, the metric must be one it reports.
 * Returns the gate or the reason it is not one.
 */
export function parseGate(
  text: string,
  task?: PipelineTask,
): { ok: true; gate: Gate } | { ok: false; message: string } {
  const m = GATE.exec(text);
  if (!m)
    return {
      ok: false,
      message: `"${text}" is not a gate: write METRIC OP NUMBER, e.g. accuracy >= 0.9 (OP: ${gateOps.join(' ')})`,
    };
  const metric = (m[1] as string).toLowerCase();
  const known: readonly string[] = task
    ? taskMetrics[task]
    : [...taskMetrics.classification, ...taskMetrics.regression];
  if (!known.includes(metric)) {
    return {
      ok: false,
      message: `"${metric}" is not a ${task ? `${task} ` : ''}metric: use one of ${known.join(', ')}`,
    };
  }
  return { ok: true, gate: { metric, op: m[2] as GateOp, threshold: Number(m[3]) } };
}

/** Whether a metric's value meets a gate (a missing value never does). */
export function gatePasses(gate: Gate, value: number | null | undefined): boolean {
  if (value === null || value === undefined || Number.isNaN(value)) return false;
  switch (gate.op) {
    case '>=':
      return value >= gate.threshold;
    case '<=':
      return value <= gate.threshold;
    case '>':
      return value > gate.threshold;
    case '<':
      return value < gate.threshold;
    case '==':
      return value === gate.threshold;
    case '!=':
      return value !== gate.threshold;
  }
}
