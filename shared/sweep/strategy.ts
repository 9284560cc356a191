// How a sweep searches and whether it stops poor trials early: the names the CLI's --strategy, the
// contract and the Sweep dialog share (electron/core/sweeps/strategies.ts builds each).
import { z } from 'zod';

/** grid: every combination; random: uniform draws; tpe: a model of what did well (Optuna's default). */
export const SweepStrategy = z.enum(['grid', 'random', 'tpe']);
export type SweepStrategy = z.infer<typeof SweepStrategy>;

/** none; median: below the median of finished trials at the same epoch; asha: successive halving over rungs. */
export const TrialStopping = z.enum(['none', 'median', 'asha']);
export type TrialStopping = z.infer<typeof TrialStopping>;
