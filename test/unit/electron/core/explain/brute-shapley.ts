// Shapley values by definition, enumerating every subset: the reference the exact explainers must
// match. Exponential in the player count, so only for a handful of players.

/**
 * Shapley values of `players` players for a value function of a membership mask, per output:
 * phi_i = Σ_{S ⊆ N∖{i}} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)). Returns [player][output].
 */
export function bruteShapley(players: number, value: (inS: boolean[]) => number[]): number[][] {
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const values = new Map<number, number[]>();
  const v = (mask: number): number[] => {
    let got = values.get(mask);
    if (!got) {
      got = value(Array.from({ length: players }, (_, j) => (mask & (1 << j)) !== 0));
      values.set(mask, got);
    }
    return got;
  };
  const phi: number[][] = [];
  for (let i = 0; i < players; i++) {
    const bit = 1 << i;
    let sums: number[] | undefined;
    for (let mask = 0; mask < 1 << players; mask++) {
      if (mask & bit) continue;
      let size = 0;
      for (let j = 0; j < players; j++) if (mask & (1 << j)) size++;
      const weight = (factorial(size) * factorial(players - size - 1)) / factorial(players);
      const withI = v(mask | bit);
      const without = v(mask);
      sums ??= new Array<number>(withI.length).fill(0);
      for (let k = 0; k < withI.length; k++) sums[k]! += weight * (withI[k]! - without[k]!);
    }
    phi.push(sums!);
  }
  return phi;
}
