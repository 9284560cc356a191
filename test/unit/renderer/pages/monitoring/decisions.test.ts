import { describe, expect, it } from 'vitest';
import { decisionScores, rollbackOffer } from '../../../../../renderer/src/pages/monitoring/decisions.js';

describe('retrain decisions', () => {
  const decision = {
    metric: 'accuracy' as const,
    promoted: true,
    alias: 'production',
    champion: { version: 1, metrics: { accuracy: 0.9 } },
    challenger: { version: 2, metrics: { accuracy: 0.96 } },
  };
  const move = (id: number, alias: string, fromVersion: number | null, toVersion: number | null) => ({
    id,
    alias,
    fromVersion,
    toVersion,
    reason: '',
    at: '2026-01-01T00:00:00Z',
  });

  it('compares champion and challenger on the decision metric', () => {
    const s = decisionScores(decision);
    expect(s.champion).toBe(0.9);
    expect(s.challenger).toBe(0.96);
    expect(s.gain).toBeCloseTo(0.06);
    expect(decisionScores({ ...decision, challenger: null }).gain).toBeNull();
  });

  it('offers rollback only while the promotion is the alias’s latest move', () => {
    expect(
      rollbackOffer(decision, [
        move(3, 'staging', null, 1),
        move(2, 'Production', 1, 2),
        move(1, 'production', null, 1),
      ]),
    ).toEqual({
      alias: 'Production',
      from: 2,
      to: 1,
    });
    // Moved again since: rolling back would undo the other move.
    expect(rollbackOffer(decision, [move(3, 'production', 2, 3), move(2, 'production', 1, 2)])).toBeNull();
    expect(rollbackOffer({ ...decision, promoted: false }, [move(2, 'production', 1, 2)])).toBeNull();
    // A first promotion: rollback removes the alias.
    expect(rollbackOffer(decision, [move(1, 'production', null, 2)])).toEqual({
      alias: 'production',
      from: 2,
      to: null,
    });
  });
});
