// The explanation methods, how each is named and how many test rows each keeps: plain data with no
// zod (explain.ts makes the schema from it), so `cairn explain` can use it before the contract loads.

export const explainMethods = ['tree_shap', 'linear', 'kernel_shap'] as const;
type ExplainMethod = (typeof explainMethods)[number];

/** How each method's contributions were found, in words (the CLI and the run page say the same). */
export const EXPLAIN_METHOD_LABEL: Record<ExplainMethod, string> = {
  tree_shap: 'exact TreeSHAP',
  linear: 'exact (a linear model)',
  kernel_shap: 'KernelSHAP',
};

/**
 * What an explanation's errorBound says, to follow the method's label: nothing when there is no
 * bound, that a KernelSHAP run over every coalition is exact, else the bound formatted by `format`.
 */
export function errorBoundText(errorBound: number | null, format: (v: number) => string): string {
  if (errorBound === null) return '';
  return errorBound === 0 ? ', over every coalition (exact)' : `, each within ±${format(errorBound)} (95%)`;
}

/** At most this many test rows are kept explained per run. */
export const MAX_EXPLAINED_ROWS = 100;

/**
 * Test rows a run keeps explained, per method: the first ones in order, then the worst errors
 * besides. KernelSHAP costs about 2,000 coalitions × the background rows in model calls per row
 * (on wine's MLP, 30 rows against 20 background rows took 2.4 s of a 7 s run), so a network
 * explains fewer rows.
 */
export const KEPT_ROWS: Record<ExplainMethod, { first: number; worst: number }> = {
  tree_shap: { first: MAX_EXPLAINED_ROWS, worst: 10 },
  linear: { first: MAX_EXPLAINED_ROWS, worst: 10 },
  kernel_shap: { first: 10, worst: 5 },
};
