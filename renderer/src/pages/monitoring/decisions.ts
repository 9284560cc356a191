// What a retrain decision row shows: both versions' scores on the compared metric, how far the
// challenger moved it, and whether its promotion can still be rolled back (the alias has not
// moved since). Pure functions, unit-tested apart from the table.
import type { AliasEvent, RetrainDecision } from '../../../../shared/api.js';
import { improvement } from './monitoring-format.js';

export interface DecisionScores {
  champion: number | null;
  challenger: number | null;
  /** Positive when the challenger is better (lower MAE/RMSE, higher accuracy, F1, R²). */
  gain: number | null;
}

/** The compared metric's scores of champion and challenger and the challenger's gain. */
export function decisionScores(d: Pick<RetrainDecision, 'metric' | 'champion' | 'challenger'>): DecisionScores {
  const champion = d.champion?.metrics[d.metric] ?? null;
  const challenger = d.challenger?.metrics[d.metric] ?? null;
  return { champion, challenger, gain: improvement(d.metric, champion, challenger) };
}

export interface RollbackOffer {
  alias: string;
  /** Where the alias points now (the promoted challenger). */
  from: number;
  /** Where rollback puts it (where it pointed before the promotion; null removes it). */
  to: number | null;
}

/**
 * Whether this decision's promotion is the alias's latest move, so that rolling the alias back
 * undoes exactly it. `history` is the model's alias history, newest first.
 */
export function rollbackOffer(
  d: Pick<RetrainDecision, 'promoted' | 'alias' | 'challenger'>,
  history: readonly AliasEvent[],
): RollbackOffer | null {
  if (!d.promoted || !d.challenger) return null;
  const last = history.find((e) => e.alias.toLowerCase() === d.alias.toLowerCase());
  if (!last || last.toVersion !== d.challenger.version) return null;
  return { alias: last.alias, from: d.challenger.version, to: last.fromVersion };
}
